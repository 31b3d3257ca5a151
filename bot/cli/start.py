"""`knalle start`: what a newcomer runs — Slack when tokens are set, else the console."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.context import Knalle

# The shipped plan, so that a newcomer's first /aktivitet has something to find.
EXAMPLE_PLAN = Path("data/plans/boras-2022.yaml")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    start = commands.add_parser(
        "start",
        help="kör boten: mot Slack om token finns, annars i terminalen (console)",
        description="Startar 'serve' när SLACK_BOT_TOKEN och SLACK_SIGNING_SECRET finns, "
        "annars 'console', så att den som provar ser boten arbeta direkt.",
    )
    start.set_defaults(run=_start)


def _start(args: argparse.Namespace) -> int:
    import sys

    from bot.cli.common import knalle_from_env

    knalle = knalle_from_env()
    if knalle.settings.has_slack:
        from bot.app import serve

        serve(knalle)
        return 0
    from bot.console.session import run_console

    print("Inga Slack-token satta: startar Knalle i terminalen. Skriv 'hjälp' för hjälp.")
    import_example_plan_if_empty(knalle, EXAMPLE_PLAN)
    return int(run_console(knalle, sys.stdin, sys.stdout, user=None))


def import_example_plan_if_empty(knalle: Knalle, path: Path) -> bool:
    """On a database without any plan, read the shipped 2022 plan and say so."""
    from bot.core.plan.importer import import_plan_file
    from storage.plans import all_plans

    with knalle.db.read() as session:
        if all_plans(session) or not path.exists():
            return False
    with knalle.db.write() as session:
        import_plan_file(session, path, knalle.clock.now())
    print(
        f"Databasen hade ingen verksamhetsplan, så jag läste in exemplet {path} (2022). "
        "Prova 'jag Pia' och '/aktivitet mina'."
    )
    return True
