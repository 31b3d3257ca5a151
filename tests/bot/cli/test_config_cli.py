"""`knalle config` and `knalle jobs`: what an operator reads, and nothing else."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli import main


def test_unset_tells_the_environments_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("KNALLE_DIGEST_CHANNEL", raising=False)
    monkeypatch.setenv("KNALLE_REMINDER_DAYS", "10")
    assert main(["config", "set", "digest_channel", "C0TEAM"]) == 0
    assert main(["config", "set", "reminder_days", "14,3"]) == 0
    capsys.readouterr()
    assert main(["config", "unset", "digest_channel"]) == 0
    assert main(["config", "unset", "reminder_days"]) == 0
    out = capsys.readouterr().out
    assert "Borttaget: digest_channel; nu gäller miljöns värde (inte satt)." in out
    assert "Borttaget: reminder_days; nu gäller miljöns värde 10." in out
    assert main(["config", "get", "reminder_days"]) == 0
    assert capsys.readouterr().out == "10\n"


def test_jobs_prints_no_scheduler_chatter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    caplog.set_level(logging.INFO)  # as `knalle` runs: INFO and up reach the terminal
    assert main(["jobs"]) == 0
    assert not [r for r in caplog.records if r.name.startswith("apscheduler")]
