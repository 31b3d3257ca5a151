"""`knalle plan import` and `knalle plan list`: the summary, errors on stderr, exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import cli
from bot.cli.plan import run_import, run_list
from bot.context import Knalle
from storage.models import Activity, ActivityUpdate, Plan

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "data" / "plans" / "boras-2022.yaml"


def test_import_prints_a_summary_and_a_second_run_changes_nothing(knalle: Knalle) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_import(knalle, SHIPPED, out=out, err=err) == 0
    text = out.getvalue()
    assert "Plan 2022 – Näringslivsenhetens verksamhetsplan 2022 (boras-2022.yaml): ny plan." in (
        text
    )
    assert "Aktiviteter: 56 nya, 0 ändrade, 0 oförändrade." in text
    assert "Uppdateringar: 56 nya, 0 fanns redan." in text
    assert "Personal: 13 nya namn" in text and "knalle staff sync" in text
    assert err.getvalue() == ""

    out = io.StringIO()
    assert run_import(knalle, SHIPPED, out=out, err=err) == 0
    assert "inget ändrat, planen var redan importerad (56 aktiviteter" in out.getvalue()
    with knalle.db.read() as session:
        assert session.scalar(select(func.count(Activity.id))) == 56
        assert session.scalar(select(func.count(ActivityUpdate.id))) == 56


def test_a_bad_file_goes_to_stderr_with_exit_1_and_stores_nothing(
    knalle: Knalle, tmp_path: Path
) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text(
        SHIPPED.read_text(encoding="utf-8").replace("prio: Medel", "prio: Medium", 1),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_import(knalle, bad, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "kapitel[0].avsnitt[0].aktiviteter[0].prio: okänd prioritet ”Medium”" in err.getvalue()
    with knalle.db.read() as session:
        assert session.scalar(select(func.count(Plan.id))) == 0


def test_list_shows_each_plan(knalle: Knalle) -> None:
    out = io.StringIO()
    run_list(knalle, out=out)
    assert "Inga planer är importerade" in out.getvalue()
    run_import(knalle, SHIPPED, out=io.StringIO())
    out = io.StringIO()
    assert run_list(knalle, out=out) == 0
    line = out.getvalue().strip()
    assert line.startswith("2022  Näringslivsenhetens verksamhetsplan 2022: 56 aktiviteter")
    assert "56 uppdateringar" in line and line.endswith("från boras-2022.yaml")


def test_through_the_knalle_command(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", sqlite_url)
    assert cli.main(["plan", "import", str(SHIPPED)]) == 0
    assert "56 nya" in capsys.readouterr().out
    assert cli.main(["plan", "import", str(ROOT / "finns-inte.yaml")]) == 1
    assert "Hittar ingen fil" in capsys.readouterr().err
    assert cli.main(["plan", "list"]) == 0
    assert "2022  Näringslivsenhetens verksamhetsplan 2022" in capsys.readouterr().out
