"""The `knalle` command: one sub-command per module in this package, each with its help."""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import logging
import os
import sys
from collections.abc import Sequence

from bot.cli.swedish import SwedishArgumentParser

# Each module contributes `add_commands(subparsers)`, with the verbs it adds; the order is the
# order of `knalle --help`. A command line that names its verb builds (and imports) only that
# verb's module: `knalle serve` does not load the code of every other verb.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "start": ("start",),
    "serve": ("serve", "console"),
    "db": ("db",),
    "plan": ("plan",),
    "staff": ("staff",),
    "company": ("company",),
    "export": ("export",),
    "backfill": ("backfill", "import"),
    "report": ("report", "kpi"),
    "feedback": ("synpunkter", "themes"),
    "schedule": ("remind", "digest", "jobs", "config"),
    "audit": ("audit",),
    "person": ("person",),
}


def build_parser(words: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole `knalle` parser, or, for a command line whose verb is known, one with only
    that verb's module (its arguments and help are the same)."""
    parser = SwedishArgumentParser(
        prog="knalle",
        description="Knalle – Näringslivsenhetens Slack-bot: besök, aktiviteter, uppföljning.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa felsökningslogg")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in _modules_for(words):
        importlib.import_module(f"bot.cli.{name}").add_commands(commands)
    return parser


def _verb(words: Sequence[str] | None) -> str | None:
    return next((w for w in words or () if w not in ("-v", "--verbose")), None)


def _modules_for(words: Sequence[str] | None) -> list[str]:
    verb = _verb(words)
    for name, verbs in COMMAND_MODULES.items():
        if verb in verbs:
            return [name]
    return list(COMMAND_MODULES)  # no verb, an unknown one, or -h: all, as `--help` lists them


# Verbs that start the bot. It creates some 90,000 objects the cyclic collector tracks as it
# imports its libraries and builds the app, and almost no garbage: the collector ran ~200
# times, 70 ms or more of every start, and freed under a thousand. It is off until the start
# is done: bot/slack/serve.py's `freeze_startup_objects` (once the socket is bound, or in the
# console's warm-up) freezes what was loaded and turns it back on.
STARTING_VERBS = ("serve", "start")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if _verb(words) in STARTING_VERBS:
        gc.disable()
    parser = build_parser(words)
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
