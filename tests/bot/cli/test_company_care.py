"""Company register care: rename, merge (names kept as aliases), remove; numbers are identity."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from bot.cli.company import run_merge, run_remove, run_rename
from bot.context import Knalle
from bot.core.companies import register as companies
from bot.errors import Ambiguous, InvalidInput, NotFound
from storage.models import Company, CompanyAlias, Visit
from tests import units

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def names(knalle: Knalle) -> list[str]:
    with knalle.db.read() as session:
        return list(session.scalars(select(Company.name).order_by(Company.name)))


def visits_at(knalle: Knalle) -> dict[str, int]:
    with knalle.db.read() as session:
        rows = session.execute(
            select(Company.name, func.count(Visit.id)).join(Visit).group_by(Company.name)
        )
        return {name: int(count) for name, count in rows}


def test_bjornen_3_and_4_are_two_companies_never_asked_about(knalle: Knalle) -> None:
    units.record_text(knalle, "Fastighets AB Björnen 3 igår", "UPIA")
    units.record_text(knalle, "Fastighets AB Björnen 4 igår", "UPIA")  # no UnsureCompany
    assert names(knalle) == ["Fastighets AB Björnen 3", "Fastighets AB Björnen 4"]
    assert companies.score("fastighets björnen 3", "fastighets björnen 4") == 0.0
    assert companies.score("björnen 3", "björnen 3") == 100.0


def test_a_close_spelling_without_numbers_is_still_asked(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    with pytest.raises(companies.UnsureCompany):
        units.record_text(knalle, "Elos igår", "UOLA")


@pytest.mark.parametrize("number", ["556123-4568", "5561234560", "123"])
def test_an_organisation_number_is_validated(number: str) -> None:
    with pytest.raises(InvalidInput):
        companies.normalise_org_number(number)


def test_a_valid_organisation_number_is_the_strongest_match(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    with knalle.db.write() as session:
        companies.set_details(session, "Ellos", org_number="5561234567")
    with knalle.db.read() as session:
        found = companies.match_company(session, "556123-4567")
        assert found.company is not None and found.company.name == "Ellos AB"
        with pytest.raises(NotFound):
            companies.match_company(session, "556036-0793")


def test_rename_keeps_the_old_name_as_an_alias(knalle: Knalle) -> None:
    units.record_text(knalle, "Elos AB igår", "UPIA")
    out = io.StringIO()
    assert run_rename(knalle, "Elos AB", "Ellos AB", out) == 0
    assert "Elos AB heter nu Ellos AB" in out.getvalue()
    assert names(knalle) == ["Ellos AB"]
    saved = units.record_text(knalle, "Elos AB i förrgår", "UOLA")  # the old name finds it
    assert saved.company == "Ellos AB"


def test_rename_onto_another_company_points_to_merge(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    units.record_text(knalle, "Volvo Cars igår", "UPIA")
    with knalle.db.write() as session, pytest.raises(InvalidInput) as refused:
        companies.rename(session, "Volvo Cars", "Ellos AB", NOW)
    assert "knalle company merge" in refused.value.message


def test_merge_moves_visits_and_keeps_names_as_aliases(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    with knalle.db.write() as session:
        companies.add_or_get(session, "Elos Ltd", NOW)
    units.record_text(knalle, "Elos Ltd i förrgår", "UOLA")
    out = io.StringIO()
    assert run_merge(knalle, "Elos Ltd", "Ellos AB", out) == 0
    assert "1 besök flyttade" in out.getvalue()
    assert names(knalle) == ["Ellos AB"] and visits_at(knalle) == {"Ellos AB": 2}
    with knalle.db.read() as session:
        assert list(session.scalars(select(CompanyAlias.name))) == ["Elos Ltd"]
        # The alias is found exactly and fuzzily.
        exact = companies.match_company(session, "Elos Ltd")
        fuzzy = companies.match_company(session, "Eloss Ltd")
        assert exact.company is not None and exact.company.name == "Ellos AB"
        assert [c.name for c in fuzzy.candidates] == ["Ellos AB"] or (
            fuzzy.company is not None and fuzzy.company.name == "Ellos AB"
        )


def test_merge_of_a_company_with_itself_is_refused(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    with knalle.db.write() as session, pytest.raises(InvalidInput):
        companies.merge(session, "Ellos", "ELLOS AB", NOW)


def test_remove_only_without_visits_or_after_a_yes(knalle: Knalle) -> None:
    units.record_text(knalle, "lsita idag", "UPIA")
    with knalle.db.write() as session:
        companies.add_or_get(session, "Tomt Bolag AB", NOW)
    out = io.StringIO()
    assert run_remove(knalle, "Tomt Bolag AB", out=out) == 0
    with pytest.raises(InvalidInput) as refused:
        run_remove(knalle, "lsita", out=out)
    assert "--with-visits" in refused.value.message
    assert run_remove(knalle, "lsita", with_visits=True, out=out, answer=io.StringIO("nej\n")) == 1
    assert names(knalle) == ["lsita"]
    assert run_remove(knalle, "lsita", with_visits=True, out=out, answer=io.StringIO("ja\n")) == 0
    assert names(knalle) == [] and visits_at(knalle) == {}


def test_an_unclear_name_is_refused_with_the_candidates(knalle: Knalle) -> None:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    units.record_text(knalle, "Ellis AB igår", "UPIA", company="new")
    with knalle.db.write() as session, pytest.raises(Ambiguous):
        companies.rename(session, "Elles", "X AB", NOW)
