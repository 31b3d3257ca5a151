"""Matching plan names to Slack users (the two Annas, bare first names, never a guess) and the
directory's writes: sync, link by hand, admin flag, the list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.context import Knalle
from bot.core.staff.directory import (
    SlackUser,
    directory,
    link_staff,
    match_staff,
    set_admin,
    sync_directory,
)
from bot.errors import InvalidInput, NotFound
from storage import staff
from storage.models import Staff
from tests.storage import factories

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def user(uid: str, real_name: str, *, deleted: bool = False, is_bot: bool = False) -> SlackUser:
    return SlackUser(
        id=uid,
        real_name=real_name,
        display_name=real_name.split()[0],
        deleted=deleted,
        is_bot=is_bot,
    )


TEAM = [
    user("U01", "Anna Månsson"),
    user("U02", "Anna Berg"),
    user("U03", "Per Holm"),
    user("U04", "Pia Karlsson"),
    user("U05", "Peder Ek"),
    user("U06", "Jonas Ahl"),
    user("U07", "Jonas Björk"),
    user("U08", "Sara Lind", deleted=True),
    user("B09", "Knalle", is_bot=True),
    SlackUser(id="USLACKBOT", real_name="Slackbot"),
]


def test_the_two_annas_are_two_people() -> None:
    result = match_staff(["Anna M", "Anna B"], TEAM)
    assert {m.name: m.user.id for m in result.matched} == {"Anna M": "U01", "Anna B": "U02"}
    assert result.unplaced == []


def test_a_bare_first_name_matches_only_one_active_human() -> None:
    result = match_staff(["Per", "Pia", "Peder", "Jonas", "Sara", "Anna"], TEAM)
    assert {m.name: m.user.id for m in result.matched} == {
        "Per": "U03",
        "Pia": "U04",
        "Peder": "U05",
    }
    # Two Jonas and two Anna: listed with the candidates, never guessed.
    assert [u.id for u in result.ambiguous["Jonas"]] == ["U06", "U07"]
    assert [u.id for u in result.ambiguous["Anna"]] == ["U01", "U02"]
    # Sara's account is deactivated: not a match.
    assert result.unmatched == ["Sara"]


def test_alla_and_berorda_are_not_people() -> None:
    result = match_staff(["Alla", "berörda", "Per"], TEAM)
    assert [m.name for m in result.matched] == ["Per"]
    assert result.unplaced == []


def test_an_initial_that_fits_no_one_and_one_that_fits_two() -> None:
    users = [*TEAM, user("U10", "Anna Mattsson")]
    result = match_staff(["Anna M", "Anna B", "Anna K"], users)
    assert [u.id for u in result.ambiguous["Anna M"]] == ["U01", "U10"]
    assert result.unmatched == ["Anna K"]
    assert [m.name for m in result.matched] == ["Anna B"]


def test_profile_names_win_over_the_display_name() -> None:
    users = [
        SlackUser(id="U20", real_name="", display_name="nelly", first_name="Nelly", last_name="Ås"),
        SlackUser(id="U21", real_name="", display_name="Arvid"),
        SlackUser(id="U22", real_name="ÅSA ÖBERG"),
    ]
    result = match_staff(["Nelly Å", "Arvid", "Åsa Ö"], users)
    assert {m.name: m.user.id for m in result.matched} == {
        "Nelly Å": "U20",
        "Arvid": "U21",
        "Åsa Ö": "U22",
    }


def test_two_names_landing_on_one_user_are_both_listed() -> None:
    result = match_staff(["Per", "Per H"], TEAM)
    assert result.matched == []
    assert set(result.ambiguous) == {"Per", "Per H"}


def test_from_member_reads_a_users_list_entry() -> None:
    member = {
        "id": "U01",
        "name": "anna.mansson",
        "deleted": False,
        "is_bot": False,
        "real_name": "Anna Månsson",
        "profile": {"first_name": "Anna", "last_name": "Månsson", "display_name": "Anna M"},
    }
    parsed = SlackUser.from_member(member)
    assert parsed == SlackUser(
        id="U01",
        real_name="Anna Månsson",
        display_name="Anna M",
        first_name="Anna",
        last_name="Månsson",
    )
    assert not SlackUser.from_member({"id": "USLACKBOT", "profile": {}}).active_human


def add(knalle: Knalle, *names: str) -> None:
    with knalle.db.write() as session:
        for name in names:
            staff.add_if_absent(session, name, NOW)


def test_sync_links_what_it_can_place_and_keeps_earlier_links(knalle: Knalle) -> None:
    add(knalle, "Anna M", "Anna B", "Per", "Jonas", "Arvid")
    with knalle.db.write() as session:
        link_staff(session, "Arvid", "U99", NOW)  # linked by hand earlier
    with knalle.db.write() as session:
        report = sync_directory(session, TEAM)
    assert [m.name for m in report.linked] == ["Anna B", "Anna M", "Per"]
    assert report.result.unplaced == ["Jonas"]
    assert report.already_linked == 1
    with knalle.db.read() as session:
        linked = {s.name: (s.slack_user_id, s.full_name) for s in session.scalars(select(Staff))}
    assert linked["Anna M"] == ("U01", "Anna Månsson")
    assert linked["Anna B"] == ("U02", "Anna Berg")
    assert linked["Arvid"] == ("U99", None)
    assert linked["Jonas"] == (None, None)

    with knalle.db.write() as session:  # a second sync changes nothing
        again = sync_directory(session, TEAM)
    assert again.linked == [] and again.already_linked == 4


def test_sync_does_not_steal_a_user_linked_to_another_name(knalle: Knalle) -> None:
    add(knalle, "Pia", "Pia K")
    with knalle.db.write() as session:
        link_staff(session, "Pia K", "U04", NOW)
    with knalle.db.write() as session:
        report = sync_directory(session, TEAM)
    assert [(m.name, other) for m, other in report.taken] == [("Pia", "Pia K")]
    with knalle.db.read() as session:
        assert factories.staff_named(session, "Pia").slack_user_id is None


@pytest.mark.parametrize("bad", ["pia", "12345", "C0TEAM", "U", "U12 3", "<@U123>"])
def test_link_refuses_what_is_not_a_user_id(knalle: Knalle, bad: str) -> None:
    add(knalle, "Pia")
    with knalle.db.write() as session, pytest.raises(InvalidInput, match="U012AB3CD"):
        link_staff(session, "Pia", bad, NOW)
    with knalle.db.read() as session:
        assert factories.staff_named(session, "Pia").slack_user_id is None


def test_link_an_unknown_name_a_new_one_and_a_taken_user(knalle: Knalle) -> None:
    add(knalle, "Pia", "Per")
    with knalle.db.write() as session, pytest.raises(NotFound, match="Kända namn: Per, Pia"):
        link_staff(session, "Pya", "U04", NOW)
    with knalle.db.write() as session:
        first = link_staff(session, "pia", "U04", NOW)  # the plan name, case-insensitively
        link_staff(session, "Karin", "W05", NOW, create=True)
        again = link_staff(session, "Karin", "W06", NOW)
    assert (first.name, first.slack_user_id, first.replaced) == ("Pia", "U04", None)
    assert again.replaced == "W05"  # relinking says what it replaced
    with knalle.db.write() as session:
        link_staff(session, "Karin", "W05", NOW)
    with knalle.db.write() as session, pytest.raises(InvalidInput, match="redan kopplad till Pia"):
        link_staff(session, "Per", "U04", NOW)
    with knalle.db.write() as session, pytest.raises(InvalidInput, match="ingen person"):
        link_staff(session, "Alla", "U07", NOW, create=True)
    with knalle.db.read() as session:
        assert factories.staff_with_id(session, "U04").name == "Pia"
        assert factories.staff_with_id(session, "W05").name == "Karin"
        assert staff.by_name(session, "Alla") is None


def test_admin_flag_and_the_directory_rows(knalle: Knalle) -> None:
    add(knalle, "Pia", "Per")
    today = NOW.date()
    with knalle.db.write() as session:
        link_staff(session, "Per", "UADMIN", NOW)
        set_admin(session, "Pia", admin=True)
        factories.staff_named(session, "Per").dm_paused_until = today + dt.timedelta(days=7)
    with knalle.db.read() as session:
        rows = {r.name: r for r in directory(session, today, ["UADMIN"])}
    assert rows["Pia"].admin and not rows["Pia"].admin_from_settings
    assert rows["Per"].admin_from_settings and not rows["Per"].admin
    assert rows["Per"].paused_until == today + dt.timedelta(days=7)
    assert rows["Pia"].paused_until is None
    with knalle.db.write() as session:
        set_admin(session, "Pia", admin=False)
    with knalle.db.read() as session:
        later = {r.name: r for r in directory(session, today + dt.timedelta(days=8), [])}
    assert not later["Pia"].admin and later["Per"].paused_until is None


def test_link_new_refuses_a_name_longer_than_the_directory_holds(knalle: Knalle) -> None:
    long_name = "Anna " + "M" * 60
    with knalle.db.write() as session, pytest.raises(InvalidInput, match="högst 64 tecken"):
        link_staff(session, long_name, "U04", NOW, create=True)
    with knalle.db.read() as session:
        assert staff.by_slack_id(session, "U04") is None
        assert list(session.scalars(select(Staff))) == []
