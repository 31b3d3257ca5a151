"""Settings as operators write them in the environment or .env."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import load_settings


def test_lists_are_read_as_operators_write_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNALLE_ADMINS", "U0AAA,U0BBB U0CCC")
    monkeypatch.setenv("KNALLE_FOLLOWUP_DATES", "12-01, 05-31")
    monkeypatch.setenv("KNALLE_REMINDER_DAYS", "10,2")
    settings = load_settings(_env_file=None)
    assert settings.admins == ["U0AAA", "U0BBB", "U0CCC"]
    assert settings.followup_dates == ["05-31", "12-01"]
    assert settings.reminder_days == [10, 2]


def test_json_lists_work_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNALLE_ADMINS", '["U0AAA"]')
    assert load_settings(_env_file=None).admins == ["U0AAA"]


def test_defaults_follow_the_plan() -> None:
    settings = load_settings(_env_file=None)
    assert settings.followup_dates == ["06-15", "12-15"] and settings.reminder_days == [14, 3]
    assert settings.timezone == "Europe/Stockholm" and settings.visit_target == 150
    assert not settings.has_slack


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KNALLE_TIMEZONE", "Europe/Borås"),
        ("KNALLE_FOLLOWUP_DATES", "15 juni"),
        ("KNALLE_DIGEST_TIME", "åtta"),
        ("KNALLE_PORT", "0"),
    ],
)
def test_a_malformed_value_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        load_settings(_env_file=None)


def test_stored_schedule_settings_apply_to_every_surface(sqlite_url: str) -> None:
    from bot.context import build_knalle
    from bot.core.followup.schedule_config import set_value
    from tests.conftest import make_settings

    first = build_knalle(make_settings(sqlite_url))
    with first.db.write() as session:
        set_value(session, "followup_dates", "05-31,11-30")
    first.db.dispose()
    again = build_knalle(make_settings(sqlite_url))
    with again.db.read() as session:
        assert again.settings_in(session).followup_dates == ["05-31", "11-30"]
    again.db.dispose()
