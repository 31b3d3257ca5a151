"""Every `knalle … --help` and every argument error is in Swedish, argparse's own words too."""

from __future__ import annotations

import argparse
import re

import pytest

from bot.cli import build_parser, main


def _parsers(
    parser: argparse.ArgumentParser, prefix: str = "knalle"
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(prefix, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found.extend(_parsers(child, f"{prefix} {name}"))
    return found


PARSERS = _parsers(build_parser())
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message")
# Words that only an English sentence has; Swedish help never needs them.
ENGLISH_WORDS = re.compile(r"\b(the|and|goes|unless|only|through|changes|connected)\b")


@pytest.mark.parametrize(("command", "parser"), PARSERS, ids=[c for c, _ in PARSERS])
def test_help_is_swedish(command: str, parser: argparse.ArgumentParser) -> None:
    text = parser.format_help()
    for english in ARGPARSE_ENGLISH:
        assert english not in text, f"{command} --help says {english!r}"
    assert "användning: knalle" in text
    description = parser.description or ""
    assert not ENGLISH_WORDS.search(description), f"{command}: {description!r}"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["staff", "link"], "dessa argument saknas: NAMN, ANVÄNDAR_ID"),
        (["export", "visits", "--format", "pdf"], "ogiltigt val"),
        (["remind", "--date"], "argument --date: ett värde behövs"),
        (["jobs", "extra"], "okända argument: extra"),
        (["kpi", "set", "NKI", "tjugo"], "ÅR"),
    ],
)
def test_argument_errors_are_swedish(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "användning: knalle" in err and "fel: " in err
    assert says in err
    assert "error:" not in err and "required" not in err and "invalid" not in err
