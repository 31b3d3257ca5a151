"""`knalle serve` and `knalle console`: the bot in Slack, or in this terminal."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="kör boten mot Slack (Socket Mode om SLACK_APP_TOKEN finns, annars HTTP)",
        description="Kör boten. Uppgraderar databasen först.",
    )
    serve.add_argument("--http", action="store_true", help="använd HTTP även om app-token finns")
    serve.add_argument("--port", type=int, default=None, help="HTTP-port (standard KNALLE_PORT)")
    serve.set_defaults(run=_serve)
    console = commands.add_parser(
        "console",
        help="hela boten i terminalen, utan Slack (skriv /besök …)",
        description="Boten i terminalen; läser kommandon från stdin om den inte är en terminal.",
    )
    console.add_argument("--user", default=None, help="vem du är (Slack-id eller namn)")
    console.set_defaults(run=_console)


def _serve(args: argparse.Namespace) -> int:
    from bot.app import serve
    from bot.cli.common import knalle_from_env

    serve(knalle_from_env(), force_http=args.http, port=args.port)
    return 0


def _console(args: argparse.Namespace) -> int:
    import sys

    from bot.cli.common import knalle_from_env
    from bot.cli.start import EXAMPLE_PLAN, import_example_plan_if_empty
    from bot.console.session import run_console

    knalle = knalle_from_env()
    # As `knalle start` does: a newcomer's first `jag Pia` finds the example plan's staff.
    import_example_plan_if_empty(knalle, EXAMPLE_PLAN)
    return int(run_console(knalle, sys.stdin, sys.stdout, user=args.user))
