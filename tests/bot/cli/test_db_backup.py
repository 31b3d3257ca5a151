"""`knalle db backup`: a whole copy of the live SQLite database, and clear refusals."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.context import Knalle
from tests.storage import factories as make


def test_backup_copies_everything_and_never_overwrites(
    sqlite_knalle: Knalle,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with sqlite_knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        for day in range(1, 4):
            make.visit(session, ellos, dt.date(2026, 11, day))
    monkeypatch.setenv("KNALLE_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "kopior" / "knalle-2026-11-29.db"
    assert main(["db", "backup", str(target)]) == 0
    assert "Kopian är sparad" in capsys.readouterr().out
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT count(*) FROM visits").fetchone() == (3,)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() is not None
    finally:
        copy.close()
    assert main(["db", "backup", str(target)]) == 1
    assert "finns redan" in capsys.readouterr().err
