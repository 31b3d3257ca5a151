"""Slack's message text (mrkdwn): its three entities and its `<…>` tokens, in one place.

Slack escapes what a person types: `&`, `<` and `>` arrive as `&amp;`, `&lt;` and `&gt;`. A real
angle bracket in text from Slack is therefore always one of Slack's own tokens:

    <@U1|pia>               a user (the label is optional)
    <#C1|kanal>             a channel
    <!here>  <!subteam^S1|@team>  <!date^1700000000^{date}|igår>   a special
    <https://x.se|artikeln>  <mailto:a@b.se>                       a link

Text the bot sends goes the other way: user text is escaped, so it can never become `<!channel>`.
Standard library only, so the core, the handlers, the console and storage-facing code can all
import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

USER_ID = r"[UW][A-Z0-9]+"
"""A Slack user id as it appears inside a mention token."""

MENTION_PATTERN = rf"<@{USER_ID}(?:\|[^>]*)?>"
"""`<@U1>` or `<@U1|pia>`, as a pattern to build larger expressions from (no groups)."""

MENTION = re.compile(rf"<@({USER_ID})(?:\|[^>]*)?>")
"""A user mention token; group 1 is the user id."""

TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
"""Any Slack token: group 1 the target (before the first `|`), group 2 the label, if any."""

TYPED_NAME = re.compile(r"(?<![\w@.])@(\w[\w.\-]*\w|\w)")
"""A plain "@pia" someone typed (not a token); group 1 is the name."""

_OUR_MENTION = re.compile(rf"&lt;@({USER_ID})&gt;")
_USER_TARGET = re.compile(rf"@({USER_ID})")
_URL_TARGET = re.compile(r"https?://[^<>|]+|mailto:[^<>|]+")

Kind = Literal["user", "channel", "special", "link"]


def escape(text: str) -> str:
    """Slack's three entities, `&` first: user text can then never become `<!channel>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's three entities back to characters (`&amp;` last, so `&amp;lt;` stays `&lt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_keeping_mentions(text: str) -> str:
    """Everything escaped except the bare user mentions (`<@U1>`) that the bot itself wrote.

    Core messages quote what the user typed; "<!channel>" in there must never ping.
    """
    return _OUR_MENTION.sub(r"<@\1>", escape(text))


def mention(user_id: str) -> str:
    """The token Slack shows as the person's name."""
    return f"<@{user_id}>"


def mentioned_user_ids(text: str) -> list[str]:
    """The user ids of every mention token in `text`, in order (repeats kept)."""
    return MENTION.findall(text)


@dataclass(frozen=True)
class Token:
    """One `<…>` token. `target` and `label` are as Slack sent them (still escaped)."""

    raw: str
    target: str
    label: str  # "" when the token has none

    @property
    def kind(self) -> Kind:
        if self.target.startswith("@"):
            return "user"
        if self.target.startswith("#"):
            return "channel"
        if self.target.startswith("!"):
            return "special"
        return "link"

    @property
    def user_id(self) -> str | None:
        """The id of a real user mention (`<@U1…>`), else None."""
        match = _USER_TARGET.fullmatch(self.target)
        return match.group(1) if match else None

    @property
    def special_name(self) -> str:
        """`<!subteam^S1|@team>` → "subteam", `<!here>` → "here"; "" unless a special."""
        return self.target[1:].split("^")[0] if self.kind == "special" else ""

    @property
    def is_url(self) -> bool:
        """A web or mail link (`<https://…>`, `<mailto:…>`)."""
        return _URL_TARGET.fullmatch(self.target) is not None


def read_token(match: re.Match[str]) -> Token:
    """The token a `TOKEN` match found."""
    return Token(match.group(0), match.group(1), match.group(2) or "")


def tokens(text: str) -> list[Token]:
    """Every token in `text`, in order."""
    return [read_token(m) for m in TOKEN.finditer(text)]


def replace_tokens(text: str, replace: Callable[[Token], str]) -> str:
    """`text` with each token swapped for `replace(token)`; the rest is left as it is."""
    return TOKEN.sub(lambda m: replace(read_token(m)), text)


def _as_read(token: Token) -> str:
    if token.kind == "special":
        name = token.label or token.special_name
        return name if name.startswith("@") else f"@{name}"
    if token.kind in ("user", "channel"):
        return f"{token.target[0]}{token.label}" if token.label else token.target
    if token.is_url:
        return token.label or token.target
    return token.raw


def readable(text: str) -> str:
    """Text from Slack as a person reads it, entities undone: "<@U1|pia>" → "@pia",
    "<#C1|kanal>" → "#kanal", "<https://x|x.se>" → "x.se", "<!channel>" → "@channel"."""
    return unescape(replace_tokens(text, _as_read))
