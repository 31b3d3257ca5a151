"""Scheduled sends against the Slack stand-in: exact recipients and contents, exactly once."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bot.console.standin import SlackStandIn
from bot.context import Knalle
from bot.schedule.sends import ScheduledSends
from bot.slack.client import make_web_client
from handlers.ids import ActivityAction
from storage import sends
from storage.models import Visit
from tests import scheduled_world
from tests.storage import factories as make

FIRST_DEC = dt.date(2026, 12, 1)
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def sender(knalle: Knalle, standin: SlackStandIn, **kwargs: Any) -> ScheduledSends:
    return ScheduledSends(knalle, make_web_client("xoxb-test", standin.api_url), **kwargs)


def posted(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [c.args for c in standin.calls("chat.postMessage") if "_failed" not in c.args]


def texts(blocks: list[dict[str, Any]]) -> str:
    found = []
    for block in blocks:
        for part in [block.get("text"), *(block.get("elements") or [])]:
            if isinstance(part, dict) and "text" in part:
                found.append(str(part["text"]))
    return "\n".join(found)


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (b["accessory"]["action_id"], b["accessory"]["value"])
        for b in blocks
        if b.get("accessory", {}).get("type") == "button"
    ]


def test_reminders_go_to_exactly_the_owners_with_their_unreported_activities(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        world = scheduled_world.build(session)
    report = sender(knalle, standin).reminders(FIRST_DEC)
    assert [c.args["users"] for c in standin.calls("conversations.open")] == ["UANNA", "UPIA"]
    messages = posted(standin)
    assert [m["channel"] for m in messages] == ["DUANNA", "DUPIA"]
    anna = messages[0]
    assert buttons(anna["blocks"]) == [
        (ActivityAction.UPDATE.value, str(world.alla)),
        (ActivityAction.UPDATE.value, str(world.foretagsamt)),
    ]
    body = texts(anna["blocks"])
    assert "Hej Anna M!" in body and "*15 dec 2026* (2026-H2)" in body
    assert "*2 aktiviteter*" in body and "*14 dagar kvar*" in body
    # User text escaped: no <!channel> ever reaches Slack through the bot.
    assert "Företagsamt &lt;nyhetsbrev&gt; &amp; mer" in body
    assert "🟡 gul – Halvvägs &lt;!channel&gt; (2026-H1)" in body and "<!channel>" not in body
    assert "Nyhetsbrev" not in body and "Dialog" not in body
    assert anna["text"] == (
        "14 dagar kvar till uppföljningen 15 dec 2026: 2 aktiviteter att rapportera."
    )
    assert buttons(messages[1]["blocks"]) == [(ActivityAction.UPDATE.value, str(world.alla))]
    assert [o.recipient for o in report.sent] == ["UANNA", "UPIA"]
    assert {s.name for s in report.skipped} == {"Olle", "Kim"}
    with knalle.db.read() as session:
        rows = sends.sends_of(session)
    assert [(r.kind, r.recipient, r.period, r.status) for r in rows] == [
        ("reminder-14", "UANNA", "2026-H2", "sent"),
        ("reminder-14", "UPIA", "2026-H2", "sent"),
    ]


def test_a_double_run_sends_once(knalle: Knalle, standin: SlackStandIn) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    sender(knalle, standin).reminders(FIRST_DEC)
    again = sender(knalle, standin).reminders(FIRST_DEC)
    assert len(posted(standin)) == 2
    assert again.sent == [] and [o.recipient for o in again.already] == ["UANNA", "UPIA"]


def test_two_senders_at_once_on_one_database_send_each_message_once(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            sender(knalle, standin).daily(FIRST_DEC)
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(m["channel"] for m in posted(standin)) == ["DUANNA", "DUPIA"]


def test_a_claim_left_by_a_crash_mid_send_is_not_sent_again(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
        # The process died after claiming Anna's reminder, maybe after Slack got it.
        now = knalle.clock.now()
        assert sends.claim(session, "reminder-14", "UANNA", "2026-H2", now)
    report = sender(knalle, standin).reminders(FIRST_DEC)
    assert [m["channel"] for m in posted(standin)] == ["DUPIA"]
    assert [o.recipient for o in report.already] == ["UANNA"]


def test_a_429_with_retry_after_still_delivers_once(knalle: Knalle, standin: SlackStandIn) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    standin.fail("chat.postMessage", status=429, retry_after=1)
    report = sender(knalle, standin).reminders(FIRST_DEC)
    attempts = standin.calls("chat.postMessage")
    assert [c.args.get("_failed") for c in attempts] == ["ratelimited", None, None]
    assert [m["channel"] for m in posted(standin)] == ["DUANNA", "DUPIA"]
    assert report.failed == [] and len(report.sent) == 2


def test_one_refused_owner_does_not_stop_the_others_and_is_retried_later(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    standin.fail(
        "conversations.open",
        status=200,
        error="user_not_found",
        when=lambda args: args.get("users") == "UANNA",
    )
    report = sender(knalle, standin).reminders(FIRST_DEC)
    assert [m["channel"] for m in posted(standin)] == ["DUPIA"]
    assert [(o.recipient, error) for o, error in report.failed] == [("UANNA", "user_not_found")]
    assert "user_not_found" in report.summary()
    with knalle.db.read() as session:
        row = sends.find(session, "reminder-14", "UANNA", "2026-H2")
        assert row is not None and (row.status, row.error) == ("failed", "user_not_found")
    retry = sender(knalle, standin).reminders(FIRST_DEC)
    assert [m["channel"] for m in posted(standin)] == ["DUPIA", "DUANNA"]
    assert [o.recipient for o in retry.sent] == ["UANNA"]
    with knalle.db.read() as session:
        row = sends.find(session, "reminder-14", "UANNA", "2026-H2")
        assert row is not None and (row.status, row.attempts) == ("sent", 2)


def test_the_monday_digest_posts_to_the_channel_with_its_chart_and_dms_each_owner(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
        ellos = make.company(session, "Ellos & Co <AB>")
        make.visit(session, ellos, dt.date(2026, 11, 24), author="UPIA", participants=("UANNA",))
    report = sender(knalle, standin).daily(MONDAY)
    messages = posted(standin)
    assert [m["channel"] for m in messages] == ["C0TEAM", "DUANNA", "DUPIA"]
    team = texts(messages[0]["blocks"])
    assert "Veckans Knalle – vecka 49" in team
    assert "*Besök förra veckan* (mån 23 nov–sön 29 nov): *1*" in team
    assert "Företag: Ellos &amp; Co &lt;AB&gt;" in team and "Vem: Anna M (1), Pia (1)" in team
    assert "*Året hittills:* 1 av 150 besök" in team and "hade varit 137 nu (136 efter)" in team
    assert "*Ej rapporterade i 2026-H2* (3 av 4):" in team
    assert "*Nästa uppföljning:* tis 15 dec 2026 (om 15 dagar)." in team
    (chart,) = standin.uploaded_files()
    assert chart.channel_id == "C0TEAM" and chart.content.startswith(b"\x89PNG")
    assert chart.filename == "besok-2026-v49.png"
    anna = texts(messages[1]["blocks"])
    assert "*Dina besök förra veckan:* 1" in anna
    assert "Ellos &amp; Co &lt;AB&gt; (tis 24 nov)" in anna
    assert "(2026-H2): 2 aktiviteter" in anna
    assert len(report.sent) == 3
    # Again the same week: nothing new, not even the chart.
    sender(knalle, standin).digest(dt.date(2026, 12, 2))
    assert len(posted(standin)) == 3 and len(standin.uploaded_files()) == 1


def test_no_digest_on_annandag_pask_but_on_the_tuesday(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    sender(knalle, standin).daily(dt.date(2027, 3, 29))
    assert posted(standin) == []
    sender(knalle, standin).daily(dt.date(2027, 3, 30))
    assert [m["channel"] for m in posted(standin)] == ["C0TEAM"]
    with knalle.db.read() as session:
        assert [(r.kind, r.period) for r in sends.sends_of(session)] == [
            ("digest", "2027-W13"),
            ("digest-chart", "2027-W13"),
        ]


def test_a_digest_without_a_channel_says_how_to_set_one(
    sqlite_knalle: Knalle, standin: SlackStandIn
) -> None:
    knalle = sqlite_knalle
    knalle.settings = knalle.settings.model_copy(update={"digest_channel": None})
    with knalle.db.write() as session:
        scheduled_world.build(session)
    report = sender(knalle, standin).digest(MONDAY)
    assert [m["channel"] for m in posted(standin)] == ["DUANNA", "DUPIA"]
    assert "KNALLE_DIGEST_CHANNEL" in report.summary()
    assert "knalle config set digest_channel" in report.summary()


def test_a_visit_follow_up_becomes_a_dm_to_its_author_that_morning(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.member(session, "Pia", "UPIA")
        ellos = make.company(session, "Ellos AB")
        visit = make.visit(
            session, ellos, dt.date(2026, 11, 24), author="UPIA", notes="Ring om lokal"
        )
        visit.follow_up_on = dt.date(2026, 12, 8)
        later = make.visit(session, ellos, dt.date(2026, 11, 25), author="UPIA")
        later.follow_up_on = dt.date(2026, 12, 9)
        visit_id = visit.id
    sender(knalle, standin).daily(dt.date(2026, 12, 8))
    sender(knalle, standin).daily(dt.date(2026, 12, 8))
    (message,) = posted(standin)
    assert message["channel"] == "DUPIA"
    body = texts(message["blocks"])
    assert "*Ellos AB* (tis 24 nov 2026)" in body and "Du skrev: Ring om lokal" in body
    with knalle.db.read() as session:
        assert sends.find(session, "visit-followup", "UPIA", str(visit_id)) is not None
        assert session.get(Visit, visit_id) is not None


def test_dry_run_prints_and_records_nothing(knalle: Knalle, standin: SlackStandIn) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    out = io.StringIO()
    report = ScheduledSends(knalle, None, dry_run=True, out=out).daily(FIRST_DEC)
    printed = out.getvalue()
    assert "skulle skicka påminnelsen 14 dagar före till Anna M (2026-H2)" in printed
    assert "skulle skicka påminnelsen 14 dagar före till Pia (2026-H2)" in printed
    assert "Företagsamt <nyhetsbrev> & mer" in printed and "[Uppdatera]" in printed
    assert [o.recipient for o in report.planned] == ["UANNA", "UPIA"]
    assert standin.calls() == []
    with knalle.db.read() as session:
        assert sends.sends_of(session) == []


def test_a_recipient_refused_three_times_is_given_up(knalle: Knalle, standin: SlackStandIn) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    standin.fail(
        "conversations.open",
        status=200,
        error="account_inactive",
        times=3,
        when=lambda args: args.get("users") == "UPIA",
    )
    for _ in range(3):
        sender(knalle, standin).reminders(FIRST_DEC)
    fourth = sender(knalle, standin).reminders(FIRST_DEC)
    assert [(o.recipient, error) for o, error in fourth.failed] == [
        ("UPIA", "gav upp efter 3 försök (account_inactive)")
    ]
    assert [m["channel"] for m in posted(standin)] == ["DUANNA"]
    assert len(standin.calls("conversations.open")) == 4  # Anna once, Pia three times


def test_a_follow_up_on_a_weekend_comes_on_the_friday_before(
    knalle: Knalle, standin: SlackStandIn
) -> None:
    with knalle.db.write() as session:
        scheduled_world.member(session, "Pia", "UPIA")
        ellos = make.company(session, "Ellos AB")
        on_sunday = make.visit(session, ellos, dt.date(2026, 11, 24), author="UPIA")
        on_sunday.follow_up_on = dt.date(2026, 12, 13)  # a Sunday
    sender(knalle, standin).daily(dt.date(2026, 12, 11))  # the Friday before
    (message,) = posted(standin)
    assert message["channel"] == "DUPIA" and "Ellos AB" in texts(message["blocks"])
    for day in (dt.date(2026, 12, 12), dt.date(2026, 12, 13), dt.date(2026, 12, 14)):
        sender(knalle, standin).daily(day)  # the weekend itself, and Monday, send it no more
    follow_ups = [m for m in posted(standin) if m["text"].startswith("Dags att följa upp")]
    assert len(follow_ups) == 1
