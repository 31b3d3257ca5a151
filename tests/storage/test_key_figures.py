"""Key figures: a value per year, listed in the plan's order."""

from __future__ import annotations

from bot.context import Knalle
from storage import key_figures


def test_values_for_year_lists_every_figure_with_its_value_or_none(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        nki = key_figures.add_key_figure(session, "NKI, nöjd kundindex", stratsys=True)
        jobs = key_figures.add_key_figure(session, "Nettojobb")
        key_figures.set_value(session, nki, 2026, target="75", outcome="77", met=True)
        key_figures.set_value(session, jobs, 2025, target="500", outcome="400", met=False)
    with knalle.db.read() as session:
        rows = key_figures.values_for_year(session, 2026)
        assert [figure.name for figure, _ in rows] == ["NKI, nöjd kundindex", "Nettojobb"]
        first, second = rows
        assert first[1] is not None and (first[1].target, first[1].outcome, first[1].met) == (
            "75",
            "77",
            True,
        )
        assert second[1] is None


def test_set_value_changes_only_the_given_fields(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        figure = key_figures.add_key_figure(session, "Besök")
        key_figures.set_value(session, figure, 2026, target="150", outcome="40")
    with knalle.db.write() as session:
        found = key_figures.by_name(session, "besök")
        assert found is not None
        key_figures.set_value(session, found, 2026, outcome="151", met=True)
    with knalle.db.read() as session:
        [(_, value)] = key_figures.values_for_year(session, 2026)
        assert value is not None
        assert (value.target, value.outcome, value.met) == ("150", "151", True)


def test_new_figures_are_placed_last(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        key_figures.add_key_figure(session, "B")
        key_figures.add_key_figure(session, "A")
    with knalle.db.read() as session:
        assert [f.name for f in key_figures.all_key_figures(session)] == ["B", "A"]
