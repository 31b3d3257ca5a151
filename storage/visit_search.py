"""Visit search in the database: one folded text per visit, indexed for substring lookups.

`visits.search_text` holds the company's name and match key, the notes, the other participants
and the Slack ids present, joined by spaces and folded with Python's `str.casefold` (so "ÅHLÉNS"
finds "Åhléns", and "ß" is "ss", exactly as the search folds the words it is given). A word
matches a visit when it is a substring of that text, so "kompetens" finds "kompetensförsörjning".

Indexes (migration 0006):
- SQLite: `visits_fts`, an FTS5 table with the trigram tokenizer (case-sensitive, since the
  text is already folded) over `visits.search_text`, kept in step by triggers. A phrase of three
  or more characters is a trigram lookup; shorter words are checked with instr(). A search
  whose match is common is answered from the newest visits instead (see "querying" below).
- PostgreSQL: a GIN pg_trgm index on `search_text` for live visits, which serves `LIKE '%w%'`.

The text is kept up to date in Python: a flush that adds or changes a visit, its participants
or a company's name recomputes the text of the visits concerned (`refresh`). Rows written with
bulk Core statements must set `search_text` themselves (`search_text()`), or call `refresh`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    event,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from storage.models import Company, Visit, VisitParticipant

TRIGRAM = 3
FTS_TABLE = "visits_fts"
PG_INDEX = "ix_visits_search_trgm"
_PENDING = "knalle_search_pending"
_BATCH = 500
# A search looks through the newest live visits first (`matching_visit_ids`): this many, then
# at most RECENT_REACH more if the first look's rate of matches says the rest are there.
RECENT_WINDOW = 1_000
RECENT_REACH = 10_000

# The SQLite side of the index: created by migration 0006, re-created by `ensure_index` if a
# later migration rebuilt the visits table (SQLite's batch mode drops a table's triggers).
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS visits_fts_ai AFTER INSERT ON visits BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS visits_fts_ad AFTER DELETE ON visits BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS visits_fts_au AFTER UPDATE OF search_text ON visits BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
    "content='visits', content_rowid='id', tokenize='trigram case_sensitive 1')"
)


def search_text(
    company: str, match_key: str, notes: str, others: Iterable[str], ids: Iterable[str]
) -> str:
    """The folded text a visit is searched by (what `/besök sök` used to build per visit)."""
    return " ".join([company, match_key, notes, " ".join(others), " ".join(ids)]).casefold()


def fold(word: str) -> str:
    return word.casefold()


# -- upkeep ----------------------------------------------------------------------------------


def refresh(connection: Connection, visit_ids: Iterable[int]) -> None:
    """Recompute the search text of these visits from their rows."""
    wanted = sorted(set(visit_ids))
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        people: dict[int, list[str]] = defaultdict(list)
        for visit_id, slack_id in connection.execute(
            select(VisitParticipant.visit_id, VisitParticipant.slack_user_id)
            .where(VisitParticipant.visit_id.in_(batch))
            .order_by(VisitParticipant.id)
        ):
            people[visit_id].append(slack_id)
        rows = connection.execute(
            select(
                Visit.id,
                Company.name,
                Company.match_key,
                Visit.notes,
                Visit.others,
                Visit.author_id,
            )
            .join(Company, Company.id == Visit.company_id)
            .where(Visit.id.in_(batch))
        )
        values = [
            {
                "visit": visit_id,
                "folded": search_text(
                    name, key, notes or "", others or (), [author, *people.get(visit_id, ())]
                ),
            }
            for visit_id, name, key, notes, others, author in rows
        ]
        if values:
            table = Visit.__table__
            assert isinstance(table, Table)
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("visit"))
                .values(search_text=bindparam("folded")),
                values,
            )


def _renamed(company: Company) -> bool:
    state = inspect(company)
    return any(state.attrs[name].history.has_changes() for name in ("name", "match_key"))


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    visits: list[Visit] = []
    visit_ids: set[int] = set()
    company_ids: set[int] = set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Visit):
            visits.append(obj)
        elif isinstance(obj, VisitParticipant):
            if obj.visit is not None:
                visits.append(obj.visit)
            elif obj.visit_id is not None:
                visit_ids.add(obj.visit_id)
        elif isinstance(obj, Company) and obj.id is not None and _renamed(obj):
            company_ids.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, VisitParticipant) and obj.visit_id is not None:
            visit_ids.add(obj.visit_id)
    if visits or visit_ids or company_ids:
        pending = session.info.setdefault(_PENDING, ([], set(), set()))
        pending[0].extend(visits)
        pending[1].update(visit_ids)
        pending[2].update(company_ids)


def _apply(session: Session, _context: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    visits, visit_ids, company_ids = pending
    ids = set(visit_ids) | {v.id for v in visits if v.id is not None and v not in session.deleted}
    connection = session.connection()
    if company_ids:
        ids.update(
            connection.scalars(select(Visit.id).where(Visit.company_id.in_(sorted(company_ids))))
        )
    if ids:
        refresh(connection, ids)


event.listen(Session, "before_flush", _collect)
event.listen(Session, "after_flush_postexec", _apply)


def ensure_index(engine: Engine) -> None:
    """SQLite: put back the index's triggers (and rebuild it) when a migration dropped them."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        names = set(
            connection.scalars(
                text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            )
        )
        if FTS_TABLE not in names or {"visits_fts_ai", "visits_fts_ad", "visits_fts_au"} <= names:
            return
        for statement in SQLITE_TRIGGERS:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


# -- querying --------------------------------------------------------------------------------
#
# A search asks for the newest `limit` live visits (date, then id, newest first) that match:
# every word is in the visit's text or names someone present (the word's Slack ids), and
# everyone mentioned was present. Two ways answer it, and each is right for one kind of match:
#
# - The index (FTS5 on SQLite): a MATCH gives the visits that can match; they are checked
#   exactly and sorted. Cheap when they are few; a common word ("kompetens" is in every fifth
#   visit) makes it gather and sort 20,000 to keep 30.
# - The newest visits, row by row in the answer's order: a common match has its `limit` among
#   the first few hundred. Any head of the order holds the head of the answer, so what is found
#   there comes first, and `limit` found there are the answer. A rare one would walk them all.
#
# Each word's MATCH, read up to PROBE hits, tells which kind this is: a word with fewer makes
# the index's way cheap, with that word's hits as the candidates. PostgreSQL (pg_trgm serves
# the LIKEs) and words too short for trigrams look through the newest visits first.

# A word with fewer hits than this in the index is the index's way in; with more, the newest
# visits are looked through first.
PROBE = 2_000
# The newest visits looked through: this many, then at most RECENT_REACH more if the first
# look's rate of matches says the rest are there; if not, the index answers.
RECENT_WINDOW = 1_000
RECENT_REACH = 10_000

Words = Sequence[tuple[str, Sequence[str]]]


def matching_visit_ids(
    session: Session, words: Words, mentioned: Iterable[str], limit: int
) -> list[int]:
    """Live visits, newest first, where every word (folded) is in the search text or names
    someone present (the word's Slack ids), and everyone mentioned was present."""
    mentioned = sorted(set(mentioned))
    terms = _index_terms(words, mentioned) if session.get_bind().dialect.name == "sqlite" else []
    # Each term is read up to PROBE hits: FTS5 reads one phrase lazily (3 ms for 2,000 of
    # "kompetens"), where an AND of two common phrases costs 25 ms before its first hit.
    for term in terms:
        if _hits_below(session, term, PROBE):
            return indexed_matches(session, words, mentioned, limit, term)
    found = newest_matches(session, words, mentioned, limit, RECENT_WINDOW)
    if found is not None:
        return found
    return indexed_matches(session, words, mentioned, limit, " AND ".join(terms))


def indexed_matches(
    session: Session, words: Words, mentioned: Sequence[str], limit: int, match: str = ""
) -> list[int]:
    """The answer from the index: the visits of FTS5's `match` (SQLite; every visit that
    matches is among them), checked exactly, sorted. PostgreSQL's LIKEs use pg_trgm."""
    query = _matching(session.get_bind().dialect.name, words, mentioned)
    if match:
        query = query.where(Visit.id.in_(_index_hits(match)))
    return list(session.scalars(_newest_first(query, limit)))


def newest_matches(
    session: Session, words: Words, mentioned: Sequence[str], limit: int, window: int
) -> list[int] | None:
    """The answer from the newest live visits, or None when they do not hold it: the first
    `window` of them had too few matches for the rest to be within RECENT_REACH more."""
    query = _matching(session.get_bind().dialect.name, words, mentioned)
    found: list[int] = []
    newer_than: dt.date | None = None
    size = window
    while True:
        since = _window_start(session, size, newer_than)
        part = query
        if since is not None:
            part = part.where(Visit.visit_date >= since)
        if newer_than is not None:
            part = part.where(Visit.visit_date < newer_than)
        found += session.scalars(_newest_first(part, limit - len(found)))
        if len(found) == limit or since is None:  # enough, or no older visits are left
            return found
        if newer_than is not None or not found:
            return None
        # As many more as the first look's rate says the rest need, and half as many again.
        size = max(1, (limit - len(found)) * window * 3 // (2 * len(found)))
        if size > RECENT_REACH:
            return None
        newer_than = since


def _newest_first(query: Select[int], limit: int) -> Select[int]:
    return query.order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(limit)


def _window_start(session: Session, size: int, before: dt.date | None) -> dt.date | None:
    """The date of the `size`-th newest live visit before `before` (index only), or None if
    there are fewer: the window then reaches the oldest visit."""
    query = select(Visit.visit_date).where(Visit.deleted_at.is_(None))
    if before is not None:
        query = query.where(Visit.visit_date < before)
    return session.scalar(query.order_by(Visit.visit_date.desc()).offset(size - 1).limit(1))


def _matching(dialect: str, words: Words, mentioned: Sequence[str]) -> Select[int]:
    """Live visits that match, checked on each visit's own row.

    Everyone present is in a visit's search text by Slack id (`refresh`), so the text is asked
    first and the participant rows only for the visits whose text names them.
    """
    query = select(Visit.id).where(Visit.deleted_at.is_(None))
    for word, people in words:
        found = _in_text(dialect, word)
        query = query.where(or_(found, _named_present(dialect, people)) if people else found)
    for slack_id in mentioned:
        query = query.where(_named_present(dialect, [slack_id]))
    return query


def _in_text(dialect: str, word: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        return func.instr(Visit.search_text, word) > 0
    return Visit.search_text.like(f"%{_escape_like(word)}%")


def _named_present(dialect: str, ids: Sequence[str]) -> ColumnElement[bool]:
    took_part = select(VisitParticipant.id).where(
        VisitParticipant.visit_id == Visit.id, VisitParticipant.slack_user_id.in_(ids)
    )
    named = or_(*(_in_text(dialect, fold(slack_id)) for slack_id in ids))
    return and_(named, or_(Visit.author_id.in_(ids), took_part.exists()))


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _index_terms(words: Words, mentioned: Sequence[str]) -> list[str]:
    """FTS5 queries that every matching visit matches: one per word (`"kompetens"`, or with
    the people it names `("pia" OR "u0004")`) and per mention, of three letters or more.

    A staff member present has their Slack id in the text, so a word naming people is its own
    phrase or one of their ids; parts with a shorter phrase are left to the exact check.
    """
    terms = []
    for word, people in words:
        phrases = [word, *(fold(slack_id) for slack_id in people)]
        if all(len(phrase) >= TRIGRAM for phrase in phrases):
            terms.append(" OR ".join(_phrase(p) for p in phrases))
    terms += [_phrase(fold(slack_id)) for slack_id in mentioned if len(slack_id) >= TRIGRAM]
    return [f"({term})" for term in terms]


def _phrase(text_: str) -> str:
    return '"' + text_.replace('"', '""') + '"'


def _index_hits(match: str) -> TextualSelect:
    return (
        text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match")
        .bindparams(bindparam("match", match))
        .columns(rowid=Integer)
    )


def _hits_below(session: Session, match: str, bound: int) -> bool:
    """Whether the MATCH has fewer than `bound` hits, read no further than that."""
    hits = text(
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match "
        "LIMIT :bound)"
    )
    return (session.scalar(hits, {"match": match, "bound": bound}) or 0) < bound
