"""`knalle backfill CHANNEL` and `knalle import visits FILE`: a channel's history as visits.

Three steps: backfill writes a review file (xlsx or csv) with one row per human message, the
unit's manager checks the column `importera` in Excel, and `import visits` stores the ja rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TextIO

from slack_sdk.errors import SlackApiError

from bot.cli.common import exits_on_user_error, iso_date, run_with_knalle
from bot.cli.progress import progress, track
from bot.context import Knalle
from bot.core.export import Row, Table
from bot.core.visits import history_import as core
from bot.core.visits.history_import import (
    COL_IMPORT,
    REVIEW_HEADER,
    YES,
    ChannelMessage,
    ImportResult,
)
from bot.files.tables import write_csv, write_xlsx_to
from handlers.visits.channel_history import channel_messages, history_client

BACKFILL_HELP = "läs en kanals historik till en granskningsfil (xlsx/csv) med besök att importera"
BACKFILL_DESCRIPTION = (
    "Läser kanalens alla meddelanden (conversations.history, sida för sida) och skriver en rad "
    "per meddelande från en person (inte trådsvar, botar eller anslutningar): ts, länk, "
    "författare, tid och det Knalle läste som företag, datum, personal, övriga, form och "
    "anteckningar. Kolumnen importera är ja där Knalle är säker, annars nej med en orsak. "
    "Kontrollera filen i Excel och kör sedan `knalle import visits FIL`. Kräver SLACK_BOT_TOKEN "
    "och att Knalle är med i kanalen. Exempel: `knalle backfill C0123ABC --since 2022-01-01 "
    "-o besok-2022.xlsx`."
)
IMPORT_HELP = "importera besök från en granskningsfil (knalle backfill) eller en besöksexport"
IMPORT_DESCRIPTION = (
    "Sparar raderna med importera = ja ur granskningsfilen från `knalle backfill`, eller alla "
    "rader i en fil med kolumnerna från `knalle export visits` (t.ex. en lista som förts i "
    "Excel). Varje rad kontrolleras först; finns ett fel sparas ingenting, om inte --skip-bad "
    "anges. Samma fil kan importeras igen: inget sparas två gånger. Exempel: "
    "`knalle import visits besok-2022.xlsx`."
)
NO_TOKEN = (
    "SLACK_BOT_TOKEN saknas: backfill läser kanalen genom Slacks API. Lägg token i .env "
    "(se README, Slack-appen)."
)
BAD_CHANNEL = (
    '"{channel}" är inget kanal-id. Skriv kanalens id, t.ex. C0123ABC (i Slack: kanalens namn → '
    "Om → längst ner)."
)
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backfill = commands.add_parser("backfill", help=BACKFILL_HELP, description=BACKFILL_DESCRIPTION)
    backfill.add_argument("channel", metavar="KANAL", help="kanalens id, t.ex. C0123ABC")
    backfill.add_argument(
        "--since",
        "--från",
        dest="since",
        type=iso_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="bara meddelanden från och med den dagen",
    )
    backfill.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FIL",
        help="granskningsfilen, .xlsx eller .csv (standard: besok-KANAL.xlsx)",
    )
    backfill.set_defaults(run=_backfill)

    parser = commands.add_parser("import", help="importera besök från en fil")
    kinds = parser.add_subparsers(dest="import_command", metavar="VAD", required=True)
    visits = kinds.add_parser("visits", help=IMPORT_HELP, description=IMPORT_DESCRIPTION)
    visits.add_argument(
        "file", type=Path, metavar="FIL", help="granskningsfil eller export (.xlsx/.csv)"
    )
    visits.add_argument(
        "--skip-bad",
        action="store_true",
        help="spara de felfria raderna även om andra rader har fel",
    )
    visits.set_defaults(run=_import)


def _backfill(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_backfill(knalle, args.channel, since=args.since, output=args.output)
    )


def _import(args: argparse.Namespace) -> int:
    return run_with_knalle(lambda knalle: run_import(knalle, args.file, skip_bad=args.skip_bad))


def review_table(knalle: Knalle, messages: Iterable[ChannelMessage]) -> Table:
    """The review file as a streamed table, one read of the register per CHUNK of messages:
    no unit of work stays open while Slack pages the channel."""

    def rows() -> Iterator[Row]:
        for chunk in core.chunks(messages):
            with knalle.db.read() as session:
                found = core.review_rows(session, chunk, knalle.settings.zone)
            yield from found

    return core.review_table(rows())


Advance = Callable[[int], None]
Progress = Callable[[str, "int | None"], AbstractContextManager[Advance]]


def import_visits(
    knalle: Knalle, path: Path, *, skip_bad: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Check every row in one read, then store the good ones marked ja (nothing at all while
    any row is in error, unless skip_bad), core.BATCH rows to a unit of work, so a stop midway
    keeps the batches done and a second run stores the rest. `progress(label, total)` (the
    CLI's bar, bot/cli/progress.py) hears of every row stored."""
    with knalle.db.read() as session:
        result, planned = core.check_file(
            session, path, today=knalle.clock.now().date(), skip_bad=skip_bad
        )
    if not result.checked:
        return result
    themes_file = knalle.settings.themes_file
    with (progress or _no_progress)("Sparar besöken", len(planned)) as advance:
        for batch in core.batches(planned):
            with knalle.db.write() as session:
                core.store_batch(
                    session, batch, result, now=knalle.clock.now(), themes_file=themes_file
                )
            advance(len(batch))
    return result


@contextmanager
def _no_progress(_label: str, _total: int | None) -> Iterator[Advance]:
    yield lambda _n: None


class _Counted:
    """Counts the rows (and the ja rows) as they stream past into the file."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self.rows = rows
        self.total = 0
        self.yes = 0
        self._yes_at = REVIEW_HEADER.index(COL_IMPORT)

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.total += 1
            self.yes += row[self._yes_at] == YES
            yield row


def run_backfill(
    knalle: Knalle,
    channel: str,
    *,
    since: dt.date | None = None,
    output: Path | None = None,
    page_size: int | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    channel = channel.strip().lstrip("#")
    if not _CHANNEL_ID.fullmatch(channel):
        print(BAD_CHANNEL.format(channel=channel), file=err)
        return 2
    token = knalle.settings.slack_bot_token
    if not token:
        print(NO_TOKEN, file=err)
        return 2
    output = output or Path(f"besok-{channel}.xlsx")
    if output.suffix.lower() not in (".xlsx", ".csv"):
        print(f"{output}: granskningsfilen ska sluta på .xlsx eller .csv.", file=err)
        return 2
    oldest = None
    if since is not None:
        start = dt.datetime.combine(since, dt.time(), tzinfo=knalle.settings.zone)
        oldest = start.timestamp()
    client = history_client(token, knalle.settings.slack_api_url)
    messages = channel_messages(client, channel, oldest=oldest, **_page(page_size))
    table = review_table(knalle, messages)
    counted = _Counted(iter(table.rows))
    # Slack gives the channel page by page: a count and a spinner, the total is not known.
    rows = track(counted, "Läser kanalen", stream=err)
    table = Table(table.title, table.header, rows, table.widths)
    try:
        if output.suffix.lower() == ".xlsx":
            write_xlsx_to(table, output)
        else:
            with output.open("w", encoding="utf-8", newline="") as stream:
                write_csv(table, stream)
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "okänt fel"
        print(_slack_error(str(code), channel), file=err)
        return 1
    print(
        f"Skrev {counted.total} meddelanden till {output}, {counted.yes} med importera = ja. "
        f"Kontrollera kolumnerna importera och orsak, och kör sedan "
        f"`knalle import visits {output}`.",
        file=out,
    )
    return 0


def _page(page_size: int | None) -> dict[str, int]:
    return {"page_size": page_size} if page_size else {}


def _slack_error(code: str, channel: str) -> str:
    if code == "not_in_channel":
        return f"Knalle är inte med i kanalen {channel}. Bjud in Knalle (/invite @Knalle) först."
    if code == "channel_not_found":
        return f"Kanalen {channel} finns inte, eller Knalle ser den inte."
    if code == "missing_scope":
        return "Slack-appen saknar behörigheten channels:history (groups:history för privata)."
    return f"Slack svarade med felet {code} när kanalen {channel} lästes."


@exits_on_user_error
def run_import(
    knalle: Knalle,
    path: Path,
    *,
    skip_bad: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    result = import_visits(
        knalle, path, skip_bad=skip_bad, progress=functools.partial(progress, stream=err)
    )
    for problem in result.errors:
        print(str(problem), file=err)
    if result.error_count > len(result.errors):
        print(f"… och {result.error_count - len(result.errors)} fel till.", file=err)
    if not result.checked:
        print(
            f"Inget sparades: {result.error_count} fel i filen. Rätta raderna och kör igen, "
            "eller lägg till --skip-bad för att spara de felfria.",
            file=err,
        )
        return 1
    print(
        f"Sparade {result.stored} besök. {result.already} fanns redan, {result.not_marked} "
        f"rader var inte markerade ja"
        + (f", {result.error_count} rader hoppades över för fel." if result.error_count else "."),
        file=out,
    )
    return 0
