"""find_key_figure on the shipped 2022 plan: the README's `knalle kpi set NKI …` must work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.context import Knalle
from bot.core.kpi import find_key_figure
from bot.core.plan.importer import import_plan_file
from bot.errors import Ambiguous
from storage import key_figures

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "plans" / "boras-2022.yaml"
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def shipped(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        import_plan_file(session, SHIPPED, NOW)
    return knalle


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # Another figure's long description mentions NKI too; the name that starts so wins.
        ("NKI", "NKI, nöjd kundindex (Insikt)"),
        ("nki", "NKI, nöjd kundindex (Insikt)"),
        ("nettojobb", "Antal nettojobb nyskapade i Borås Stad per år (källa SCB RAMS)"),
        ("HUI", "HUI:s handelsindex (Sällanköp)"),
    ],
)
def test_a_part_of_the_name_finds_the_figure(shipped: Knalle, query: str, found: str) -> None:
    with shipped.db.read() as session:
        assert find_key_figure(session, query).name == found


def test_two_names_that_both_start_so_are_still_ambiguous(shipped: Knalle) -> None:
    with shipped.db.read() as session, pytest.raises(Ambiguous) as err:
        find_key_figure(session, "antal")
    assert "Antal kvadratmeter" in err.value.message and "Antal nettojobb" in err.value.message


def test_listed_names_never_end_in_a_double_full_stop(shipped: Knalle) -> None:
    with shipped.db.write() as session:
        key_figures.add_key_figure(session, "Antal företagsbesök per år.")
    with shipped.db.read() as session, pytest.raises(Ambiguous) as err:
        find_key_figure(session, "antal")
    assert ".." not in err.value.message and "Antal företagsbesök per år" in err.value.message
