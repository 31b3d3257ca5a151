"""Text made safe at the boundary: the fast path for printable text agrees with the rule."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.text import safe
from bot.core.text.safe import scrub

EXAMPLES = int(os.environ.get("KNALLE_PROPERTY_EXAMPLES", "400"))


def by_the_rule(text: str) -> str:
    """What scrub promises, written the slow way: CR LF and CR become LF, the rest removed."""
    return safe._REMOVED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text())
def test_scrub_is_the_rule_for_any_text(text: str) -> None:
    assert scrub(text) == by_the_rule(text)


def test_swedish_and_typographic_text_comes_back_as_it_is() -> None:
    text = "Åhléns – ”kompetensförsörjning” € 5 % • Straße"
    assert scrub(text) is text


def test_what_is_removed_is_removed_also_in_swedish_text() -> None:
    assert scrub("Åsa\u202eär\x00 här\r\nnu\x07") == "Åsaär här\nnu"
    assert scrub("noll\ufffe\uffffbredd") == "nollbredd"
