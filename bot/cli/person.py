"""`knalle person export|redact`: what Knalle holds about a person, and removing a non-staff
person's name (see docs/personal-data.md).

Examples: `knalle person export "Annette Carlson" -o annette.xlsx`,
`knalle person redact "Annette Carlson"` (asks first; `--yes` for scripts).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.cli.common import run_with_knalle
from bot.context import Knalle
from bot.core import audit
from bot.core import personal_data as core
from bot.core.text.sv import sv_count

EXPORT_HELP = "skriv allt Knalle har om en person (json eller xlsx): grund för ett registerutdrag"
REDACT_HELP = (
    "ersätt en persons namn (ej personal) med [borttaget] i besökens övriga och anteckningar"
)
DESCRIPTION = (
    "Personuppgifter. `knalle person export NAMN` skriver personalposter, besök där personen "
    "var med eller nämns bland övriga, anteckningar och kommandon som nämner hen, "
    "uppdateringar hen skrev och raderna i granskningsloggen: grunden för ett registerutdrag. "
    "`knalle person redact NAMN` ersätter namnet med [borttaget] i besökens övriga deltagare och "
    "anteckningar (personal tas aldrig bort så). Exempel: "
    '`knalle person export "Annette Carlson" -o annette.xlsx`. Se docs/personal-data.md.'
)
CONFIRM = (
    "Ersätt ”{name}” med {redacted} i {visits} besök och rensa {commands} kommandon? [ja/nej] "
)
NEEDS_YES = (
    "Inget är ändrat: bekräfta med --yes när kommandot inte körs i en terminal "
    '(t.ex. `knalle person redact "{name}" --yes`).'
)
NOTHING = "Inget besök eller kommando nämner ”{name}”; inget att ta bort."
CANCELLED = "Avbrutet; inget är ändrat."
DONE = (
    "Klart: ”{name}” är ersatt med {redacted} i {visits} besök; {commands} kommandon rensade. "
    "Granskningsloggen har en rad per besök (utan namnet)."
)
UPDATES_LEFT = (
    "{count} aktivitetsuppdateringar nämner namnet; de är enhetens rapporter och ändras inte här "
    "(se docs/personal-data.md)."
)
WROTE = (
    "Skrev {path}: {staff}, {visits} besök, {updates}, {commands}, "
    "{audit} ur granskningsloggen."
)
# Each count with its noun in the right number ("1 personalpost", "2 personalposter").
WROTE_NOUNS = {
    "staff": ("personalpost", "personalposter"),
    "updates": ("uppdatering", "uppdateringar"),
    "commands": ("kommando", "kommandon"),
    "audit": ("rad", "rader"),
}
YES_WORDS = {"ja", "j", "yes", "y"}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "person", help="personuppgifter: registerutdrag och borttagning", description=DESCRIPTION
    )
    verbs = parser.add_subparsers(dest="person_command", metavar="VERB", required=True)
    export = verbs.add_parser("export", help=EXPORT_HELP, description=DESCRIPTION)
    export.add_argument("name", metavar="NAMN", help="personens namn, plannamn eller Slack-id")
    export.add_argument("-o", "--output", type=Path, metavar="FIL", help="filen (annars stdout)")
    export.add_argument(
        "--format",
        choices=("json", "xlsx"),
        default=None,
        help="json eller xlsx (annars efter filens ändelse; json till stdout)",
    )
    export.set_defaults(run=_export)
    redact = verbs.add_parser("redact", help=REDACT_HELP, description=DESCRIPTION)
    redact.add_argument("name", metavar="NAMN", help="personens namn, t.ex. ”Annette Carlson”")
    redact.add_argument("--yes", action="store_true", help="fråga inte (för skript)")
    redact.set_defaults(run=_redact)


def _export(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_export(knalle, args.name, output=args.output, fmt=args.format)
    )


def _redact(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_redact(knalle, args.name, yes=args.yes))


def run_export(
    knalle: Knalle,
    name: str,
    *,
    output: Path | None = None,
    fmt: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fmt = fmt or ("xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "json")
    if fmt == "xlsx" and output is None:
        print("xlsx behöver en fil: lägg till -o FIL.xlsx.", file=err)
        return 2
    now = knalle.clock.now()
    with knalle.db.write() as session:
        data = core.gather(session, name, now=now)
        core.log_export(session, data, fmt, now=now, actor=audit.operator(knalle.surface))
    if output is None:
        json.dump(data.as_json(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        core.write_xlsx(data, output)
    else:
        output.write_text(
            json.dumps(data.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    counts: dict[str, object] = dict(data.counts)
    for key, (singular, plural) in WROTE_NOUNS.items():
        counts[key] = sv_count(data.counts[key], singular, plural)
    print(WROTE.format(path=output, **counts), file=err)
    return 0


def run_redact(
    knalle: Knalle,
    name: str,
    *,
    yes: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    with knalle.db.read() as session:
        plan = core.plan_redaction(session, name)
    if plan.empty:
        print(NOTHING.format(name=plan.name), file=out)
        return 0
    if not yes:
        if not stdin.isatty():
            print(NEEDS_YES.format(name=plan.name), file=out)
            return 1
        out.write(
            CONFIRM.format(
                name=plan.name,
                redacted=core.REDACTED,
                visits=len(plan.visits),
                commands=len(plan.commands),
            )
        )
        out.flush()
        if stdin.readline().strip().casefold() not in YES_WORDS:
            print(CANCELLED, file=out)
            return 1
    with knalle.db.write() as session:
        done = core.redact(
            session, plan.name, now=knalle.clock.now(), actor=audit.operator(knalle.surface)
        )
    print(
        DONE.format(
            name=done.name,
            redacted=core.REDACTED,
            visits=len(done.visits),
            commands=len(done.commands),
        ),
        file=out,
    )
    if done.updates_mentioning:
        print(UPDATES_LEFT.format(count=done.updates_mentioning), file=out)
    return 0
