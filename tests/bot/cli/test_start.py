"""`knalle start` without Slack tokens: the newcomer's console, with a plan to try."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.start import EXAMPLE_PLAN, import_example_plan_if_empty
from bot.context import Knalle
from storage.plans import all_plans

ROOT = Path(__file__).resolve().parents[3]


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


def test_knalle_console_on_an_empty_database_finds_the_example_staff(tmp_path: Path) -> None:
    """`knalle console` as a newcomer types it: `jag Pia` finds Pia of the example plan."""
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "KNALLE_"))
    }
    env["KNALLE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'knalle.db'}"
    run = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="jag Pia\nhjälp\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "läste in exemplet" in run.stdout
    assert "finns inte i personallistan" not in run.stdout
    # With a plan in place, the help no longer says to import one.
    assert "Ingen plan än?" not in run.stdout


def test_the_console_help_says_to_import_a_plan_only_without_one(sqlite_knalle: Knalle) -> None:
    import io

    from bot.console.session import run_console

    out = io.StringIO()
    run_console(sqlite_knalle, io.StringIO("hjälp\n"), out)
    assert "Ingen plan än?" in out.getvalue()
    assert import_example_plan_if_empty(sqlite_knalle, ROOT / EXAMPLE_PLAN)
    out = io.StringIO()
    run_console(sqlite_knalle, io.StringIO("hjälp\n"), out)
    assert "Ingen plan än?" not in out.getvalue()
