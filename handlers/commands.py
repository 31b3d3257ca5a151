"""Matching slash commands the way users type them: NFC or NFD, and sub-command words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein


def command_pattern(*names: str) -> re.Pattern[str]:
    """A pattern for Bolt's `app.command` that matches each name in NFC and NFD.

    Bolt compares command names with `==`; Slack may send "/besök" with "ö" as one code point
    or as "o" plus a combining diaeresis, depending on the client.
    """
    spellings = {unicodedata.normalize(form, name) for name in names for form in ("NFC", "NFD")}
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    # Any case too: a client may pass "/Besök" on as typed, and Slack treats it as "/besök".
    return re.compile(rf"^(?:{alternatives})$", re.IGNORECASE)


def meant_word(typed: str, words: dict[str, str]) -> str | None:
    """The sub-command a mistyped lower-case word is closest to ("lsita" → "lista"), or None.

    `words` maps every accepted spelling to the sub-command shown. One letter off (swapped,
    missing, extra or wrong) is a typo for short words, two for words of six letters or more.
    """
    word = unicodedata.normalize("NFC", typed.strip())
    if len(word) < 3 or word != word.lower() or word in words:
        return None
    allowed = 2 if len(word) >= 6 else 1
    scored = sorted(
        (DamerauLevenshtein.distance(word, known), shown) for known, shown in words.items()
    )
    best = [shown for distance, shown in scored if distance <= allowed]
    if not best:
        return None
    closest = min(DamerauLevenshtein.distance(word, known) for known in words)
    tied = {shown for distance, shown in scored if distance == closest}
    return best[0] if len(tied) == 1 else None


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
