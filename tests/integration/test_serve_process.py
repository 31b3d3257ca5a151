"""`knalle serve` as operators run it: a real process that starts, serves, and stops cleanly."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn

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


def test_serve_answers_slack_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    database = tmp_path / "knalle.db"
    port = free_port()
    with SlackStandIn() as standin:
        env = {
            **os.environ,
            "KNALLE_DATABASE_URL": f"sqlite:///{database}",
            "SLACK_BOT_TOKEN": "xoxb-process",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,
            "PYTHONPATH": str(ROOT),
            "KNALLE_OPEN_TO": "workspace",  # UPIA is in no staff list here
        }
        env.pop("SLACK_APP_TOKEN", None)
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


# Loaded where they are used, never at start: each is tens of milliseconds of every restart.
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
)


def test_the_modules_serve_starts_with_leave_the_heavy_libraries_unloaded() -> None:
    code = (
        "import sys\n"
        "import bot.cli, bot.slack.serve, bot.slack.app\n"
        "bot.cli.build_parser(['serve', '--http'])\n"
        "import bot.cli.common, bot.app\n"
        "import bot.schedule.scheduler, bot.schedule.jobs\n"
        "import handlers, handlers.intake\n"
        f"print(sorted(set({NOT_AT_START!r}) & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
