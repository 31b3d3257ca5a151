"""deploy/compose.yaml's topology without Docker: a throwaway PostgreSQL, a one-shot migration,
two `knalle serve` processes on it, a burst of commands while each replica in turn is stopped
(SIGTERM) and started again, and every command stored and answered once, every scheduled send
made once.

The replicas serve HTTP here (the stand-in speaks Slack's Web API, not its Socket Mode
websocket); the storage, leases, scheduler and sends are the same code in both modes. The
"load balancer" sends each command to one replica and, when that one is down, resends the same
signed request to the other, as a retrying proxy would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn
from tests import postgres
from tests.integration.test_serve_process import free_port

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "replica-secret"
BURST = 40
SPACING = 0.25  # seconds between commands: the burst lasts through both restarts
TEAM = "C0TEAM"


def company(n: int) -> str:
    """Forty names no fuzzy match confuses with each other ("Kfpaneblcd AB")."""
    digest = hashlib.sha256(str(n).encode()).hexdigest()[:10]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest).capitalize() + " AB"


class Replica:
    def __init__(self, name: str, env: dict[str, str], cwd: Path) -> None:
        self.name = name
        self.env = env
        self.cwd = cwd
        self.port = free_port()
        self.child: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        log = open(self.cwd / f"{self.name}-{self.starts}.log", "wb")  # noqa: SIM115
        self.child = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--port", str(self.port)],
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.starts += 1

    def wait_ready(self, timeout: float = 60) -> float:
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            assert self.child is not None and self.child.poll() is None, f"{self.name} exited"
            try:
                if get(self.port, "/readyz")[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} never became ready")

    def stop(self) -> int:
        assert self.child is not None
        self.child.send_signal(signal.SIGTERM)
        return self.child.wait(timeout=40)


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def post(port: int, body: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_two_replicas_survive_a_rolling_restart_with_everything_once(
    pg_cluster: postgres.Cluster | None, tmp_path: Path
) -> None:
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    url = pg_cluster.empty_database()
    zone = ZoneInfo("Europe/Stockholm")
    # The daily run was due half an hour ago: every start catches it up, the ledger keeps
    # each send to once.
    due = dt.datetime.now(zone) - dt.timedelta(minutes=30)
    with SlackStandIn() as standin:
        env = {
            **os.environ,
            "KNALLE_DATABASE_URL": url,
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,
            "KNALLE_DIGEST_CHANNEL": TEAM,
            "KNALLE_DIGEST_TIME": due.strftime("%H:%M"),
            "KNALLE_DIGEST_WEEKDAY": str(due.weekday()),
            "KNALLE_OPEN_TO": "workspace",
            "KNALLE_LOG_FORMAT": "json",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SLACK_APP_TOKEN", None)
        # The one-shot migration service, then the data an operator loads.
        plan = str(ROOT / "data/plans/boras-2022.yaml")
        for argv in (["db", "upgrade"], ["plan", "import", plan]):
            done = subprocess.run(
                [sys.executable, "-m", "bot", *argv], cwd=tmp_path, env=env, capture_output=True
            )
            assert done.returncode == 0, done.stderr.decode()[-800:]

        replicas = [Replica("a", env, tmp_path), Replica("b", env, tmp_path)]
        for replica in replicas:
            replica.start()
        try:
            for replica in replicas:
                replica.wait_ready()
            statuses: dict[int, int] = {}
            resends = Counter[int]()

            def send(n: int) -> None:
                body = slash_command_body(
                    "/besök",
                    f"{company(n)} igår, rullande omstart",
                    f"U{n:04d}",
                    response_url=standin.response_url(f"r{n}"),
                )
                headers = sign_request(body, SECRET)
                order = [replicas[n % 2], replicas[(n + 1) % 2]]
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    for replica in order:
                        try:
                            statuses[n] = post(replica.port, body, headers)
                            return
                        except OSError:  # that replica is restarting: the other one
                            resends[n] += 1
                    time.sleep(0.1)
                statuses[n] = 0

            def burst() -> None:
                senders = []
                for n in range(BURST):
                    sender = threading.Thread(target=send, args=(n,))
                    sender.start()
                    senders.append(sender)
                    time.sleep(SPACING)
                for sender in senders:
                    sender.join()

            load = threading.Thread(target=burst)
            load.start()
            restarts = []
            for replica in replicas:  # a rolling restart, one replica at a time
                time.sleep(1.5)
                assert replica.stop() == 0
                replica.start()
                restarts.append(replica.wait_ready())
            load.join()

            assert statuses == dict.fromkeys(range(BURST), 200)
            replies = standin.wait_for("response_url", BURST, timeout=90)
            time.sleep(SPACING * 4)  # a second answer to any command would arrive by now
            answered = Counter(str(c.args.get("_name")) for c in standin.calls("response_url"))
            twice = [name for name, count in answered.items() if count > 1]
            assert answered == Counter({f"r{n}": 1 for n in range(BURST)}), twice
            assert all("rullande" in str(c.args) for c in replies), replies[0].args

            engine = create_engine(url)
            with engine.connect() as connection:
                stored = connection.execute(
                    text("SELECT c.name, count(*) FROM visits v JOIN companies c "
                         "ON c.id = v.company_id GROUP BY c.name")
                ).all()  # fmt: skip
                unfinished = connection.execute(
                    text("SELECT count(*) FROM pending_commands WHERE finished_at IS NULL")
                ).scalar()
                sends = connection.execute(
                    text("SELECT kind, recipient, status FROM sent_messages ORDER BY kind")
                ).all()
                audited = connection.execute(
                    text("SELECT count(*) FROM audit_log WHERE action = 'visit.create'")
                ).scalar()
            engine.dispose()
            assert sorted(stored) == sorted((company(n), 1) for n in range(BURST))
            assert unfinished == 0 and audited == BURST
            # Four starts caught up the same daily run; each send went out once.
            team = [(kind, status) for kind, recipient, status in sends if recipient == TEAM]
            assert ("digest", "sent") in team
            posted = Counter(c.args.get("channel") for c in standin.calls("chat.postMessage"))
            assert posted[TEAM] == 1
            assert all(count == 1 for count in posted.values()), posted
            assert len(sends) == len({(k, r) for k, r, _ in sends})
            # What the README's sizing note quotes.
            print(f"\nrestart to ready: {', '.join(f'{s:.1f}s' for s in restarts)}; "
                  f"resent to the other replica: {sum(resends.values())}")  # fmt: skip
            for replica in replicas:
                status, body = get(replica.port, "/metrics")
                assert status == 200 and "knalle_database_up 1.0" in body
                rss = next(
                    float(line.split()[-1])
                    for line in body.splitlines()
                    if line.startswith("process_resident_memory_bytes")
                )
                print(f"replica {replica.name}: {rss / 2**20:.0f} MB resident")
        finally:
            for replica in replicas:
                if replica.child is not None and replica.child.poll() is None:
                    replica.stop()
