"""The `knalle` command: one sub-command per module in this package, each with its help."""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Sequence

from bot.cli import audit as audit_cli
from bot.cli import backfill as backfill_cli
from bot.cli import company as company_cli
from bot.cli import db, serve, start
from bot.cli import export as export_cli
from bot.cli import feedback as feedback_cli
from bot.cli import person as person_cli
from bot.cli import plan as plan_cli
from bot.cli import report as report_cli
from bot.cli import schedule as schedule_cli
from bot.cli import staff as staff_cli
from bot.cli.swedish import SwedishArgumentParser

# Each module contributes `add_commands(subparsers)`; the order is the order of `knalle --help`.
COMMAND_MODULES = [
    start,
    serve,
    db,
    plan_cli,
    staff_cli,
    company_cli,
    export_cli,
    backfill_cli,
    report_cli,
    feedback_cli,
    schedule_cli,
    audit_cli,
    person_cli,
]


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="knalle",
        description="Knalle – Näringslivsenhetens Slack-bot: besök, aktiviteter, uppföljning.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa felsökningslogg")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for module in COMMAND_MODULES:
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    # The CLI's boundary: arguments are made safe here, once (bot/core/text/safe.py). Bytes
    # that are not UTF-8 reach Python as lone surrogates (surrogateescape) and are refused.
    from bot.core.text.safe import problem

    for word in words:
        reason = problem(word)
        if reason is not None:
            print(reason, file=sys.stderr)
            return 2
    args = parser.parse_args(words)
    _configure_logging(verbose=args.verbose)
    if not args.verbose:
        # Every command migrates on start; "Context impl SQLiteImpl" is noise to an operator.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        if args.command not in ("serve", "start"):
            # `knalle jobs` opens the job store: "Scheduler started" is noise outside the bot.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        result: int | None = args.run(args)
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except (KeyboardInterrupt, Exception) as error:
        from bot.cli.failures import describe

        known = describe(error)
        if known is None:
            raise
        text, code = known
        print(text, file=sys.stderr)
        return code
    return result or 0


def _configure_logging(*, verbose: bool) -> None:
    """Text or JSON lines (KNALLE_LOG_FORMAT), and the optional log file (KNALLE_LOG_FILE)."""
    from bot import logs
    from bot.config import load_settings

    try:
        settings = load_settings()
    except Exception:  # a bad setting is reported by the command itself, in Swedish
        logs.configure(verbose=verbose, fmt=os.environ.get("KNALLE_LOG_FORMAT", "text"))
        return
    logs.configure(
        verbose=verbose,
        fmt=settings.log_format,
        log_file=settings.log_file,
        keep_days=settings.retention_days,
    )


def _silence_stdout() -> None:
    """The reader of our pipe left (`knalle export visits | head`): stop quietly, as `cat` does.

    stdout now points at nothing, so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's StringIO): nothing left to flush


if __name__ == "__main__":
    sys.exit(main())
