"""Visit search in the database: one folded text per visit, indexed for substring lookups.

`visits.search_text` holds the company's name and match key, the notes, the other participants
and the Slack ids present, joined by spaces and folded with Python's `str.casefold` (so "ÅHLÉNS"
finds "Åhléns", and "ß" is "ss", exactly as the search folds the words it is given). A word
matches a visit when it is a substring of that text, so "kompetens" finds "kompetensförsörjning".

Indexes (migration 0006):
- SQLite: `visits_fts`, an FTS5 table with the trigram tokenizer (case-sensitive, since the
  text is already folded) over `visits.search_text`, kept in step by triggers. A phrase of three
  or more characters is a trigram lookup; shorter words are checked with instr().
- PostgreSQL: a GIN pg_trgm index on `search_text` for live visits, which serves `LIKE '%w%'`.

The text is kept up to date in Python: a flush that adds or changes a visit, its participants
or a company's name recomputes the text of the visits concerned (`refresh`). Rows written with
bulk Core statements must set `search_text` themselves (`search_text()`), or call `refresh`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Table,
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

from storage.models import Company, Visit, VisitParticipant

TRIGRAM = 3
FTS_TABLE = "visits_fts"
PG_INDEX = "ix_visits_search_trgm"
_PENDING = "knalle_search_pending"
_BATCH = 500

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


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(session: Session, word: str, tag: str) -> ColumnElement[bool]:
    """`word` (already folded) is a substring of the visit's search text."""
    if session.get_bind().dialect.name == "sqlite":
        if len(word) >= TRIGRAM:
            phrase = '"' + word.replace('"', '""') + '"'
            hits = (
                text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :{tag}")
                .bindparams(bindparam(tag, phrase))
                .columns(rowid=Integer)
            )
            return Visit.id.in_(hits)
        return func.instr(Visit.search_text, word) > 0
    return Visit.search_text.like(f"%{_escape_like(word)}%")


def _present(ids: Sequence[str]) -> ColumnElement[bool]:
    took_part = select(VisitParticipant.visit_id).where(VisitParticipant.slack_user_id.in_(ids))
    return or_(Visit.author_id.in_(ids), Visit.id.in_(took_part))


def matching_visit_ids(
    session: Session,
    words: Sequence[tuple[str, Sequence[str]]],
    mentioned: Iterable[str],
    limit: int,
) -> list[int]:
    """Live visits, newest first, where every word is in the search text or names someone
    present (the word's Slack ids), and everyone mentioned was present."""
    query = select(Visit.id).where(Visit.deleted_at.is_(None))
    for n, (word, people) in enumerate(words):
        found = contains(session, word, f"w{n}")
        query = query.where(or_(found, _present(people)) if people else found)
    for slack_id in sorted(set(mentioned)):
        query = query.where(_present([slack_id]))
    query = query.order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(limit)
    return list(session.scalars(query))
