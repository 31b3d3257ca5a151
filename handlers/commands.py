"""Matching slash commands the way users type them: NFC or NFD, and sub-command words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any


def command_pattern(*names: str) -> re.Pattern[str]:
    """A pattern for Bolt's `app.command` that matches each name in NFC and NFD.

    Bolt compares command names with `==`; Slack may send "/besök" with "ö" as one code point
    or as "o" plus a combining diaeresis, depending on the client.
    """
    spellings = {unicodedata.normalize(form, name) for name in names for form in ("NFC", "NFD")}
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})$")


def first_word(text: str) -> str:
    return (
        unicodedata.normalize("NFC", text.strip().split(maxsplit=1)[0]).lower()
        if text.strip()
        else ""
    )


def rest_after_first_word(text: str) -> str:
    parts = text.strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def subcommand(*words: str) -> Callable[..., bool]:
    """A Bolt matcher: true when the command's first word is one of `words`."""
    wanted = {unicodedata.normalize("NFC", w).lower() for w in words}

    def matches(body: dict[str, Any]) -> bool:
        return first_word(str(body.get("text") or "")) in wanted

    return matches
