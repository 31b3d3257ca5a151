"""The plan's traffic lights and their legend: the one place a light word is understood."""

from __future__ import annotations

import re
from enum import StrEnum


class Light(StrEnum):
    GRON = "grön"
    GUL = "gul"
    ROD = "röd"
    GRA = "grå"


NOT_REPORTED = "ej rapporterad"

# The legend before chapter 1 of the plan; "Corona" generalised to any outside cause.
LEGEND: dict[Light, str] = {
    Light.GRON: "genomfört enligt plan",
    Light.GUL: "delvis klart / klart med justeringar",
    Light.ROD: "genomfördes ej i tid",
    Light.GRA: "genomfördes ej av yttre orsak",
}

SYMBOL: dict[Light, str] = {
    Light.GRON: "🟢",
    Light.GUL: "🟡",
    Light.ROD: "🔴",
    Light.GRA: "⚪",
}

NOT_REPORTED_SYMBOL = "⭕"

# Every way people write a light, lower case; longer phrases are tried before their prefixes.
_WORDS: dict[str, Light] = {
    "grön": Light.GRON,
    "gron": Light.GRON,
    "grönt": Light.GRON,
    "green": Light.GRON,
    "gul": Light.GUL,
    "gult": Light.GUL,
    "yellow": Light.GUL,
    "röd": Light.ROD,
    "rod": Light.ROD,
    "rött": Light.ROD,
    "red": Light.ROD,
    "grå": Light.GRA,
    "gra": Light.GRA,
    "grått": Light.GRA,
    "grey": Light.GRA,
    "gray": Light.GRA,
    "klar": Light.GRON,
    "klart": Light.GRON,
    "🟢": Light.GRON,
    "🟡": Light.GUL,
    "🔴": Light.ROD,
    "⚪": Light.GRA,
    ":large_green_circle:": Light.GRON,
    ":green_circle:": Light.GRON,
    ":large_yellow_circle:": Light.GUL,
    ":yellow_circle:": Light.GUL,
    ":red_circle:": Light.ROD,
    ":large_red_circle:": Light.ROD,
    ":white_circle:": Light.GRA,
    ":large_white_circle:": Light.GRA,
    ":black_circle:": Light.GRA,
    ":grey_circle:": Light.GRA,
    "genomfört enligt plan": Light.GRON,
    "genomförd enligt plan": Light.GRON,
    "enligt plan": Light.GRON,
    "delvis klart": Light.GUL,
    "projekt delvis klart": Light.GUL,
    "klart med vissa justeringar": Light.GUL,
    "klart med justeringar": Light.GUL,
    "genomfördes ej i tid": Light.ROD,
    "ej i tid": Light.ROD,
    "genomfördes ej p.g.a. corona": Light.GRA,
    "genomfördes ej pga corona": Light.GRA,
    "genomfördes ej av yttre orsak": Light.GRA,
    "yttre orsak": Light.GRA,
}
_PHRASES = sorted(_WORDS, key=len, reverse=True)
_VALUES = frozenset(light.value for light in Light)
_SPACES = re.compile(r"\s+")


_VARIATION = "\ufe0f"  # "⚪️" as phones send it: the emoji and a presentation selector


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.replace(_VARIATION, "").strip().lower())


def stored_light(value: str | None) -> Light | None:
    """A light as stored or sent ("gul"); None for no light or a value that is none of them."""
    return Light(value) if value in _VALUES else None


def parse_light(text: str) -> Light | None:
    """The light a whole text names ("gul", "Delvis klart"), or None."""
    return _WORDS.get(_normal(text).strip(" .,:;!"))


def split_light(text: str) -> tuple[Light | None, str]:
    """The light phrase at the start of `text`, and the rest: "gul Försenat" → (GUL, "Försenat")."""
    stripped = text.replace(_VARIATION, "").strip()
    lowered = _SPACES.sub(" ", stripped.lower())
    for phrase in _PHRASES:
        symbol = not phrase[-1].isalnum()  # "🟢Klart": an emoji needs no space after it
        if lowered.startswith(phrase) and (
            symbol or len(lowered) == len(phrase) or not lowered[len(phrase)].isalnum()
        ):
            if symbol:
                return _WORDS[phrase], stripped[len(phrase) :].lstrip(" .,:;-–").strip()
            # Walk the original text word by word so the rest keeps its own spacing and case.
            words_in_phrase = len(phrase.split(" "))
            parts = stripped.split(None, words_in_phrase)
            rest = parts[words_in_phrase] if len(parts) > words_in_phrase else ""
            return _WORDS[phrase], rest.lstrip(" .,:;-–").strip()
    return None, stripped
