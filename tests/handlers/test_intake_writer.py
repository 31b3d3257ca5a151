"""The group writer that saves commands before their ack, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.context import Knalle
from handlers.intake import CommandIntake, _Write
from storage.models import PendingCommand


def _values(knalle: Knalle, intake: CommandIntake, n: int) -> dict[str, Any]:
    return {
        "command": "/besök",
        "text": f"Ellos AB {n} igår",
        "user_id": "UPIA",
        "channel_id": "C1",
        "response_url": f"http://x/r{n}",
        "received_at": knalle.clock.now(),
        "request_key": f"t:{n}",
        "owner": intake.owner,
        "lease_until": intake.wall() + intake.lease,
    }


def test_a_row_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_saved(
    knalle: Knalle,
) -> None:
    intake = CommandIntake(knalle, inline=True)
    refused = {**_values(knalle, intake, 2), "command": None}  # NOT NULL: the database says no
    writes = [
        _Write(values=values, deadline=time.monotonic() + 2)
        for values in (_values(knalle, intake, 1), refused, _values(knalle, intake, 3))
    ]
    intake._writer._write(writes)
    assert [w.pending_id is not None for w in writes] == [True, False, True]
    assert writes[1].error is not None and writes[0].error is None
    with knalle.db.read() as session:
        stored = list(session.scalars(select(PendingCommand).order_by(PendingCommand.id)))
    assert [(row.id, row.text) for row in stored] == [
        (writes[0].pending_id, "Ellos AB 1 igår"),
        (writes[2].pending_id, "Ellos AB 3 igår"),
    ]
    assert intake.in_flight() == {writes[0].pending_id, writes[2].pending_id}


def test_a_batch_with_a_resend_saves_the_new_rows_and_answers_none_for_the_resend(
    knalle: Knalle,
) -> None:
    intake = CommandIntake(knalle, inline=True)
    first = _Write(values=_values(knalle, intake, 1), deadline=time.monotonic() + 2)
    intake._writer._write([first])
    again = [
        _Write(values=_values(knalle, intake, n), deadline=time.monotonic() + 2) for n in (1, 2, 2)
    ]
    intake._writer._write(again)
    assert first.pending_id is not None
    assert again[0].pending_id is None and again[2].pending_id is None
    assert again[1].pending_id is not None and again[1].pending_id > first.pending_id
    assert all(w.error is None for w in [first, *again])
    with knalle.db.read() as session:
        assert len(list(session.scalars(select(PendingCommand)))) == 2


def test_a_command_arriving_while_no_write_goes_on_is_saved_by_its_own_thread(
    knalle: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import intake as storage_intake

    writers: list[str] = []
    for name in ("add_pending_many", "add_pending_many_sqlite"):  # PostgreSQL's, SQLite's
        real = getattr(storage_intake, name)

        def recorded(
            where: Any, rows: list[dict[str, Any]], real: Any = real
        ) -> list[int | None]:
            writers.append(threading.current_thread().name)
            result: list[int | None] = real(where, rows)
            return result

        monkeypatch.setattr(storage_intake, name, recorded)
    intake = CommandIntake(knalle, inline=True)
    intake._writer.flush()
    first = intake._writer.add(_values(knalle, intake, 1))
    with intake._writer._writing:  # a write going on: the next command waits for the writer
        waiting = threading.Thread(
            target=lambda: ids.append(intake._writer.add(_values(knalle, intake, 2))),
            name="listener-2",
        )
        ids: list[int | None] = []
        waiting.start()
        waiting.join(timeout=0.3)
        assert waiting.is_alive() and ids == []  # not written while the lock is held
    waiting.join(timeout=5)
    assert first is not None and ids and ids[0] is not None and ids[0] > first
    assert writers == [threading.current_thread().name, "knalle-intake"]
    intake._writer.flush()  # a flush still waits for everything queued before it
    with knalle.db.read() as session:
        assert len(list(session.scalars(select(PendingCommand)))) == 2
