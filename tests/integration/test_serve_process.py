"""`knalle serve` as operators run it: a real process that starts, serves, and stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn
from storage.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[2]
SECRET = "process-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(port: int, child: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.poll() is None, "knalle serve exited during start"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("knalle serve never became healthy")


def serve_env(database_url: str, standin: SlackStandIn, **extra: str) -> dict[str, str]:
    """The environment of a `knalle serve` child: this checkout, the stand-in for Slack, over
    HTTP (no Socket Mode token of the developer's)."""
    env = {
        **os.environ,
        "KNALLE_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-process",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("SLACK_APP_TOKEN", None)
    return env


def wait_for_upkeep(port: int, tasks: set[str], timeout: float = 10.0) -> bool:
    """Whether /metrics shows each of `tasks` done at least once within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/metrics")
        scraped = connection.getresponse().read().decode()
        connection.close()
        done = {
            task
            for task in tasks
            if re.search(rf'^knalle_upkeep_seconds_count{{task="{task}"}} [1-9]', scraped, re.M)
        }
        if done == tasks:
            return True
        time.sleep(0.1)
    return False


def test_serve_answers_slack_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    database = tmp_path / "knalle.db"
    port = free_port()
    with SlackStandIn() as standin:
        # UPIA is in no staff list here.
        env = serve_env(f"sqlite:///{database}", standin, KNALLE_OPEN_TO="workspace")
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
            cwd=tmp_path,  # no .env of the developer's is read
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_healthy(port, child)
            body = slash_command_body(
                "/besök",
                "Ellos AB igår, pratade el",
                "UPIA",
                response_url=standin.response_url("proc"),
            )
            http_connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            http_connection.request(
                "POST", "/slack/events", body=body.encode(), headers=sign_request(body, SECRET)
            )
            assert http_connection.getresponse().status == 200
            (reply,) = standin.wait_for("response_url", 1, timeout=15)
            assert "Ellos AB" in str(reply.args)
            # The quiet moment after it: the collector compacted, the saves' WAL checkpointed.
            assert wait_for_upkeep(port, {"collector", "checkpoint"})
            child.send_signal(signal.SIGTERM)
            assert child.wait(timeout=20) == 0
        finally:
            if child.poll() is None:
                child.kill()
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM visits")).scalar() == 1
        unfinished = "SELECT count(*) FROM pending_commands WHERE finished_at IS NULL"
        assert connection.execute(text(unfinished)).scalar() == 0
        jobs = {row[0] for row in connection.execute(text("SELECT id FROM apscheduler_jobs"))}
    assert jobs  # the scheduler stored its jobs in the same database
    engine.dispose()


# Loaded where they are used, or once the socket is bound (bot/app.py's LISTENING_HOOKS), never
# before /healthz can answer: each is tens of milliseconds of every restart.
NOT_AT_START = (
    "alembic",
    "dateparser",
    "docx",
    "holidays",
    "matplotlib",
    "numpy",  # the type-ahead's bounds, on the first typo
    "openpyxl",
    "snowballstemmer",
    "yaml",
    # Ours: the other verbs' code (bot/cli/__init__.py builds only the verb run) and the plan
    # file's reader with its pydantic records (campaigns read only a constant of it).
    "bot.cli.backfill",
    "bot.cli.export",
    "bot.cli.plan",
    "bot.core.kpi",
    "bot.core.personal_data",
    "bot.core.plan.file",
    "bot.core.plan.importer",
    "bot.core.report",
    "bot.core.visits.history_import",
    "bot.core.staff.directory",
    "bot.files.tables",
    "xml.sax",
    # PostgreSQL's SQLAlchemy dialect, on SQLite (storage/models/visits.py).
    "sqlalchemy.dialects.postgresql",
    # Started once the socket is bound: the scheduler with APScheduler and the scheduled
    # sends' code, and the retention clean-up.
    "apscheduler",
    "bot.schedule.jobs",
    "bot.schedule.scheduler",
    "bot.schedule.sends",
    "bot.core.retention",
)

# `knalle serve` as run, up to the moment its socket is bound: the first start hook prints the
# modules loaded so far and the collector's state, and ends the process.
MODULES_WHEN_LISTENING = """
import gc, json, os, sys
import bot.app

def report(knalle, app):
    state = {"collector": gc.isenabled(), "frozen": gc.get_freeze_count()}
    print(json.dumps({"modules": sorted(sys.modules), **state}), flush=True)
    os._exit(0)

bot.app.LISTENING_HOOKS[:] = [report]
from bot.cli import main
main(["serve", "--http", "--port", sys.argv[1]])
"""


def state_when_listening(tmp_path: Path) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path / 'knalle.db'}"
    engine = make_engine(url)
    upgrade(engine)  # a restart: the database is at head, nothing to migrate
    engine.dispose()
    with SlackStandIn() as standin:
        env = serve_env(url, standin)
        result = subprocess.run(
            [sys.executable, "-c", MODULES_WHEN_LISTENING, str(free_port())],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
    state: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return state


def test_serve_binds_its_socket_before_the_heavy_libraries_and_the_background_services_load(
    tmp_path: Path,
) -> None:
    state = state_when_listening(tmp_path)
    loaded = set(state["modules"])
    assert "bot.slack.app" in loaded and "handlers.visits.command" in loaded  # the app is built
    assert sorted(set(NOT_AT_START) & loaded) == []
    # The collector, off while it started (bot/cli/__init__.py), runs again; what the start
    # loaded is frozen out of its reach.
    assert state["collector"] is True
    assert state["frozen"] > 50_000


# The hooks run once the socket is bound; one that fails stops the process, as a failed start
# did when they ran before it.
FAILING_HOOK = """
import socket, sys
import bot.app

def probe(knalle, app):
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print("listening", flush=True)

def fail(knalle, app):
    raise RuntimeError("the job store is gone")

bot.app.LISTENING_HOOKS[:] = [probe, fail]
from bot.cli import main
sys.exit(main(["serve", "--http", "--port", sys.argv[1]]))
"""


def test_a_start_hook_that_fails_once_the_socket_is_bound_stops_the_process(
    tmp_path: Path,
) -> None:
    with SlackStandIn() as standin:
        env = serve_env(f"sqlite:///{tmp_path / 'knalle.db'}", standin)
        result = subprocess.run(
            [sys.executable, "-c", FAILING_HOOK, str(free_port())],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
    assert result.stdout.strip() == "listening"
    assert result.returncode == 1  # the error's exit after the clean stop, not SIGTERM's death
    assert "RuntimeError: the job store is gone" in result.stderr
