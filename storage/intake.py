"""Queries on pending slash commands (see PendingCommand). Functions never commit."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.claims import dialect_insert, insert_if_absent
from storage.db import storable
from storage.models import PendingCommand, SeenRequest


def add_pending(
    session: Session,
    *,
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    response_url: str,
    received_at: dt.datetime,
    request_key: str | None = None,
    owner: str | None = None,
    lease_until: dt.datetime | None = None,
) -> int:
    """One command; see add_pending_many. Raises when `request_key` is already taken."""
    row = {
        "command": command,
        "text": text,
        "user_id": user_id,
        "channel_id": channel_id,
        "response_url": response_url,
        "received_at": received_at,
        "request_key": request_key,
        "owner": owner,
        "lease_until": lease_until,
    }
    (pending_id,) = add_pending_many(session, [row])
    if pending_id is None:
        raise ValueError("a command with this request key is already pending")
    return pending_id


def add_pending_many(session: Session, rows: list[dict[str, Any]]) -> list[int | None]:
    """Several commands, ids in the order of `rows`: the rows with a request key in one
    prepared `INSERT … ON CONFLICT (request_key) DO NOTHING RETURNING` (SQLAlchemy sends a
    batch as one multi-row statement), a row without a key in one of its own.

    A row whose `request_key` is already stored (or appears earlier in `rows`) is a resend of
    the same command: it is not inserted and its id comes back as None. The conflict is
    settled in the database itself, so a replica inserting the same key at the same moment
    gets None too, not an error. This runs before every ack: one statement and no ORM unit of
    work, because under a burst each statement costs a turn at the GIL.
    """
    ids: list[int | None] = [None] * len(rows)
    statement = _pending_insert(session.get_bind().dialect.name)
    index = 0
    while index < len(rows):
        if not rows[index].get("request_key"):
            ids[index] = session.execute(statement, {"attempts": 1, **rows[index]}).scalar_one()
            index += 1
            continue
        run = index
        while run < len(rows) and rows[run].get("request_key"):
            run += 1
        inserted = session.execute(statement, [{"attempts": 1, **row} for row in rows[index:run]])
        by_key = {pending_key: pending_id for pending_id, pending_key in inserted}
        for position in range(index, run):
            # The first row with a key gets its id; a repeat of the key within `rows` None.
            ids[position] = by_key.pop(rows[position]["request_key"], None)
        index = run
    return ids


_PENDING_INSERTS: dict[str, Any] = {}


def _pending_insert(dialect: str) -> Any:
    """Built once per dialect: SQLAlchemy then finds its compiled form in its cache."""
    statement = _PENDING_INSERTS.get(dialect)
    if statement is None:
        table = PendingCommand.__table__
        statement = (
            dialect_insert(dialect)(table)
            .on_conflict_do_nothing(index_elements=[table.c.request_key])
            .returning(table.c.id, table.c.request_key)
        )
        _PENDING_INSERTS[dialect] = statement
    return statement


# The columns a pending row is saved with, in the order of the SQLite statements below.
_SAVED = (
    "command",
    "text",
    "user_id",
    "channel_id",
    "response_url",
    "received_at",
    "request_key",
    "owner",
    "lease_until",
)
_SQLITE_ROWS_PER_STATEMENT = 100  # 9 parameters a row; SQLite allows 32,766 (999 before 3.32)


def add_pending_many_sqlite(cursor: Any, rows: list[dict[str, Any]]) -> list[int | None]:
    """add_pending_many on SQLite's own cursor (Database.sqlite_write): the same rows and
    answers, bound by the columns' own SQLAlchemy types, without SQLAlchemy's work per
    statement. Raises sqlite3.IntegrityError when the database refuses a row; SQLite has
    then undone that statement alone, and the transaction goes on."""
    ids: list[int | None] = [None] * len(rows)
    index = 0
    while index < len(rows):
        if not rows[index].get("request_key"):
            cursor.execute(_sqlite_insert(1, keyed=False), _sqlite_params(rows[index]))
            ids[index] = cursor.fetchone()[0]
            index += 1
            continue
        run = index
        while (
            run < len(rows)
            and rows[run].get("request_key")
            and run - index < _SQLITE_ROWS_PER_STATEMENT
        ):
            run += 1
        params = [value for row in rows[index:run] for value in _sqlite_params(row)]
        cursor.execute(_sqlite_insert(run - index, keyed=True), params)
        by_key = {pending_key: pending_id for pending_id, pending_key in cursor.fetchall()}
        for position in range(index, run):
            ids[position] = by_key.pop(rows[position]["request_key"], None)
        index = run
    return ids


def finish_many_sqlite(cursor: Any, pending_ids: list[int], at: dt.datetime) -> None:
    """finish_many on SQLite's own cursor (Database.sqlite_write)."""
    if pending_ids:
        marks = ", ".join("?" * len(pending_ids))
        cursor.execute(
            "UPDATE pending_commands SET finished_at = ?, lease_until = NULL "
            f"WHERE pending_commands.id IN ({marks})",
            [_sqlite_binders()["received_at"](at), *pending_ids],
        )


@functools.cache
def _sqlite_insert(count: int, *, keyed: bool) -> str:
    row = "(1, " + ", ".join("?" * len(_SAVED)) + ")"
    returning = "RETURNING id, request_key" if keyed else "RETURNING id"
    return (
        f"INSERT INTO pending_commands (attempts, {', '.join(_SAVED)}) VALUES "
        + ", ".join([row] * count)
        + (" ON CONFLICT (request_key) DO NOTHING " if keyed else " ")
        + returning
    )


@functools.cache
def _sqlite_binders() -> dict[str, Callable[[Any], Any]]:
    """Each saved column's bind processing on SQLite (UtcDateTime, then SQLite's DateTime
    text), taken from the models, so these rows are stored exactly as the ORM stores them."""
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    binders: dict[str, Callable[[Any], Any]] = {}
    for name in _SAVED:
        processor = (
            PendingCommand.__table__.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        )
        binders[name] = processor or _storable_text
    return binders


def _storable_text(value: Any) -> Any:
    return storable(value) if isinstance(value, str) else value


_DEFAULTS = {"text": "", "channel_id": "", "response_url": ""}  # as the model's defaults


def _sqlite_params(row: dict[str, Any]) -> list[Any]:
    binders = _sqlite_binders()
    return [binders[name](row.get(name, _DEFAULTS.get(name))) for name in _SAVED]


def add_pending_if_new(session: Session, row: dict[str, Any]) -> int | None:
    """One command, racing other replicas on its request key in the database itself."""
    dialect = session.get_bind().dialect.name
    make_insert = dialect_insert(dialect)
    statement = (
        make_insert(PendingCommand)
        .values(attempts=1, **row)
        .on_conflict_do_nothing(index_elements=[PendingCommand.request_key])
        .returning(PendingCommand.id)
    )
    return session.execute(statement).scalar()


def finish_many(session: Session, pending_ids: list[int], at: dt.datetime) -> None:
    if pending_ids:
        session.execute(
            update(PendingCommand)
            .where(PendingCommand.id.in_(pending_ids))
            .values(finished_at=at, lease_until=None)
        )


def count_attempt(session: Session, pending_id: int) -> None:
    session.execute(
        update(PendingCommand)
        .where(PendingCommand.id == pending_id)
        .values(attempts=PendingCommand.attempts + 1)
    )


def unfinished(session: Session, *, max_attempts: int) -> list[PendingCommand]:
    """Commands acked but never finished (the process died), oldest first."""
    query = (
        select(PendingCommand)
        .where(PendingCommand.finished_at.is_(None), PendingCommand.attempts < max_attempts)
        .order_by(PendingCommand.id)
    )
    return list(session.scalars(query))


def claim_abandoned(
    session: Session,
    *,
    owner: str,
    now: dt.datetime,
    lease: dt.timedelta,
    max_attempts: int,
    in_flight: Callable[[], Collection[int]],
    limit: int = 50,
) -> list[PendingCommand]:
    """Take over unfinished commands whose owner's lease ran out (or this owner's own, when
    nothing here handles them any more); each claimed row gets this owner and a new lease.

    On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`: two replicas sweeping at the
    same moment take different rows. (SQLite has one writer at a time anyway.)
    """
    query = (
        select(PendingCommand)
        .where(
            PendingCommand.finished_at.is_(None),
            PendingCommand.attempts < max_attempts,
            or_(
                PendingCommand.lease_until.is_(None),
                PendingCommand.lease_until < now,
                PendingCommand.owner == owner,
            ),
        )
        .order_by(PendingCommand.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    found = list(session.scalars(query))
    # Read after the query, never before: a row of ours committed between a snapshot and the
    # query would look abandoned and be handled twice (seen in the rolling-restart test). Our
    # rows enter in_flight before their commit, so any row the query saw is in it by now.
    ours = in_flight()
    rows = [row for row in found if not (row.owner == owner and row.id in ours)]
    if rows:
        session.execute(
            update(PendingCommand)
            .where(PendingCommand.id.in_([row.id for row in rows]))
            .values(owner=owner, lease_until=now + lease, attempts=PendingCommand.attempts + 1)
        )
    return rows


def renew_leases(
    session: Session, *, owner: str, pending_ids: Collection[int], until: dt.datetime
) -> None:
    if pending_ids:
        session.execute(
            update(PendingCommand)
            .where(
                PendingCommand.id.in_(list(pending_ids)),
                PendingCommand.owner == owner,
                PendingCommand.finished_at.is_(None),
            )
            .values(lease_until=until)
        )


def release_leases(session: Session, *, owner: str, now: dt.datetime) -> None:
    """On a clean stop: what this process did not finish may be taken over at once."""
    session.execute(
        update(PendingCommand)
        .where(PendingCommand.owner == owner, PendingCommand.finished_at.is_(None))
        .values(lease_until=now)
    )


def forget_finished_before(session: Session, cutoff: dt.datetime) -> int:
    result = session.execute(
        delete(PendingCommand).where(
            PendingCommand.finished_at.is_not(None), PendingCommand.finished_at < cutoff
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def unfinished_summary(session: Session) -> tuple[int, dt.datetime | None]:
    """How many commands are acked but unfinished, and when the oldest of them arrived."""
    from sqlalchemy import func

    query = select(func.count(PendingCommand.id), func.min(PendingCommand.received_at)).where(
        PendingCommand.finished_at.is_(None)
    )
    count, oldest = session.execute(query).one()
    if isinstance(oldest, str):  # SQLite's min() of a DateTime column comes back as text
        oldest = dt.datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return int(count or 0), oldest


def remember_request(session: Session, signature: str, now: dt.datetime) -> bool:
    """True the first time a signature is seen; False for a replay of the same request."""
    return insert_if_absent(session, SeenRequest, {"signature": signature, "seen_at": now})


def forget_requests_before(session: Session, cutoff: dt.datetime) -> int:
    result = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]
