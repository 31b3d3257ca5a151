"""Two replicas of `knalle serve` on one PostgreSQL under 200 simultaneous senders (issue 11).

Run: `.venv/bin/python -m bench.replicas_bench [--senders 200] [--rounds 2]`. Needs PostgreSQL's
initdb/pg_ctl on PATH (a throwaway cluster is made, as the tests do). Reports the ack latency
per replica (p50, p99, max) and checks exactly-once: every command has one pending row, one
answer, and no visit or answer twice. Results go in docs/benchmarks.md; never a timed test.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn
from tests import postgres
from tests.faults.procs import SECRET, env_for
from tests.integration.test_serve_process import free_port, wait_healthy


def company_names(count: int, seed: int = 11) -> list[str]:
    """Made-up names, distinct enough that the fuzzy register asks about none."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        letters = "".join(rng.choice("bcdfghjklmnprstvxz") + rng.choice("aeiouy") for _ in range(5))
        names.add(letters.capitalize() + " AB")
    return sorted(names)


def post(port: int, body: str) -> tuple[int, float]:
    headers = sign_request(body, SECRET)
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
        status = connection.getresponse().status
    finally:
        connection.close()
    return status, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if postgres.why_unavailable():
        raise SystemExit(postgres.why_unavailable())
    cluster = postgres.start_cluster()
    workdir = Path(tempfile.mkdtemp(prefix="knalle-replicas-"))
    names = company_names(args.senders * args.rounds)
    try:
        url = cluster.empty_database()
        with SlackStandIn() as standin:
            replicas = []
            for n in range(2):
                port = free_port()
                out = open(workdir / f"replica{n}.log", "wb")  # noqa: SIM115
                child = subprocess.Popen(
                    [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
                    cwd=workdir,
                    env=env_for(url, standin, KNALLE_HTTP_THREADS="32"),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
                replicas.append((child, port))
            for child, port in replicas:
                wait_healthy(port, child, timeout=90)
            latencies: dict[int, list[float]] = {0: [], 1: []}
            statuses: Counter[int] = Counter()
            lock = threading.Lock()
            sent = 0
            for round_no in range(args.rounds):
                barrier = threading.Barrier(args.senders)

                def sender(n: int, barrier: threading.Barrier = barrier) -> None:
                    replica = n % 2
                    body = slash_command_body(
                        "/besök",
                        f"{names[n]} igår, pratade kompetensförsörjning del {n}",
                        f"U{n % 13:04d}",
                        response_url=standin.response_url(f"c{n}"),
                        trigger_id=f"bench.{n}",
                    )
                    barrier.wait()
                    status, took = post(replicas[replica][1], body)
                    with lock:
                        statuses[status] += 1
                        latencies[replica].append(took)

                first = round_no * args.senders
                threads = [
                    threading.Thread(target=sender, args=(first + i,)) for i in range(args.senders)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                sent += args.senders
                standin.wait_for("response_url", sent, timeout=300)
            time.sleep(2)
            answers = Counter(str(c.args.get("_name")) for c in standin.calls("response_url"))
            kinds = Counter(str(c.args.get("text"))[:24] for c in standin.calls("response_url"))
            saved = sum(n for kind, n in kinds.items() if kind.startswith("Besöket hos"))
            for child, _ in replicas:
                child.terminate()
                child.wait(timeout=60)
        engine = create_engine(url)
        with engine.connect() as connection:
            visits = connection.execute(text("SELECT count(*) FROM visits")).scalar()
            pending = connection.execute(text("SELECT count(*) FROM pending_commands")).scalar()
            by_owner = connection.execute(
                text("SELECT owner, count(*) FROM pending_commands GROUP BY owner")
            ).all()
            twice = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT author_id, raw_text FROM visits "
                    "GROUP BY author_id, raw_text HAVING count(*) > 1) AS d"
                )
            ).scalar()
        engine.dispose()
    finally:
        cluster.stop()
    print(f"senders {args.senders} x rounds {args.rounds}; HTTP statuses {dict(statuses)}")
    for replica, values in latencies.items():
        print(
            f"replica {replica}: {len(values)} acks, p50 {statistics.median(values) * 1000:.0f} ms,"
            f" p99 {percentile(values, 0.99) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
        )
    print(
        f"pending rows {pending} (per owner {[count for _, count in by_owner]}), visits {visits},"
        f" answers {sum(answers.values())} to {len(answers)} commands, saved-answers {saved},"
        f" answered twice {sum(1 for v in answers.values() if v > 1)},"
        f" a command stored twice {twice}"
    )
    print("answers by kind:", dict(kinds.most_common(5)))


if __name__ == "__main__":
    main()
