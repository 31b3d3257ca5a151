"""Small Block Kit builders shared by every surface; user text is escaped here, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.core.text import mrkdwn as slack_mrkdwn
from handlers import limits

Block = dict[str, Any]

# Slack's numbers live in handlers/limits.py; these names are what the builders have used.
SECTION_TEXT_LIMIT = limits.SECTION_TEXT
BUTTON_LABEL_LIMIT = limits.BUTTON_TEXT
MESSAGE_BLOCK_LIMIT = limits.MESSAGE_BLOCKS
VIEW_BLOCK_LIMIT = limits.VIEW_BLOCKS
MODAL_TITLE_LIMIT = limits.VIEW_TITLE


# Slack's text format lives in bot/core/text/mrkdwn.py; these names are what the builders have used.
escape = slack_mrkdwn.escape
unescape = slack_mrkdwn.unescape
safe_text = slack_mrkdwn.escape_keeping_mentions
"""A core message for Slack: everything escaped, except the user mentions Knalle wrote."""


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    """Text the bot wrote; any user text inside must already have gone through `escape`."""
    return {"type": "mrkdwn", "text": clip(text, limit), "verbatim": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, limits.HEADER_TEXT)}


def section(text: str, *, accessory: Block | None = None, fields: list[str] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [
            mrkdwn(field, limits.SECTION_FIELD_TEXT) for field in fields[: limits.SECTION_FIELDS]
        ]
    if accessory:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(text) for text in texts[: limits.CONTEXT_ELEMENTS]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(
    label: str,
    action_id: str,
    value: str = "",
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(label, BUTTON_LABEL_LIMIT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[: limits.ACTIONS_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id
    return block


def confirm_dialog(title: str, text: str, yes: str, no: str = "Avbryt") -> Block:
    return {
        "title": plain(title, limits.CONFIRM_TITLE),
        "text": mrkdwn(text, limits.CONFIRM_TEXT),
        "confirm": plain(yes, limits.CONFIRM_BUTTON),
        "deny": plain(no, limits.CONFIRM_BUTTON),
    }


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str,
    submit: str | None = "Spara",
    private_metadata: str = "",
    close: str = "Avbryt",
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE_LIMIT),
        "close": plain(close, limits.VIEW_CLOSE),
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(submit, limits.VIEW_SUBMIT)
    return view


def meant_command_blocks(
    question: str, run_label: str, run_id: str, command: str, *more: Block
) -> list[Block]:
    """ "Menade du `/besök lista`?" and a primary button that runs `command` (the typo
    questions of /besök and /aktivitet), followed by any `more` buttons of the surface."""
    return [
        section(question),
        actions(button(run_label, run_id, command, style="primary"), *more),
    ]


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """Arguments for respond/chat.postMessage: `text` is the notification fallback."""
    return {"text": clip(text, SECTION_TEXT_LIMIT), "blocks": blocks[:MESSAGE_BLOCK_LIMIT]}


# -- long lists that must fit one message ------------------------------------------------------

# What a list may use of a message's ~10,000 characters of block text; the rest is the header,
# the intro and the notes around it.
LIST_TEXT_BUDGET = limits.MESSAGE_BLOCK_TEXT - 1500
LINES_PER_SECTION = SECTION_TEXT_LIMIT - 200
PREVIEWS = (300, 200, 120, 60)  # comment previews tried in turn, longest first
COMPACT_PREVIEW_MIN = 20  # below this a one-line preview says nothing: leave it out
SHORT_TITLE = 40  # an item's title in a crowded list


@dataclass(frozen=True)
class ListItem:
    """One row of a long list: a heading (mrkdwn, escaped), a detail rendered with a preview of
    at most N characters of user text (escaped inside), and the row's own button."""

    heading: str
    detail: Callable[[int], str]
    button: Block | None = None
    short: str | None = None  # a shorter heading, for when the full ones crowd the message


def text_length(blocks: list[Block]) -> int:
    return limits.block_text_length(blocks)


def item_list(
    items: list[ListItem],
    *,
    max_blocks: int,
    shared_button: Block,
    more: Callable[[int], str],
    budget: int = LIST_TEXT_BUDGET,
) -> list[Block]:
    """Every item, within `max_blocks` blocks and `budget` characters of text.

    A section with its own button per item when they fit (comment previews shortened as
    needed); else one line per item, packed into few sections, and `shared_button` (which opens
    the update form listing them all) below. Items never silently vanish: if even bare headings
    do not fit, the rest is counted by `more(count)`.
    """
    if len(items) <= max_blocks:
        for preview in PREVIEWS:
            rich = [
                section(f"{item.heading}\n{item.detail(preview)}", accessory=item.button)
                if item.button
                else section(f"{item.heading}\n{item.detail(preview)}")
                for item in items
            ]
            if text_length(rich) <= budget:
                return rich
    tail = actions(shared_button)
    room = budget - text_length([tail]) - len(more(len(items))) - 2
    headings = [item.heading for item in items]
    if sum(len(h) + 3 for h in headings) > room:
        headings = [item.short or item.heading for item in items]
    per_item = room // max(len(items), 1) - 1  # and its newline
    lines: list[str] = []
    used = 0
    for index, (item, heading) in enumerate(zip(items, headings, strict=True)):
        detail = _detail_within(item, per_item - len(heading) - 5)
        line = f"• {heading}" + (f" – {detail}" if detail else "")
        if used + len(line) + 1 > room:
            lines.append(more(len(items) - index))
            break
        lines.append(line)
        used += len(line) + 1
    blocks = lines_to_sections(lines)[: max(max_blocks - 1, 1)]
    return [*blocks, tail]


def _detail_within(item: ListItem, room: int) -> str:
    """The item's detail in at most `room` characters: a shorter preview, none, or nothing."""
    bare = item.detail(0)
    if len(bare) > room:
        return ""
    preview = room - len(bare)
    while preview >= COMPACT_PREVIEW_MIN:
        detail = item.detail(preview)
        if len(detail) <= room:  # escaping may have made the preview longer
            return detail
        preview -= len(detail) - room
    return bare


def lines_to_sections(lines: list[str], limit: int = LINES_PER_SECTION) -> list[Block]:
    """Lines packed into as few sections as their text limit allows."""
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > limit:
            blocks.append(section("\n".join(chunk)))
            chunk, size = [], 0
        chunk.append(clip(line, limit))
        size += len(line) + 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def notice_home(text: str) -> Block:
    """A Home tab that only says `text` (mrkdwn, already escaped), e.g. to someone outside
    the staff list, who sees none of the unit's visits or figures."""
    return {"type": "home", "blocks": [section(text)]}
