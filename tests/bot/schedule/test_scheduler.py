"""The scheduler: jobs stored by import path in Knalle's database, DST-proof, restart-proof,
and a run missed while the bot was down made once on start."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.util import ref_to_obj
from sqlalchemy import inspect, text

from bot.clock import FixedClock
from bot.console.standin import SlackStandIn
from bot.context import Knalle
from bot.schedule import jobs
from bot.schedule.scheduler import (
    GRACE,
    JOB_TABLE,
    catch_up,
    create_job_table,
    ensure_jobs,
    make_scheduler,
    missed_days,
    start_scheduler,
)
from bot.slack.client import make_web_client
from storage import sends
from storage.db import WRITE_OPTION, make_engine
from tests import scheduled_world
from tests.storage import factories as make

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def paused(knalle: Knalle) -> Iterator[BackgroundScheduler]:
    """A scheduler on the test database, started paused: its jobs never fire in a test."""
    scheduler = make_scheduler(knalle)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def test_jobs_are_stored_by_import_path_with_fixed_ids_in_the_local_zone(
    knalle: Knalle, paused: BackgroundScheduler
) -> None:
    assert ensure_jobs(paused, knalle.settings) == ["knalle-daily", "knalle-retry"]
    daily = paused.get_job("knalle-daily")
    assert daily is not None
    assert daily.func_ref == "bot.schedule.jobs:run_daily"
    assert ref_to_obj(daily.func_ref) is jobs.run_daily
    assert daily.misfire_grace_time == GRACE.total_seconds() and daily.coalesce
    assert str(daily.trigger.timezone) == "Europe/Stockholm"
    local = daily.next_run_time.astimezone(STOCKHOLM)
    assert (local.hour, local.minute) == (8, 0)
    retry = paused.get_job("knalle-retry")
    assert retry is not None and retry.func_ref == "bot.schedule.jobs:retry_failed"


@pytest.mark.parametrize(
    ("before", "expected_utc"),
    [
        # Last Sunday of March 2027: 08:00 is 07:00 UTC on Saturday, 06:00 UTC from Sunday.
        (dt.datetime(2027, 3, 27, 9, 0, tzinfo=STOCKHOLM), dt.datetime(2027, 3, 28, 6, 0)),
        (dt.datetime(2027, 3, 26, 9, 0, tzinfo=STOCKHOLM), dt.datetime(2027, 3, 27, 7, 0)),
        # Last Sunday of October 2026 and 2027: back to winter time, 07:00 UTC.
        (dt.datetime(2026, 10, 24, 9, 0, tzinfo=STOCKHOLM), dt.datetime(2026, 10, 25, 7, 0)),
        (dt.datetime(2027, 10, 30, 9, 0, tzinfo=STOCKHOLM), dt.datetime(2027, 10, 31, 7, 0)),
        (dt.datetime(2027, 10, 29, 9, 0, tzinfo=STOCKHOLM), dt.datetime(2027, 10, 30, 6, 0)),
    ],
)
def test_the_daily_run_stays_at_08_local_across_daylight_saving_changes(
    knalle: Knalle, paused: BackgroundScheduler, before: dt.datetime, expected_utc: dt.datetime
) -> None:
    ensure_jobs(paused, knalle.settings)
    job = paused.get_job("knalle-daily")
    assert job is not None
    fire = job.trigger.get_next_fire_time(None, before)
    assert fire.astimezone(dt.UTC).replace(tzinfo=None) == expected_utc
    assert (fire.astimezone(STOCKHOLM).hour, fire.astimezone(STOCKHOLM).minute) == (8, 0)


def test_a_restart_keeps_the_stored_job_once_with_its_next_run(knalle: Knalle) -> None:
    first = make_scheduler(knalle)
    first.start(paused=True)
    ensure_jobs(first, knalle.settings)
    daily = first.get_job("knalle-daily")
    assert daily is not None
    next_run = daily.next_run_time
    first.shutdown(wait=False)

    second = make_scheduler(knalle)
    second.start(paused=True)
    try:
        assert ensure_jobs(second, knalle.settings) == []  # nothing added, nothing replaced
        assert sorted(job.id for job in second.get_jobs()) == ["knalle-daily", "knalle-retry"]
        again = second.get_job("knalle-daily")
        assert again is not None and again.next_run_time == next_run
    finally:
        second.shutdown(wait=False)


def test_a_changed_run_time_reschedules_without_duplicating(
    knalle: Knalle, paused: BackgroundScheduler
) -> None:
    ensure_jobs(paused, knalle.settings)
    later = knalle.settings.model_copy(update={"digest_time": "09:30"})
    assert ensure_jobs(paused, later) == []
    job = paused.get_job("knalle-daily")
    assert job is not None and len(paused.get_jobs()) == 2
    local = job.next_run_time.astimezone(STOCKHOLM)
    assert (local.hour, local.minute) == (9, 30)


def test_missed_days_are_those_within_the_grace_time(knalle: Knalle) -> None:
    settings = knalle.settings
    assert missed_days(settings, MONDAY_10) == [dt.date(2026, 11, 30)]
    assert missed_days(settings, MONDAY_10.replace(hour=7)) == []
    assert missed_days(settings, MONDAY_10.replace(hour=15, minute=59)) == [dt.date(2026, 11, 30)]
    assert missed_days(settings, MONDAY_10.replace(hour=16, minute=1)) == []


def _world_with_a_visit(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
        ellos = make.company(session, "Ellos AB")
        make.visit(session, ellos, dt.date(2026, 11, 24), author="UPIA")


def test_a_digest_missed_while_down_goes_out_on_start_once(
    knalle: Knalle, clock: FixedClock
) -> None:
    clock.current = MONDAY_10  # the bot was down at 08:00 on Monday 30 November
    _world_with_a_visit(knalle)
    with SlackStandIn() as standin:
        client = make_web_client("xoxb-test", standin.api_url)
        first = catch_up(knalle, client)
        assert [o.kind for o in first.sent] == ["digest", "digest-personal", "digest-personal"]
        second = catch_up(knalle, client)
        assert second.sent == []
        assert [c.args["channel"] for c in standin.calls("chat.postMessage")] == [
            "C0TEAM",
            "DUANNA",
            "DUPIA",
        ]
        assert len(standin.uploaded_files()) == 1


def test_too_late_for_the_grace_time_nothing_is_sent(knalle: Knalle, clock: FixedClock) -> None:
    clock.current = MONDAY_10.replace(hour=17)
    _world_with_a_visit(knalle)
    with SlackStandIn() as standin:
        report = catch_up(knalle, make_web_client("xoxb-test", standin.api_url))
        assert report.sent == [] and standin.calls() == []


def test_the_misfired_job_and_the_catch_up_together_send_once(
    knalle: Knalle, clock: FixedClock
) -> None:
    clock.current = MONDAY_10
    _world_with_a_visit(knalle)
    done = threading.Event()
    outcomes: list[JobExecutionEvent] = []
    with SlackStandIn() as standin:
        client = make_web_client("xoxb-test", standin.api_url)
        scheduler = start_scheduler(knalle, client, catch_up_now=False)
        try:

            def finished(event: JobExecutionEvent) -> None:
                outcomes.append(event)
                done.set()

            scheduler.add_listener(finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
            scheduler.pause()
            # As if the stored 08:00 run was missed an hour ago while the process was down.
            past = dt.datetime.now(STOCKHOLM) - dt.timedelta(hours=1)
            scheduler.modify_job("knalle-daily", next_run_time=past)
            scheduler.resume()
            catch_up(knalle, client)  # the start hook's catch-up, racing the misfired run
            assert done.wait(20), "the misfired job did not run within the grace time"
        finally:
            scheduler.shutdown(wait=True)
            jobs.forget()
        assert [e.exception for e in outcomes] == [None]
        assert sorted(c.args["channel"] for c in standin.calls("chat.postMessage")) == [
            "C0TEAM",
            "DUANNA",
            "DUPIA",
        ]
    with knalle.db.read() as session:
        assert {r.status for r in sends.sends_of(session)} == {"sent"}


def test_the_job_table_is_made_after_a_command_saved_meanwhile_not_refused_as_locked(
    tmp_path: Path,
) -> None:
    """The scheduler starts while the server takes requests: a command saved while the job
    table is made must make it wait, not fail "database is locked" (SQLite refuses at once a
    transaction that read before another's write was committed and then writes itself)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'knalle.db'}")
    saving = engine.connect().execution_options(**{WRITE_OPTION: True})
    saving.execute(text("CREATE TABLE saved (x INTEGER)"))  # holds the write lock
    saving.execute(text("INSERT INTO saved VALUES (1)"))

    def commit_soon() -> None:
        time.sleep(0.3)
        saving.commit()

    committer = threading.Thread(target=commit_soon)
    committer.start()
    try:
        create_job_table(engine)
    finally:
        committer.join()
        saving.close()
    assert JOB_TABLE in inspect(engine).get_table_names()
    create_job_table(engine)  # already there: nothing to do
    engine.dispose()
