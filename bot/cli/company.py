"""`knalle company list|set`: the company register's organisation numbers and clusters.

Companies enter the register with their first visit; an admin gives them an organisation
number and a cluster here, so /besök statistik and the report can count visits per cluster.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.app import Knalle
from bot.cli.common import audit_cli, run_with_knalle
from bot.core import companies
from storage import companies as register
from storage.models import Company

LIST_HELP = "visa företagsregistret: namn, organisationsnummer, kluster och antal besök"
SET_HELP = "ge ett företag organisationsnummer och/eller kluster"
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
        help="företagsregistret: organisationsnummer och kluster",
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
