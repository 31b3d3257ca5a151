"""`knalle staff sync|link|list|admin` against the Slack stand-in (users.list over HTTP)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from bot import cli
from bot.cli.staff import fetch_users, run_admin, run_link, run_list, run_sync
from bot.console.standin import SlackStandIn
from bot.context import Knalle
from storage import staff
from tests.conftest import make_settings
from tests.storage import factories


def member(uid: str, first: str, last: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": uid,
        "name": f"{first}.{last}".lower(),
        "deleted": False,
        "is_bot": False,
        "real_name": f"{first} {last}",
        "profile": {"first_name": first, "last_name": last, "display_name": first},
        **extra,
    }


MEMBERS = [
    member("U01", "Anna", "Månsson"),
    member("U02", "Anna", "Berg"),
    member("U03", "Per", "Holm"),
    member("U06", "Jonas", "Ahl"),
    member("U07", "Jonas", "Björk"),
    member("U08", "Sara", "Lind", deleted=True),
    {"id": "USLACKBOT", "name": "slackbot", "is_bot": False, "profile": {}},
]


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        server.users = MEMBERS
        yield server


def slack_knalle(knalle: Knalle, stand_in: SlackStandIn) -> Knalle:
    knalle.settings = make_settings(knalle.settings.database_url, SLACK_API_URL=stand_in.api_url)
    return knalle


def seed(knalle: Knalle, *names: str) -> None:
    with knalle.db.write() as session:
        for name in names:
            staff.add_if_absent(session, name, knalle.clock.now())


def test_sync_links_through_users_list_and_lists_the_rest(
    knalle: Knalle, stand_in: SlackStandIn
) -> None:
    seed(knalle, "Anna M", "Anna B", "Per", "Jonas", "Sara", "Arvid")
    out, err = io.StringIO(), io.StringIO()

    assert run_sync(slack_knalle(knalle, stand_in), out=out, err=err) == 0

    text = out.getvalue()
    assert "Hämtade 7 användare från Slack." in text
    assert "Kopplade 3 namn:" in text
    assert "  Anna M → Anna Månsson (U01)" in text
    assert "  Anna B → Anna Berg (U02)" in text
    assert "  Jonas: passar flera – Jonas Ahl (U06), Jonas Björk (U07)" in text
    assert "  Sara: ingen aktiv användare passar" in text
    assert "  Arvid: ingen aktiv användare passar" in text
    assert "knalle staff link NAMN U…" in text
    (call,) = stand_in.calls("users.list")
    assert call.args.get("limit") in (200, "200")
    with knalle.db.read() as session:
        assert factories.staff_named(session, "Per").slack_user_id == "U03"
        assert factories.staff_named(session, "Jonas").slack_user_id is None


def test_sync_reports_a_slack_error_and_stores_nothing(
    knalle: Knalle, stand_in: SlackStandIn
) -> None:
    seed(knalle, "Per")
    stand_in.fail("users.list", status=200, error="invalid_auth")
    err = io.StringIO()
    assert run_sync(slack_knalle(knalle, stand_in), out=io.StringIO(), err=err) == 1
    assert "Kunde inte hämta användarna från Slack" in err.getvalue()
    assert "invalid_auth" in err.getvalue()
    with knalle.db.read() as session:
        assert factories.staff_named(session, "Per").slack_user_id is None


def test_sync_waits_out_a_rate_limit(knalle: Knalle, stand_in: SlackStandIn) -> None:
    seed(knalle, "Per")
    stand_in.fail("users.list", status=429, retry_after=1)
    assert run_sync(slack_knalle(knalle, stand_in), out=io.StringIO(), err=io.StringIO()) == 0
    assert len(stand_in.calls("users.list")) == 2
    with knalle.db.read() as session:
        assert factories.staff_named(session, "Per").slack_user_id == "U03"


def test_sync_without_a_token_says_what_to_set(knalle: Knalle) -> None:
    knalle.settings = make_settings(knalle.settings.database_url, SLACK_BOT_TOKEN=None)
    err = io.StringIO()
    assert run_sync(knalle, out=io.StringIO(), err=err) == 1
    assert "SLACK_BOT_TOKEN saknas" in err.getvalue()


class PagedClient:
    """users.list in pages of two, like Slack's cursor pagination."""

    def __init__(self, members: list[dict[str, Any]]) -> None:
        self.members = members
        self.cursors: list[str | None] = []

    def users_list(self, **kwargs: Any) -> dict[str, Any]:
        cursor = kwargs.get("cursor")
        self.cursors.append(cursor)
        start = int(cursor or 0)
        following = start + 2 if start + 2 < len(self.members) else ""
        return {
            "ok": True,
            "members": self.members[start : start + 2],
            "response_metadata": {"next_cursor": str(following)},
        }


def test_every_page_of_users_is_read() -> None:
    client = PagedClient(MEMBERS)
    assert [m["id"] for m in fetch_users(client)] == [m["id"] for m in MEMBERS]
    assert client.cursors == [None, "2", "4", "6"]


def test_link_list_and_admin(knalle: Knalle) -> None:
    seed(knalle, "Pia", "Per")
    out, err = io.StringIO(), io.StringIO()
    assert run_link(knalle, "Pia", "U0PIA", out=out, err=err) == 0
    assert out.getvalue() == "Pia är kopplad till U0PIA.\n"
    assert run_link(knalle, "Per", "pia", out=out, err=err) == 1
    assert "ser inte ut som ett Slack-användar-id" in err.getvalue()
    assert run_link(knalle, "Karin", "W0KARIN", out=out, err=err) == 1
    assert "Ingen i personalregistret heter ”Karin”" in err.getvalue()
    assert run_link(knalle, "Karin", "W0KARIN", create=True, out=out, err=err) == 0
    assert run_admin(knalle, "Karin", admin=True, out=out, err=err) == 0
    assert "Karin är nu admin i Knalle." in out.getvalue()

    listing = io.StringIO()
    assert run_list(knalle, out=listing) == 0
    lines = listing.getvalue().splitlines()
    assert lines[0].split() == ["NAMN", "SLACK-ID", "NAMN", "I", "SLACK", "ADMIN", "PÅMINNELSER"]
    rows = {line.split()[0]: line for line in lines[1:4]}
    assert rows["Karin"].split()[1:] == ["W0KARIN", "ja"]
    assert rows["Per"].split()[1:] == ["–", "ej", "kopplad"]
    assert rows["Pia"].split()[1:] == ["U0PIA"]
    assert "1 namn saknar Slack-id" in listing.getvalue()


def test_staff_commands_through_the_knalle_command(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KNALLE_ADMINS", '["U0PIA"]')
    assert cli.main(["staff", "list"]) == 0
    assert "Personalregistret är tomt" in capsys.readouterr().out
    assert cli.main(["staff", "link", "Pia", "U0PIA", "--ny"]) == 0
    assert cli.main(["staff", "admin", "Pia"]) == 0
    assert cli.main(["staff", "admin", "Pia", "--av"]) == 0
    assert "Pia är inte längre admin" in capsys.readouterr().out
    assert cli.main(["staff", "list"]) == 0
    assert "ja (KNALLE_ADMINS)" in capsys.readouterr().out
    assert cli.main(["staff", "link", "Per", "U0PER"]) == 1
    assert "Kända namn: Pia" in capsys.readouterr().err
