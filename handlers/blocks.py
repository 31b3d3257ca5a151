"""Small Block Kit builders shared by every surface; user text is escaped here, once."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
BUTTON_LABEL_LIMIT = 75
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MODAL_TITLE_LIMIT = 24


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


def mrkdwn(text: str) -> dict[str, Any]:
    """Text the bot wrote; any user text inside must already have gone through `escape`."""
    return {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_LIMIT), "verbatim": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def section(text: str, *, accessory: Block | None = None, fields: list[str] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [mrkdwn(field) for field in fields[:10]]
    if accessory:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text) for text in texts[:10]]}


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
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def confirm_dialog(title: str, text: str, yes: str, no: str = "Avbryt") -> Block:
    return {
        "title": plain(title, 100),
        "text": mrkdwn(text),
        "confirm": plain(yes, 30),
        "deny": plain(no, 30),
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
        "close": plain("Avbryt", 24),
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    return view


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """Arguments for respond/chat.postMessage: `text` is the notification fallback."""
    return {"text": clip(text, 3000), "blocks": blocks[:MESSAGE_BLOCK_LIMIT]}
