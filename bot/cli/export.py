"""`knalle export visits|activities [--format csv|xlsx] [--year Y] [-o FILE]`.

CSV goes to stdout unless -o is given (UTF-8, a header row). Examples:
`knalle export visits --year 2026 > besok.csv`,
`knalle export activities --format xlsx -o plan.xlsx`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from bot.cli.common import exits_on_user_error, run_with_knalle
from bot.cli.progress import shows_progress, track
from bot.context import Knalle
from bot.core.export import Table, activities_table, visits_table
from bot.files.tables import write_csv, write_xlsx, write_xlsx_to
from storage.visits import count_between

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

VISITS_HELP = "exportera besöken, en rad per besök (datum, företag, personal …)"
ACTIVITIES_HELP = "exportera planens aktiviteter med senaste ljus och kommentar"
XLSX_TO_TERMINAL = (
    "En xlsx-fil är binär och skrivs inte i terminalen: ange -o FIL, t.ex. -o besok.xlsx."
)
FORMATS = ("csv", "xlsx")
DESCRIPTION = (
    "CSV (UTF-8, med rubrikrad) skrivs till terminalen om inte -o FIL anges; xlsx kräver -o "
    "eller en pipe. Exempel: `knalle export visits --year 2026 > besok.csv`, "
    "`knalle export activities --format xlsx -o plan.xlsx`."
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("export", help="exportera besök eller aktiviteter (csv/xlsx)")
    kinds = parser.add_subparsers(dest="export_command", metavar="VAD", required=True)
    for name, help_text in (("visits", VISITS_HELP), ("activities", ACTIVITIES_HELP)):
        sub = kinds.add_parser(name, help=help_text, description=DESCRIPTION)
        sub.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="csv (standard) eller xlsx; utan --format avgör -o FIL.xlsx",
        )
        sub.add_argument(
            "--year",
            "--år",
            dest="year",
            type=int,
            metavar="ÅR",
            help="besök: bara det året; aktiviteter: det årets plan (standard: aktuell plan)",
        )
        sub.add_argument("-o", "--output", type=Path, metavar="FIL", help="skriv till en fil")
        sub.set_defaults(run=_run, kind=name)


def _run(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_export(
            knalle, args.kind, fmt=args.format, year=args.year, output=args.output
        )
    )


@exits_on_user_error
def run_export(
    knalle: Knalle,
    kind: str,
    *,
    fmt: str | None = None,
    year: int | None = None,
    output: Path | None = None,
    out: TextIO | None = None,
    binary_out: BinaryIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fmt = fmt or ("xlsx" if output and output.suffix.lower() == ".xlsx" else "csv")
    if fmt == "xlsx" and output is None and binary_out is None and out.isatty():
        print(XLSX_TO_TERMINAL, file=err)
        return 1
    zone = knalle.settings.zone
    # The visits table streams from the database while the file is written: one unit of work.
    with knalle.db.read() as session:
        if kind == "visits":
            table = visits_table(session, zone, year)
        else:
            table = activities_table(session, zone, knalle.clock.now().date(), year)
        table = _with_progress(session, table, kind, year, err)
        if fmt == "xlsx":
            if output is not None:
                count = write_xlsx_to(table, output)
            else:
                target = binary_out or sys.stdout.buffer
                target.write(write_xlsx(table))
                target.flush()
        elif output is not None:
            with output.open("w", encoding="utf-8", newline="") as f:
                count = write_csv(table, f)
        else:
            write_csv(table, out)
    if output is not None:
        what = "besök" if kind == "visits" else "aktiviteter"
        print(f"Skrev {count} {what} till {output}.", file=out)
    return 0


def _with_progress(
    session: Session, table: Table, kind: str, year: int | None, err: TextIO
) -> Table:
    """The table's rows through a progress bar on a terminal (100,000 visits take a while)."""
    if not shows_progress(err):
        return table
    total = None
    if kind == "visits":
        if year:
            total = count_between(session, dt.date(year, 1, 1), dt.date(year, 12, 31))
        else:
            total = count_between(session, dt.date.min, dt.date.max)
    label = "Exporterar besök" if kind == "visits" else "Exporterar aktiviteter"
    rows = track(table.rows, label, total, stream=err)
    return Table(table.title, table.header, rows, table.widths)
