"""`knalle db restore` after a kill -9, and the PostgreSQL recipe (defect 1 of issue 11).

Before, the README's restore ("put the copy in place of knalle.db") failed after a kill -9:
the old knalle.db-wal was replayed over the copy ("database disk image is malformed", or 120
visits where the backup held 60).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.console.standin import SlackStandIn
from tests import postgres
from tests.faults.procs import knalle, serving

pytestmark = pytest.mark.faults


def count(url: str, table: str = "visits") -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    engine.dispose()
    return found


COMPANIES = [
    "Ellos",
    "Nelly",
    "Gina Tricot",
    "Borås Tapetfabrik",
    "Textile Fashion Center",
    "Ikea",
    "Volvo",
    "Scania",
    "Saab",
    "Ericsson",
]


def test_restore_after_kill_9_gives_exactly_the_backup(tmp_path: Path) -> None:
    database = tmp_path / "knalle.db"
    url = f"sqlite:///{database}"
    copy = tmp_path / "kopia.db"
    with SlackStandIn() as standin:
        with serving(url, standin, tmp_path) as bot:
            for n in range(5):
                assert bot.command(standin, f"{COMPANIES[n]} igår", f"a{n}") == 200
            standin.wait_for("response_url", 5, timeout=20)
            backup = knalle(url, standin, tmp_path, "db", "backup", str(copy))
            assert backup.returncode == 0, backup.stderr
            for n in range(5, 10):
                assert bot.command(standin, f"{COMPANIES[n]} igår", f"b{n}") == 200
            standin.wait_for("response_url", 10, timeout=20)
            # While the bot runs, a restore is refused.
            refused = knalle(url, standin, tmp_path, "db", "restore", str(copy))
            assert refused.returncode == 1 and "Stoppa den först" in refused.stderr
            bot.kill()
        assert Path(f"{database}-wal").exists()  # what a kill -9 leaves behind
        restored = knalle(url, standin, tmp_path, "db", "restore", str(copy))
        assert restored.returncode == 0, restored.stderr
        assert "återställd" in restored.stdout
        assert count(url) == 5
        assert count(url, "companies") == 5
        # The bot starts on the restored database and goes on from there.
        with serving(url, standin, tmp_path) as bot:
            assert bot.command(standin, "Hemtex igår", "c1") == 200
            standin.wait_for("response_url", 11, timeout=20)
        assert count(url) == 6
        kept = list(tmp_path.glob("knalle.db.fore-aterstallning-*"))
        assert len(kept) == 1 and count(f"sqlite:///{kept[0]}") == 10


def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path) -> None:
    junk = tmp_path / "skräp.db"
    junk.write_bytes(b"not a database" * 100)
    with SlackStandIn() as standin:
        result = knalle(
            f"sqlite:///{tmp_path / 'knalle.db'}", standin, tmp_path, "db", "restore", str(junk)
        )
    assert result.returncode == 1 and "ingen hel kopia" in result.stderr


@pytest.mark.postgres
def test_the_readmes_pg_dump_and_pg_restore_recipe(
    pg_cluster: postgres.Cluster | None, tmp_path: Path
) -> None:
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not on PATH")
    source = pg_cluster.fresh_database()
    with SlackStandIn() as standin, serving(source, standin, tmp_path) as bot:
        for n in range(4):
            assert bot.command(standin, f"{COMPANIES[n]} igår", f"p{n}") == 200
        standin.wait_for("response_url", 4, timeout=20)
    target = pg_cluster.empty_database()
    dump = tmp_path / "knalle.dump"
    libpq = [url.replace("postgresql+psycopg://", "postgresql://") for url in (source, target)]
    # The recipe in the README (docs/readme/90-deploy.md), word for word but the URLs.
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq[0]], check=True)
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq[1]}", str(dump)],
        check=True,
    )
    assert count(target) == 4 and count(target, "pending_commands") == 4
