"""`knalle remind`, `knalle digest`, `knalle jobs` and `knalle config`: the schedule by hand.

`remind` and `digest` do exactly what the scheduler does on a day (the ledger keeps every send
to once, so running them again is safe); `--dry-run` prints instead of sending and records
nothing. `jobs` lists the stored jobs with their next run in local time. `config` reads and
changes the schedule settings kept in the database over the environment's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, TextIO

from bot.cli.common import audit_cli, iso_date, run_with_knalle
from bot.config import Settings
from bot.context import Knalle
from bot.errors import UserError

if TYPE_CHECKING:  # imported lazily below: `knalle --help` should not load Slack and matplotlib
    from bot.schedule.sends import RunReport, ScheduledSends

REMIND_HELP = "skicka påminnelserna inför uppföljningen som ska gå ut i dag (eller --date)"
DIGEST_HELP = "skicka veckans sammanfattning (kanal + personliga DM) per i dag (eller --date)"
JOBS_HELP = "visa de schemalagda jobben och när de körs nästa gång (lokal tid)"
CONFIG_HELP = "visa eller ändra schemats inställningar (uppföljningsdatum, påminnelsedagar, kanal)"

NO_TOKEN = (
    "SLACK_BOT_TOKEN saknas, så inget kan skickas. Sätt den i .env, eller lägg till "
    "--dry-run för att se vad som skulle skickas."
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remind = commands.add_parser(
        "remind",
        help=REMIND_HELP,
        description="Påminnelser till varje ägare med orapporterade aktiviteter, och "
        "uppföljnings-DM för besök, precis som schemat gör den dagen. Säker att köra igen: "
        "inget skickas två gånger.",
    )
    remind.add_argument("--date", type=iso_date, default=None, help="dagen, ÅÅÅÅ-MM-DD")
    remind.add_argument("--dry-run", action="store_true", help="skriv ut i stället för att skicka")
    remind.set_defaults(run=_remind)

    digest = commands.add_parser(
        "digest",
        help=DIGEST_HELP,
        description="Veckans sammanfattning per datumet: förra veckans besök, året mot målet, "
        "aktiviteter per ljus, orapporterade, nästa uppföljning, diagrammet; och varje ägares "
        "egen sammanfattning. En gång per vecka och mottagare.",
    )
    digest.add_argument("--date", type=iso_date, default=None, help="dagen, ÅÅÅÅ-MM-DD")
    digest.add_argument("--dry-run", action="store_true", help="skriv ut i stället för att skicka")
    digest.set_defaults(run=_digest)

    jobs = commands.add_parser("jobs", help=JOBS_HELP, description=JOBS_HELP)
    jobs.set_defaults(run=_jobs)

    config = commands.add_parser("config", help=CONFIG_HELP, description=CONFIG_HELP)
    verbs = config.add_subparsers(dest="config_command", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help="visa alla inställningar och var värdet kommer ifrån")
    listing.set_defaults(run=_config_list)
    get = verbs.add_parser("get", help="visa en inställning")
    get.add_argument("key", metavar="NYCKEL")
    get.set_defaults(run=_config_get)
    put = verbs.add_parser(
        "set",
        help="ändra en inställning, t.ex. followup_dates 06-15,12-15",
        description="Nycklar: followup_dates (MM-DD,MM-DD), reminder_days (t.ex. 14,3), "
        "digest_channel (kanal-id). Gäller direkt, också i en knalle serve som redan kör; "
        "går före miljön.",
    )
    put.add_argument("key", metavar="NYCKEL")
    put.add_argument("value", metavar="VÄRDE")
    put.set_defaults(run=_config_set)
    unset = verbs.add_parser("unset", help="ta bort en inställning så att miljöns värde gäller")
    unset.add_argument("key", metavar="NYCKEL")
    unset.set_defaults(run=_config_unset)


def _day(knalle: Knalle, given: dt.date | None) -> dt.date:
    from bot.clock import today

    return given or today(knalle.clock)


def _sender(knalle: Knalle, dry_run: bool, out: TextIO) -> ScheduledSends:
    from bot.schedule.sends import ScheduledSends

    if dry_run:
        return ScheduledSends(knalle, None, dry_run=True, out=out)
    if not knalle.settings.slack_bot_token:
        raise UserError(NO_TOKEN)
    from bot.slack.client import make_web_client

    client = make_web_client(knalle.settings.slack_bot_token, knalle.settings.slack_api_url)
    return ScheduledSends(knalle, client, out=out)


def run_remind(
    knalle: Knalle, day: dt.date | None, *, dry_run: bool, out: TextIO = sys.stdout
) -> int:
    """What `knalle remind` does; returns the exit code (1 when a send failed)."""
    sender = _sender(knalle, dry_run, out)
    when = _day(knalle, day)
    report = sender.reminders(when)
    report.extend(sender.visit_followups(when))
    return _finish(report, out)


def run_digest(
    knalle: Knalle, day: dt.date | None, *, dry_run: bool, out: TextIO = sys.stdout
) -> int:
    sender = _sender(knalle, dry_run, out)
    return _finish(sender.digest(_day(knalle, day)), out)


def _finish(report: RunReport, out: TextIO) -> int:
    summary = report.summary()
    if not (report.sent or report.already or report.failed or report.planned):
        summary = (summary + "\n" if summary else "") + "Inget att skicka."
    out.write(summary + "\n")
    return 1 if report.failed else 0


def _remind(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_remind(knalle, args.date, dry_run=args.dry_run), failure=2
    )


def _digest(args: argparse.Namespace) -> int:
    return run_with_knalle(
        lambda knalle: run_digest(knalle, args.date, dry_run=args.dry_run), failure=2
    )


def _when(moment: dt.datetime, zone: dt.tzinfo) -> str:
    from bot.core.text.sv import sv_long_date

    local = moment.astimezone(zone)
    return f"{sv_long_date(local.date())} {local:%H:%M}"


def run_jobs(knalle: Knalle, out: TextIO = sys.stdout) -> int:
    """The stored jobs with their next run (local time), and what the calendar has next."""
    from bot.core.followup import calendar
    from bot.core.followup.schedule_config import schedule_of
    from bot.core.text.sv import sv_date, sv_long_date
    from bot.schedule.scheduler import daily_trigger, job_specs, make_scheduler

    with knalle.db.read() as session:
        settings = knalle.settings_in(session)
    zone = settings.zone
    now = knalle.clock.now()
    scheduler = make_scheduler(knalle)
    scheduler.start(paused=True)  # opens the job store; paused, so nothing runs
    try:
        out.write(f"Schemalagda jobb ({settings.timezone}):\n")
        for spec in job_specs(settings):
            job = scheduler.get_job(spec.id)
            if job is not None and job.next_run_time is not None:
                state = f"nästa körning {_when(job.next_run_time, zone)}"
            elif job is not None:
                state = "pausat"
            else:
                upcoming = daily_trigger(spec.at, settings).get_next_fire_time(None, now)
                state = (
                    f"inte lagrat än (läggs till när `knalle serve` startar); "
                    f"skulle köras {_when(upcoming, zone)}"
                )
            out.write(f"  {spec.id:<14} {state}\n  {'':<14} {spec.name} ({spec.func})\n")
    finally:
        scheduler.shutdown(wait=False)
    schedule = schedule_of(settings)
    today = now.astimezone(zone).date()
    reminder = calendar.next_reminder(today, schedule)
    from handlers.scheduled.texts import kind_name

    out.write(
        f"Nästa: {kind_name(reminder.kind)} {sv_long_date(reminder.send_on)}"
        f" inför uppföljningen {sv_date(reminder.followup)} ({reminder.period}).\n"
    )
    digest_day = calendar.digest_day(today, schedule)
    if digest_day is None or digest_day < today:
        digest_day = calendar.digest_day(today + dt.timedelta(days=7), schedule)
    channel = settings.digest_channel or "(ingen kanal satt: KNALLE_DIGEST_CHANNEL)"
    if digest_day is not None:
        out.write(f"Nästa sammanfattning: {sv_long_date(digest_day)} till {channel}.\n")
    return 0


def _jobs(args: argparse.Namespace) -> int:
    return run_with_knalle(run_jobs)


def run_config(
    knalle: Knalle,
    verb: str,
    key: str = "",
    value: str = "",
    out: TextIO | None = None,
    *,
    env: Settings | None = None,
) -> int:
    """`knalle config list|get|set|unset`; a bad key or value raises UserError (Swedish).

    `env` is the environment's settings (knalle.settings unless given)."""
    from bot.core.followup import schedule_config
    from storage import config_values

    out = out or sys.stdout
    env = env or knalle.settings

    if verb == "list":
        with knalle.db.read() as session:
            stored = config_values.stored_values(session)
        for item in schedule_config.KEYS.values():
            if item.key in stored:
                shown, source = stored[item.key], "databasen"
            else:
                shown = schedule_config.env_value(env, item.key) or "(inte satt)"
                source = f"miljön, {item.env}"
            out.write(f"{item.key} = {shown}   [{source}]   {item.help}\n")
        return 0
    item = schedule_config.config_key(key)
    if verb == "get":
        with knalle.db.read() as session:
            stored = config_values.stored_values(session)
        out.write((stored.get(item.key) or schedule_config.env_value(env, item.key)) + "\n")
        return 0
    if verb == "set":
        with knalle.db.write() as session:
            earlier = config_values.stored_values(session)
            name, checked = schedule_config.set_value(session, key, value)
            audit_cli(
                knalle,
                session,
                "config.set",
                "setting",
                name,
                before={"value": earlier.get(name)},
                after={"value": checked},
            )
        out.write(f"Sparat: {name} = {checked}. Gäller direkt, också i en serve som redan kör.\n")
        return 0
    with knalle.db.write() as session:
        earlier = config_values.stored_values(session)
        removed = config_values.forget_value(session, item.key)
        if removed:
            audit_cli(
                knalle,
                session,
                "config.unset",
                "setting",
                item.key,
                before={"value": earlier.get(item.key)},
                after={"value": None},
            )
    shown = schedule_config.env_value(env, item.key) or "(inte satt)"
    out.write(
        f"Borttaget: {item.key}; nu gäller miljöns värde {shown}.\n"
        if removed
        else f"{item.key} var inte satt i databasen; miljöns värde {shown} gäller.\n"
    )
    return 0


def _config(args: argparse.Namespace, verb: str) -> int:
    key, value = getattr(args, "key", ""), getattr(args, "value", "")
    return run_with_knalle(lambda knalle: run_config(knalle, verb, key, value), failure=2)


def _config_list(args: argparse.Namespace) -> int:
    return _config(args, "list")


def _config_get(args: argparse.Namespace) -> int:
    return _config(args, "get")


def _config_set(args: argparse.Namespace) -> int:
    return _config(args, "set")


def _config_unset(args: argparse.Namespace) -> int:
    return _config(args, "unset")
