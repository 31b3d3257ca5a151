from __future__ import annotations

import datetime as dt

import pytest

from bot.core.followup.periods import make_period, parse_period, period_of, previous_period
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2026, 1, 10), "2026-H1"),
        (dt.date(2026, 6, 15), "2026-H1"),  # the follow-up day still belongs to its period
        (dt.date(2026, 6, 16), "2026-H2"),
        (dt.date(2026, 12, 15), "2026-H2"),
        (dt.date(2026, 12, 16), "2027-H1"),  # after December's follow-up: next year's first half
    ],
)
def test_period_of(day: dt.date, label: str) -> None:
    assert period_of(day).label == label


def test_period_bounds_follow_configured_dates() -> None:
    period = make_period(2026, 2, ["05-31", "11-30"])
    assert (period.start, period.end) == (dt.date(2026, 6, 1), dt.date(2026, 11, 30))
    assert previous_period(period, ["05-31", "11-30"]).label == "2026-H1"


def test_parse_period_accepts_common_spellings() -> None:
    assert parse_period("2026-H2") == parse_period("2026h2") == make_period(2026, 2)
    assert parse_period("2027-H1").start == dt.date(2026, 12, 16)


def test_parse_period_rejects_garbage_in_swedish() -> None:
    with pytest.raises(InvalidInput, match="2026-H2"):
        parse_period("andra halvåret")
