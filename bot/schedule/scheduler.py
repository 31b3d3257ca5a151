"""APScheduler inside `knalle serve`: jobs in the same database, in the configured time zone.

Jobs are stored by import path with fixed ids and added only when absent, never replaced at
start: replacing recomputes the next run from now and silently drops a run missed while the bot
was down. Exactly-once comes from the send ledger, not from APScheduler (two schedulers on one
job store would both run a job). A run missed while down is made on start, within GRACE.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.config import Settings
from bot.context import Knalle
from bot.schedule import jobs
from bot.schedule.sends import RunReport, ScheduledSends
from storage.db import WRITE_OPTION, migration_lock

logger = logging.getLogger(__name__)

GRACE = dt.timedelta(hours=8)  # a run missed at 08:00 is still made until 16:00
JOB_TABLE = "apscheduler_jobs"
RETRY_TIME = dt.time(12, 0)


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # "module:function", stable across releases
    name: str
    at: dt.time


def job_specs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            "knalle-daily",
            "bot.schedule.jobs:run_daily",
            "Påminnelser, besöksuppföljningar och veckans sammanfattning",
            dt.time.fromisoformat(settings.digest_time),
        ),
        JobSpec(
            "knalle-retry",
            "bot.schedule.jobs:retry_failed",
            "Nytt försök med det Slack inte tog emot i morse",
            RETRY_TIME,
        ),
    ]


def daily_trigger(at: dt.time, settings: Settings) -> CronTrigger:
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone)


def make_scheduler(knalle: Knalle) -> BackgroundScheduler:
    """A scheduler whose job store is a table in Knalle's own database."""
    store = SQLAlchemyJobStore(engine=knalle.db.engine, tablename=JOB_TABLE)
    return BackgroundScheduler(
        jobstores={"default": store},
        timezone=knalle.settings.zone,
        job_defaults={
            "coalesce": True,  # several missed runs become one
            "misfire_grace_time": int(GRACE.total_seconds()),
            "max_instances": 1,
        },
        daemon=True,
    )


def create_job_table(engine: Engine) -> None:
    """APScheduler creates its table at start in a transaction that reads, then writes: on
    SQLite, a command saved in between (the server takes requests while the scheduler starts)
    makes that "database is locked" at once, the busy timeout does not apply. Made here in a
    write transaction (BEGIN IMMEDIATE) instead; APScheduler then finds it there."""
    table = SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE).jobs_t
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        table.create(connection, checkfirst=True)
        connection.commit()


def ensure_jobs(scheduler: BackgroundScheduler, settings: Settings) -> list[str]:
    """Add each job when absent; ids of the jobs added. A changed time reschedules that job."""
    added = []
    for spec in job_specs(settings):
        trigger = daily_trigger(spec.at, settings)
        existing = scheduler.get_job(spec.id)
        if existing is None:
            scheduler.add_job(
                spec.func,
                trigger=trigger,
                id=spec.id,
                name=spec.name,
                replace_existing=False,
                coalesce=True,
                misfire_grace_time=int(GRACE.total_seconds()),
                max_instances=1,
            )
            added.append(spec.id)
        elif str(existing.trigger) != str(trigger):
            logger.info("job %s: time changed to %s", spec.id, trigger)
            scheduler.reschedule_job(spec.id, trigger=trigger)
    return added


def start_scheduler(
    knalle: Knalle, client: WebClient, *, catch_up_now: bool = True
) -> BackgroundScheduler:
    """Start the scheduler (jobs run with this Knalle and client) and catch up in the background."""
    jobs.use(knalle, client)
    scheduler = make_scheduler(knalle)
    # Paused until the jobs are in place, so nothing runs against a half-set-up store. Under
    # the migration lock: replicas starting together would race to create the job table and
    # to add the same job ids.
    with migration_lock(knalle.db.engine):
        create_job_table(knalle.db.engine)
        scheduler.start(paused=True)
        added = ensure_jobs(scheduler, knalle.settings)
    if added:
        logger.info("scheduled jobs added: %s", ", ".join(added))
    scheduler.resume()
    if catch_up_now:
        thread = threading.Thread(
            target=catch_up, args=(knalle, client), name="knalle-catch-up", daemon=True
        )
        thread.start()
        _catch_ups.append(thread)
    return scheduler


_catch_ups: list[threading.Thread] = []


def wait_for_catch_up(timeout: float) -> None:
    """At shutdown: a catch-up still sending is let finish (its claims are in the ledger)."""
    for thread in list(_catch_ups):
        thread.join(timeout=timeout)


def missed_days(settings: Settings, now: dt.datetime) -> list[dt.date]:
    """Days whose daily run time lies within GRACE before `now`."""
    at = dt.time.fromisoformat(settings.digest_time)
    local = now.astimezone(settings.zone)
    days = []
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        run_at = dt.datetime.combine(day, at, tzinfo=settings.zone)
        if run_at <= local <= run_at + GRACE:
            days.append(day)
    return days


def catch_up(knalle: Knalle, client: WebClient, now: dt.datetime | None = None) -> RunReport:
    """On start: make the runs due within the grace time; the ledger skips what already went."""
    report = RunReport()
    try:
        for day in missed_days(knalle.settings, now or knalle.clock.now()):
            report.extend(ScheduledSends(knalle, client).daily(day))
    except Exception:  # the bot must come up even if the catch-up cannot run
        logger.exception("catch-up on start failed")
    if report.sent:
        logger.info("catch-up on start: %s", report.summary().replace("\n", " | "))
    return report


_running: list[BackgroundScheduler] = []


def scheduler_start_hook(knalle: Knalle, app: Any) -> None:
    """A serve start hook: the scheduler runs with the Bolt app's Web API client."""
    _running.append(start_scheduler(knalle, app.client))


def running_schedulers() -> list[BackgroundScheduler]:
    """The schedulers this process started (one under `knalle serve`)."""
    return list(_running)
