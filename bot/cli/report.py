"""`knalle report` (the half-year follow-up as xlsx, docx or Markdown) and `knalle kpi list|set`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.cli.common import audit_cli, exits_on_user_error, run_with_knalle
from bot.cli.progress import progress
from bot.context import Knalle
from bot.core import kpi
from bot.files.report import FORMATS, default_filename, report_file
from storage import key_figures
from storage.models import KeyFigureValue

REPORT_HELP = "skriv uppföljningsrapporten för en period (xlsx, docx eller md)"
KPI_HELP = "nyckeltal: lista och sätt mål och utfall per år"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help=REPORT_HELP,
        description="Uppföljningen som den såg ut vid periodens uppföljningsdag: varje aktivitet "
        "med Vem, Prio, ljus och kommentar, sammanfattning, besök och nyckeltal. Markdown skrivs "
        "till terminalen om -o saknas; xlsx och docx får filnamnet uppfoljning-PERIOD.FORMAT.",
    )
    report.add_argument("--period", help="t.ex. 2026-H2 (standard: den pågående perioden)")
    report.add_argument(
        "--format", help=f"{' | '.join(FORMATS)} (standard: filens ändelse, annars xlsx)"
    )
    report.add_argument("-o", "--output", type=Path, help="fil att skriva ('-' = terminalen)")
    report.set_defaults(run=_report)

    parser = commands.add_parser("kpi", help=KPI_HELP, description=KPI_HELP)
    verbs = parser.add_subparsers(dest="kpi_command", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help="visa nyckeltalen med mål, utfall och uppfyllt")
    listing.add_argument("--year", type=int, help="bara detta år (standard: alla år)")
    listing.set_defaults(run=_kpi_list)
    setting = verbs.add_parser(
        "set",
        help="sätt mål, utfall och uppfyllt för ett nyckeltal ett år",
        description='Exempel: knalle kpi set NKI 2026 --target "minst 75" --outcome 77 --met ja. '
        "NAMN får vara en del av namnet; --new skapar ett nytt nyckeltal.",
    )
    setting.add_argument("name", metavar="NAMN", help="nyckeltalet (del av namnet räcker)")
    setting.add_argument("year", metavar="ÅR", type=int, help="året värdet gäller, t.ex. 2026")
    setting.add_argument("--target", help="målet, som text")
    setting.add_argument("--outcome", help="utfallet, som text")
    setting.add_argument("--met", help="uppfyllt: ja, nej eller okänt")
    setting.add_argument("--new", action="store_true", help="skapa nyckeltalet NAMN")
    setting.set_defaults(run=_kpi_set)


def _report(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_report(
            knalle, args.period, args.format, args.output, sys.stdout, sys.stderr
        )
    )


@exits_on_user_error
def run_report(
    knalle: Knalle,
    period_label: str | None,
    fmt: str | None,
    output: Path | None,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Write the report; Markdown to `stdout` when no file is named; 1 on a user error."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        fmt = suffix if suffix in FORMATS else "xlsx"
    # A spinner on a terminal: a report over many updates and years takes a while.
    with progress("Skriver uppföljningsrapporten", stream=stderr):
        period, content = report_file(knalle, period_label, fmt)
    to_terminal = output == Path("-") or (output is None and fmt == "md")
    if to_terminal:
        if fmt != "md":
            print("xlsx och docx kan inte skrivas till terminalen; ange -o FIL.", file=stderr)
            return 1
        stdout.write(content.decode("utf-8"))
        return 0
    target = output or Path(default_filename(period, fmt))
    target.write_bytes(content)
    print(f"Skrev uppföljningen {period.label} till {target}.", file=stderr)
    return 0


def _kpi_list(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_kpi_list(knalle, args.year, sys.stdout))


def run_kpi_list(knalle: Knalle, year: int | None, stdout: TextIO) -> int:
    with knalle.db.read() as session:
        figures = key_figures.all_key_figures(session)
        if not figures:
            print("Inga nyckeltal ännu. Lägg till: knalle kpi set NAMN ÅR --new …", file=stdout)
            return 0
        for figure in figures:
            values = [v for v in figure.values if year is None or v.year == year]
            print(figure.name + (" *" if figure.stratsys else ""), file=stdout)
            if not values:
                print(f"  {year}: inget värde" if year else "  inga värden", file=stdout)
            for value in values:
                print(f"  {value.year}: {_value_text(value)}", file=stdout)
    return 0


def _value_text(value: KeyFigureValue) -> str:
    met = {True: "ja", False: "nej", None: "okänt"}[value.met]
    return f"mål {value.target or '–'} · utfall {value.outcome or '–'} · uppfyllt {met}"


def _kpi_set(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_kpi_set(knalle, args, sys.stdout, sys.stderr))


@exits_on_user_error
@exits_on_user_error
def run_kpi_set(knalle: Knalle, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    with knalle.db.write() as session:
        change = kpi.set_key_figure(
            session,
            args.name,
            args.year,
            target=args.target,
            outcome=args.outcome,
            met=args.met,
            new=args.new,
        )
        name, value = change.figure.name, change.value
        audit_cli(
            knalle, session, "kpi.set", "key_figure", f"{name} {value.year}",
            after={
                "target": value.target, "outcome": value.outcome, "met": value.met,
                "created": change.created,
            },
        )
        line = (
            f"{'Skapade' if change.created else 'Sparade'} {name} {value.year}: "
            + _value_text(value)
        )
    print(line, file=stdout)
    return 0
