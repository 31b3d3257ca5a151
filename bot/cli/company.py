"""`knalle company list|set|rename|merge|remove`: the company register and its care.

Companies enter the register with their first visit; an admin gives them an organisation
number and a cluster here, so /besök statistik and the report can count visits per cluster.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.cli.common import audit_cli, run_with_knalle
from bot.context import Knalle
from bot.core.companies import register as companies
from storage import companies as register
from storage.models import Company

LIST_HELP = "visa företagsregistret: namn, organisationsnummer, kluster och antal besök"
SET_HELP = "ge ett företag organisationsnummer och/eller kluster"
RENAME_HELP = "byt namn på ett företag (det gamla namnet hittar det fortfarande)"
MERGE_HELP = "slå ihop två företag: FRÅN:s besök flyttas till TILL, FRÅN:s namn blir alias"
REMOVE_HELP = "ta bort ett företag utan besök (med besök: --with-visits, efter en fråga)"
CONFIRM = 'Skriv "ja" för att ta bort {name} och dess {count} besök: '
NOT_CONFIRMED = "Inget är borttaget."
DESCRIPTION = (
    "Företag kommer in i registret med sitt första besök (/besök). Här får de "
    "organisationsnummer och kluster, så att /besök statistik och rapporten kan räkna besök "
    'per kluster. Exempel: `knalle company set "Ellos AB" --kluster textil --orgnr 556123-4567`. '
    f"Kluster: {', '.join(companies.CLUSTERS)}."
)
EMPTY = "Företagsregistret är tomt: företag kommer in med sitt första besök (/besök …)."
NOT_SET = "–"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "company",
        help="företagsregistret: organisationsnummer, kluster, namnbyte, sammanslagning",
        description=DESCRIPTION,
    )
    verbs = parser.add_subparsers(dest="company_command", metavar="VERB", required=True)
    lst = verbs.add_parser("list", help=LIST_HELP, description=DESCRIPTION)
    lst.set_defaults(run=_list)
    put = verbs.add_parser("set", help=SET_HELP, description=DESCRIPTION)
    put.add_argument("name", metavar="NAMN", help="företaget, stavat hur som helst (t.ex. ellos)")
    put.add_argument("--orgnr", metavar="NUMMER", help="tio siffror, t.ex. 556123-4567")
    put.add_argument(
        "--kluster", metavar="KLUSTER", help="klustret eller ett ord ur det, t.ex. textil"
    )
    put.set_defaults(run=_set)
    ren = verbs.add_parser("rename", help=RENAME_HELP, description=RENAME_HELP + ".")
    ren.add_argument("old", metavar="GAMMALT", help="företaget, stavat hur som helst")
    ren.add_argument("new", metavar="NYTT", help="det nya namnet")
    ren.set_defaults(run=_rename)
    mer = verbs.add_parser("merge", help=MERGE_HELP, description=MERGE_HELP + ".")
    mer.add_argument("source", metavar="FRÅN", help="företaget som går upp i det andra")
    mer.add_argument("target", metavar="TILL", help="företaget som blir kvar")
    mer.set_defaults(run=_merge)
    rem = verbs.add_parser("remove", help=REMOVE_HELP, description=REMOVE_HELP + ".")
    rem.add_argument("name", metavar="NAMN", help="företaget, stavat hur som helst")
    rem.add_argument(
        "--with-visits",
        action="store_true",
        help="ta bort företagets besök också (Knalle frågar först)",
    )
    rem.add_argument("--ja", "--yes", dest="yes", action="store_true", help="fråga inte")
    rem.set_defaults(run=_remove)


def _list(args: argparse.Namespace) -> int:
    return run_with_knalle(run_list)


def _set(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_set(knalle, args.name, args.orgnr, args.kluster))


def run_list(knalle: Knalle, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with knalle.db.read() as session:
        rows = [
            (c.name, c.org_number or NOT_SET, c.cluster or NOT_SET, str(n))
            for c, n in register.with_visit_counts(session)
        ]
    if not rows:
        print(EMPTY, file=out)
        return 0
    table = [("FÖRETAG", "ORG.NR", "KLUSTER", "BESÖK"), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        cells = (cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        print("  ".join(cells) + "  " + row[3], file=out)
    missing = sum(1 for row in rows if row[2] == NOT_SET)
    if missing:
        print(
            f"\n{missing} företag saknar kluster: `knalle company set NAMN --kluster KLUSTER`.",
            file=out,
        )
    return 0


def run_set(
    knalle: Knalle,
    name: str,
    org_number: str | None,
    cluster: str | None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    with knalle.db.write() as session:
        earlier = companies.match_company(session, name).company
        before = _details(earlier) if earlier is not None else None
        company = companies.set_details(session, name, org_number=org_number, cluster=cluster)
        audit_cli(
            knalle, session, "company.set", "company", company.id,
            before=before, after=_details(company),
        )
        line = (
            f"{company.name}: org.nr {company.org_number or NOT_SET}, "
            f"kluster {company.cluster or NOT_SET}."
        )
    print(line, file=out)
    return 0


def _details(company: Company) -> dict[str, str | None]:
    return {"name": company.name, "org_number": company.org_number, "cluster": company.cluster}


def _rename(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_rename(knalle, args.old, args.new))


def _merge(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_merge(knalle, args.source, args.target))


def _remove(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_remove(knalle, args.name, with_visits=args.with_visits, yes=args.yes)
    )


def run_rename(knalle: Knalle, old: str, new: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with knalle.db.write() as session:
        before, company = companies.rename(session, old, new, knalle.clock.now())
        audit_cli(
            knalle, session, "company.rename", "company", company.id,
            before={"name": before}, after={"name": company.name},
        )
        line = f"{before} heter nu {company.name}. Det gamla namnet hittar företaget fortfarande."
    print(line, file=out)
    return 0


def run_merge(knalle: Knalle, source: str, target: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with knalle.db.write() as session:
        merged = companies.merge(session, source, target, knalle.clock.now())
        audit_cli(
            knalle, session, "company.merge", "company", merged.into.id,
            before={"name": merged.removed}, after={"name": merged.into.name},
        )
        line = (
            f"{merged.removed} är ihopslagen med {merged.into.name}: {merged.visits_moved} "
            f"besök flyttade. {merged.removed} hittar nu {merged.into.name}."
        )
    print(line, file=out)
    return 0


def run_remove(
    knalle: Knalle,
    name: str,
    *,
    with_visits: bool = False,
    yes: bool = False,
    out: TextIO | None = None,
    answer: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    if with_visits and not yes:
        with knalle.db.read() as session:
            company, count = companies.visit_count(session, name)
            shown = company.name
        if count:
            print(CONFIRM.format(name=shown, count=count), end="", file=out, flush=True)
            reply = (answer or sys.stdin).readline().strip().casefold()
            if reply not in {"ja", "j", "yes"}:
                print(NOT_CONFIRMED, file=out)
                return 1
    with knalle.db.write() as session:
        company = companies.find_one(session, name)
        company_id = company.id
        removed, count = companies.remove(session, name, with_visits=with_visits)
        audit_cli(
            knalle, session, "company.remove", "company", company_id,
            before={"name": removed, "visits": str(count)}, after=None,
        )
    gone = f" och dess {count} besök" if count else ""
    print(f"{removed}{gone} är borttaget ur registret.", file=out)
    return 0
