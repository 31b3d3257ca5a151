"""`knalle start`: what a newcomer runs — Slack when tokens are set, else the console."""

from __future__ import annotations

import argparse


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
        from bot.serve import serve

        serve(knalle)
        return 0
    from bot.console import run_console

    print("Inga Slack-token satta: startar Knalle i terminalen. Skriv 'hjälp' för hjälp.")
    return int(run_console(knalle, sys.stdin, sys.stdout, user=None))
