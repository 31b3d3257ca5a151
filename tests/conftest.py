"""Fixtures shared by every layer: settings, a fresh database (SQLite or PostgreSQL), a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.config import Settings, load_settings
from bot.console.standin import SlackStandIn
from bot.context import Knalle, build_knalle
from tests import postgres

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Tuesday: "i tisdags" then means a week ago, which is the interesting case.
DEFAULT_NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def slack_refusals_fail_the_test() -> Iterator[None]:
    """Whatever Slack would refuse fails the test that sent it, even when the bot swallowed the
    error: a test that expects a refusal takes it with `standin.take_refusals()`."""
    before = len(SlackStandIn.started)
    yield
    started = SlackStandIn.started[before:]
    del SlackStandIn.started[before:]
    refused = [str(call) for standin in started for call in standin.refusals()]
    if refused:
        pytest.fail("Slack would refuse what the bot sent:\n" + "\n".join(refused))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster | None]:
    reason = postgres.why_unavailable()
    if reason:
        yield None
        return
    cluster = postgres.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_cluster: postgres.Cluster | None
) -> str:
    """Every test that takes this runs on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'knalle.db'}"
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    return pg_cluster.fresh_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'knalle.db'}"


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "KNALLE_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-signing-secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "KNALLE_ADMINS": ["UADMIN"],
        "KNALLE_DIGEST_CHANNEL": "C0TEAM",
        # Most tests are about what a command does, not who may send it; the staff-only
        # default (KNALLE_OPEN_TO=staff) has its own tests in tests/faults/test_open_to.py.
        "KNALLE_OPEN_TO": "workspace",
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(zone=STOCKHOLM, current=DEFAULT_NOW)


@pytest.fixture
def knalle(database_url: str, clock: FixedClock) -> Iterator[Knalle]:
    """A Knalle on a fresh, migrated database of either kind."""
    instance = build_knalle(make_settings(database_url), clock=clock)
    yield instance
    instance.db.dispose()


@pytest.fixture
def sqlite_knalle(sqlite_url: str, clock: FixedClock) -> Iterator[Knalle]:
    """For tests about Slack or the terminal, where the database kind does not matter."""
    instance = build_knalle(make_settings(sqlite_url), clock=clock)
    yield instance
    instance.db.dispose()
