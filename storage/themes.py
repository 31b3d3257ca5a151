"""Queries on visits' themes (rows: visit, theme, set by the list or a person). Never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import Company, Visit, VisitTheme

BY_LIST = "lista"
BY_PERSON = "person"
_BATCH = 5000


@dataclass(frozen=True)
class TaggedNote:
    """One theme on one live visit, with what a compilation shows of the visit."""

    visit_id: int
    theme: str
    visit_date: dt.date
    company: str
    org_number: str | None
    cluster: str | None
    notes: str


def rows_of(session: Session, visit_id: int) -> list[VisitTheme]:
    return list(
        session.scalars(
            select(VisitTheme).where(VisitTheme.visit_id == visit_id).order_by(VisitTheme.id)
        )
    )


def applying(session: Session, visit_ids: Sequence[int]) -> dict[int, list[str]]:
    """Visit id → the themes that apply to it (set by the list or a person), in row order."""
    found: dict[int, list[str]] = {}
    ids = list(visit_ids)
    for first in range(0, len(ids), _BATCH):
        query = (
            select(VisitTheme.visit_id, VisitTheme.theme)
            .where(VisitTheme.visit_id.in_(ids[first : first + _BATCH]))
            .where(VisitTheme.applies.is_(True))
            .order_by(VisitTheme.visit_id, VisitTheme.id)
        )
        for visit_id, theme in session.execute(query):
            found.setdefault(int(visit_id), []).append(str(theme))
    return found


def set_by_list(
    session: Session, visit_id: int, themes: Iterable[str], now: dt.datetime
) -> tuple[int, int]:
    """Make the list's tags on a visit `themes`; a person's rows stay as they are.

    Returns (added, removed)."""
    wanted = list(dict.fromkeys(themes))
    rows = rows_of(session, visit_id)
    return _apply_list(session, visit_id, rows, wanted, now)


def _apply_list(
    session: Session,
    visit_id: int,
    rows: Sequence[VisitTheme],
    wanted: Sequence[str],
    now: dt.datetime,
) -> tuple[int, int]:
    by_theme = {row.theme: row for row in rows}
    removed = 0
    for row in rows:
        if row.set_by == BY_LIST and row.theme not in wanted:
            session.delete(row)
            removed += 1
    added = 0
    for theme in wanted:
        if theme not in by_theme:
            session.add(
                VisitTheme(visit_id=visit_id, theme=theme, set_by=BY_LIST, applies=True, set_at=now)
            )
            added += 1
    return added, removed


def set_by_person(
    session: Session,
    visit_id: int,
    theme: str,
    applies: bool,
    user_id: str,
    now: dt.datetime,
) -> None:
    """A person's word on one theme of a visit (applies or not): final, retagging keeps it."""
    row = session.scalars(
        select(VisitTheme).where(VisitTheme.visit_id == visit_id, VisitTheme.theme == theme)
    ).first()
    if row is None:
        session.add(
            VisitTheme(
                visit_id=visit_id,
                theme=theme,
                set_by=BY_PERSON,
                applies=applies,
                set_by_user=user_id,
                set_at=now,
            )
        )
        return
    row.set_by = BY_PERSON
    row.applies = applies
    row.set_by_user = user_id
    row.set_at = now


def notes_in_batches(session: Session, size: int = _BATCH) -> Iterator[list[tuple[int, str]]]:
    """(visit id, notes) of every live visit, in id order, `size` at a time."""
    last = 0
    while True:
        query = (
            select(Visit.id, Visit.notes)
            .where(Visit.deleted_at.is_(None), Visit.id > last)
            .order_by(Visit.id)
            .limit(size)
        )
        batch = [(int(i), str(n or "")) for i, n in session.execute(query)]
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def retag_batch(
    session: Session, wanted: Mapping[int, Sequence[str]], now: dt.datetime
) -> tuple[int, int]:
    """The list's tags of many visits at once (visit id → themes); persons' rows kept.

    Plain rows, one DELETE and one multi-row INSERT per batch: retagging 100,000 visits must not
    build an ORM object per tag."""
    ids = list(wanted)
    existing: dict[int, dict[str, tuple[int, str]]] = {i: {} for i in ids}
    query = select(VisitTheme.id, VisitTheme.visit_id, VisitTheme.theme, VisitTheme.set_by).where(
        VisitTheme.visit_id.in_(ids)
    )
    for row_id, visit_id, theme, set_by in session.execute(query):
        existing[visit_id][theme] = (row_id, set_by)
    doomed: list[int] = []
    fresh: list[dict[str, object]] = []
    for visit_id in ids:
        themes = wanted[visit_id]
        rows = existing[visit_id]
        doomed += [
            row_id
            for theme, (row_id, set_by) in rows.items()
            if set_by == BY_LIST and theme not in themes
        ]
        fresh += [
            {
                "visit_id": visit_id,
                "theme": theme,
                "set_by": BY_LIST,
                "applies": True,
                "set_by_user": None,
                "set_at": now,
            }
            for theme in dict.fromkeys(themes)
            if theme not in rows
        ]
    if doomed:
        session.execute(delete(VisitTheme).where(VisitTheme.id.in_(doomed)))
    if fresh:
        session.execute(insert(VisitTheme), fresh)
    return len(fresh), len(doomed)


def drop_unknown(session: Session, known: Sequence[str]) -> int:
    """Remove the list's rows of themes no longer in the list (a person's rows stay)."""
    result = session.execute(
        delete(VisitTheme).where(VisitTheme.set_by == BY_LIST, VisitTheme.theme.not_in(known))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def counts_by_theme_and_cluster(
    session: Session, start: dt.date, end: dt.date
) -> list[tuple[str, str | None, int]]:
    """(theme, cluster, visits) over live visits dated start..end.

    Grouped by company in SQL and mapped to clusters here: the companies are few, and leaving
    their table out of the join saves a lookup per tag row (100,000 visits: ~250,000 rows)."""
    query = (
        select(VisitTheme.theme, Visit.company_id, func.count(VisitTheme.id))
        .join(Visit, Visit.id == VisitTheme.visit_id)
        .where(Visit.deleted_at.is_(None), VisitTheme.applies.is_(True))
        .where(Visit.visit_date >= start, Visit.visit_date <= end)
        .group_by(VisitTheme.theme, Visit.company_id)
    )
    grouped = session.execute(query).all()
    ids = {int(company_id) for _, company_id, _ in grouped}
    clusters: dict[int, str | None] = {}
    id_list = sorted(ids)
    for first in range(0, len(id_list), _BATCH):
        chunk = id_list[first : first + _BATCH]
        for company_id, cluster in session.execute(
            select(Company.id, Company.cluster).where(Company.id.in_(chunk))
        ):
            clusters[int(company_id)] = cluster
    totals: dict[tuple[str, str | None], int] = {}
    for theme, company_id, n in grouped:
        key = (str(theme), clusters.get(int(company_id)))
        totals[key] = totals.get(key, 0) + int(n)
    return [(theme, cluster, n) for (theme, cluster), n in totals.items()]


def tagged_visits(session: Session, start: dt.date, end: dt.date) -> int:
    """Live visits dated start..end with at least one theme that applies."""
    tagged = (
        select(VisitTheme.id)
        .where(VisitTheme.visit_id == Visit.id, VisitTheme.applies.is_(True))
        .exists()
    )
    query = (
        select(func.count(Visit.id))
        .where(Visit.deleted_at.is_(None), Visit.visit_date >= start, Visit.visit_date <= end)
        .where(tagged)
    )
    return int(session.scalar(query) or 0)


def newest_of_theme(
    session: Session, theme: str, start: dt.date, end: dt.date, limit: int
) -> list[TaggedNote]:
    """The `limit` newest live visits dated start..end with `theme`, newest first.

    Walks the visits newest first (the visit_date index) and probes each for the theme (the
    (visit, theme) unique index), so it stops after `limit` instead of sorting every visit
    with a common theme."""
    if limit <= 0:
        return []
    has_theme = (
        select(VisitTheme.id)
        .where(
            VisitTheme.visit_id == Visit.id,
            VisitTheme.theme == theme,
            VisitTheme.applies.is_(True),
        )
        .exists()
    )
    query = (
        select(
            Visit.id,
            Visit.visit_date,
            Company.name,
            Company.org_number,
            Company.cluster,
            Visit.notes,
        )
        .join(Company, Company.id == Visit.company_id)
        .where(Visit.deleted_at.is_(None))
        .where(Visit.visit_date >= start, Visit.visit_date <= end)
        .where(has_theme)
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
        .limit(limit)
    )
    return [
        TaggedNote(int(i), theme, d, str(c), o, cl, str(n or ""))
        for i, d, c, o, cl, n in session.execute(query)
    ]
