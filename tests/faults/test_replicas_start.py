"""Any number of replicas may start at once on an empty database (defect 5 of issue 11).

Before migrations took a lock, two processes running Alembic together on an empty PostgreSQL
database died with UniqueViolation creating alembic_version, 3 times out of 3.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests import postgres

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]

START_TOGETHER = """
import sys, time
from storage.db import make_engine, upgrade
url, at = sys.argv[1], float(sys.argv[2])
engine = make_engine(url)
time.sleep(max(0.0, at - time.time()))
upgrade(engine)
"""


def start_together(url: str, count: int) -> list[subprocess.CompletedProcess[str]]:
    at = time.time() + 2.5  # every child has imported Alembic by then
    children = [
        subprocess.Popen(
            [sys.executable, "-c", START_TOGETHER, url, str(at)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return results


def assert_all_started(url: str, results: list[subprocess.CompletedProcess[str]]) -> None:
    failures = [result.stderr[-800:] for result in results if result.returncode != 0]
    assert failures == []
    engine = create_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    assert "pending_commands" in inspect(engine).get_table_names()
    engine.dispose()


@pytest.mark.postgres
def test_four_replicas_migrate_an_empty_postgresql_at_once(
    pg_cluster: postgres.Cluster | None,
) -> None:
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    url = pg_cluster.empty_database()
    assert_all_started(url, start_together(url, 4))


def test_four_processes_migrate_an_empty_sqlite_file_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'knalle.db'}"
    assert_all_started(url, start_together(url, 4))
