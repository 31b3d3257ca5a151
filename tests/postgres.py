"""A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, one database per test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from storage.db import make_engine, upgrade


@dataclass
class Cluster:
    port: int
    data_dir: Path
    run_as: list[str]
    template: str = "knalle_template"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin_engine(self) -> sa.Engine:
        return sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")

    def fresh_database(self) -> str:
        """A new database cloned from a template already at the migrations' head."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        engine = self.admin_engine()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE {self.template}')
        engine.dispose()
        return self.url(name)

    def empty_database(self) -> str:
        name = f"e_{uuid.uuid4().hex[:12]}"
        engine = self.admin_engine()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def why_unavailable() -> str | None:
    if shutil.which("pg_ctl") is None or shutil.which("initdb") is None:
        return "PostgreSQL's pg_ctl/initdb are not on PATH (install postgresql-15)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: PostgreSQL refuses to run as root"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install '.[dev]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_cluster() -> Cluster:
    # PostgreSQL will not run as root; CI runs as root, so the cluster runs as "postgres".
    run_as: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="knalle-pg-"))
    if os.geteuid() == 0:
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, user="postgres")
    data_dir = base / "data"
    subprocess.run(
        [
            *run_as,
            "initdb",
            "-D",
            str(data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *run_as,
            "pg_ctl",
            "-D",
            str(data_dir),
            "-o",
            options,
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    cluster = Cluster(port=port, data_dir=data_dir, run_as=run_as)
    deadline = time.monotonic() + 30
    while True:
        try:
            engine = cluster.admin_engine()
            with engine.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {cluster.template}")
            engine.dispose()
            break
        except sa.exc.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    template_engine = make_engine(cluster.url(cluster.template))
    upgrade(template_engine)
    template_engine.dispose()
    return cluster
