"""`knalle start` without Slack tokens: the newcomer's console, with a plan to try."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import Knalle
from bot.cli.start import EXAMPLE_PLAN, import_example_plan_if_empty
from storage.plans import all_plans

ROOT = Path(__file__).resolve().parents[2]


def test_an_empty_database_gets_the_example_plan_once(
    sqlite_knalle: Knalle, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_example_plan_if_empty(sqlite_knalle, ROOT / EXAMPLE_PLAN)
    assert "läste in exemplet" in capsys.readouterr().out
    assert not import_example_plan_if_empty(sqlite_knalle, ROOT / EXAMPLE_PLAN)
    with sqlite_knalle.db.read() as session:
        assert [plan.year for plan in all_plans(session)] == [2022]


def test_no_example_file_means_no_import(sqlite_knalle: Knalle, tmp_path: Path) -> None:
    assert not import_example_plan_if_empty(sqlite_knalle, tmp_path / "saknas.yaml")
