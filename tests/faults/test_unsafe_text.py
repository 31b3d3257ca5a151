"""Text made safe at the boundary; no stored row breaks an export (defects 2 and 9).

Before: a lone surrogate sent in a modal field was stored and `knalle export visits --format
csv` died with UnicodeEncodeError; a NUL in a company name broke the xlsx export; on
PostgreSQL one NUL failed its whole intake batch (HTTP 500 for innocent commands) and the
error log printed every row; an empty user_id or one with a newline, `lista\\0`, bytes that
are not UTF-8 and right-to-left overrides were stored; "not-a-date" and an id
"99999999999999999999" gave 500 or 404.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main as knalle_main
from bot.clock import FixedClock
from bot.console.signing import sign_request, slash_command_body
from bot.core.export import visits_table
from bot.core.text import safe as safe_text
from bot.files.tables import write_csv, write_xlsx
from bot.slack import wsgi_texts as http_texts
from handlers import texts
from handlers.ids import VisitAction, VisitField, VisitView
from handlers.visits.blocks import NEW_PREFIX
from storage.db import make_engine, upgrade
from storage.models import Company, PendingCommand, Visit
from tests import postgres
from tests.conftest import STOCKHOLM
from tests.integration.live import SECRET, LiveBot, click, live_bot, reply_to

pytestmark = pytest.mark.faults
REFUSED = {safe_text.UNSAFE_NUL, safe_text.UNSAFE_ENCODING, safe_text.UNSAFE_BIDI}


def stored(bot: LiveBot) -> tuple[int, int]:
    with bot.knalle.db.read() as session:
        return (
            int(session.scalar(select(func.count(Visit.id))) or 0),
            int(session.scalar(select(func.count(PendingCommand.id))) or 0),
        )


@pytest.mark.parametrize(
    "text",
    ["lista\x00", "Ellos\x00 AB igår", "Ellos AB igår \ud800", "\u202eBA solle igår", "a\u2066b"],
)
def test_a_command_with_unsafe_text_is_refused_in_swedish_and_stores_nothing(
    bot: LiveBot, text: str
) -> None:
    body = urlencode(
        {
            "command": "/besök",
            "text": text,
            "user_id": "UPIA",
            "trigger_id": "t.x",
            "response_url": bot.standin.response_url("x"),
            "team_id": "T0KNALLE",
            "channel_id": "C0TEST",
        },
        encoding="utf-8",
        errors="surrogatepass",
    )
    answer = bot.post(body.encode("ascii"), sign_request(body, SECRET))
    if "\ud800" in text:  # a surrogate in a form is bytes that are not UTF-8
        assert (answer.status, answer.body) == (400, http_texts.NOT_UTF8)
    else:
        assert answer.status == 200
        assert json.loads(answer.body)["text"] in REFUSED
    assert stored(bot) == (0, 0)


def test_bytes_that_are_not_utf8_are_refused(bot: LiveBot) -> None:
    body = "command=%2Fbes%C3%B6k&user_id=UPIA&trigger_id=t1&text=Ellos%FF%FE+ig%C3%A5r"
    answer = bot.post(body, sign_request(body, SECRET))
    assert answer.status == 400 and "UTF-8" in answer.body
    assert stored(bot) == (0, 0)


@pytest.mark.parametrize("user", ["", "UPIA\n", "U PIA", "upia", "UPIA\x00"])
def test_a_bad_user_id_is_refused(bot: LiveBot, user: str) -> None:
    body = slash_command_body("/besök", "Ellos AB igår", user)
    answer = bot.post(body, sign_request(body, SECRET))
    assert answer.status == 400 and answer.body == texts.BAD_USER_ID
    assert stored(bot) == (0, 0)


def modal(notes: str, company: str = "Gina Tricot", day: object = "2026-11-23") -> str:
    values = {
        VisitField.COMPANY: {
            VisitField.COMPANY: {
                "type": "external_select",
                "selected_option": {
                    "value": f"{NEW_PREFIX}{company}",
                    "text": {"type": "plain_text", "text": company},
                },
            }
        },
        VisitField.DATE: {VisitField.DATE: {"type": "datepicker", "selected_date": day}},
        VisitField.NOTES: {VisitField.NOTES: {"type": "plain_text_input", "value": notes}},
    }
    payload = {
        "type": "view_submission",
        "user": {"id": "UPIA", "username": "upia", "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "view": {
            "id": "VTEXT",
            "hash": "h1",
            "callback_id": VisitView.NEW,
            "private_metadata": "{}",
            "state": {"values": values},
            "type": "modal",
        },
    }
    # ensure_ascii: the JSON carries "\ud800" as an escape, as a client may send it.
    return urlencode({"payload": json.dumps(payload, ensure_ascii=True)})


def test_a_modal_field_with_a_lone_surrogate_or_nul_is_stored_clean_and_exports(
    bot: LiveBot,
) -> None:
    body = modal("pratade \ud800 el\x00 och \u202evatten", company="Ny\x00 AB\u202e")
    assert bot.post(body, sign_request(body, SECRET)).status == 200
    with bot.knalle.db.read() as session:
        (visit,) = session.scalars(select(Visit))
        assert visit.notes == "pratade  el och vatten"
        assert session.scalars(select(Company.name)).all() == ["Ny AB"]
        table = visits_table(session, STOCKHOLM)
        buffer = io.StringIO()
        write_csv(table, buffer)
        buffer.getvalue().encode("utf-8")
        assert write_xlsx(visits_table(session, STOCKHOLM))


@pytest.mark.parametrize("day", ["not-a-date", "2026-02-30", 20261123, ["2026-11-23"]])
def test_a_wrong_typed_date_is_a_swedish_field_error(bot: LiveBot, day: object) -> None:
    body = modal("x", day=day)
    answer = bot.post(body, sign_request(body, SECRET))
    assert answer.status == 200
    data = json.loads(answer.body)
    assert data["response_action"] == "errors" and VisitField.DATE in data["errors"]
    assert stored(bot) == (0, 0)


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc", "", "1e3"])
def test_a_wrong_typed_id_in_a_button_is_answered_in_swedish(bot: LiveBot, value: str) -> None:
    for action in (VisitAction.UNDO, VisitAction.EDIT):
        button = {"action_id": action, "value": value, "text": {"type": "plain_text", "text": "x"}}
        answer = click(bot, button, name=f"{action}{value}")
        assert answer.status == 200
    reply = reply_to(bot, f"{VisitAction.UNDO}{value}")
    assert reply["text"] == texts.BAD_ID
    (notice,) = bot.standin.wait_for("views.update")
    assert texts.BAD_ID in json.dumps(notice.args, ensure_ascii=False)


def test_exports_survive_rows_stored_before_the_boundary_and_the_migration_cleans_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0008")
    engine.dispose()
    raw = sqlite3.connect(path)  # as an older Knalle wrote them, past every check
    raw.execute(
        "INSERT INTO companies (id, name, match_key, created_at) VALUES (1, ?, 'null ab', ?)",
        ("Null\x00 AB \u202e", "2026-11-01 10:00:00"),
    )
    raw.execute(
        "INSERT INTO visits (company_id, visit_date, form, notes, others, author_id, raw_text,"
        " created_at, updated_at) VALUES (1, '2026-11-02', 'på plats', ?, ?, 'UPIA', '', ?, ?)",
        (
            "el\x00\x1b och \x85 vatten",
            '["KSO\\u0000"]',
            "2026-11-02 10:00:00",
            "2026-11-02 10:00:00",
        ),
    )
    raw.commit()
    raw.close()
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{path}")
    # The migration runs first; even so, the export itself scrubs what it writes.
    assert knalle_main(["export", "visits", "--format", "csv", "--year", "2026"]) == 0
    assert (
        knalle_main(["export", "visits", "--format", "xlsx", "-o", str(tmp_path / "v.xlsx")]) == 0
    )
    raw = sqlite3.connect(path)
    (name,) = raw.execute("SELECT name FROM companies").fetchone()
    (notes,) = raw.execute("SELECT notes FROM visits").fetchone()
    assert name == "Null AB "  # every command migrates first: 0008 cleaned the rows
    assert notes == "el och  vatten"
    assert "Null AB" in capsys.readouterr().out


NAMES = [
    "Alfa",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotell",
    "India",
    "Juliett",
    "Kilo",
    "Lima",
    "Mike",
    "November",
    "Oscar",
    "Papa",
    "Quebec",
    "Romeo",
    "Sierra",
    "Tango",
]


@pytest.mark.postgres
def test_on_postgresql_a_nul_fails_alone_and_the_log_holds_no_user_text(
    pg_cluster: postgres.Cluster | None,
    caplog: pytest.LogCaptureFixture,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy import text as sql

    from storage import intake

    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    assert isinstance(pg_cluster, postgres.Cluster)
    caplog.set_level(logging.DEBUG)
    real_batch = intake.add_pending_many

    def failing_batch(session: Session, rows: list[dict[str, Any]]) -> list[int | None]:
        # A batch that PostgreSQL refuses with an error quoting a user's text.
        if any("känsligt" in str(row["text"]) for row in rows[:1]):
            session.execute(sql("SELECT CAST(:t AS integer)"), {"t": rows[0]["text"]})
        return real_batch(session, rows)

    monkeypatch.setattr(intake, "add_pending_many", failing_batch)
    with live_bot(pg_cluster.fresh_database(), clock=clock, KNALLE_OPEN_TO="workspace") as bot:
        answers: dict[int, tuple[int, str]] = {}

        def send(n: int) -> None:
            words = f"{NAMES[n]} igår, pratade Hemligt känsligt" + ("\x00" if n == 7 else "")
            reply = bot.command(words, name=f"p{n}", trigger_id=f"trig.pg{n}")
            answers[n] = (reply.status, reply.body)

        threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert {status for status, _ in answers.values()} == {200}
        assert json.loads(answers[7][1])["text"] == safe_text.UNSAFE_NUL
        bot.standin.wait_for("response_url", 19, timeout=30)
        assert stored(bot) == (19, 19)
    log = caplog.text
    leaks = [
        r.name + ": " + r.getMessage()[:150] for r in caplog.records if "Hemligt" in r.getMessage()
    ]
    assert leaks == []
    assert "batch of" in log  # the batch did fail, and its rows were written one by one
    assert "Hemligt" not in log and "känsligt" not in log
    assert "hooks.slack" not in log and "/response/" not in log
    assert "xoxb-" not in log and SECRET not in log


def test_an_export_of_a_dirty_row_never_fails() -> None:
    from bot.core.export import Table

    table = Table(title="Besök", header=("a", "b"), rows=[("x\ud800y", "n\x00ul\x1b")])
    buffer = io.StringIO()
    write_csv(table, buffer)
    assert buffer.getvalue().encode("utf-8").decode() == "a,b\r\nxy,nul\r\n"
    assert write_xlsx(Table(title="Besök", header=("a",), rows=[("n\x00ul\ud800",)]))
