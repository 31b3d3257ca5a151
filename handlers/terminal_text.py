"""Block Kit as terminal text, for the console: what a person would read in Slack."""

from __future__ import annotations

from typing import Any

from bot.core.text import mrkdwn


def _as_shown(token: mrkdwn.Token) -> str:
    if not token.target:
        return token.raw
    if token.kind in ("user", "channel"):
        return f"{token.target[0]}{token.label or token.target[1:]}"
    if token.kind == "special":
        return f"@{token.special_name}"
    return f"{token.label} ({token.target})" if token.label else token.target


def _mrkdwn_to_text(text: str) -> str:
    return mrkdwn.unescape(mrkdwn.replace_tokens(text, _as_shown))


def _text_of(obj: Any) -> str:
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    return _mrkdwn_to_text(text) if obj.get("type") == "mrkdwn" else text


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text_of(element.get('text'))}]"
    if kind == "image":
        return f"(bild: {element.get('alt_text', '')})"
    if kind in ("static_select", "external_select", "multi_static_select"):
        placeholder = _text_of(element.get("placeholder")) or "välj"
        options = element.get("options") or [
            option for group in element.get("option_groups") or [] for option in group["options"]
        ]
        shown = ", ".join(_text_of(o.get("text")) for o in options[:8])
        more = " …" if len(options) > 8 else ""
        return f"<{placeholder}{': ' + shown + more if shown else ''}>"
    if kind == "radio_buttons":
        return " / ".join(f"( ) {_text_of(o.get('text'))}" for o in element.get("options") or [])
    if kind in ("datepicker", "plain_text_input", "multi_users_select", "users_select"):
        initial = element.get("initial_date") or element.get("initial_value") or ""
        return f"<{kind}{': ' + str(initial) if initial else ''}>"
    return _text_of(element) or f"<{kind}>"


def render_blocks(blocks: list[dict[str, Any]], fallback_text: str | None = None) -> str:
    """Each block on its own line(s); the fallback text when there are no blocks."""
    if not blocks:
        return _mrkdwn_to_text(fallback_text or "")
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"))
            lines += [title.upper(), "=" * min(len(title), 60)]
        elif kind == "section":
            text = _text_of(block.get("text"))
            if text:
                lines.append(text)
            for item in block.get("fields") or []:
                lines.append("  " + _text_of(item))
            accessory = block.get("accessory")
            if isinstance(accessory, dict):
                lines.append("  " + _element(accessory))
        elif kind == "context":
            lines.append("  " + "  ".join(_element(e) for e in block.get("elements") or []))
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "actions":
            lines.append("  ".join(_element(e) for e in block.get("elements") or []))
        elif kind == "image":
            lines.append(f"(bild: {block.get('alt_text', '')})")
        elif kind == "input":
            label = _text_of(block.get("label"))
            element = block.get("element")
            rendered = _element(element) if isinstance(element, dict) else ""
            lines.append(f"{label}: {rendered}")
        elif kind == "rich_text":
            lines.append(_rich_text(block))
    return "\n".join(lines)


def _rich_text(block: dict[str, Any]) -> str:
    out: list[str] = []
    for part in block.get("elements") or []:
        for item in part.get("elements") or []:
            out.append(str(item.get("text") or item.get("name") or ""))
    return "".join(out)


def render_view(view: dict[str, Any]) -> str:
    """A modal or Home tab: its title, then its blocks, then its buttons."""
    title = _text_of(view.get("title")) or ("Hemflik" if view.get("type") == "home" else "")
    body = render_blocks(view.get("blocks") or [])
    submit = _text_of(view.get("submit"))
    footer = f"\n[{submit}]" if submit else ""
    return f"┌ {title}\n{body}{footer}" if title else body + footer
