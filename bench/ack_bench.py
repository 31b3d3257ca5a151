"""Ack latency of `/besök` over real HTTP, beside a bare Bolt app that only acks; parse cost.

Run: `.venv/bin/python -m bench.ack_bench [--rounds 20] [--compare TREE …]`. Results go in
docs/benchmarks.md; never in a timed unit test, because these shared 2-core machines are noisy.

Two floors: bare Bolt as it comes (its listener runs on Bolt's pool, and Bolt looks for the
ack every 10 ms: the issue's "bare Bolt app"), and bare Bolt with `process_before_response`
(the ack is sent when the listener returns on the request's thread: the fastest Bolt acks).
`--compare TREE` runs another source tree's Knalle beside (a worktree of an older commit).

The servers, the Slack stand-in they reply to, and this load generator each run in their own
process, as they would in production: a load generator or stand-in sharing the server's GIL
would inflate exactly the latency being measured. All servers run at once and their bursts
alternate, so all meet the same machine load; each burst starts once the work behind the
previous one is done (no command left unfinished in Knalle's database) and a second has passed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import timeit
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bot.console.signing import sign_request, slash_command_body

SECRET = "bench-secret"
COMPANIES = [
    "Ellos AB",
    "Borås Energi och Miljö",
    "Textile Fashion Center",
    "Marketplace Borås",
    "Svenljunga Trä",
    "Viared Logistik",
    "Maj's Bageri",
    "Per Holm Bygg",
]


@contextmanager
def process(*args: str, tree: Path | None = None) -> Iterator[str]:
    """Start `python -m bench.servers ARGS` (from the source tree `tree`, this one by default);
    yield its first line; end it on exit."""
    env = None
    if tree is not None:
        env = {**os.environ, "PYTHONPATH": str(tree)}
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.servers", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tree,
        env=env,
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        if child.stdin:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def one_request(port: int, body: str) -> float:
    headers = sign_request(body, SECRET)
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"status {response.status}")
    return elapsed


COUNTER = iter(range(10**9))


def settle(db: Path | None) -> None:
    """Until the work behind the last burst's acks is done (every command saved before its
    ack is marked finished; none for the bare app), then a second's pause, so each burst
    meets an idle server as the benchmark means it to."""
    deadline = time.monotonic() + 30
    while db is not None and db.exists() and time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=5) as connection:
            query = "SELECT count(*) FROM pending_commands WHERE finished_at IS NULL"
            if connection.execute(query).fetchone()[0] == 0:
                break
        time.sleep(0.05)
    time.sleep(1.0)


def burst(port: int, response_url: str, senders: int) -> list[float]:
    """`senders` simultaneous commands, released together by a barrier."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = COUNTER

    def sender(barrier: threading.Barrier) -> None:
        n = next(counter)
        text = f"{COMPANIES[n % len(COMPANIES)]} {n} igår med KSO, pratade kompetensförsörjning"
        body = slash_command_body(
            "/besök", text, f"U{n % 13:04d}", response_url=f"{response_url}b{n}"
        )
        barrier.wait()
        elapsed = one_request(port, body)
        with lock:
            latencies.append(elapsed)

    barrier = threading.Barrier(senders)
    threads = [threading.Thread(target=sender, args=(barrier,)) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def run_load(
    port: int, response_url: str, senders: int, rounds: int, db: Path | None = None
) -> list[float]:
    """`rounds` bursts of `senders` simultaneous commands, each on a settled server."""
    latencies: list[float] = []
    for _ in range(rounds):
        latencies += burst(port, response_url, senders)
        settle(db)
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


Row = tuple[int, float, float, int]
# Each server: (name, bench.servers role, source tree or None for this one).
Server = tuple[str, str, Path | None]
SENDERS = (1, 20)


def measure(api_url: str, folder: Path, rounds: int, servers: list[Server]) -> dict[str, list[Row]]:
    """Every server at once, each in its own process; their bursts alternate, so all are
    measured under the same machine load (it drifts on a shared machine)."""
    response_url = api_url.replace("/api/", "/response/")
    latencies: dict[tuple[str, int], list[float]] = {}
    with ExitStack() as stack:
        ports: dict[str, int] = {}
        settled: dict[str, Path | None] = {}
        for number, (name, role, tree) in enumerate(servers):
            db = folder / f"server-{number}.db"
            first_line = stack.enter_context(
                process(role, "--api", api_url, "--db", str(db), tree=tree)
            )
            ports[name] = int(first_line.split()[1])
            settled[name] = db if role == "knalle" else None
        for name in ports:  # warm the path: connections, imports, caches
            run_load(ports[name], response_url, 1, 5, settled[name])
        for senders in SENDERS:
            for _ in range(rounds):
                for name in ports:
                    found = burst(ports[name], response_url, senders)
                    latencies.setdefault((name, senders), []).extend(found)
                    settle(settled[name])
    return {
        name: [
            (
                senders,
                statistics.median(latencies[(name, senders)]) * 1000,
                percentile(latencies[(name, senders)], 99) * 1000,
                len(latencies[(name, senders)]),
            )
            for senders in SENDERS
        ]
        for name, _, _ in servers
    }


def parse_cost() -> float:
    import datetime as dt

    from bot.core.text.dates import warm_up
    from bot.core.visits.parser import parse_visit

    warm_up()
    line = "Ellos AB i tisdags med <@UPIA|pia> och KSO, pratade kompetensförsörjning"
    runs = 2000
    today = dt.date(2026, 11, 24)
    return timeit.timeit(lambda: parse_visit(line, today), number=runs) / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="bursts per configuration")
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="another source tree whose Knalle runs beside (e.g. a worktree of main)",
    )
    args = parser.parse_args()
    servers: list[Server] = [
        ("bare Bolt (ack only)", "bare", None),
        ("bare Bolt, acked on the request's thread", "bare-sync", None),
        ("Knalle /besök", "knalle", None),
    ]
    servers += [(f"Knalle /besök at {tree}", "knalle", tree.resolve()) for tree in args.compare]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, process("standin") as api_url:
        results = measure(api_url, Path(tmp), args.rounds, servers)
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    print("| app | simultaneous senders | p50 ack (ms) | p99 ack (ms) | requests |")
    print("|---|---:|---:|---:|---:|")
    for name, rows in results.items():
        for senders, p50, p99, count in rows:
            print(f"| {name} | {senders} | {p50:.1f} | {p99:.1f} | {count} |")
    floors = {"bare": servers[0][0], "bare-sync": servers[1][0]}
    for index, senders in enumerate(SENDERS):
        for name, _, _ in servers[2:]:
            for floor, floor_name in floors.items():
                ratio = results[name][index][2] / results[floor_name][index][2]
                print(f"p99 ratio {name} / {floor} at {senders} senders: {ratio:.2f}×")
    print(f"\nOne parse_visit after warm-up: {parse_cost():.3f} ms")


if __name__ == "__main__":
    main()
