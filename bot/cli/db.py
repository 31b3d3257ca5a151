"""`knalle db upgrade|current`: the schema changes only through migrations."""

from __future__ import annotations

import argparse

from bot.cli.common import knalle_from_env
from storage.db import current_revision, upgrade

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


def _upgrade(args: argparse.Namespace) -> int:
    knalle = knalle_from_env(migrate=False)
    upgrade(knalle.db.engine)
    print(f"Databasen är på version {current_revision(knalle.db.engine)}.")
    return 0


def _current(args: argparse.Namespace) -> int:
    knalle = knalle_from_env(migrate=False)
    print(current_revision(knalle.db.engine) or "tom (kör 'knalle db upgrade')")
    return 0
