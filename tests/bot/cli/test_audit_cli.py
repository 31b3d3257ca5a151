"""Changes made at the terminal leave audit rows naming the operator; `knalle audit` lists them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("KNALLE_OPERATOR", "it-drift")
    return tmp_path


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["audit", "--format", "json", *args]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


def test_plan_staff_config_and_company_changes_are_audited(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "import", str(ROOT / "data/plans/boras-2022.yaml")]) == 0
    assert main(["plan", "import", str(ROOT / "data/plans/boras-2022.yaml")]) == 0  # no change
    assert main(["staff", "link", "Pia", "U0PIA"]) == 0
    assert main(["staff", "admin", "Pia"]) == 0
    assert main(["config", "set", "reminder_days", "10,2"]) == 0
    assert main(["config", "unset", "reminder_days"]) == 0
    assert main(["config", "unset", "reminder_days"]) == 0  # nothing stored: nothing changed
    assert main(["staff", "link", "Pia", "bad id"]) == 1  # refused: no row
    rows = _audit(capsys)
    assert [r["action"] for r in rows] == [
        "plan.import",
        "staff.link",
        "staff.admin",
        "config.set",
        "config.unset",
    ]
    assert {(r["actor_id"], r["actor_name"], r["surface"]) for r in rows} == {
        (None, "it-drift", "cli")
    }
    plan, link, admin, put, unset = rows
    assert plan["subject_id"] == "2022" and plan["after"]["file"] == "boras-2022.yaml"
    assert link["after"] == {"slack_user_id": "U0PIA"}
    assert (admin["before"], admin["after"]) == ({"is_admin": False}, {"is_admin": True})
    assert (put["before"], put["after"]) == ({"value": None}, {"value": "10,2"})
    assert unset["before"] == {"value": "10,2"}


def test_who_matches_the_operator_and_text_output_names_the_terminal(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "set", "digest_channel", "C0TEAM"]) == 0
    assert [r["action"] for r in _audit(capsys, "--who", "it-drift")] == ["config.set"]
    assert _audit(capsys, "--who", "någon annan") == []
    assert main(["audit"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("via terminalen: inställning ändrad – inställning digest_channel")
    assert out[1] == "    värde: – → C0TEAM"


def test_bad_dates_get_a_swedish_answer(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "--since", "igår"])
    assert exit_.value.code == 2
    assert "är inte ett datum" in capsys.readouterr().err
