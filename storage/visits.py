"""Queries on visits and companies. Functions take a Session and never commit."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    Select,
    Text,
    bindparam,
    cast,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session, selectinload

from storage.models import Company, Visit, VisitParticipant, VisitTheme

UNKNOWN_CLUSTER = "Okänt kluster"


def live_visits() -> Select[Visit]:
    """Visits not undone ("Ångra" hides a visit, it never deletes it)."""
    return select(Visit).where(Visit.deleted_at.is_(None))


def visits_between(session: Session, start: dt.date, end: dt.date) -> list[Visit]:
    """Visits dated start..end inclusive, oldest first, with company and participants loaded."""
    query = (
        live_visits()
        .where(Visit.visit_date >= start, Visit.visit_date <= end)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.visit_date, Visit.id)
    )
    return list(session.scalars(query))


def count_between(session: Session, start: dt.date, end: dt.date) -> int:
    # count(*), not count(id): PostgreSQL then answers from the live-date index alone (an
    # index-only scan); id is not in that index. The counts are the same (id is never NULL).
    query = (
        select(func.count())
        .where(Visit.deleted_at.is_(None))
        .where(Visit.visit_date >= start, Visit.visit_date <= end)
    )
    return int(session.scalar(query) or 0)


def count_by_month(session: Session, year: int, until: dt.date | None = None) -> dict[int, int]:
    """Month number → visits that year (every month 1–12 present, zero when none)."""
    end = until or dt.date(year, 12, 31)
    # Counted by day (at most 366 groups, read in the live-date index's order) and summed by
    # month here: a month computed in SQL (strftime on SQLite) costs more than the count.
    # count(*) as in count_between: an index-only scan on PostgreSQL.
    query = (
        select(Visit.visit_date, func.count())
        .where(Visit.deleted_at.is_(None))
        .where(Visit.visit_date >= dt.date(year, 1, 1), Visit.visit_date <= end)
        .group_by(Visit.visit_date)
    )
    counts = {number: 0 for number in range(1, 13)}
    for day, count in session.execute(query):
        counts[day.month] += int(count)
    return counts


def count_by_cluster(session: Session, year: int, until: dt.date | None = None) -> dict[str, int]:
    """Cluster → visits that year, most visited first; companies without a cluster grouped."""
    end = until or dt.date(year, 12, 31)
    query = (
        select(Company.cluster, func.count())  # count(*): see count_between
        .join(Visit.company)
        .where(Visit.deleted_at.is_(None))
        .where(Visit.visit_date >= dt.date(year, 1, 1), Visit.visit_date <= end)
        .group_by(Company.cluster)
    )
    counts: Counter[str] = Counter()
    for cluster, count in session.execute(query):
        counts[cluster or UNKNOWN_CLUSTER] += int(count)
    return dict(counts.most_common())


# Home's "your latest visits" looks among this many newest live visits first.
RECENT_WINDOW = 300


def recent_visits_of(session: Session, slack_user_id: str, limit: int = 5) -> list[Visit]:
    """Live visits the user took part in (author or present), newest visit date first.

    First among the RECENT_WINDOW newest live visits (read in date order, one participant
    probe each): for anyone who visits at all that finds them, in a millisecond. The newest
    window is the head of the same order, so what it finds is the answer. Only when it finds
    fewer than `limit` are all the user's visits sorted (few, for someone who seldom visits).
    """
    took_part = (Visit.author_id == slack_user_id) | (
        select(VisitParticipant.id)
        .where(VisitParticipant.visit_id == Visit.id)
        .where(VisitParticipant.slack_user_id == slack_user_id)
        .exists()
    )
    newest = (
        select(Visit.id)
        .where(Visit.deleted_at.is_(None))
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
        .limit(RECENT_WINDOW)
        .subquery()
    )
    in_window = (
        live_visits()
        .join(newest, newest.c.id == Visit.id)
        .where(took_part)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
        .limit(limit)
    )
    found = list(session.scalars(in_window))
    if len(found) >= limit:
        return found
    all_of_theirs = select(VisitParticipant.visit_id).where(
        VisitParticipant.slack_user_id == slack_user_id
    )
    query = (
        live_visits()
        .where((Visit.author_id == slack_user_id) | Visit.id.in_(all_of_theirs))
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def visit_by_id(session: Session, visit_id: int) -> Visit | None:
    """A live visit with company and participants, or None (also when undone)."""
    query = (
        live_visits()
        .where(Visit.id == visit_id)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
    )
    return session.scalars(query).first()


def visit_by_submission_key(session: Session, key: str) -> Visit | None:
    query = (
        select(Visit)
        .where(Visit.submission_key == key)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
    )
    return session.scalars(query).first()


def same_visit_since(
    session: Session,
    author_id: str,
    company_id: int,
    visit_date: dt.date,
    notes: str,
    since: dt.datetime,
) -> Visit | None:
    """A live visit the author stored after `since` with the same content: a double submit."""
    query = (
        live_visits()
        .where(
            Visit.author_id == author_id,
            Visit.company_id == company_id,
            Visit.visit_date == visit_date,
            Visit.notes == notes,
            Visit.created_at >= since,
        )
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.id)
    )
    return session.scalars(query).first()


def recent_visit_of(
    session: Session, author_id: str, company_id: int, visit_date: dt.date, since: dt.datetime
) -> Visit | None:
    """The author's latest live visit at this company and day stored after `since`."""
    query = (
        live_visits()
        .where(
            Visit.author_id == author_id,
            Visit.company_id == company_id,
            Visit.visit_date == visit_date,
            Visit.created_at >= since,
        )
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.id.desc())
    )
    return session.scalars(query).first()


def latest_by_author(session: Session, author_id: str) -> Visit | None:
    """The author's most recently stored live visit (what `/besök ångra` undoes)."""
    query = (
        live_visits()
        .where(Visit.author_id == author_id)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.created_at.desc(), Visit.id.desc())
    )
    return session.scalars(query).first()


def visits_of_company(session: Session, company_id: int) -> list[Visit]:
    """A company's live visits, newest first: the CRM view."""
    query = (
        live_visits()
        .where(Visit.company_id == company_id)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
    )
    return list(session.scalars(query))


def visits_by_ids(session: Session, ids: list[int]) -> list[Visit]:
    """These visits in the order given, with company and participants loaded."""
    if not ids:
        return []
    query = (
        select(Visit)
        .where(Visit.id.in_(ids))
        .options(selectinload(Visit.company), selectinload(Visit.participants))
    )
    by_id = {visit.id: visit for visit in session.scalars(query)}
    return [by_id[i] for i in ids if i in by_id]


def all_live_visits(session: Session) -> list[Visit]:
    """Every live visit, newest first. Search filters these in Python: about 150 a year, and
    SQLite's lower() and LIKE fold only ASCII, so "ÅHLÉNS" would not find "Åhléns" in SQL."""
    query = (
        live_visits()
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
    )
    return list(session.scalars(query))


def visits_for_export(session: Session, year: int | None = None) -> list[Visit]:
    """Live visits (of one year, or all), oldest first, company and participants loaded."""
    query = live_visits().options(selectinload(Visit.company), selectinload(Visit.participants))
    if year is not None:
        query = query.where(
            Visit.visit_date >= dt.date(year, 1, 1), Visit.visit_date <= dt.date(year, 12, 31)
        )
    return list(session.scalars(query.order_by(Visit.visit_date, Visit.id)))


class ExportRow(NamedTuple):
    """One live visit as the export needs it: plain values, no ORM objects."""

    id: int
    visit_date: dt.date
    company: str
    participants: tuple[str, ...]  # Slack ids in the order they were added (author first)
    others: tuple[str, ...]
    form: str
    notes: str
    author_id: str
    created_at: dt.datetime
    source: str
    source_channel: str | None
    source_ts: str | None
    permalink: str | None
    org_number: str | None = None
    cluster: str | None = None
    themes: tuple[str, ...] = ()  # the themes that apply, in the order they were set


# An ExportRow as a plain tuple, field for field.
ExportTuple = tuple[
    int,
    dt.date,
    str,
    tuple[str, ...],
    tuple[str, ...],
    str,
    str,
    str,
    dt.datetime,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    tuple[str, ...],
]
# Distinct `others` texts decoded and kept while one export streams (a few names each).
_DECODED_MOST = 50_000


def export_rows(
    session: Session, start: dt.date, end: dt.date, batch: int = 2000
) -> Iterator[ExportRow]:
    """Live visits dated start..end, oldest first, streamed in batches of `batch` rows."""
    return map(ExportRow._make, export_stream(session, start, end, batch))


def export_stream(
    session: Session, start: dt.date, end: dt.date, batch: int = 2000
) -> Iterator[ExportTuple]:
    """What `export_rows` gives, as plain tuples in ExportRow's field order (no object per row):
    the visits table's hot path.

    One query for the visits (read with a server-side cursor where the driver has one), and one
    per batch for the batch's participants and one for its themes: memory stays flat however
    many visits there are. The rows come from SQLAlchemy Core, with no ORM step per row.
    `others` is read as its JSON text and decoded once per distinct text (most visits have
    none, or the same few names); the same tuple then comes back for each.
    """
    query = (
        select(
            Visit.id,
            Visit.visit_date,
            Company.name,
            cast(Visit.others, Text),
            Visit.form,
            Visit.notes,
            Visit.author_id,
            Visit.created_at,
            Visit.source,
            Visit.source_channel,
            Visit.source_ts,
            Visit.permalink,
            Company.org_number,
            Company.cluster,
        )
        .join(Company, Company.id == Visit.company_id)
        .where(Visit.deleted_at.is_(None), Visit.visit_date >= start, Visit.visit_date <= end)
        .order_by(Visit.visit_date, Visit.id)
        .execution_options(yield_per=batch)
    )
    # A batch's participants and themes are those of the live visits whose (date, id) lies
    # between the batch's first and last: the batch itself, in four parameters (a list of its
    # 2,000 ids cost more to bind and check than the query itself).
    first_day, last_day = bindparam("first_day", type_=Date), bindparam("last_day", type_=Date)
    first_id, last_id = bindparam("first_id", type_=Integer), bindparam("last_id", type_=Integer)
    key = tuple_(Visit.visit_date, Visit.id)
    in_batch = (
        Visit.deleted_at.is_(None),
        Visit.visit_date >= first_day,
        Visit.visit_date <= last_day,
        key >= tuple_(first_day, first_id),
        key <= tuple_(last_day, last_id),
    )
    participants = (
        select(VisitParticipant.visit_id, VisitParticipant.slack_user_id)
        .join(Visit, Visit.id == VisitParticipant.visit_id)
        .where(*in_batch)
        .order_by(VisitParticipant.id)
    )
    tagged = (
        select(VisitTheme.visit_id, VisitTheme.theme)
        .join(Visit, Visit.id == VisitTheme.visit_id)
        .where(*in_batch, VisitTheme.applies.is_(True))
        .order_by(VisitTheme.id)
    )
    if session.autoflush:
        session.flush()  # what session.execute does first; the rows below skip the ORM
    execute = session.connection().execute
    decoded: dict[str | None, tuple[str, ...]] = {}
    for chunk in execute(query).partitions():
        bounds = {
            "first_day": chunk[0][1],
            "first_id": chunk[0][0],
            "last_day": chunk[-1][1],
            "last_id": chunk[-1][0],
        }
        people: dict[int, list[str]] = defaultdict(list)
        for visit_id, slack_user_id in execute(participants, bounds):
            people[visit_id].append(slack_user_id)
        themes: dict[int, list[str]] = defaultdict(list)
        for visit_id, theme in execute(tagged, bounds):
            themes[visit_id].append(theme)
        for row in chunk:
            visit_id, day, company, others_text, form, notes, author, created = row[:8]
            source, channel, ts, permalink, org_number, cluster = row[8:]
            others = decoded.get(others_text)
            if others is None:
                others = tuple(json.loads(others_text) or ()) if others_text is not None else ()
                if len(decoded) < _DECODED_MOST:
                    decoded[others_text] = others
            yield (
                visit_id,
                day,
                company,
                tuple(people.get(visit_id, ())),
                others,
                form,
                notes,
                author,
                created,
                source,
                channel,
                ts,
                permalink,
                org_number,
                cluster,
                tuple(themes.get(visit_id, ())),
            )


def visit_by_source(session: Session, channel: str, ts: str) -> Visit | None:
    """The visit read from Slack message (channel, ts), live or undone, or None."""
    query = (
        select(Visit)
        .where(Visit.source_channel == channel, Visit.source_ts == ts)
        .options(selectinload(Visit.company), selectinload(Visit.participants))
    )
    return session.scalars(query).first()


def live_source_ts(session: Session, channel: str, ts: list[str]) -> set[str]:
    """Which of these messages (ts) in `channel` are already stored as a live visit."""
    if not ts:
        return set()
    query = select(Visit.source_ts).where(
        Visit.deleted_at.is_(None), Visit.source_channel == channel, Visit.source_ts.in_(ts)
    )
    return {str(found) for found in session.scalars(query)}


def others_between(session: Session, start: dt.date, end: dt.date) -> list[list[str]]:
    """The others-present of every live visit dated start..end (campaign counts)."""
    query = (
        select(Visit.others)
        .where(Visit.deleted_at.is_(None))
        .where(Visit.visit_date >= start, Visit.visit_date <= end)
    )
    return [list(others or []) for others in session.scalars(query)]


def sources_stored(session: Session, channel: str, ts: list[str]) -> dict[str, bool]:
    """Of these messages in `channel`, the ones stored as a visit: ts → undone."""
    if not ts:
        return {}
    query = select(Visit.source_ts, Visit.deleted_at).where(
        Visit.source_channel == channel, Visit.source_ts.in_(ts)
    )
    return {str(found): deleted is not None for found, deleted in session.execute(query)}


def submission_keys_stored(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    query = select(Visit.submission_key).where(Visit.submission_key.in_(keys))
    return {str(key) for key in session.scalars(query)}


def release_source(session: Session, channel: str, ts: str) -> None:
    """An undone visit gives its message back, so the message may become a visit again."""
    session.execute(
        update(Visit)
        .where(Visit.source_channel == channel, Visit.source_ts == ts)
        .values(source_ts=None)
    )
