"""Real `knalle serve` processes for the fault suite: start, send signed commands, kill."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn
from tests.integration.test_serve_process import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fault-secret"


@dataclass
class Served:
    child: subprocess.Popen[bytes]
    port: int
    log: Path

    def command(self, standin: SlackStandIn, text: str, name: str, user: str = "UPIA") -> int:
        body = slash_command_body(
            "/besök", text, user, response_url=standin.response_url(name), trigger_id=f"t.{name}"
        )
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(
                "POST", "/slack/events", body=body.encode(), headers=sign_request(body, SECRET)
            )
            return connection.getresponse().status
        finally:
            connection.close()

    def kill(self) -> None:
        self.child.send_signal(signal.SIGKILL)
        self.child.wait(timeout=10)

    def text_of_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def env_for(database_url: str, standin: SlackStandIn, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "KNALLE_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-fault",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "PYTHONPATH": str(ROOT),
        "KNALLE_OPEN_TO": "workspace",
        **extra,
    }
    env.pop("SLACK_APP_TOKEN", None)
    return env


@contextmanager
def serving(
    database_url: str, standin: SlackStandIn, workdir: Path, **extra: str
) -> Iterator[Served]:
    port = free_port()
    log = workdir / f"serve-{port}.log"
    with open(log, "wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
            cwd=workdir,
            env=env_for(database_url, standin, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(port, child)
        yield Served(child, port, log)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


def knalle(
    database_url: str, standin: SlackStandIn, workdir: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=workdir,
        env=env_for(database_url, standin),
        capture_output=True,
        text=True,
        timeout=60,
    )
