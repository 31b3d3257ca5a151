"""kill -9 at each phase of a command, and SIGTERM in the middle of a burst (real processes).

Each asserts: nothing acked is lost, nothing is stored twice, nothing is answered twice, and
the log holds no traceback. A command's lease is set to 1 s so the next process takes over at
once instead of after the default 20 s.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.console.standin import SlackStandIn
from tests.faults.procs import serving

pytestmark = pytest.mark.faults
FAST_LEASE = {"KNALLE_COMMAND_LEASE_SECONDS": "1"}


def db_count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = int(connection.execute(text(sql)).scalar() or 0)
    engine.dispose()
    return found


def wait_for(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def replies(standin: SlackStandIn) -> Counter[str]:
    return Counter(str(call.args.get("_name")) for call in standin.calls("response_url"))


@pytest.mark.parametrize("phase", ["saved", "acked", "replying", "replied"])
def test_kill_9_at_each_phase_of_a_command(tmp_path: Path, phase: str) -> None:
    url = f"sqlite:///{tmp_path / 'knalle.db'}"
    with SlackStandIn() as standin:
        with serving(url, standin, tmp_path, KNALLE_FAULT_KILL_AT=phase, **FAST_LEASE) as first:
            try:
                status = first.command(standin, "Ellos AB igår, pratade el", "k")
            except OSError:
                status = 0  # killed before the ack left: Slack would show an error
            first.child.wait(timeout=20)
            assert first.child.returncode == -signal.SIGKILL
            assert "Traceback" not in first.text_of_log()
        if phase != "saved":
            assert status == 200
        with serving(url, standin, tmp_path, **FAST_LEASE) as second:
            wait_for(lambda: replies(standin)["k"] >= 1)
            time.sleep(1.5)  # a second sweep: nothing more may come
            assert "Traceback" not in second.text_of_log()
    assert db_count(url, "SELECT count(*) FROM visits") == 1
    assert replies(standin)["k"] == 1  # answered once, whoever answered
    assert db_count(url, "SELECT count(*) FROM pending_commands WHERE finished_at IS NULL") == 0


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
    "Hemtex",
    "Lindex",
    "Kappahl",
    "Boozt",
    "Åhléns",
    "Systembolaget",
    "Apoteket",
    "Postnord",
    "Coop",
    "Stadium",
]


def test_sigterm_in_the_middle_of_a_burst_loses_nothing_acked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'knalle.db'}"
    statuses: dict[int, int] = {}
    with SlackStandIn() as standin:
        with serving(url, standin, tmp_path, **FAST_LEASE) as bot:

            def send(n: int) -> None:
                try:
                    statuses[n] = bot.command(standin, f"{COMPANIES[n]} igår", f"s{n}")
                except OSError:
                    statuses[n] = 0

            threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
            for n, thread in enumerate(threads):
                thread.start()
                if n == 10:
                    # Mid-burst means some were acked already: on a loaded machine none of the
                    # first ten may have reached the server yet when the eleventh starts.
                    wait_for(lambda: 200 in statuses.values())
                    bot.child.send_signal(signal.SIGTERM)
            for thread in threads:
                thread.join()
            assert bot.child.wait(timeout=30) == 0
            assert "Traceback" not in bot.text_of_log()
        acked = {n for n, status in statuses.items() if status == 200}
        assert acked and {s for s in statuses.values()} <= {0, 200}
        with serving(url, standin, tmp_path, **FAST_LEASE):
            wait_for(lambda: all(replies(standin)[f"s{n}"] >= 1 for n in acked))
            time.sleep(1.5)
    answered = replies(standin)
    assert all(answered[f"s{n}"] == 1 for n in acked)
    assert max(answered.values()) == 1
    visits = db_count(url, "SELECT count(*) FROM visits")
    assert len(acked) <= visits <= len(statuses)
    assert visits == len(answered)  # each stored visit was answered, once
