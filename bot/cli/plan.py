"""`knalle plan import FILE` and `knalle plan list`: the yearly plan into the database.

Example: `knalle plan import data/plans/boras-2022.yaml` (idempotent; run it again after an edit).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.cli.common import audit_cli, exits_on_user_error, run_with_knalle
from bot.context import Knalle
from bot.core.plan.draft import draft_plan
from bot.core.plan.importer import ImportResult, import_plan_file
from bot.errors import InvalidInput
from storage import plans

IMPORT_HELP = "importera en verksamhetsplan (.yaml, .xlsx eller .csv); samma fil igen ändrar inget"
LIST_HELP = "visa importerade planer med antal aktiviteter och uppdateringar"
IMPORT_DESCRIPTION = (
    "Läser in årets verksamhetsplan, t.ex. `knalle plan import data/plans/boras-2022.yaml`. "
    "Hela filen kontrolleras först; är något fel importeras inget och varje fel skrivs ut "
    "med rad eller nyckel. Samma fil igen ändrar inget; kör den igen efter en ändring."
)
NEW_HELP = "skriv nästa års plan som ett YAML-utkast ur årets (det som inte är klart följer med)"
NEW_DESCRIPTION = (
    "Utkastet tar med varje aktivitet vars När omfattar det nya året och varje som inte är "
    "klar (senaste ljuset inte grönt), med ägare, prio, syfte, mål och senaste kommentaren som "
    "kommentar; det som är klart tas bort. Redigera filen och läs in den med `knalle plan "
    "import FIL`. Exempel: `knalle plan new 2027 --from 2026 -o data/plans/plan-2027.yaml`."
)
NO_PLANS = (
    "Inga planer är importerade. Kör `knalle plan import FIL`, "
    "t.ex. data/plans/boras-2022.yaml."
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("plan", help="verksamhetsplanen: import och översikt")
    verbs = parser.add_subparsers(dest="plan_command", metavar="VERB", required=True)
    imp = verbs.add_parser("import", help=IMPORT_HELP, description=IMPORT_DESCRIPTION)
    imp.add_argument("file", metavar="FIL", type=Path, help="planfilen, se docs/plan-format.md")
    imp.add_argument(
        "--år",
        "--year",
        dest="year",
        type=int,
        metavar="ÅR",
        help="planens år för .xlsx/.csv (annars det tidigaste året i kolumnen `när`)",
    )
    imp.set_defaults(run=_import)
    lst = verbs.add_parser("list", help=LIST_HELP)
    lst.set_defaults(run=_list)
    new = verbs.add_parser("new", help=NEW_HELP, description=NEW_DESCRIPTION)
    new.add_argument("year", metavar="ÅR", type=int, help="den nya planens år, t.ex. 2027")
    new.add_argument(
        "--from",
        "--från",
        dest="source",
        type=int,
        metavar="ÅR",
        help="planen att utgå från (standard: året innan)",
    )
    new.add_argument(
        "-o", "--output", type=Path, metavar="FIL", help="skriv utkastet till FIL (annars ut)"
    )
    new.set_defaults(run=_new)


def _import(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_import(knalle, args.file, year=args.year))


def _new(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_new(knalle, args.year, args.source, args.output))


def run_new(
    knalle: Knalle,
    year: int,
    source: int | None,
    output: Path | None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    with knalle.db.read() as session:
        draft = draft_plan(session, year, source)
    if output is None:
        out.write(draft.text)
        return 0
    if output.exists():
        raise InvalidInput(
            f"{output} finns redan; välj ett annat filnamn, så skrivs inget över av misstag."
        )
    output.write_text(draft.text, encoding="utf-8")
    print(
        f"Skrev utkastet till planen {draft.year} till {output}: {draft.carried} aktiviteter "
        f"följer med från {draft.source_year}, {draft.dropped} klara är borttagna. Redigera det "
        f"och läs in med `knalle plan import {output}`.",
        file=out,
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    return run_with_knalle(run_list)


@exits_on_user_error
def run_import(
    knalle: Knalle,
    path: Path,
    *,
    year: int | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Import in one transaction; on a bad file print why to stderr, store nothing, return 1."""
    out = out or sys.stdout
    err = err or sys.stderr
    with knalle.db.write() as session:
        result = import_plan_file(session, path, knalle.clock.now(), year=year)
        if result.changed:
            audit_cli(
                knalle, session, "plan.import", "plan", result.year,
                after={"file": path.name, "plan": result.plan_name, **_counts(result)},
            )
    print(import_summary(result, path.name), file=out)
    return 0


def import_summary(result: ImportResult, source: str) -> str:
    head = f"Plan {result.year} – {result.plan_name} ({source})"
    if not result.changed:
        return (
            f"{head}: inget ändrat, planen var redan importerad "
            f"({result.activities} aktiviteter, {result.updates_unchanged} uppdateringar)."
        )
    lines = [
        f"{head}: {'ny plan' if result.plan_created else 'uppdaterad'}.",
        f"  Aktiviteter: {result.activities_created} nya, {result.activities_updated} ändrade, "
        f"{result.activities_unchanged} oförändrade.",
        f"  Uppdateringar: {result.updates_added} nya, {result.updates_unchanged} fanns redan.",
    ]
    if result.key_figures_changed:
        lines.append(f"  Nyckeltal: {result.key_figures_changed} nya eller ändrade värden.")
    if result.staff_added:
        lines.append(
            f"  Personal: {result.staff_added} nya namn; koppla dem till Slack med "
            "`knalle staff sync`."
        )
    return "\n".join(lines)


def run_list(knalle: Knalle, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    zone = knalle.settings.zone
    with knalle.db.read() as session:
        rows = plans.all_plans(session)
        counts = plans.activity_counts(session)
        if not rows:
            print(NO_PLANS, file=out)
            return 0
        for plan in rows:
            activities, updates = counts.get(plan.id, (0, 0))
            imported = plan.imported_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            print(
                f"{plan.year}  {plan.name}: {activities} aktiviteter, {updates} uppdateringar; "
                f"importerad {imported} från {plan.source or 'okänd fil'}",
                file=out,
            )
    return 0


def _counts(result: ImportResult) -> dict[str, int | bool]:
    return {
        "plan_created": result.plan_created,
        "activities_created": result.activities_created,
        "activities_updated": result.activities_updated,
        "updates_added": result.updates_added,
        "staff_added": result.staff_added,
        "key_figures_changed": result.key_figures_changed,
    }
