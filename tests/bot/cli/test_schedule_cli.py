"""`knalle remind`, `knalle digest`, `knalle jobs`, `knalle config`: what an operator types."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bot.cli import main
from bot.cli.schedule import run_config, run_digest, run_jobs, run_remind
from bot.console.standin import SlackStandIn
from bot.context import Knalle
from bot.errors import InvalidInput
from bot.schedule.scheduler import ensure_jobs, make_scheduler
from storage import config_values, sends
from tests import scheduled_world

FIRST_DEC = dt.date(2026, 12, 1)


def test_remind_dry_run_prints_what_would_go_and_records_nothing(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    out = io.StringIO()
    assert run_remind(knalle, FIRST_DEC, dry_run=True, out=out) == 0
    printed = out.getvalue()
    assert "skulle skicka påminnelsen 14 dagar före till Anna M (2026-H2)" in printed
    assert "Hoppade över Kim: saknar Slack-konto" in printed
    with knalle.db.read() as session:
        assert sends.sends_of(session) == []


def test_remind_on_a_day_without_reminders_says_when_the_next_one_is(knalle: Knalle) -> None:
    out = io.StringIO()
    assert run_remind(knalle, dt.date(2026, 12, 2), dry_run=True, out=out) == 0
    said = out.getvalue()
    assert "Inga påminnelser ska gå ut 2 dec 2026. Nästa: påminnelsen 3 dagar före 11 dec" in said


def test_digest_sends_through_slack_once(sqlite_knalle: Knalle) -> None:
    knalle = sqlite_knalle
    with knalle.db.write() as session:
        scheduled_world.build(session)
    with SlackStandIn() as standin:
        knalle.settings = knalle.settings.model_copy(update={"slack_api_url": standin.api_url})
        out = io.StringIO()
        assert run_digest(knalle, dt.date(2026, 11, 30), dry_run=False, out=out) == 0
        assert "Skickade 3." in out.getvalue()
        out = io.StringIO()
        assert run_digest(knalle, dt.date(2026, 11, 30), dry_run=False, out=out) == 0
        assert "Redan skickade tidigare: 3." in out.getvalue()
        assert len(standin.calls("chat.postMessage")) == 3


def test_config_set_changes_the_reminder_days_the_next_run_uses(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    out = io.StringIO()
    run_config(knalle, "set", "reminder-days", "7", out=out)
    assert out.getvalue() == (
        "Sparat: reminder_days = 7. Gäller direkt, också i en serve som redan kör.\n"
    )
    out = io.StringIO()
    run_remind(knalle, dt.date(2026, 12, 8), dry_run=True, out=out)
    assert "skulle skicka påminnelsen 7 dagar före till Anna M (2026-H2)" in out.getvalue()
    out = io.StringIO()
    run_config(knalle, "list", out=out)
    listed = out.getvalue()
    assert "reminder_days = 7   [databasen]" in listed
    assert "followup_dates = 06-15,12-15   [miljön, KNALLE_FOLLOWUP_DATES]" in listed
    assert "digest_channel = C0TEAM   [miljön, KNALLE_DIGEST_CHANNEL]" in listed
    out = io.StringIO()
    run_config(knalle, "unset", "reminder_days", out=out)
    run_config(knalle, "get", "KNALLE_REMINDER_DAYS", out=out)
    assert out.getvalue().endswith("14,3\n")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("followup_dates", "15 juni", "MM-DD"),
        ("followup_dates", "06-15", "två uppföljningar"),
        ("reminder_days", "fjorton", "heltal 1–90"),
        ("digest_channel", "#team", "kanal-id"),
        ("färg", "blå", "Välj en av: followup_dates, reminder_days, digest_channel"),
    ],
)
def test_config_set_refuses_bad_values_in_swedish_and_stores_nothing(
    knalle: Knalle, key: str, value: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        run_config(knalle, "set", key, value, out=io.StringIO())
    assert says in raised.value.message
    with knalle.db.read() as session:
        assert config_values.stored_values(session) == {}


def test_jobs_lists_the_schedule_in_local_time(knalle: Knalle) -> None:
    out = io.StringIO()
    run_jobs(knalle, out=out)
    before = out.getvalue()
    assert "Schemalagda jobb (Europe/Stockholm):" in before
    assert "knalle-daily" in before and "inte lagrat än" in before
    next_one = "Nästa: påminnelsen 14 dagar före tis 1 dec 2026 inför uppföljningen 15 dec 2026"
    assert next_one in before
    assert "Nästa sammanfattning: mån 30 nov 2026 till C0TEAM." in before
    scheduler = make_scheduler(knalle)
    scheduler.start(paused=True)
    ensure_jobs(scheduler, knalle.settings)
    scheduler.shutdown(wait=False)
    out = io.StringIO()
    run_jobs(knalle, out=out)
    assert "knalle-daily   nästa körning " in out.getvalue()
    assert " 08:00\n" in out.getvalue() and "(bot.schedule.jobs:run_daily)" in out.getvalue()


def test_the_commands_explain_bad_input_in_swedish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(SystemExit):
        main(["remind", "--date", "1 dec"])
    assert "skriv ÅÅÅÅ-MM-DD" in capsys.readouterr().err
    assert main(["digest", "--date", "2026-11-30"]) == 2
    assert "SLACK_BOT_TOKEN saknas" in capsys.readouterr().err
    assert main(["config", "set", "reminder_days", "noll"]) == 2
    assert "heltal" in capsys.readouterr().err
