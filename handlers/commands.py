"""Matching slash commands' sub-command words the way users type them."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein


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
