"""`knalle synpunkter [--year Y] [--format md|docx|xlsx] [-o FILE]` and `knalle themes retag`.

Examples: `knalle synpunkter --year 2026 --format docx -o synpunkter-2026.docx`;
`knalle themes retag` after editing data/themes.yaml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from bot.cli.common import run_with_knalle
from bot.cli.progress import progress
from bot.context import Knalle
from bot.core import audit
from bot.core.visits import feedback
from bot.files import feedback as feedback_file
from storage.visits import count_between

WRITTEN = "Skrev synpunkterna {year} ({themes}, {visits} besök) till {output}."

SYNPUNKTER_HELP = "sammanställ vad företagen tog upp vid besöken, per tema (md, docx, xlsx)"
SYNPUNKTER_DESCRIPTION = (
    "Temana rangordnade med antal besök och ett diagram, sedan per tema citaten grupperade per "
    "företag. Markdown skrivs till terminalen om -o saknas; docx och xlsx får filnamnet "
    "synpunkter-ÅR.FORMAT. Exempel: `knalle synpunkter --year 2026 --format docx`."
)
THEMES_HELP = "temalistan för besökens anteckningar (data/themes.yaml)"
RETAG_HELP = "märk om alla besök med den ändrade temalistan (en persons val ändras aldrig)"
BINARY_TO_TERMINAL = "En {fmt}-fil skrivs inte i terminalen; den sparas som {name}."


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "synpunkter", help=SYNPUNKTER_HELP, description=SYNPUNKTER_DESCRIPTION
    )
    parser.add_argument(
        "--year", "--år", dest="year", type=int, metavar="ÅR", help="året (standard: i år)"
    )
    parser.add_argument("--format", help="md | docx | xlsx (standard: filens ändelse, annars md)")
    parser.add_argument("-o", "--output", type=Path, metavar="FIL", help="fil att skriva")
    parser.set_defaults(run=_synpunkter)

    themes = commands.add_parser("themes", help=THEMES_HELP, description=THEMES_HELP)
    verbs = themes.add_subparsers(dest="themes_command", metavar="VERB", required=True)
    retag = verbs.add_parser("retag", help=RETAG_HELP, description=RETAG_HELP)
    retag.add_argument(
        "--file", type=Path, metavar="FIL", help="en annan temafil (standard: data/themes.yaml)"
    )
    retag.set_defaults(run=_retag)


def _synpunkter(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: write_synpunkter(knalle, args.year, args.format, args.output)
    )


def write_synpunkter(
    knalle: Knalle,
    year: int | None,
    fmt: str | None,
    output: Path | None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    chosen = fmt or (output.suffix.lstrip(".") if output and output.suffix else "md")
    chosen = feedback_file.check_format(chosen)
    with progress("Sammanställer synpunkterna"):
        with knalle.db.read() as session:
            result = feedback.compilation(
                session, knalle.settings.themes_file, year, today=knalle.clock.now().date()
            )
        data = feedback_file.render(result, chosen)
    if output is None and chosen == "md":
        out.write(data.decode("utf-8"))
        return 0
    if output is None:
        output = Path(f"synpunkter-{result.year}.{chosen}")
        print(BINARY_TO_TERMINAL.format(fmt=chosen, name=output), file=sys.stderr)
    output.write_bytes(data)
    themes = len(result.ranked)
    print(
        WRITTEN.format(
            year=result.year,
            themes=f"{themes} {'tema' if themes == 1 else 'teman'}",
            visits=result.visits,
            output=output,
        ),
        file=out,
    )
    return 0


def _retag(args: argparse.Namespace) -> int:
    def run(knalle: Knalle) -> int:
        with knalle.db.read() as session:
            total = count_between(session, dt.date.min, dt.date.max)
        with progress("Märker om besöken", total) as advance, knalle.db.write() as session:
            result = feedback.retag(
                session,
                args.file or knalle.settings.themes_file,
                now=knalle.clock.now(),
                actor=audit.operator(knalle.surface),
                advance=advance,
            )
        print(
            f"Märkte om {result.visits} besök: {result.added} teman till, {result.removed} "
            "borttagna. Teman som en person satt eller tagit bort är orörda."
        )
        return 0

    return run_with_knalle(run)
