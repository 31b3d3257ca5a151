"""A command line naming its verb builds only that verb's module, with the same help and
arguments as the whole `knalle` parser has for it."""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMAND_MODULES, build_parser

ROOT = Path(__file__).resolve().parents[3]


def _verbs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("knalle has no sub-commands")


WHOLE = _verbs(build_parser())


def test_the_verbs_listed_per_module_are_the_verbs_each_module_adds() -> None:
    listed = [verb for verbs in COMMAND_MODULES.values() for verb in verbs]
    assert listed == list(WHOLE)  # each verb once, in the order `knalle --help` shows them


@pytest.mark.parametrize("verb", list(WHOLE))
def test_a_verb_alone_has_the_help_it_has_in_the_whole_parser(verb: str) -> None:
    alone = _verbs(build_parser([verb, "--help"]))
    assert verb in alone
    assert len(alone) < len(WHOLE)
    assert alone[verb].format_help() == WHOLE[verb].format_help()


@pytest.mark.parametrize(
    "words", [[], ["--help"], ["-h", "serve"], ["serv"], ["-v"], ["--verbose", "nope"]]
)
def test_without_a_known_verb_first_every_verb_is_there(words: list[str]) -> None:
    assert list(_verbs(build_parser(words))) == list(WHOLE)


def test_the_verbose_flag_before_the_verb_still_picks_the_verb() -> None:
    assert set(_verbs(build_parser(["-v", "export", "visits"]))) == {"export"}


def test_knalle_serve_loads_no_other_verbs_code() -> None:
    code = (
        "import sys\n"
        "import bot.cli\n"
        "bot.cli.build_parser(['serve', '--http'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('bot.cli.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "['bot.cli.serve', 'bot.cli.swedish']"


@pytest.mark.parametrize(
    ("words", "module", "function", "collecting"),
    [
        (["serve", "--http"], "bot.cli.serve", "_serve", False),
        (["start"], "bot.cli.start", "_start", False),
        (["db", "current"], "bot.cli.db", "_current", True),
    ],
)
def test_the_collector_is_off_while_the_bot_starts_and_on_for_other_verbs(
    monkeypatch: pytest.MonkeyPatch,
    words: list[str],
    module: str,
    function: str,
    collecting: bool,
) -> None:
    """`knalle serve` and `start` create some 90,000 long-lived objects and almost no garbage
    as they start: the collector is off until bot/slack/serve.py's freeze_startup_objects
    turns it on once the socket is bound."""
    import importlib

    from bot.cli import main
    from bot.slack.serve import freeze_startup_objects

    seen: list[bool] = []

    def record(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(importlib.import_module(module), function, record)
    try:
        assert main(words) == 0
        assert seen == [collecting]
        freeze_startup_objects()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
