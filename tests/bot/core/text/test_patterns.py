"""Patterns compiled on first use answer exactly as compiled ones, and importing the parsers
compiles none of them (bot/core/text/patterns.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.text.patterns import LazyPattern

ROOT = Path(__file__).resolve().parents[4]

CASES = [
    (r"(?P<d>\d{1,2})/(?P<m>\d{1,2})", 0, "möte 3/2 och 14/11, inte 2026"),
    (r"(?:med|och)(?=\s|$)", re.IGNORECASE, "Ellos MED Pia och Olle med"),
    (r"\s*[,;]\s*", 0, "a, b ;c,,d"),
    (r"x", 0, ""),
]


@pytest.mark.parametrize(("pattern", "flags", "text"), CASES)
@pytest.mark.parametrize("compiled_first", [False, True])
def test_a_lazy_pattern_answers_as_the_compiled_one(
    pattern: str, flags: int, text: str, compiled_first: bool
) -> None:
    lazy, real = LazyPattern(pattern, flags), re.compile(pattern, flags)
    if compiled_first:
        lazy.compile()

    def spans(found: re.Match[str] | None) -> object:
        return None if found is None else (found.span(), found.groupdict(), found.groups())

    assert lazy.compiled is compiled_first
    assert spans(lazy.match(text)) == spans(real.match(text))
    assert spans(lazy.match(text, 5)) == spans(real.match(text, 5))
    assert spans(lazy.fullmatch(text)) == spans(real.fullmatch(text))
    assert spans(lazy.search(text, 1, 20)) == spans(real.search(text, 1, 20))
    assert [spans(m) for m in lazy.finditer(text)] == [spans(m) for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.sub("#", text) == real.sub("#", text)
    assert lazy.sub(lambda m: m.group(0).upper(), text, 1) == real.sub(
        lambda m: m.group(0).upper(), text, 1
    )
    assert lazy.subn("", text) == real.subn("", text)
    assert lazy.split(text) == real.split(text)
    assert lazy.compiled and lazy.compile() is lazy.compile()


IMPORT_THEN_WARM_UP = """
import bot.core.text.dates, bot.core.visits.parser, bot.core.visits.message_reader
from bot.core.text import patterns
made = len(patterns._made)
compiled_at_import = sum(p.compiled for p in patterns._made)
from bot.slack.serve import warm_up
warm_up()
print(made, compiled_at_import, sum(p.compiled for p in patterns._made))
"""


def test_the_parsers_compile_their_patterns_at_the_warm_up_not_at_import() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_THEN_WARM_UP],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    made, at_import, after_warm_up = map(int, result.stdout.split())
    assert made >= 30  # the date grammar, the visit line's and the channel message's
    assert at_import == 0
    assert after_warm_up == made
