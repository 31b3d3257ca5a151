"""Every everyday path issues the same number of SQL statements however big the data.

Two data sets shaped like the benchmark's L (bench/scale_bench.py, a smaller plan): the second
has ten times the visits and companies and three times the years of history. Each path runs
once to warm up, then its statements are counted on each; a path whose count grows with
visits, companies or years loads rows one by one somewhere, and fails here. Never timed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bench.scale_bench import Size, fill
from bot.clock import FixedClock
from bot.context import Knalle, build_knalle
from bot.core import home
from bot.core.companies import register as companies
from bot.core.followup.calendar import reminder_rounds
from bot.core.followup.digest import personal_digests, team_digest
from bot.core.followup.periods import parse_period
from bot.core.followup.reminders import reminders_for_round
from bot.core.followup.schedule_config import schedule_of
from bot.core.report import collect_report
from storage import visit_search
from tests import postgres, units
from tests.conftest import STOCKHOLM, make_settings

NOW = dt.datetime(2026, 11, 30, 9, tzinfo=STOCKHOLM)  # a Monday, as the bench's
SMALL = {"size": Size("small", 400, 40), "update_years": 2, "visit_years": 2}
BIG = {"size": Size("big", 4000, 400), "update_years": 6, "visit_years": 6}


@contextmanager
def counted(knalle: Knalle) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(knalle.db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(knalle.db.engine, "before_cursor_execute", count)


def paths(knalle: Knalle) -> dict[str, Callable[[], object]]:
    today = NOW.date()
    settings = knalle.settings
    schedule = schedule_of(settings)
    round_ = reminder_rounds(today.year, schedule)[-1]

    def read(action: Callable[..., object]) -> Callable[[], object]:
        def run() -> object:
            with knalle.db.read() as session:
                return action(session)

        return run

    return {
        "search hit": lambda: units.search(knalle, "kompetens"),
        "search person and word": lambda: units.search(knalle, "pia kompetens"),
        "search no hit": lambda: units.search(knalle, "volvo"),
        "suggest": lambda: units.suggest_companies(knalle, "sjuh"),
        "suggest a typo": lambda: units.suggest_companies(knalle, "sjuhards"),
        "match": read(lambda s: companies.match_company(s, "Ellos Byggare")),
        "statistik": lambda: units.statistics(knalle),
        "Home": read(
            lambda s: home.home_data(
                s,
                "U0004",
                today,
                followup_dates=settings.followup_dates,
                visit_target=settings.visit_target,
            )
        ),
        # Nobody's latest visits are in the newest window: the fallback that sorts theirs.
        "Home, no visits of one's own": read(
            lambda s: home.home_data(
                s,
                "UNOBODY",
                today,
                followup_dates=settings.followup_dates,
                visit_target=settings.visit_target,
            )
        ),
        "digest": read(
            lambda s: (
                team_digest(s, today, schedule, settings.visit_target, NOW),
                personal_digests(s, today, schedule, NOW),
            )
        ),
        "reminders": read(lambda s: reminders_for_round(s, round_, NOW)),
        "report": read(
            lambda s: collect_report(
                s, parse_period("2026-H2"), zone=STOCKHOLM, visit_target=settings.visit_target
            )
        ),
    }


def statement_counts(knalle: Knalle) -> dict[str, int]:
    result = {}
    for name, action in paths(knalle).items():
        action()  # warm-up: caches, first-use queries
        with counted(knalle) as statements:
            action()
        result[name] = len(statements)
    return result


@pytest.fixture
def shaped(
    database_url: str, tmp_path: Any, pg_cluster: postgres.Cluster | None
) -> Iterator[Callable[..., Knalle]]:
    made: list[Knalle] = []

    def make(size: Size, **shape: int) -> Knalle:
        url = database_url
        if made:  # a second database of the same kind
            if database_url.startswith("sqlite"):
                url = f"sqlite:///{tmp_path / f'{size.name}.db'}"
            else:
                assert pg_cluster is not None
                url = pg_cluster.fresh_database()
        knalle = build_knalle(make_settings(url), clock=FixedClock(STOCKHOLM, NOW))
        fill(knalle, size, activities_count=40, **shape)
        made.append(knalle)
        return knalle

    yield make
    for knalle in made:
        knalle.db.dispose()


# A search is answered from the index or from the newest visits (storage/visit_search.py),
# whichever the data makes cheaper; the two ways differ by a few statements, never by rows.
SEARCHES = ("search hit", "search person and word", "search no hit")
WAYS_APART = 4


def test_no_everyday_path_issues_more_statements_on_more_data(
    shaped: Callable[..., Knalle], monkeypatch: pytest.MonkeyPatch
) -> None:
    small_knalle, big_knalle = shaped(**SMALL), shaped(**BIG)
    small, big = statement_counts(small_knalle), statement_counts(big_knalle)
    for name in SEARCHES:
        assert abs(big.pop(name) - small.pop(name)) <= WAYS_APART, name
    assert big == small
    assert all(count > 0 for count in small.values())
    # The index's way alone, on both: the same statements.
    monkeypatch.setattr(visit_search, "PROBE", 10**9)
    monkeypatch.setattr(visit_search, "newest_matches", lambda *_: None)
    small, big = statement_counts(small_knalle), statement_counts(big_knalle)
    assert [big[name] for name in SEARCHES] == [small[name] for name in SEARCHES]
