"""Slack's limits on messages and views, written down once (sources: docs/slack-limits.md).

`check_message`, `check_view` and `check_options` say what Slack would refuse, with Slack's own
error name. The Slack stand-in refuses with them, and the Block Kit builders clip to the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# -- surfaces ---------------------------------------------------------------------------------
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # a modal and a Home tab alike
MESSAGE_TEXT = 40_000  # the top-level `text`; beyond it `msg_too_long`
# Slack refuses a message whose blocks hold about 12,000 characters of text in all
# (`msg_blocks_too_long`), though each block is within its own limit; it counts more than the
# visible text. We keep every message under 10,000 and the stand-in refuses past that.
MESSAGE_BLOCK_TEXT_SLACK = 12_000
MESSAGE_BLOCK_TEXT = 10_000

# -- ids --------------------------------------------------------------------------------------
BLOCK_ID = 255
ACTION_ID = 255
CALLBACK_ID = 255
EXTERNAL_ID = 255

# -- blocks -----------------------------------------------------------------------------------
SECTION_TEXT = 3000
SECTION_FIELDS = 10
SECTION_FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
INPUT_LABEL = 2000
INPUT_HINT = 2000
IMAGE_URL = 3000
IMAGE_ALT_TEXT = 2000
IMAGE_TITLE = 2000
MARKDOWN_BLOCK_TEXT = 12_000

# -- elements ---------------------------------------------------------------------------------
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTON_URL = 3000
ACCESSIBILITY_LABEL = 75
PLACEHOLDER = 150
SELECT_OPTIONS = 100
SELECT_OPTION_GROUPS = 100
OVERFLOW_OPTIONS = 5
CHECKBOX_OPTIONS = 10
RADIO_OPTIONS = 10
TEXT_INPUT_LENGTH = 3000  # the largest min_length / max_length of a plain_text_input

# -- composition objects ----------------------------------------------------------------------
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTION_DESCRIPTION = 75
OPTION_URL = 3000
OPTION_GROUP_LABEL = 75
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30  # "confirm" and "deny"

# -- views ------------------------------------------------------------------------------------
VIEW_TITLE = 24
VIEW_SUBMIT = 24
VIEW_CLOSE = 24
PRIVATE_METADATA = 3000

# -- block_suggestion answers -----------------------------------------------------------------
SUGGESTION_OPTIONS = 100

BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "image",
        "input",
        "rich_text",
        "file",
        "video",
        "markdown",
    }
)
_SELECTS = frozenset(
    {
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
_INPUTS = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "file_input",
    }
)
ELEMENT_TYPES = _SELECTS | _INPUTS | {"button", "overflow", "checkboxes", "radio_buttons", "image"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Refusal:
    """What Slack answers instead of `ok: true`: its error name and its `[ERROR]` lines."""

    error: str
    messages: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.error}: {'; '.join(self.messages)}" if self.messages else self.error


def check_message(args: dict[str, Any], *, method: str = "chat.postMessage") -> Refusal | None:
    """A message as chat.postMessage / postEphemeral / update or a response_url would refuse it."""
    blocks = args.get("blocks")
    text = args.get("text")
    if args.get("delete_original"):
        return None
    if blocks is not None and not isinstance(blocks, list):
        return Refusal("invalid_blocks_format", ("[ERROR] blocks must be a JSON array",))
    if not blocks and not (isinstance(text, str) and text.strip()) and not args.get("attachments"):
        return Refusal("no_text", ())
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        return Refusal("msg_too_long", (f"[ERROR] text is {len(text)} characters",))
    if not blocks:
        return None
    problems = list(_blocks(blocks, "message", "/blocks"))
    if problems:
        return Refusal("invalid_blocks", tuple(problems))
    total = block_text_length(blocks)
    if total > MESSAGE_BLOCK_TEXT:
        return Refusal(
            "msg_blocks_too_long",
            (f"[ERROR] {total} characters of block text, more than {MESSAGE_BLOCK_TEXT}",),
        )
    return None


def check_view(view: Any, *, method: str = "views.open") -> Refusal | None:
    """A view as views.open / update / push / publish would refuse it (`invalid_arguments`)."""
    if not isinstance(view, dict):
        return Refusal("invalid_arguments", ("[ERROR] view must be a JSON object",))
    problems = list(_view(view, method))
    return Refusal("invalid_arguments", tuple(problems)) if problems else None


def check_options(answer: Any) -> Refusal | None:
    """The options an app answers a block_suggestion with (Slack then shows none at all)."""
    if not isinstance(answer, dict):
        return Refusal("invalid_options", ("[ERROR] the answer must be a JSON object",))
    problems: list[str] = []
    if "option_groups" in answer:
        problems += _option_groups(answer["option_groups"], "/option_groups")
    else:
        options = answer.get("options")
        if not isinstance(options, list):
            problems.append(_err("options must be an array", "/options"))
        else:
            problems += _options(options, "/options", SUGGESTION_OPTIONS, plain_only=True)
    return Refusal("invalid_options", tuple(problems)) if problems else None


def block_text_length(blocks: list[Any]) -> int:
    """Every character of text the blocks hold: what Slack's `msg_blocks_too_long` counts."""
    return sum(len(text) for text in _texts(blocks))


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _texts(item)
    elif isinstance(node, dict):
        text = node.get("text")
        if isinstance(text, str) and node.get("type") in ("plain_text", "mrkdwn", "markdown"):
            yield text
        elif isinstance(text, str) and node.get("type") in ("text", "link"):
            yield text  # rich_text elements
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _texts(value)


# -- the checks -------------------------------------------------------------------------------


def _err(what: str, pointer: str) -> str:
    return f"[ERROR] {what} [json-pointer:{pointer}]"


def _too_long(value: Any, limit: int, pointer: str) -> Iterator[str]:
    if isinstance(value, str) and len(value) > limit:
        yield _err(f"must be at most {limit} characters, is {len(value)}", pointer)


def _string(value: Any, limit: int, pointer: str, *, required: bool = False) -> Iterator[str]:
    if value is None:
        if required:
            yield _err("is required", pointer)
        return
    if not isinstance(value, str):
        yield _err("must be a string", pointer)
        return
    yield from _too_long(value, limit, pointer)


def _text(
    obj: Any, limit: int, pointer: str, *, plain_only: bool = False, required: bool = True
) -> Iterator[str]:
    if obj is None:
        if required:
            yield _err("a text object is required", pointer)
        return
    if not isinstance(obj, dict):
        yield _err("must be a text object", pointer)
        return
    kind = obj.get("type")
    if kind not in ("plain_text", "mrkdwn") or (plain_only and kind != "plain_text"):
        allowed = "plain_text" if plain_only else "plain_text or mrkdwn"
        yield _err(f"type must be {allowed}", f"{pointer}/type")
        return
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        yield _err("must be more than 0 characters", f"{pointer}/text")
        return
    yield from _too_long(text, limit, f"{pointer}/text")
    if kind == "plain_text" and "verbatim" in obj:
        yield _err("verbatim is only for mrkdwn", f"{pointer}/verbatim")
    if kind == "mrkdwn" and "emoji" in obj:
        yield _err("emoji is only for plain_text", f"{pointer}/emoji")


def _blocks(blocks: list[Any], surface: str, pointer: str) -> Iterator[str]:
    limit = MESSAGE_BLOCKS if surface == "message" else VIEW_BLOCKS
    if len(blocks) > limit:
        yield _err(f"must provide no more than {limit} items, has {len(blocks)}", pointer)
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        at = f"{pointer}/{index}"
        if not isinstance(block, dict):
            yield _err("a block must be an object", at)
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            yield from _string(block_id, BLOCK_ID, f"{at}/block_id")
            if block_id in seen:
                yield _err(f"block_id '{block_id}' already exists", f"{at}/block_id")
            seen.add(str(block_id))
        yield from _block(block, surface, at)


def _block(block: dict[str, Any], surface: str, at: str) -> Iterator[str]:
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        yield _err(f"unknown block type {kind!r}", f"{at}/type")
        return
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            yield _err("a section needs text or fields", at)
        yield from _text(text, SECTION_TEXT, f"{at}/text", required=False)
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > SECTION_FIELDS:
                yield _err(f"must provide no more than {SECTION_FIELDS} fields", f"{at}/fields")
            else:
                for i, field in enumerate(fields):
                    yield from _text(field, SECTION_FIELD_TEXT, f"{at}/fields/{i}")
        accessory = block.get("accessory")
        if accessory is not None:
            yield from _element(accessory, f"{at}/accessory")
    elif kind == "header":
        yield from _text(block.get("text"), HEADER_TEXT, f"{at}/text", plain_only=True)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            yield _err("must provide at least one element", f"{at}/elements")
            return
        if len(elements) > CONTEXT_ELEMENTS:
            yield _err(f"must provide no more than {CONTEXT_ELEMENTS} items", f"{at}/elements")
        for i, element in enumerate(elements):
            where = f"{at}/elements/{i}"
            if isinstance(element, dict) and element.get("type") == "image":
                yield from _image(element, where)
            else:
                yield from _text(element, SECTION_TEXT, where)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            yield _err("must provide at least one element", f"{at}/elements")
            return
        if len(elements) > ACTIONS_ELEMENTS:
            yield _err(f"must provide no more than {ACTIONS_ELEMENTS} items", f"{at}/elements")
        action_ids: set[str] = set()
        for i, element in enumerate(elements):
            where = f"{at}/elements/{i}"
            yield from _element(element, where)
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is not None:
                if action_id in action_ids:
                    yield _err(f"action_id '{action_id}' already exists", f"{where}/action_id")
                action_ids.add(str(action_id))
    elif kind == "input":
        yield from _text(block.get("label"), INPUT_LABEL, f"{at}/label", plain_only=True)
        yield from _text(
            block.get("hint"), INPUT_HINT, f"{at}/hint", plain_only=True, required=False
        )
        element = block.get("element")
        if element is None:
            yield _err("an input needs an element", f"{at}/element")
        else:
            yield from _element(element, f"{at}/element")
    elif kind == "image":
        yield from _image(block, at)
        yield from _text(
            block.get("title"), IMAGE_TITLE, f"{at}/title", plain_only=True, required=False
        )
    elif kind == "markdown":
        yield from _string(block.get("text"), MARKDOWN_BLOCK_TEXT, f"{at}/text", required=True)
    elif kind == "rich_text" and not isinstance(block.get("elements"), list):
        yield _err("must provide elements", f"{at}/elements")


def _image(image: dict[str, Any], at: str) -> Iterator[str]:
    if image.get("image_url") is None and image.get("slack_file") is None:
        yield _err("an image needs image_url or slack_file", at)
    yield from _string(image.get("image_url"), IMAGE_URL, f"{at}/image_url")
    yield from _string(image.get("alt_text"), IMAGE_ALT_TEXT, f"{at}/alt_text", required=True)


def _element(element: Any, at: str) -> Iterator[str]:
    if not isinstance(element, dict):
        yield _err("an element must be an object", at)
        return
    kind = element.get("type")
    if kind not in ELEMENT_TYPES:
        yield _err(f"unknown element type {kind!r}", f"{at}/type")
        return
    if kind == "image":
        yield from _image(element, at)
        return
    yield from _string(element.get("action_id"), ACTION_ID, f"{at}/action_id")
    yield from _text(
        element.get("placeholder"),
        PLACEHOLDER,
        f"{at}/placeholder",
        plain_only=True,
        required=False,
    )
    confirm = element.get("confirm")
    if confirm is not None:
        yield from _confirm(confirm, f"{at}/confirm")
    if kind == "button":
        yield from _text(element.get("text"), BUTTON_TEXT, f"{at}/text", plain_only=True)
        yield from _string(element.get("value"), BUTTON_VALUE, f"{at}/value")
        yield from _string(element.get("url"), BUTTON_URL, f"{at}/url")
        yield from _string(
            element.get("accessibility_label"), ACCESSIBILITY_LABEL, f"{at}/accessibility_label"
        )
        if element.get("style") not in (None, "primary", "danger"):
            yield _err("style must be primary or danger", f"{at}/style")
    elif kind in ("static_select", "multi_static_select"):
        options, groups = element.get("options"), element.get("option_groups")
        if (options is None) == (groups is None):
            yield _err("give exactly one of options and option_groups", at)
            return
        if options is not None:
            yield from _options(options, f"{at}/options", SELECT_OPTIONS, plain_only=True)
            offered = options if isinstance(options, list) else []
        else:
            yield from _option_groups(groups, f"{at}/option_groups")
            offered = [
                o for g in groups or [] if isinstance(g, dict) for o in g.get("options") or []
            ]
        initial = element.get("initial_option")
        if initial is not None and initial not in offered:
            yield _err("initial_option must be one of the options", f"{at}/initial_option")
    elif kind in ("external_select", "multi_external_select"):
        initial = element.get("initial_option")
        if initial is not None:
            yield from _option(initial, f"{at}/initial_option", plain_only=True)
    elif kind == "overflow":
        yield from _options(
            element.get("options"), f"{at}/options", OVERFLOW_OPTIONS, plain_only=True
        )
    elif kind in ("checkboxes", "radio_buttons"):
        limit = CHECKBOX_OPTIONS if kind == "checkboxes" else RADIO_OPTIONS
        options = element.get("options")
        yield from _options(options, f"{at}/options", limit, plain_only=False)
        initial = element.get("initial_option")
        if initial is not None and isinstance(options, list) and initial not in options:
            yield _err("initial_option must be one of the options", f"{at}/initial_option")
    elif kind == "plain_text_input":
        for name, low in (("min_length", 0), ("max_length", 1)):
            value = element.get(name)
            if value is not None and (
                not isinstance(value, int) or not low <= value <= TEXT_INPUT_LENGTH
            ):
                yield _err(f"must be between {low} and {TEXT_INPUT_LENGTH}", f"{at}/{name}")
    elif kind == "datepicker":
        initial = element.get("initial_date")
        if initial is not None and not (isinstance(initial, str) and _DATE.match(initial)):
            yield _err("initial_date must be YYYY-MM-DD", f"{at}/initial_date")


def _confirm(confirm: Any, at: str) -> Iterator[str]:
    if not isinstance(confirm, dict):
        yield _err("confirm must be an object", at)
        return
    yield from _text(confirm.get("title"), CONFIRM_TITLE, f"{at}/title", plain_only=True)
    yield from _text(confirm.get("text"), CONFIRM_TEXT, f"{at}/text")
    yield from _text(confirm.get("confirm"), CONFIRM_BUTTON, f"{at}/confirm", plain_only=True)
    yield from _text(confirm.get("deny"), CONFIRM_BUTTON, f"{at}/deny", plain_only=True)


def _options(options: Any, at: str, limit: int, *, plain_only: bool) -> Iterator[str]:
    if not isinstance(options, list) or not options:
        yield _err("must provide at least one option", at)
        return
    if len(options) > limit:
        yield _err(f"must provide no more than {limit} items, has {len(options)}", at)
    for i, option in enumerate(options):
        yield from _option(option, f"{at}/{i}", plain_only=plain_only)


def _option_groups(groups: Any, at: str) -> Iterator[str]:
    if not isinstance(groups, list) or not groups:
        yield _err("must provide at least one option group", at)
        return
    if len(groups) > SELECT_OPTION_GROUPS:
        yield _err(f"must provide no more than {SELECT_OPTION_GROUPS} items", at)
    for i, group in enumerate(groups):
        if not isinstance(group, dict):
            yield _err("an option group must be an object", f"{at}/{i}")
            continue
        yield from _text(group.get("label"), OPTION_GROUP_LABEL, f"{at}/{i}/label", plain_only=True)
        yield from _options(
            group.get("options"), f"{at}/{i}/options", SELECT_OPTIONS, plain_only=True
        )


def _option(option: Any, at: str, *, plain_only: bool) -> Iterator[str]:
    if not isinstance(option, dict):
        yield _err("an option must be an object", at)
        return
    yield from _text(option.get("text"), OPTION_TEXT, f"{at}/text", plain_only=plain_only)
    yield from _string(option.get("value"), OPTION_VALUE, f"{at}/value", required=True)
    yield from _text(
        option.get("description"),
        OPTION_DESCRIPTION,
        f"{at}/description",
        plain_only=plain_only,
        required=False,
    )
    yield from _string(option.get("url"), OPTION_URL, f"{at}/url")


def _view(view: dict[str, Any], method: str) -> Iterator[str]:
    kind = view.get("type")
    if method == "views.publish" and kind != "home":
        yield _err("views.publish takes a view of type home", "/view/type")
    elif method != "views.publish" and kind != "modal":
        yield _err(f"{method} takes a view of type modal", "/view/type")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        yield _err("blocks is required", "/view/blocks")
        blocks = []
    yield from _blocks(blocks, "modal" if kind == "modal" else "home", "/view/blocks")
    yield from _string(view.get("private_metadata"), PRIVATE_METADATA, "/view/private_metadata")
    yield from _string(view.get("callback_id"), CALLBACK_ID, "/view/callback_id")
    yield from _string(view.get("external_id"), EXTERNAL_ID, "/view/external_id")
    if kind != "modal":
        return
    yield from _text(view.get("title"), VIEW_TITLE, "/view/title", plain_only=True)
    yield from _text(view.get("close"), VIEW_CLOSE, "/view/close", plain_only=True, required=False)
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    yield from _text(
        view.get("submit"), VIEW_SUBMIT, "/view/submit", plain_only=True, required=has_input
    )
