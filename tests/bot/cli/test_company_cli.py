"""`knalle company list|set`: an admin gives companies a cluster so visits count per cluster."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bot import cli
from bot.cli.company import run_list, run_set
from bot.context import Knalle
from bot.core.companies import register as companies
from storage import visits as visit_queries
from tests import units

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def logged(knalle: Knalle) -> Knalle:
    units.record_text(knalle, "Ellos AB igår", "UPIA")
    units.record_text(knalle, "ELLOS GROUP AB i förrgår, lager", "UPIA")
    with knalle.db.write() as session:
        companies.add_or_get(session, "Textile Fashion Center", NOW)
    return knalle


def test_list_shows_the_register_with_visits_and_what_lacks_a_cluster(logged: Knalle) -> None:
    out = io.StringIO()
    assert run_list(logged, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["FÖRETAG", "ORG.NR", "KLUSTER", "BESÖK"]
    assert lines[1].split() == ["Ellos", "AB", "–", "–", "2"]
    assert lines[2].split()[-1] == "0"
    assert "2 företag saknar kluster" in out.getvalue()


def test_set_then_statistics_count_the_cluster(logged: Knalle) -> None:
    out = io.StringIO()
    assert run_set(logged, "ellos", "556123-4567", "textil", out) == 0
    assert out.getvalue() == "Ellos AB: org.nr 556123-4567, kluster Textil/mode/design.\n"
    with logged.db.read() as session:
        assert visit_queries.count_by_cluster(session, 2026) == {"Textil/mode/design": 2}


def test_the_command_is_wired_and_bad_input_exits_1_in_swedish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    assert cli.main(["company", "list"]) == 0
    assert "Företagsregistret är tomt" in capsys.readouterr().out
    assert cli.main(["company", "set", "Ellos", "--kluster", "textil"]) == 1
    assert "finns inte i företagsregistret" in capsys.readouterr().err
