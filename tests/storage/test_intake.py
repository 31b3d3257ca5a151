"""Pending commands: what was acked and not yet handled survives a restart."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from sqlalchemy import String, insert, select
from sqlalchemy.orm import Session

from bot.context import Knalle
from storage import intake
from storage.models import PendingCommand


def test_unfinished_commands_are_found_until_finished_or_given_up(knalle: Knalle) -> None:
    now = knalle.clock.now()
    with knalle.db.write() as session:
        first = intake.add_pending(
            session,
            command="/besök",
            text="Ellos AB",
            user_id="UPIA",
            channel_id="C1",
            response_url="http://x/r",
            received_at=now,
        )
        second = intake.add_pending(
            session,
            command="/aktivitet",
            text="1.2.1 grön Klart",
            user_id="UOLA",
            channel_id="C1",
            response_url="",
            received_at=now,
        )
    with knalle.db.read() as session:
        assert [row.id for row in intake.unfinished(session, max_attempts=3)] == [first, second]
    with knalle.db.write() as session:
        intake.finish_many(session, [first], now)
        for _ in range(2):  # a row starts at one attempt: the delivery itself
            intake.count_attempt(session, second)
    with knalle.db.read() as session:
        assert intake.unfinished(session, max_attempts=3) == []
        assert intake.unfinished(session, max_attempts=4)[0].text == "1.2.1 grön Klart"
    with knalle.db.write() as session:
        assert intake.forget_finished_before(session, now + dt.timedelta(seconds=1)) == 1


def _reference_add_pending_many(session: Session, rows: list[dict[str, Any]]) -> list[int | None]:
    """The way before the single INSERT … ON CONFLICT: read the taken keys, insert the rest."""
    keys = [row["request_key"] for row in rows if row.get("request_key")]
    taken = set(
        session.scalars(
            select(PendingCommand.request_key).where(PendingCommand.request_key.in_(keys))
        )
    )
    ids: list[int | None] = []
    for row in rows:
        key = row.get("request_key")
        if key and key in taken:
            ids.append(None)
            continue
        if key:
            taken.add(key)
        row_id = session.scalars(
            insert(PendingCommand).returning(PendingCommand.id), [{"attempts": 1, **row}]
        ).one()
        ids.append(row_id)
    return ids


def _row(knalle: Knalle, n: int, key: str | None) -> dict[str, Any]:
    now = knalle.clock.now()
    return {
        "command": "/besök",
        "text": f"Ellos AB {n} igår, pratade ö\x00\u202e",
        "user_id": f"U{n:04d}",
        "channel_id": "C1",
        "response_url": f"http://x/r{n}",
        "received_at": now + dt.timedelta(milliseconds=n),
        "request_key": key,
        "owner": "host/1/abc",
        "lease_until": now + dt.timedelta(seconds=20),
    }


def _stored(session: Session, ids: list[int | None]) -> list[tuple[Any, ...]]:
    rows = {row.id: row for row in session.scalars(select(PendingCommand))}
    texts = {  # the times as the file holds them, not only as read back
        row.id: (row.received_at, row.lease_until)
        for row in session.execute(
            select(
                PendingCommand.id,
                PendingCommand.received_at.cast(String).label("received_at"),
                PendingCommand.lease_until.cast(String).label("lease_until"),
            )
        )
    }
    return [
        (
            rows[i].command,
            rows[i].text,
            rows[i].user_id,
            rows[i].response_url,
            rows[i].received_at,
            rows[i].attempts,
            rows[i].owner,
            rows[i].lease_until,
            rows[i].finished_at,
            texts[i],
        )
        for i in ids
        if i is not None
    ]


@pytest.mark.parametrize("way", ["session", "sqlite cursor"])
def test_a_batch_answers_as_the_way_before_resends_and_keyless_rows_included(
    knalle: Knalle, way: str
) -> None:
    if way == "sqlite cursor" and not knalle.db.is_sqlite:
        pytest.skip("the driver's own cursor is SQLite's path")
    rng = random.Random(15)
    batches: list[list[str | None]] = []
    for _ in range(12):  # keys seen before, repeated within a batch, or absent
        size = rng.choice([1, 1, 2, 3, 5, 20])
        batches.append([rng.choice([None, *(f"t{k}" for k in range(14))]) for _ in range(size)])
    n = 0
    for keys in batches:
        new_rows, old_rows = [], []
        for key in keys:
            n += 1
            new_rows.append(_row(knalle, n, key and f"new:{key}"))
            old_rows.append(_row(knalle, n, key and f"old:{key}"))
        if way == "sqlite cursor":
            with knalle.db.sqlite_write(timeout=2.0) as cursor:
                new_ids = intake.add_pending_many_sqlite(cursor, new_rows)
        else:
            with knalle.db.write() as session:
                new_ids = intake.add_pending_many(session, new_rows)
        with knalle.db.write() as session:
            old_ids = _reference_add_pending_many(session, old_rows)
        assert [i is None for i in new_ids] == [i is None for i in old_ids], keys
        taken = [i for i in new_ids if i is not None]
        assert taken == sorted(taken) and len(set(taken)) == len(taken)  # in the rows' order
        with knalle.db.read() as session:
            assert _stored(session, new_ids) == _stored(session, old_ids)
    with knalle.db.read() as session:
        keys_stored = sorted(
            str(key) for key in session.scalars(select(PendingCommand.request_key)) if key
        )
    assert [k.removeprefix("new:") for k in keys_stored if k.startswith("new:")] == [
        k.removeprefix("old:") for k in keys_stored if k.startswith("old:")
    ]


def test_finishing_on_sqlites_cursor_stores_what_finish_many_stores(sqlite_knalle: Knalle) -> None:
    knalle = sqlite_knalle
    with knalle.db.write() as session:
        one, two = intake.add_pending_many(session, [_row(knalle, 1, "a"), _row(knalle, 2, "b")])
    assert one is not None and two is not None
    at = knalle.clock.now() + dt.timedelta(seconds=3, microseconds=7)
    with knalle.db.write() as session:
        intake.finish_many(session, [one], at)
    with knalle.db.sqlite_write(timeout=2.0) as cursor:
        intake.finish_many_sqlite(cursor, [two], at)
    with knalle.db.read() as session:
        rows = {row.id: row for row in session.scalars(select(PendingCommand))}
        raw = session.execute(select(PendingCommand.finished_at.cast(String))).scalars().all()
    assert (rows[one].finished_at, rows[one].lease_until) == (at, None)
    assert (rows[two].finished_at, rows[two].lease_until) == (at, None)
    assert raw[0] == raw[1]  # the same text in the file
