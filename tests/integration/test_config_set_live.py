"""`knalle config set` while `knalle serve` runs: every surface reads the new value at once.

The stored schedule settings are read through one function at the start of each unit of work
(`Knalle.settings_in`), so `/aktivitet`, the Home tab, the report and the scheduled jobs of a
running bot never disagree on which period a day belongs to.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.schedule import run_config
from bot.clock import FixedClock
from bot.context import build_knalle
from bot.schedule.sends import ScheduledSends
from tests.conftest import STOCKHOLM, make_settings
from tests.handlers.activity_plan import build_plan
from tests.integration.live import LiveBot, live_bot
from tests.integration.test_aktivitet import aktivitet, text_of

ROOT = Path(__file__).resolve().parents[2]
# 20 June: with the default follow-ups (06-15, 12-15) a day of 2026-H2; with 06-30 one of H1.
JUNE_20 = dt.datetime(2026, 6, 20, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def bot(sqlite_url: str) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=FixedClock(zone=STOCKHOLM, current=JUNE_20)) as running:
        with running.knalle.db.write() as session:
            build_plan(session)
        yield running


def config_set_from_another_process(database_url: str, key: str, value: str) -> None:
    """What `knalle config set` does: its own Knalle on the same database, then gone."""
    cli = build_knalle(make_settings(database_url))
    try:
        run_config(cli, "set", key, value, out=io.StringIO())
    finally:
        cli.db.dispose()


def test_a_follow_up_date_set_while_serving_reaches_aktivitet_and_reminders_alike(
    bot: LiveBot, sqlite_url: str
) -> None:
    assert "period 2026-H2" in text_of(aktivitet(bot, "mina"))
    config_set_from_another_process(sqlite_url, "followup_dates", "06-30,12-15")

    assert "period 2026-H1" in text_of(aktivitet(bot, "mina"))
    receipt = text_of(aktivitet(bot, "1.2.3 grön Tio besök i juni"))
    assert "2026-H1" in receipt

    # The last reminder before the new follow-up (Friday 26th: the 27th is a Saturday).
    # Pia reported 1.2.3 in its period, so it asks her about the others only.
    out = io.StringIO()
    ScheduledSends(bot.knalle, None, dry_run=True, out=out).reminders(dt.date(2026, 6, 26))
    printed = out.getvalue()
    assert "påminnelsen 3 dagar före till Pia (2026-H1)" in printed
    pia = printed.split("till Pia (2026-H1)", 1)[1].split("── ", 1)[0]
    assert "Företagsamt" in pia  # still to report
    assert "Företagsbesök" not in pia  # reported on 20 June, in 2026-H1 by the stored dates


def test_a_stored_setting_is_read_only_through_settings_in() -> None:
    """The environment's values of the three stored keys are never read straight off
    `knalle.settings`: that is how one surface came to use them while another used the store."""
    keys = "followup_dates|reminder_days|digest_channel"
    direct = re.compile(rf"\.settings\.({keys})\b")
    found = []
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if direct.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
