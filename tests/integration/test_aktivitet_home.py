"""The Home tab and DM pauses end to end: signed events, buttons and modals against the stand-in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bot.console.signing import event_body, sign_request
from handlers.ids import ActivityAction, HomeAction, HomeField, HomeView
from storage import key_figures
from storage import staff as staff_queries
from tests.handlers.activity_plan import build_plan
from tests.integration.live import SECRET, HttpReply, LiveBot, click, submit
from tests.integration.test_aktivitet import aktivitet, buttons, text_of
from tests.storage import factories as make


@pytest.fixture
def ids(bot: LiveBot) -> dict[str, int]:
    with bot.knalle.db.write() as session:
        made = build_plan(session)
        ellos = make.company(session, "Ellos AB", "Handel och logistik")
        bageri = make.company(session, "Maj's <Bageri> & Co")
        make.visit(session, ellos, dt.date(2026, 11, 20), author="UPIA")
        make.visit(session, bageri, dt.date(2026, 11, 23), author="UANNAM", participants=("UPIA",))
        make.visit(session, ellos, dt.date(2026, 3, 2), author="UANNAM")
        make.visit(session, ellos, dt.date(2025, 12, 30), author="UPIA")  # last year
        nki = key_figures.add_key_figure(session, "NKI")
        key_figures.set_value(session, nki, 2026, target="75", outcome="72", met=False)
        return made


def open_home(bot: LiveBot, user: str = "UPIA", event_id: str = "Ev1") -> HttpReply:
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    body = event_body(event, event_id)
    return bot.post(body, sign_request(body, SECRET))


def published(bot: LiveBot, count: int = 1) -> dict[str, Any]:
    view: dict[str, Any] = bot.standin.wait_for("views.publish", count)[count - 1].args["view"]
    return view


def test_home_shows_activities_due_visits_team_count_and_key_figures(
    bot: LiveBot, ids: dict[str, int]
) -> None:
    aktivitet(bot, "Företagsamt gul Decembernumret försenat")
    assert open_home(bot).status == 200
    view = published(bot)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    shown = text_of(view)
    # My activities with lights: Företagsamt reported this period, the others not.
    assert "🟡" in shown and "1.5.6 Företagsamt" in shown and "Decembernumret" in shown
    assert "1.2.3 Företagsbesök" in shown and "ej rapporterad" in shown
    assert "1.5.7" not in shown
    update_buttons = [b for b in buttons(view["blocks"]) if b["action_id"] == ActivityAction.UPDATE]
    assert sorted(int(b["value"]) for b in update_buttons) == sorted(
        [ids["109"], ids["besök"], ids["företagsamt"]]
    )
    # Due before the follow-up on 15 December: the two not reported.
    due = shown.split("Att rapportera före uppföljningen 15 dec 2026")[1]
    assert "om 21 dagar" in due
    assert "1.2.1" in due and "1.2.3" in due and "1.5.6" not in due.split("Mina senaste")[0]
    # My visits, newest first, escaped; the team's count this year against the target.
    visits = shown.split("Mina senaste besök")[1]
    assert visits.index("Maj's &lt;Bageri&gt; &amp; Co") < visits.index("Ellos AB")
    assert "mån 23 nov" in visits and "fre 20 nov" in visits
    assert "Teamets besök 2026:* 3 av målet 150" in shown
    assert "skulle vi ha varit på 135 i dag – vi ligger 132 efter" in shown
    assert "NKI: mål 75, utfall 72 ❌" in shown
    # Pausing DMs is offered.
    assert HomeAction.PAUSE_DMS in [b["action_id"] for b in buttons(view["blocks"])]


def test_slack_retry_of_the_same_event_publishes_once(bot: LiveBot, ids: dict[str, int]) -> None:
    open_home(bot, event_id="EvSame")
    bot.standin.wait_for("views.publish")
    assert open_home(bot, event_id="EvSame").status == 200
    open_home(bot, user="UANNAM", event_id="EvOther")
    calls = bot.standin.wait_for("views.publish", 2)
    assert [call.args["user_id"] for call in calls] == ["UPIA", "UANNAM"]


def test_unlinked_user_gets_a_hint_on_home(bot: LiveBot, ids: dict[str, int]) -> None:
    open_home(bot, user="UOKAND")
    shown = text_of(published(bot))
    assert "knalle staff link" in shown and "UOKAND" in shown
    assert "Teamets besök 2026" in shown
    assert not [
        b for b in buttons(published(bot)["blocks"]) if b["action_id"] == ActivityAction.UPDATE
    ]


# -- pauses -----------------------------------------------------------------------------------


def paused_until(bot: LiveBot, user: str = "UPIA") -> dt.date | None:
    with bot.knalle.db.read() as session:
        member = staff_queries.by_slack_id(session, user)
        assert member is not None
        return member.dm_paused_until


def test_pause_till_a_date_and_resume(bot: LiveBot, ids: dict[str, int]) -> None:
    shown = text_of(aktivitet(bot, "paus till 10 augusti"))
    assert "10 aug 2027" in shown and "/aktivitet fortsätt" in shown
    assert paused_until(bot) == dt.date(2027, 8, 10)
    open_home(bot)
    view = published(bot)
    assert "pausade till 10 aug 2027" in text_of(view)
    assert HomeAction.RESUME_DMS in [b["action_id"] for b in buttons(view["blocks"])]
    shown = text_of(aktivitet(bot, "fortsätt"))
    assert "igen" in shown
    assert paused_until(bot) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paus till blåbärsdag", ["blåbärsdag", "10 augusti"]),
        ("paus till 2020-01-01", ["efter i dag"]),
        ("paus", ["/aktivitet paus till 10 augusti"]),
    ],
)
def test_bad_pause_dates_store_nothing(
    bot: LiveBot, ids: dict[str, int], text: str, expected: list[str]
) -> None:
    shown = text_of(aktivitet(bot, text))
    for word in expected:
        assert word in shown
    assert paused_until(bot) is None


def test_unlinked_user_cannot_pause(bot: LiveBot, ids: dict[str, int]) -> None:
    shown = text_of(aktivitet(bot, "paus om 2 veckor", user="UOKAND"))
    assert "knalle staff link" in shown


def pause_values(day: str | None) -> dict[str, Any]:
    return {
        HomeField.PAUSE_UNTIL: {HomeField.PAUSE_UNTIL: {"type": "datepicker", "selected_date": day}}
    }


def test_pause_and_resume_from_the_home_tab(bot: LiveBot, ids: dict[str, int]) -> None:
    pause = {
        "action_id": HomeAction.PAUSE_DMS,
        "value": "pause",
        "text": {"type": "plain_text", "text": "Pausa DM"},
    }
    click(bot, pause, name="paus")
    (opened,) = bot.standin.wait_for("views.open")
    modal = opened.args["view"]
    assert modal["callback_id"] == HomeView.PAUSE
    picker = modal["blocks"][1]["element"]
    assert picker["type"] == "datepicker" and picker["initial_date"] == "2026-12-08"

    refused = submit(bot, modal, pause_values("2026-11-24"))
    answer = json.loads(refused.body)
    assert answer["response_action"] == "errors" and HomeField.PAUSE_UNTIL in answer["errors"]
    assert paused_until(bot) is None

    assert submit(bot, modal, pause_values("2027-01-07"), view_id="VPAUS").status == 200
    view = published(bot)
    assert paused_until(bot) == dt.date(2027, 1, 7)
    assert "7 jan 2027" in text_of(view)

    resume = next(b for b in buttons(view["blocks"]) if b["action_id"] == HomeAction.RESUME_DMS)
    click(bot, resume, name="fortsatt")
    view = published(bot, 2)
    assert paused_until(bot) is None
    assert HomeAction.PAUSE_DMS in [b["action_id"] for b in buttons(view["blocks"])]


def test_the_pause_modal_refuses_someone_not_in_the_directory(
    bot: LiveBot, ids: dict[str, int]
) -> None:
    modal = {"type": "modal", "callback_id": HomeView.PAUSE, "private_metadata": ""}
    refused = submit(bot, modal, pause_values("2027-01-07"), user="UOKAND")
    answer = json.loads(refused.body)
    assert answer["response_action"] == "errors"
    assert "knalle staff link" in answer["errors"][HomeField.PAUSE_UNTIL]
    with bot.knalle.db.read() as session:
        assert staff_queries.by_slack_id(session, "UOKAND") is None
    assert bot.standin.calls("views.publish") == []
