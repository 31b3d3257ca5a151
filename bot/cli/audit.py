"""`knalle audit`: the audit trail, who changed what and when, oldest first.

Examples: `knalle audit --visit 812` (who changed visit 812?), `knalle audit --who Pia`,
`knalle audit --since 2026-11-01 --format json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from bot.cli.common import iso_date, run_with_knalle
from bot.context import Knalle
from bot.core import audit

HELP = "visa granskningsloggen: vem ändrade vad, när och var (--visit ID, --who NAMN, --since D)"
DESCRIPTION = (
    "Varje ändring i Knalle lämnar en rad i granskningsloggen: vem (Slack-id och namn), när, "
    "vad (ett besöks fält före och efter) och var (slack, console, cli, import). Raderna ändras "
    "aldrig och tas aldrig bort. Exempel: `knalle audit --visit 812` (vem ändrade besök 812?), "
    "`knalle audit --who Pia --since 2026-11-01`, `knalle audit --format json`."
)
EMPTY = "Inga rader i granskningsloggen{filters}."
SURFACES = {"slack": "Slack", "console": "konsolen", "cli": "terminalen", "import": "import"}
# What a row is about, as the listing says it ("besök 812", not "visit 812").
SUBJECTS = {
    audit.VISIT: "besök",
    audit.UPDATE: "uppdatering",
    audit.COMPANY: "företag",
    audit.STAFF: "personal",
    audit.SETTING: "inställning",
    audit.PLAN: "plan",
    audit.KEY_FIGURE: "nyckeltal",
    audit.PERSON: "person",
}
MAX_VALUE = 80


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("audit", help=HELP, description=DESCRIPTION)
    parser.add_argument(
        "--since", type=iso_date, metavar="DATUM", help="från och med dagen, ÅÅÅÅ-MM-DD"
    )
    parser.add_argument(
        "--who", metavar="NAMN", help="vem: namn i personalregistret eller Slack-id"
    )
    parser.add_argument("--visit", type=int, metavar="ID", help="bara ett besök, t.ex. 812")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (standard) eller json"
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_audit(
            knalle, since=args.since, who=args.who, visit=args.visit, fmt=args.format
        )
    )


def run_audit(
    knalle: Knalle,
    *,
    since: dt.date | None = None,
    who: str | None = None,
    visit: int | None = None,
    fmt: str = "text",
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    zone = knalle.settings.zone
    start = dt.datetime.combine(since, dt.time(), tzinfo=zone) if since else None
    with knalle.db.read() as session:
        rows = audit.listing(session, since=start, who=who, visit_id=visit)
        names = audit.staff_names(session)
    if fmt == "json":
        json.dump([row.as_json() for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if not rows:
        print(EMPTY.format(filters=_filters(since, who, visit)), file=out)
        return 0
    for row in rows:
        print(row_line(row, zone), file=out)
        for detail in row_details(row, names):
            print(f"    {detail}", file=out)
    return 0


def _filters(since: dt.date | None, who: str | None, visit: int | None) -> str:
    parts = []
    if visit is not None:
        parts.append(f"för besök {visit}")
    if who:
        parts.append(f"av {who}")
    if since:
        parts.append(f"sedan {since.isoformat()}")
    return (" " + " ".join(parts)) if parts else ""


def row_line(row: audit.AuditRow, zone: dt.tzinfo) -> str:
    when = row.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    who = row.actor_name
    if row.actor_id and row.actor_id != row.actor_name:
        who += f" ({row.actor_id})"
    where = SURFACES.get(row.surface, row.surface)
    subject = f"{SUBJECTS.get(row.subject_type, row.subject_type)} {row.subject_id}"
    return f"{when}  {who} via {where}: {row.label} – {subject}"


def row_details(row: audit.AuditRow, names: Mapping[str, str] | None = None) -> list[str]:
    """One line per changed field: `anteckning: "före" → "efter"`; a new thing shows its fields.
    Slack ids of staff are shown with their names ("Pia (U0PIA)")."""
    before, after = _named(row.before or {}, names or {}), _named(row.after or {}, names or {})
    keys = row.changed if before else [k for k, v in after.items() if v not in (None, "", [])]
    lines = []
    for key in keys:
        if key == "company_id":
            continue
        label = audit.FIELD_LABELS.get(key, key)
        if before:
            lines.append(f"{label}: {_shown(before.get(key))} → {_shown(after.get(key))}")
        else:
            lines.append(f"{label}: {_shown(after.get(key))}")
    return lines


def _named(fields: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    def person(value: Any) -> Any:
        return f"{names[value]} ({value})" if isinstance(value, str) and value in names else value

    named = dict(fields)
    for key in audit.PERSON_FIELDS:
        value = named.get(key)
        named[key] = [person(v) for v in value] if isinstance(value, list) else person(value)
    return {k: v for k, v in named.items() if k in fields}


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "–"
    elif isinstance(value, dict):
        text = ", ".join(f"{k}={v}" for k, v in value.items())
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
