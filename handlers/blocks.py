"""Small Block Kit builders shared by every surface; user text is escaped here, once."""

from __future__ import annotations

from typing import Any

from bot import slack_limits as limits

Block = dict[str, Any]

# Slack's numbers live in bot/slack_limits.py; these names are what the builders have used.
SECTION_TEXT_LIMIT = limits.SECTION_TEXT
BUTTON_LABEL_LIMIT = limits.BUTTON_TEXT
MESSAGE_BLOCK_LIMIT = limits.MESSAGE_BLOCKS
VIEW_BLOCK_LIMIT = limits.VIEW_BLOCKS
MODAL_TITLE_LIMIT = limits.VIEW_TITLE


def escape(text: str) -> str:
    """Slack's three entities, `&` first: user text can then never become `<!channel>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack sends command text with the entities already applied; store the real characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE_LIMIT),
        "close": plain("Avbryt", limits.VIEW_CLOSE),
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(submit, limits.VIEW_SUBMIT)
    return view


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """Arguments for respond/chat.postMessage: `text` is the notification fallback."""
    return {"text": clip(text, SECTION_TEXT_LIMIT), "blocks": blocks[:MESSAGE_BLOCK_LIMIT]}
