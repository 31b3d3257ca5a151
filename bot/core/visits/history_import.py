"""A channel's history as visits in three steps: a review file, a check in Excel, an import.

`review_rows` turns a chunk of a channel's messages into the review file's rows: each human
message read by the message reader, with `importera` ja where the reader is confident it is a
visit and `orsak` saying why not otherwise. `check_file` reads and checks every row of a review
file or of a `knalle export visits` file and plans the rows marked ja; `store_batch` stores a
batch of them. A message is keyed by channel and ts, an exported row without a message by its
content, so a second import stores nothing twice; such a row that matches a visit as stored (an
export brought back into the database it came from) is already there too.

Each function works in the caller's unit of work. The CLI (bot/cli/backfill.py) decides what a
unit is: one read per CHUNK of messages while the channel is paged, one write per BATCH of rows.
Knows nothing of Slack: the messages come in as ChannelMessage values.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.companies import register as companies
from bot.core.export import Row, Table
from bot.core.visits import actions as core
from bot.core.visits.message_reader import MessageReading, read_message
from bot.core.visits.parser import FORM_DIGITAL, FORM_ON_SITE
from bot.errors import InvalidInput, UserError
from storage import staff as staff_queries
from storage import visits as queries

YES, NO = "ja", "nej"
CHUNK = 200  # messages read against the register per database session
BATCH = 200  # imported visits stored per unit of work
MAX_ERRORS_SHOWN = 50

COL_CHANNEL = "kanal"
COL_TS = "ts"
COL_LINK = "länk"
COL_AUTHOR = "författare"
COL_POSTED = "skriven"
COL_TEXT = "meddelande"
COL_COMPANY = "företag"
COL_DATE = "datum"
COL_STAFF = "personal"
COL_OTHERS = "övriga"
COL_FORM = "form"
COL_NOTES = "anteckningar"
COL_IMPORT = "importera"
COL_REASON = "orsak"

REVIEW_HEADER = (
    COL_CHANNEL,
    COL_TS,
    COL_LINK,
    COL_AUTHOR,
    COL_POSTED,
    COL_TEXT,
    COL_COMPANY,
    COL_DATE,
    COL_STAFF,
    COL_OTHERS,
    COL_FORM,
    COL_NOTES,
    COL_IMPORT,
    COL_REASON,
)
REVIEW_WIDTHS = (12, 18, 30, 22, 17, 60, 30, 12, 35, 25, 10, 50, 10, 50)
REQUIRED = (COL_DATE, COL_COMPANY)  # what every importable file has, review or export

ALREADY_SAVED = "redan sparat som besök"
NEW_COMPANY = "nytt företag i registret"
UNSURE_COMPANY = (
    'osäkert företag: "{name}" liknar {candidates}; rätta namnet i kolumnen företag, eller låt '
    "det stå för ett nytt företag, och skriv ja"
)
NAME_DOUBTS = ("kan vara flera företag", "börjar med liten bokstav")

_ID_IN_PARENS = re.compile(r"\(([UW][A-Z0-9]+)\)\s*$")
_BARE_ID = re.compile(r"[UW][A-Z0-9]{2,}")


@dataclass(frozen=True)
class ChannelMessage:
    """One human message, a thread parent, as read from the channel's history."""

    channel: str
    ts: str
    user: str
    text: str
    permalink: str

    def posted_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(float(self.ts), tz=dt.UTC)


# -- the review file --------------------------------------------------------------------------


def _people(ids: Iterable[str], names: dict[str, str]) -> str:
    return ", ".join(f"{names[i]} ({i})" if i in names else i for i in dict.fromkeys(ids))


def _reading_row(
    session: Session,
    message: ChannelMessage,
    reading: MessageReading,
    names: dict[str, str],
    saved: set[str],
    zone: ZoneInfo,
) -> Row:
    posted = message.posted_at().astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    head: list[str | dt.date | dt.datetime] = [
        message.channel,
        message.ts,
        message.permalink,
        _people([message.user], names),
        posted,
        message.text,
    ]
    visit = reading.visit
    if visit is None:
        return (*head, "", "", "", "", "", "", NO, reading.reason)
    unsure = list(reading.unsure)
    company_note = ""
    company = visit.company
    try:
        found = companies.match_company(session, visit.company)
    except InvalidInput as error:
        unsure.append(error.message)
    else:
        if found.company is not None:
            # The register knows the name: how it was written ("ellos", "A och B") is no doubt.
            unsure = [u for u in unsure if not any(d in u for d in NAME_DOUBTS)]
            company = found.company.name
        elif found.candidates:
            unsure.append(
                UNSURE_COMPANY.format(
                    name=found.name, candidates=" eller ".join(c.name for c in found.candidates)
                )
            )
        else:
            company_note = NEW_COMPANY
    if message.ts in saved:
        importable, reason = NO, ALREADY_SAVED
    elif unsure:
        importable, reason = NO, "; ".join(unsure)
    else:
        importable, reason = YES, company_note
    return (
        *head,
        company,
        visit.visit_date,
        _people([message.user, *visit.mentioned_user_ids, *visit.mentioned_names], names),
        ", ".join(visit.others),
        visit.form,
        visit.notes,
        importable,
        reason,
    )


def chunks(messages: Iterable[ChannelMessage]) -> Iterator[list[ChannelMessage]]:
    """The one-pass stream of messages, CHUNK at a time (one unit of work each)."""
    stream = iter(messages)
    while chunk := list(itertools.islice(stream, CHUNK)):
        yield chunk


def review_rows(
    session: Session, chunk: Sequence[ChannelMessage], zone: ZoneInfo
) -> list[Row]:
    """The review file's rows of these messages, read against the register and staff list."""
    names = {
        m.slack_user_id: m.name
        for m in staff_queries.all_staff(session, active_only=False)
        if m.slack_user_id
    }
    saved: set[str] = set()
    for channel in {m.channel for m in chunk}:
        saved |= queries.live_source_ts(
            session, channel, [m.ts for m in chunk if m.channel == channel]
        )
    rows = []
    for message in chunk:
        posted_on = message.posted_at().astimezone(zone).date()
        reading = read_message(message.text, posted_on)
        rows.append(_reading_row(session, message, reading, names, saved, zone))
    return rows


def review_table(rows: Iterable[Row]) -> Table:
    """The review file as a streamed table: read it once, while writing it."""
    return Table(
        title="Besök att granska",
        header=REVIEW_HEADER,
        rows=rows,
        widths=REVIEW_WIDTHS,
    )


# -- reading a file back ----------------------------------------------------------------------

FileCell = str | int | float | dt.date | dt.datetime | None


def _cell_text(value: FileCell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(path: Path) -> Iterator[tuple[int, dict[str, FileCell]]]:
    """(row number as Excel shows it, cells by lower-cased column name), one row at a time."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx") and not path.is_file():
        raise InvalidInput(f"Filen {path} finns inte.")
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            header = [h.strip().lower() for h in next(reader, [])]
            _check_header(header)
            for number, values in enumerate(reader, start=2):
                if any(v.strip() for v in values):
                    yield number, dict(zip(header, values, strict=False))
        return
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (OSError, ValueError, KeyError) as error:
            raise InvalidInput(
                f"{path.name} går inte att läsa som en xlsx-fil ({error})."
            ) from error
        try:
            sheet = book.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [str(h or "").strip().lower() for h in next(rows, ())]
            _check_header(header)
            for number, values in enumerate(rows, start=2):
                if any(v not in (None, "") for v in values):
                    yield number, dict(zip(header, values, strict=False))
        finally:
            book.close()
        return
    raise InvalidInput(
        f"{path.name}: skriv en fil som slutar på .xlsx eller .csv (granskningsfilen från "
        "`knalle backfill` eller en fil från `knalle export visits`)."
    )


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(
            f"Filen saknar kolumnen {', '.join(missing)} på första raden. Använd granskningsfilen "
            "från `knalle backfill` eller en fil från `knalle export visits`."
        )


# -- checking and storing ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Rad {self.row}, kolumn {self.column}: {self.message}"


@dataclass(frozen=True)
class PlannedVisit:
    row: int
    draft: core.VisitDraft
    author_id: str
    source: core.VisitSource


@dataclass
class ImportResult:
    stored: int = 0
    already: int = 0  # rows whose message (or content) was stored before
    not_marked: int = 0  # rows marked nej
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    checked: bool = True  # False: errors, so nothing was stored


class _Directory:
    """The staff list, for reading "Pia (UPIA)", "UPIA" or "Pia" in a file."""

    def __init__(self, session: Session) -> None:
        self.members = staff_queries.all_staff(session, active_only=False)
        self.active = staff_queries.all_staff(session)  # whom a visit may count
        self.by_id = {m.slack_user_id: m for m in self.members if m.slack_user_id}

    def person(self, text: str) -> str:
        text = text.strip()
        m = _ID_IN_PARENS.search(text)
        if m:
            return m.group(1)
        if _BARE_ID.fullmatch(text):
            return text
        wanted = text.lstrip("@").casefold()
        found = [m for m in self.members if m.slack_user_id and m.name.casefold() == wanted] or [
            m for m in self.members if m.slack_user_id and m.name.split()[0].casefold() == wanted
        ]
        if len(found) == 1 and found[0].slack_user_id:
            return found[0].slack_user_id
        if len(found) > 1:
            raise InvalidInput(
                f'"{text}" kan vara flera personer ({", ".join(m.name for m in found)}); skriv '
                'Slack-id:t inom parentes, t.ex. "Pia (U012ABC)".'
            )
        raise InvalidInput(
            f'"{text}" finns inte i personallistan. Skriv "Namn (Slack-id)" som i exporten, '
            "eller kör `knalle staff sync` först."
        )


def _date(value: FileCell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as error:
        raise InvalidInput(
            f'"{text}" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-12.'
            if text
            else "datum saknas; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-12."
        ) from error


def _form(value: str) -> str:
    lowered = value.strip().casefold()
    if lowered in ("", FORM_ON_SITE):
        return FORM_ON_SITE
    if lowered in (FORM_DIGITAL, "digital"):
        return FORM_DIGITAL
    raise InvalidInput(f'"{value}" är ingen form; skriv "på plats" eller "digitalt".')


def _content_key(cells: dict[str, str]) -> str:
    content = "\x1f".join(
        cells.get(c, "") for c in (COL_DATE, COL_COMPANY, COL_STAFF, COL_AUTHOR, COL_NOTES)
    )
    return hashlib.sha256(("import\x1e" + content).encode()).hexdigest()


_FIELD_COLUMNS = {
    core.FIELD_COMPANY: COL_COMPANY,
    core.FIELD_DATE: COL_DATE,
    core.FIELD_COLLEAGUES: COL_STAFF,
    core.FIELD_OTHERS: COL_OTHERS,
    core.FIELD_FORM: COL_FORM,
    core.FIELD_NOTES: COL_NOTES,
}


def _plan_row(
    session: Session, number: int, raw: dict[str, FileCell], people: _Directory, today: dt.date
) -> tuple[PlannedVisit | None, list[RowError]]:
    """The row as a visit to store (None when marked nej), or its errors."""
    cells = {name: _cell_text(value) for name, value in raw.items()}
    errors: list[RowError] = []
    marked = cells.get(COL_IMPORT)
    if marked is not None:
        if marked.casefold() not in (YES, NO, ""):
            return None, [RowError(number, COL_IMPORT, f'"{marked}": skriv ja eller nej.')]
        elif marked.casefold() != YES:
            return None, []

    def field(column: str, read: object) -> object:
        try:
            return read() if callable(read) else read
        except UserError as error:
            errors.append(RowError(number, column, error.message))
            return None

    day = field(COL_DATE, lambda: _date(raw.get(COL_DATE)))
    form = field(COL_FORM, lambda: _form(cells.get(COL_FORM, "")))
    staff_ids: list[str] = []
    for item in filter(None, (p.strip() for p in cells.get(COL_STAFF, "").split(","))):
        found = field(COL_STAFF, lambda item=item: people.person(item))
        if isinstance(found, str):
            staff_ids.append(found)
    author = ""
    if cells.get(COL_AUTHOR):
        found = field(COL_AUTHOR, lambda: people.person(cells[COL_AUTHOR]))
        author = found if isinstance(found, str) else ""
    elif staff_ids:
        author = staff_ids[0]
    elif not errors:
        errors.append(
            RowError(number, COL_AUTHOR, 'skriv vem som loggar besöket, t.ex. "Pia (U012ABC)".')
        )
    if errors or not isinstance(day, dt.date) or not isinstance(form, str) or not author:
        return None, errors
    others = tuple(p.strip() for p in re.split(r"[,;]", cells.get(COL_OTHERS, "")) if p.strip())
    draft = core.VisitDraft(
        company=" ".join(cells.get(COL_COMPANY, "").split()),
        visit_date=day,
        colleagues=tuple(i for i in dict.fromkeys(staff_ids) if i != author),
        others=others,
        form=form,
        notes=cells.get(COL_NOTES, "").strip(),
        raw_text=cells.get(COL_TEXT, ""),
    )
    for name, message in core.problems_in(session, draft, author, today, people.active).items():
        errors.append(RowError(number, _FIELD_COLUMNS.get(name, COL_COMPANY), message))
    if errors:
        return None, errors
    channel, ts = cells.get(COL_CHANNEL, ""), cells.get(COL_TS, "")
    if channel and ts:
        source = core.VisitSource(core.SOURCE_IMPORT, channel, ts, cells.get(COL_LINK) or None)
    else:
        source = core.VisitSource(core.SOURCE_IMPORT, key=_content_key(cells))
    return PlannedVisit(number, draft, author, source), []


def _planned(
    session: Session, path: Path, result: ImportResult, today: dt.date
) -> list[PlannedVisit]:
    """Every row of the file, checked in one pass; errors go to `result`. The rows to store are
    kept (a few hundred bytes each, the ja rows only); the file is read a row at a time."""
    planned_rows: list[PlannedVisit] = []
    people = _Directory(session)
    for number, raw in read_file(path):
        planned, errors = _plan_row(session, number, raw, people, today)
        if errors:
            result.error_count += len(errors)
            room = MAX_ERRORS_SHOWN - len(result.errors)
            result.errors.extend(errors[: max(room, 0)])
        elif planned is None:
            result.not_marked += 1
        else:
            planned_rows.append(planned)
    return planned_rows


def check_file(
    session: Session, path: Path, *, today: dt.date, skip_bad: bool = False
) -> tuple[ImportResult, list[PlannedVisit]]:
    """Check every row of the file and plan the good ones marked ja that are not stored yet.
    With any row in error (and not skip_bad) the result is not `checked` and nothing is
    planned: nothing at all is stored then."""
    result = ImportResult()
    planned = _not_stored(session, _planned(session, path, result, today), result)
    if result.error_count and not skip_bad:
        result.checked = False
        return result, []
    return result, planned


def batches(planned: list[PlannedVisit]) -> Iterator[list[PlannedVisit]]:
    """The planned rows BATCH at a time (one unit of work each)."""
    for start in range(0, len(planned), BATCH):
        yield planned[start : start + BATCH]


Content = tuple[dt.date, str, str, frozenset[str], tuple[str, ...], str, str]


def _content(
    day: dt.date,
    company: str,
    author: str,
    people: Iterable[str],
    others: Iterable[str],
    form: str,
    notes: str | None,
) -> Content:
    """What makes a visit the same visit, however its row was written (the author is always
    among the people present)."""
    return (
        day,
        companies.match_key(company),
        author,
        frozenset(people) | {author},
        tuple(o.strip() for o in others if o.strip()),
        form,
        (notes or "").strip(),
    )


def _not_stored(
    session: Session, planned: list[PlannedVisit], result: ImportResult
) -> list[PlannedVisit]:
    """The planned rows minus those without a message that match a live visit as stored: an
    export imported into the database it came from brings nothing in twice. The visits of the
    rows' days are read once, streamed."""
    by_content = [p for p in planned if p.source.message is None]
    if not by_content:
        return planned
    days = {p.draft.visit_date for p in by_content}
    stored: set[Content] = set()
    for row in queries.export_rows(session, min(days), max(days)):
        if row.visit_date in days:
            stored.add(
                _content(
                    row.visit_date,
                    row.company,
                    row.author_id,
                    row.participants,
                    row.others,
                    row.form,
                    row.notes,
                )
            )
    kept: list[PlannedVisit] = []
    for p in planned:
        draft = p.draft
        same = _content(
            draft.visit_date,
            draft.company,
            p.author_id,
            draft.colleagues,
            draft.others,
            draft.form,
            draft.notes,
        )
        if p.source.message is None and same in stored:
            result.already += 1
        else:
            kept.append(p)
    return kept


def store_batch(
    session: Session,
    chunk: Sequence[PlannedVisit],
    result: ImportResult,
    *,
    now: dt.datetime,
    themes_file: Path | None,
) -> None:
    """Store one batch of planned rows; each row's outcome is counted in `result`."""
    items = [core.BatchItem(p.draft, p.author_id, p.source) for p in chunk]
    outcomes = core.import_batch(session, items, now=now, themes_file=themes_file)
    for row, outcome in zip(chunk, outcomes, strict=True):
        if isinstance(outcome, UserError):
            # The register or staff list changed since the check: report it, keep going.
            column = _FIELD_COLUMNS.get(getattr(outcome, "field", ""), COL_COMPANY)
            result.errors.append(RowError(row.row, column, outcome.message))
            result.error_count += 1
        elif outcome == core.ALREADY:
            result.already += 1
        else:
            result.stored += 1
