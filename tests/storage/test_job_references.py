"""Stored scheduler jobs survive the jobs' move into bot/schedule/ (migration 0011).

APScheduler deletes a stored job for good when its "module:function" no longer imports, so a
bot upgraded across the move would otherwise lose the daily job with the run it still owes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pickle

import pytest
import sqlalchemy as sa
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.schedule import jobs
from bot.schedule.scheduler import JOB_TABLE
from storage.db import current_revision, make_engine, upgrade
from tests import postgres

MIGRATION = importlib.import_module(
    "storage.migrations.versions.0011_job_references_after_relayout"
)
NEXT_RUN = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def _store_a_job_as_the_old_release_did(engine: sa.Engine) -> None:
    """A job stored with today's reference, then its pickled state given the old one."""
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)}
    )
    scheduler.start(paused=True)
    scheduler.add_job(
        "bot.schedule.jobs:run_daily",
        CronTrigger(hour=8, timezone="Europe/Stockholm"),
        id="knalle-daily",
        next_run_time=NEXT_RUN,
    )
    scheduler.shutdown(wait=False)
    with engine.begin() as connection:
        blob = connection.execute(sa.text(f"SELECT job_state FROM {JOB_TABLE}")).scalar_one()
        state = pickle.loads(blob)
        state["func"] = MIGRATION.OLD + "run_daily"
        connection.execute(
            sa.text(f"UPDATE {JOB_TABLE} SET job_state = :state"), {"state": pickle.dumps(state)}
        )


def _stored_jobs(engine: sa.Engine) -> list[tuple[str, str]]:
    store = SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)
    scheduler = BackgroundScheduler(jobstores={"default": store})
    store.start(scheduler, "default")
    return [(job.id, job.func_ref) for job in store.get_all_jobs()]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(
    request: pytest.FixtureRequest, sqlite_url: str, pg_cluster: postgres.Cluster | None
) -> str:
    """A database before the first migration, of either kind."""
    if request.param == "sqlite":
        return sqlite_url
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    return pg_cluster.empty_database()


def test_a_job_stored_before_the_move_keeps_its_place_and_its_next_run(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0010")
    _store_a_job_as_the_old_release_did(engine)
    upgrade(engine)
    assert current_revision(engine) == "0011"
    assert MIGRATION.OLD + "run_daily" != "bot.schedule.jobs:run_daily"
    assert _stored_jobs(engine) == [("knalle-daily", "bot.schedule.jobs:run_daily")]
    store = SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)
    store.start(BackgroundScheduler(), "default")
    job = store.lookup_job("knalle-daily")
    assert job is not None and job.func is jobs.run_daily
    assert job.next_run_time == NEXT_RUN  # the run it owes is not moved to "from now"
    engine.dispose()


def test_without_the_migration_apscheduler_would_drop_the_job(sqlite_url: str) -> None:
    """The trap the migration exists for (TRAPS.md): an old reference is deleted at load."""
    engine = make_engine(sqlite_url)
    upgrade(engine, "0010")
    _store_a_job_as_the_old_release_did(engine)
    assert _stored_jobs(engine) == []
    with engine.connect() as connection:
        assert connection.execute(sa.text(f"SELECT count(*) FROM {JOB_TABLE}")).scalar_one() == 0
    engine.dispose()


def test_a_database_without_a_job_table_migrates(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    assert current_revision(engine) == "0011"
    assert not sa.inspect(engine).has_table(JOB_TABLE)
    engine.dispose()
