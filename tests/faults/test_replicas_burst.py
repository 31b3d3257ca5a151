"""Two replicas on a real PostgreSQL start together on an empty database and share a burst.

Each command is stored once and answered once, whichever replica took it; no 5xx, no
traceback in either log.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.console.standin import SlackStandIn
from tests import postgres
from tests.faults.procs import Served, env_for
from tests.integration.test_serve_process import free_port, wait_healthy

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
NAMES = [
    "Ellos",
    "Nelly",
    "Ikea",
    "Volvo",
    "Scania",
    "Saab",
    "Ericsson",
    "Hemtex",
    "Lindex",
    "Kappahl",
    "Boozt",
    "Coop",
    "Stadium",
    "Postnord",
    "Apoteket",
    "Systembolaget",
    "Alfa",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotell",
    "India",
    "Juliett",
    "Kilo",
    "Lima",
    "Medtronic",
    "Nordea",
    "Oscar",
    "Papa",
    "Quebec",
    "Romeo",
    "Sierra",
    "Tango",
    "Uniform",
    "Victor",
    "Whiskey",
    "Zulu",
]


def test_two_replicas_start_together_and_share_a_burst(
    pg_cluster: postgres.Cluster | None, tmp_path: Path
) -> None:
    if pg_cluster is None:
        pytest.skip(f"no PostgreSQL here: {postgres.why_unavailable()}")
    url = pg_cluster.empty_database()
    with SlackStandIn() as standin:
        replicas: list[Served] = []
        for n in range(2):
            port = free_port()
            log = tmp_path / f"replica{n}.log"
            with open(log, "wb") as out:
                child = subprocess.Popen(
                    [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
                    cwd=tmp_path,
                    env=env_for(url, standin),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            replicas.append(Served(child, port, log))
        try:
            for replica in replicas:
                wait_healthy(replica.port, replica.child, timeout=60)
            statuses: list[int] = []
            lock = threading.Lock()

            def send(n: int) -> None:
                status = replicas[n % 2].command(standin, f"{NAMES[n]} igår", f"b{n}")
                with lock:
                    statuses.append(status)

            threads = [threading.Thread(target=send, args=(n,)) for n in range(40)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert statuses == [200] * 40
            standin.wait_for("response_url", 40, timeout=60)
            time.sleep(1.0)
            for replica in replicas:
                assert "Traceback" not in replica.text_of_log()
        finally:
            for replica in replicas:
                if replica.child.poll() is None:
                    replica.child.terminate()
                    replica.child.wait(timeout=30)
    calls = standin.calls("response_url")
    texts = {str(c.args.get("_name")): str(c.args.get("text")) for c in calls}
    not_saved = {k: v[:120] for k, v in texts.items() if "sparat" not in v}
    answered = Counter(str(call.args.get("_name")) for call in standin.calls("response_url"))
    assert sorted(answered) == sorted(f"b{n}" for n in range(40))
    assert max(answered.values()) == 1
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM visits")).scalar()
        assert (stored, not_saved) == (40, {})
        owners = connection.execute(
            text("SELECT count(DISTINCT owner) FROM pending_commands")
        ).scalar()
        unfinished = connection.execute(
            text("SELECT count(*) FROM pending_commands WHERE finished_at IS NULL")
        ).scalar()
    engine.dispose()
    assert owners == 2 and unfinished == 0
