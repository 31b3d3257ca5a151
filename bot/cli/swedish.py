"""argparse in Swedish: `knalle … --help` and argument errors speak the operator's language.

argparse's own words ("usage:", "options", "show this help message and exit", "the following
arguments are required") are English; this parser class replaces them. Sub-command parsers
inherit the class, so every `knalle` command gets it from the top-level parser.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

USAGE_PREFIX = "användning: "
POSITIONALS_TITLE = "argument"
OPTIONALS_TITLE = "flaggor"
HELP_HELP = "visa den här hjälpen och avsluta"

# argparse's error messages, as (pattern, Swedish replacement); the first match wins.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^the following arguments are required: (.*)$", r"dessa argument saknas: \1"),
        (r"^unrecognized arguments: (.*)$", r"okända argument: \1"),
        (r"^argument (.*?): invalid choice: (.*) \(choose from (.*)\)$",
         r"argument \1: ogiltigt val \2 (välj bland \3)"),
        (r"^argument (.*?): expected one argument$", r"argument \1: ett värde behövs"),
        (r"^argument (.*?): expected at least one argument$",
         r"argument \1: minst ett värde behövs"),
        (r"^argument (.*?): expected at most one argument$", r"argument \1: högst ett värde"),
        (r"^argument (.*?): invalid int value: (.*)$", r"argument \1: \2 är inget heltal"),
        (r"^argument (.*?): invalid (.*?) value: (.*)$", r"argument \1: ogiltigt värde \3"),
        (r"^argument (.*?): ignored explicit argument (.*)$",
         r"argument \1: värdet \2 tillåts inte här"),
        (r"^argument (.*?): not allowed with argument (.*)$",
         r"argument \1: går inte ihop med \2"),
        (r"^one of the arguments (.*) is required$", r"ett av argumenten \1 behövs"),
        (r"^ambiguous option: (.*) could match (.*)$",
         r"flaggan \1 är tvetydig: den kan vara \2"),
        (r"^argument (.*?): (.*)$", r"argument \1: \2"),
    )
)  # fmt: skip


def swedish_error(message: str) -> str:
    """argparse's English error message in Swedish (unknown messages are kept as they are)."""
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class SwedishHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Swedish; its sub-parsers are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        kwargs["add_help"] = False  # -h is added below, with Swedish help
        super().__init__(*args, **kwargs)
        self._positionals.title = POSITIONALS_TITLE
        self._optionals.title = OPTIONALS_TITLE
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_HELP
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {swedish_error(message)}\n")


# -- failures before a command can run (bot/cli/failures.py) ----------------------------------

INTERRUPTED = "Avbrutet."
BAD_SETTING = "Inställningen {name} går inte att använda: {reason}. Rätta den i .env eller miljön."
BAD_DATABASE_URL = (
    '{name} kan inte läsas ("{url}"). Skriv t.ex. sqlite:///data/knalle.db eller '
    "postgresql+psycopg://användare:lösenord@värd/databas i .env."
)
DATABASE_UNREACHABLE = (
    "Databasen går inte att nå ({name}={url}). Kontrollera att den är igång, att adressen "
    "och lösenordet stämmer, och att katalogen finns för en SQLite-fil."
)
