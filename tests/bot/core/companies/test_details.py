"""A company's organisation number and cluster, set by an admin (`knalle company set`).

Without them every visit counts as "Okänt kluster" in /besök statistik and the report.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.context import Knalle
from bot.core.companies import register as companies
from bot.errors import Ambiguous, InvalidInput, NotFound
from storage.models import Company

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def register(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        for name in ("Ellos AB", "Textile Fashion Center", "Volvo Cars", "Volvo Bussar"):
            companies.add_or_get(session, name, NOW)
    return knalle


def _rows(knalle: Knalle) -> dict[str, tuple[str | None, str | None]]:
    with knalle.db.read() as session:
        return {
            c.name: (c.org_number, c.cluster) for c in session.scalars(select(Company)).all()
        }


def test_set_the_cluster_and_org_number_by_any_spelling(register: Knalle) -> None:
    with register.db.write() as session:
        row = companies.set_details(
            session, "ELLOS GROUP AB", org_number="5561234567", cluster="textil"
        )
        assert row.name == "Ellos AB"
    assert _rows(register)["Ellos AB"] == ("556123-4567", "Textil/mode/design")
    with register.db.write() as session:
        companies.set_details(session, "ellos", cluster="Handel och logistik")
    assert _rows(register)["Ellos AB"] == ("556123-4567", "Handel och logistik")


@pytest.mark.parametrize(
    ("name", "details", "error", "says"),
    [
        ("Okänt Bolag", {"cluster": "Övrigt"}, NotFound, "/besök"),
        ("Volvo", {"cluster": "Övrigt"}, Ambiguous, "Volvo Cars"),
        ("Ellos", {"cluster": "Rymdfart"}, InvalidInput, "Välj ett av"),
        ("Ellos", {"cluster": "o"}, InvalidInput, "Välj ett av"),
        ("Ellos", {"org_number": "123"}, InvalidInput, "tio siffror"),
        ("Ellos", {}, InvalidInput, "--kluster"),
        ("Textile Fashion Center", {"org_number": "556000-0001"}, InvalidInput, "Ellos AB"),
    ],
)
def test_bad_input_says_what_to_write_and_stores_nothing(
    register: Knalle, name: str, details: dict[str, str], error: type[Exception], says: str
) -> None:
    with register.db.write() as session:
        companies.set_details(session, "Ellos AB", org_number="556000-0001")
    before = _rows(register)
    with pytest.raises(error) as raised, register.db.write() as session:
        companies.set_details(session, name, **details)
    assert says in str(getattr(raised.value, "message", raised.value))
    assert _rows(register) == before
