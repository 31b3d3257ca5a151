"""Help lives with each command, and the README documents every one of them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "knalle") -> list[tuple[str, str]]:
    """(full command, help) for every leaf sub-command, depth first."""
    found: list[tuple[str, str]] = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, child in action.choices.items():
            full = f"{prefix} {name}"
            nested = _subcommands(child, full)
            found.extend(nested or [(full, helps.get(name, ""))])
    return found


COMMANDS = _subcommands(build_parser())


def test_the_cli_has_commands() -> None:
    assert ("knalle console" in dict(COMMANDS)) and ("knalle serve" in dict(COMMANDS))


@pytest.mark.parametrize(("command", "help_text"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(command: str, help_text: str) -> None:
    assert help_text.strip(), f"{command} has no help text"
    assert command in README, f"README.md does not mention `{command}`"


def test_readme_names_the_two_setup_commands() -> None:
    assert "./run" in README and "./test" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./test" in ci, "CI must run the README's test command"


def test_readme_is_assembled_from_its_fragments() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_readme", ROOT / "scripts" / "build_readme.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == README, "README.md is stale: run python scripts/build_readme.py"
