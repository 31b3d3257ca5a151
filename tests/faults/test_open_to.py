"""Who may use Knalle: KNALLE_OPEN_TO=staff (the default) keeps outsiders out (defect 8).

Before, after `knalle staff sync` an unknown workspace member could log visits counting toward
the target, update any activity (its owners got a DM), get the report and list every visit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.config import load_settings
from handlers.ids import VisitAction
from storage import staff
from storage.models import PendingCommand, Visit
from tests.integration.live import LiveBot, click, live_bot, reply_to

pytestmark = pytest.mark.faults


@pytest.fixture
def staff_bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock, KNALLE_OPEN_TO="staff") as running:
        with running.knalle.db.write() as session:
            staff.add_if_absent(session, "Pia", running.knalle.clock.now())
            member = staff.by_name(session, "Pia")
            assert member is not None
            staff.link(session, member, "UPIA", "Pia Persson")
        yield running


def counts(bot: LiveBot) -> tuple[int, int]:
    with bot.knalle.db.read() as session:
        return (
            int(session.scalar(select(func.count(Visit.id))) or 0),
            int(session.scalar(select(func.count(PendingCommand.id))) or 0),
        )


def test_the_default_is_staff() -> None:
    assert load_settings(_env_file=None).open_to == "staff"


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/besök", "Ellos AB igår"),
        ("/besök", "lista"),
        ("/besök", "statistik"),
        ("/besök", ""),
        ("/aktivitet", "Företagsamt gul Klart"),
        ("/aktivitet", "rapport"),
    ],
)
def test_an_outsider_is_told_whom_to_ask_and_nothing_is_stored_or_shown(
    staff_bot: LiveBot, command: str, text: str
) -> None:
    answer = staff_bot.command(text, user="UOUTSIDER", command=command)
    assert answer.status == 200
    said = json.loads(answer.body)["text"]
    assert "personallistan" in said and "<@UADMIN>" in said
    assert counts(staff_bot) == (0, 0)
    assert staff_bot.standin.calls("views.open") == []
    assert staff_bot.standin.calls("response_url") == []


def test_an_outsiders_click_is_refused_where_they_are(staff_bot: LiveBot) -> None:
    button = {
        "action_id": VisitAction.UNDO,
        "value": "1",
        "text": {"type": "plain_text", "text": "x"},
    }
    assert click(staff_bot, button, user="UOUTSIDER", name="ut").status == 200
    assert "personallistan" in reply_to(staff_bot, "ut")["text"]


def test_staff_and_admins_get_in(staff_bot: LiveBot) -> None:
    assert staff_bot.command("Ellos AB igår", user="UPIA", name="pia").status == 200
    assert "Ellos AB" in json.dumps(reply_to(staff_bot, "pia"), ensure_ascii=False)
    assert staff_bot.command("Nelly igår", user="UADMIN", name="adm").status == 200
    assert "Nelly" in json.dumps(reply_to(staff_bot, "adm"), ensure_ascii=False)
    assert counts(staff_bot)[0] == 2


def test_workspace_lets_every_member_in(sqlite_url: str, clock: FixedClock) -> None:
    with live_bot(sqlite_url, clock=clock, KNALLE_OPEN_TO="workspace") as bot:
        assert bot.command("Ellos AB igår", user="UOUTSIDER", name="o").status == 200
        assert "Ellos AB" in json.dumps(reply_to(bot, "o"), ensure_ascii=False)


def test_an_outsiders_home_tab_shows_none_of_the_units_data(staff_bot: LiveBot) -> None:
    from bot.console.signing import event_body, sign_request
    from tests.integration.live import SECRET

    body = event_body({"type": "app_home_opened", "user": "UOUTSIDER", "tab": "home"}, "EvOut1")
    assert staff_bot.post(body, sign_request(body, SECRET)).status == 200
    (published,) = staff_bot.standin.wait_for("views.publish")
    assert published.args["user_id"] == "UOUTSIDER"
    shown = json.dumps(published.args["view"], ensure_ascii=False)
    assert "personallistan" in shown and "besök" not in shown.lower().replace("besöka", "")
