"""`knalle db upgrade|current|backup`: migrations, and a consistent copy of a live database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import knalle_from_env
from storage.db import backup_sqlite, current_revision, upgrade

DESCRIPTION = (
    "Databasens schema ändras bara genom migreringar: `knalle db upgrade` tar databasen till "
    "senaste versionen (`knalle serve` gör det själv vid start), `knalle db current` visar "
    "vilken version den har."
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("db", help="databasen: migreringar", description=DESCRIPTION)
    verbs = parser.add_subparsers(dest="db_command", metavar="VERB", required=True)
    up = verbs.add_parser("upgrade", help="uppgradera databasen till senaste schemat")
    up.set_defaults(run=_upgrade)
    cur = verbs.add_parser("current", help="visa databasens schemaversion")
    cur.set_defaults(run=_current)
    backup = verbs.add_parser(
        "backup",
        help="en säker kopia av SQLite-databasen medan boten kör",
        description="Kopierar SQLite-databasen med SQLites backup-funktion: kopian är hel även "
        "om boten skriver samtidigt. För PostgreSQL: använd pg_dump.",
    )
    backup.add_argument("target", type=Path, metavar="FIL", help="kopians filnamn")
    backup.set_defaults(run=_backup)


def _upgrade(args: argparse.Namespace) -> int:
    knalle = knalle_from_env(migrate=False)
    upgrade(knalle.db.engine)
    print(f"Databasen är på version {current_revision(knalle.db.engine)}.")
    return 0


def _current(args: argparse.Namespace) -> int:
    knalle = knalle_from_env(migrate=False)
    print(current_revision(knalle.db.engine) or "tom (kör 'knalle db upgrade')")
    return 0


def _backup(args: argparse.Namespace) -> int:
    knalle = knalle_from_env(migrate=False)
    if not knalle.db.is_sqlite:
        print("Databasen är PostgreSQL: säkerhetskopiera med pg_dump.", file=sys.stderr)
        return 1
    target: Path = args.target
    if target.exists():
        print(f"{target} finns redan; välj ett nytt filnamn.", file=sys.stderr)
        return 1
    backup_sqlite(knalle.db.engine, target)
    print(f"Kopian är sparad i {target}.")
    return 0
