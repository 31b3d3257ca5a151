"""Every surface at its worst case passes the strict stand-in and keeps every activity reachable.

Worst cases: an owner with 60 activities whose latest comments are 1,400 characters, a plan of
500 activities (the benchmark's size) with nothing reported, many visits with long company
names. A refusal fails the test (tests/conftest.py), so sending is the assertion; on top, each
test checks that every activity is named or has its own button.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.clock import FixedClock
from bot.console.standin import SlackStandIn
from bot.context import Knalle
from bot.core import home as home_core
from bot.core.activities import updates as updates_core
from bot.schedule.sends import ScheduledSends
from bot.slack.client import make_web_client
from handlers.activity import blocks as activity_blocks
from handlers.activity.home import home_view
from handlers.limits import MESSAGE_BLOCK_TEXT, block_text_length, check_message, check_view
from storage.models import Staff
from tests.storage import factories as make

FIRST_DEC = dt.date(2026, 12, 1)  # a reminder day (14 days before the follow-up)
MONDAY = dt.date(2026, 11, 30)  # a digest day
UTC = dt.UTC
LONG_COMMENT = ("Läget: arbetet fortsätter med företagen, & <dialog> pågår. " * 25)[:1400]
LONG_TITLE = (
    "Samverkan med näringslivet om kompetensförsörjning, etableringar och platsmarknadsföring"
)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def staff(session: Session, name: str, slack_id: str) -> None:
    session.add(
        Staff(name=name, slack_user_id=slack_id, created_at=dt.datetime(2026, 1, 1, tzinfo=UTC))
    )


def busy_plan(session: Session, *, activities: int, owner_share: int, comment: str) -> list[str]:
    """`activities` activities; Pia owns the first `owner_share`; each has a latest comment
    from the last period (so all are due this one). Returns their numbers."""
    staff(session, "Pia", "UPIA")
    staff(session, "Ola", "UOLA")
    plan, section = make.plan(session, 2026)
    numbers = []
    for n in range(1, activities + 1):
        number = f"1.2.{n}"
        owners = ("Pia",) if n <= owner_share else ("Ola",)
        row = make.activity(session, plan, section, number, f"{LONG_TITLE} {n}", owners)
        if comment:
            at = dt.datetime(2026, 6, 1, tzinfo=UTC)
            make.update(session, row, "gul", comment, at, "2026-H1")
        numbers.append(number)
    return numbers


def sender(knalle: Knalle, standin: SlackStandIn) -> ScheduledSends:
    return ScheduledSends(knalle, make_web_client("xoxb-test", standin.api_url))


def dm_to(standin: SlackStandIn, user: str) -> list[dict[str, Any]]:
    return [
        c.args
        for c in standin.calls("chat.postMessage")
        if c.args.get("channel") == f"D{user}" and "_refused" not in c.args
    ]


def reachable(blocks: list[dict[str, Any]], numbers: list[str]) -> list[str]:
    """The numbers neither named in the text nor behind their own button."""
    text = json.dumps(blocks, ensure_ascii=False)
    return [n for n in numbers if f"*{n} " not in text]


def test_the_reminder_of_an_owner_with_60_long_activities(
    sqlite_knalle: Knalle, standin: SlackStandIn
) -> None:
    with sqlite_knalle.db.write() as session:
        numbers = busy_plan(session, activities=60, owner_share=60, comment=LONG_COMMENT)
    report = sender(sqlite_knalle, standin).reminders(FIRST_DEC)
    assert not report.failed
    (message,) = dm_to(standin, "UPIA")
    assert block_text_length(message["blocks"]) < MESSAGE_BLOCK_TEXT
    assert reachable(message["blocks"], numbers) == []
    # A line each, and one button that opens the form with all of them.
    texts = json.dumps(message["blocks"], ensure_ascii=False)
    assert "Uppdatera en aktivitet" in texts


def test_the_reminder_of_an_owner_with_45_long_activities_keeps_a_button_each(
    sqlite_knalle: Knalle, standin: SlackStandIn
) -> None:
    with sqlite_knalle.db.write() as session:
        busy_plan(session, activities=45, owner_share=45, comment=LONG_COMMENT)
    sender(sqlite_knalle, standin).reminders(FIRST_DEC)
    (message,) = dm_to(standin, "UPIA")
    # 45 sections with 300-character previews were ~19,000 characters: Slack refused them.
    accessories = [b for b in message["blocks"] if b.get("accessory")]
    assert len(accessories) == 45
    assert block_text_length(message["blocks"]) < MESSAGE_BLOCK_TEXT


def test_the_digests_on_a_500_activity_plan_with_many_visits(
    sqlite_knalle: Knalle, standin: SlackStandIn
) -> None:
    with sqlite_knalle.db.write() as session:
        numbers = busy_plan(session, activities=500, owner_share=250, comment="")
        for n in range(80):
            company = make.company(session, f"{LONG_TITLE[:60]} AB nr {n}")
            make.visit(session, company, MONDAY - dt.timedelta(days=1 + n % 7), author="UPIA")
    report = sender(sqlite_knalle, standin).digest(MONDAY)
    assert not report.failed
    (team,) = [c.args for c in standin.calls("chat.postMessage") if c.args["channel"] == "C0TEAM"]
    assert check_message(team) is None
    (personal,) = dm_to(standin, "UPIA")
    assert block_text_length(personal["blocks"]) < MESSAGE_BLOCK_TEXT
    missing = reachable(personal["blocks"], numbers[:250])
    # What does not fit is counted, and the form behind the button lists them all.
    if missing:
        assert f"…och {len(missing)} till" in json.dumps(personal["blocks"], ensure_ascii=False)


def test_mine_home_and_show_for_an_owner_with_60_long_activities(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        numbers = busy_plan(session, activities=60, owner_share=60, comment=LONG_COMMENT)
    today = sqlite_knalle.clock.now().date()
    dates = sqlite_knalle.settings.followup_dates
    with sqlite_knalle.db.read() as session:
        mine = updates_core.my_activities(session, "UPIA", today, dates)
        data = home_core.home_data(session, "UPIA", today, followup_dates=dates, visit_target=150)
        everything = updates_core.all_activities(session, today)
    reply = activity_blocks.mine_message(mine, "UPIA")
    assert check_message(reply) is None and reachable(reply["blocks"], numbers) == []
    view = home_view(data)
    assert check_view(view, method="views.publish") is None
    assert reachable(view["blocks"], numbers) == []
    modal = activity_blocks.update_modal(
        [s.ref for s in mine.activities], everything, period="2026-H2", metadata="{}"
    )
    assert check_view(modal) is None


def test_one_activity_with_60_long_updates(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        staff(session, "Pia", "UPIA")
        plan, section = make.plan(session, 2026)
        row = make.activity(session, plan, section, "1.2.1", LONG_TITLE, ("Pia",))
        for n in range(60):
            at = dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(days=n)
            make.update(session, row, "gul", f"{n}: {LONG_COMMENT}", at, "2026-H1")
        activity_id = row.id
    today = sqlite_knalle.clock.now().date()
    with sqlite_knalle.db.read() as session:
        detail = updates_core.activity_detail(
            session, activity_id, today, sqlite_knalle.settings.followup_dates
        )
    reply = activity_blocks.detail_message(detail)
    assert check_message(reply) is None  # 40 sections of 1,400 characters were 60,000
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "59: Läget" in text  # the newest is always there
    assert "äldre uppdateringar som inte får plats" in text


def test_every_reminder_of_the_shipped_2022_plan_with_1400_character_comments(
    sqlite_knalle: Knalle, clock: FixedClock, standin: SlackStandIn
) -> None:
    """The unit's own plan, every owner linked, every activity's latest comment 1,400 long."""
    from pathlib import Path

    from sqlalchemy import select

    from bot.core.plan.importer import import_plan_file
    from storage import staff as staff_queries
    from storage.models import Activity

    plan_file = Path(__file__).resolve().parents[2] / "data" / "plans" / "boras-2022.yaml"
    clock.current = dt.datetime(2022, 12, 1, 9, 0, tzinfo=UTC)  # sqlite_knalle's clock
    with sqlite_knalle.db.write() as session:
        import_plan_file(session, plan_file, dt.datetime(2022, 1, 10, tzinfo=UTC))
        for n, member in enumerate(staff_queries.all_staff(session)):
            staff_queries.link(session, member, f"U{n:04d}", None)
        numbers: dict[int, str] = {}
        for activity in session.scalars(select(Activity)):
            at = dt.datetime(2022, 6, 1, tzinfo=UTC)
            make.update(session, activity, "gul", LONG_COMMENT, at, "2022-H1")
            numbers[activity.id] = activity.number
    report = sender(sqlite_knalle, standin).reminders(dt.date(2022, 12, 1))
    assert not report.failed and len(report.sent) >= 5
    sizes = []
    for item in report.sent:
        (message,) = dm_to(standin, item.recipient)
        sizes.append(block_text_length(message["blocks"]))
        assert sizes[-1] < MESSAGE_BLOCK_TEXT
        assert item.blocks == message["blocks"]
    # The busiest owner's reminder names every one of their activities.
    busiest = max(report.sent, key=lambda item: len(json.dumps(item.blocks)))
    (message,) = dm_to(standin, busiest.recipient)
    text = json.dumps(message["blocks"], ensure_ascii=False)
    assert text.count("*") >= 2 and "…och" not in text


def long_visit(n: int) -> Any:
    from bot.core.visits import actions as visits_core

    return visits_core.VisitRecord(
        id=n,
        company_id=n,
        company=f"{n} " + "Långa Företagsnamnet & Söner Aktiebolag " * 5,  # ~200 characters
        cluster=None,
        visit_date=dt.date(2026, 11, 1) + dt.timedelta(days=n % 20),
        author_id="UPIA",
        participants=("UPIA", "UOLA", "UKIM", "UEVA"),
        others=tuple(f"Kontaktperson nummer {i} på företaget" for i in range(12)),
        form="på plats",
        notes=LONG_COMMENT,
        follow_up_on=dt.date(2026, 12, 1),
        created_at=dt.datetime(2026, 11, 1, tzinfo=UTC),
    )


def test_a_visit_list_of_30_long_visits_fits_and_counts_the_rest() -> None:
    from bot.core.visits import actions as visits_core
    from handlers.visits.blocks import list_message

    record = long_visit
    listing = visits_core.VisitList(
        "mina", None, None, tuple(record(n) for n in range(30)), total=120
    )
    reply = list_message(listing, dt.date(2026, 11, 24))
    assert check_message(reply) is None  # 30 such lines were over 20,000 characters
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    shown = sum(1 for n in range(30) if f"*{n} Långa" in text)
    assert shown >= 15 and f"{120 - shown}" in text


def test_a_company_history_of_long_visits_fits_for_an_admin() -> None:
    from bot.core.visits import actions as visits_core
    from handlers.visits.blocks import history_message

    history = visits_core.CompanyHistory(
        1, "Långa Företagsnamnet & Söner", "Handel", None, tuple(long_visit(n) for n in range(40))
    )
    reply = history_message(history, dt.date(2026, 11, 24), admin=True)
    assert check_message(reply) is None
    assert "till" in json.dumps(reply["blocks"][-3:], ensure_ascii=False)
