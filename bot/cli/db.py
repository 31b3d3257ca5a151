"""`knalle db upgrade|current|backup|restore`: migrations, a consistent copy, a safe restore."""

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
    restore = verbs.add_parser(
        "restore",
        help="återställ SQLite-databasen från en kopia (boten måste vara stoppad)",
        description="Lägger kopian FIL i databasens ställe med SQLites backup-funktion, så att "
        "en gammal knalle.db-wal efter en krasch inte spelas upp över kopian. Vägrar medan "
        "'knalle serve' kör. Det som ersätts sparas först bredvid databasen "
        "(knalle.db.fore-aterstallning-…). För PostgreSQL: använd pg_restore (se README).",
    )
    restore.add_argument("source", type=Path, metavar="FIL", help="kopian att återställa från")
    restore.set_defaults(run=_restore)


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


def _restore(args: argparse.Namespace) -> int:
    import datetime as dt

    from storage.db import DatabaseInUse, NotABackup, restore_sqlite, sqlite_file

    knalle = knalle_from_env(migrate=False)
    target = sqlite_file(knalle.db.engine)
    if target is None:
        print(
            "Databasen är PostgreSQL: återställ med pg_restore (se README, Säkerhetskopior).",
            file=sys.stderr,
        )
        return 1
    source: Path = args.source
    if not source.is_file():
        print(f"{source} finns inte.", file=sys.stderr)
        return 1
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = (
        target.with_name(f"{target.name}.fore-aterstallning-{stamp}") if target.exists() else None
    )
    try:
        restore_sqlite(knalle.db.engine, source, keep_current=kept)
    except DatabaseInUse:
        print(
            "Boten kör mot databasen (knalle serve). Stoppa den först, och kör sedan "
            "'knalle db restore' igen.",
            file=sys.stderr,
        )
        return 1
    except NotABackup:
        print(f"{source} är ingen hel kopia av Knalles databas.", file=sys.stderr)
        return 1
    upgrade(knalle.db.engine)
    print(f"Databasen är återställd från {source}.")
    if kept is not None:
        print(f"Det som ersattes finns kvar i {kept}.")
    return 0
