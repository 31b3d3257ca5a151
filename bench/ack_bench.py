"""Ack latency of `/besök` over real HTTP, beside a bare Bolt app that only acks; parse cost.

Run: `.venv/bin/python -m bench.ack_bench [--rounds 15]`. Results go in docs/benchmarks.md;
never in a timed unit test, because these shared 2-core machines are noisy.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import threading
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App

from bot.app import Knalle, build_knalle
from bot.config import load_settings
from bot.serve import make_http_server, run_in_thread, stop_server, warm_up
from bot.slack_app import build_slack_app, make_web_client
from bot.slack_signing import sign_request, slash_command_body
from bot.slack_standin import SlackStandIn

SECRET = "bench-secret"
COMPANIES = ["Ellos AB", "Borås Energi och Miljö", "Textile Fashion Center", "Marketplace Borås",
             "Svenljunga Trä", "Viared Logistik", "Maj's Bageri", "Per Holm Bygg"]


def bare_app(standin: SlackStandIn) -> App:
    """The floor: Bolt with signature checking and nothing else but an ack."""
    app = App(
        token="xoxb-bench",
        signing_secret=SECRET,
        client=make_web_client("xoxb-bench", standin.api_url),
    )

    @app.command("/besök")
    def only_ack(ack: Ack) -> None:
        ack()

    return app


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


def run_load(port: int, standin: SlackStandIn, senders: int, rounds: int) -> list[float]:
    """`rounds` bursts of `senders` simultaneous commands, released together by a barrier."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(10**9))

    def sender(barrier: threading.Barrier) -> None:
        n = next(counter)
        text = f"{COMPANIES[n % len(COMPANIES)]} {n} igår med <@UJONAS|jonas>, pratade mark"
        body = slash_command_body("/besök", text, f"U{n % 13:04d}",
                                  response_url=standin.response_url(f"b{n}"))
        barrier.wait()
        elapsed = one_request(port, body)
        with lock:
            latencies.append(elapsed)

    for _ in range(rounds):
        barrier = threading.Barrier(senders)
        threads = [threading.Thread(target=sender, args=(barrier,)) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.2)  # let the listeners finish their work before the next burst
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(name: str, serve: Callable[[], tuple[Any, int]], standin: SlackStandIn,
            rounds: int) -> list[tuple[str, int, float, float, int]]:
    server, port = serve()
    run_in_thread(server)
    rows = []
    try:
        run_load(port, standin, 1, 5)  # warm the path: connections, imports, caches
        for senders in (1, 20):
            latencies = run_load(port, standin, senders, rounds)
            rows.append((name, senders, statistics.median(latencies) * 1000,
                         percentile(latencies, 99) * 1000, len(latencies)))
    finally:
        stop_server(server)
    return rows


def parse_cost(knalle: Knalle) -> float:
    from bot.core.visit_parser import parse_visit

    warm_up()
    today = knalle.clock.now().date()
    line = "Ellos AB i tisdags med <@UPIA|pia> och KSO, pratade kompetensförsörjning"
    runs = 2000
    return timeit.timeit(lambda: parse_visit(line, today), number=runs) / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="bursts per configuration")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as standin:
        settings = load_settings(
            _env_file=None,
            KNALLE_DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}",
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=standin.api_url,
        )
        knalle = build_knalle(settings)
        warm_up()

        def knalle_server() -> tuple[Any, int]:
            server = make_http_server(knalle, build_slack_app(knalle), "127.0.0.1", 0)
            return server, int(server.effective_port)  # type: ignore[union-attr]

        def bare_server() -> tuple[Any, int]:
            server = make_http_server(knalle, bare_app(standin), "127.0.0.1", 0)
            return server, int(server.effective_port)  # type: ignore[union-attr]

        rows = measure("bare Bolt (ack only)", bare_server, standin, args.rounds)
        rows += measure("Knalle /besök", knalle_server, standin, args.rounds)
        per_parse = parse_cost(knalle)

    print("| app | simultaneous senders | p50 ack (ms) | p99 ack (ms) | requests |")
    print("|---|---:|---:|---:|---:|")
    for name, senders, p50, p99, count in rows:
        print(f"| {name} | {senders} | {p50:.1f} | {p99:.1f} | {count} |")
    bare99 = {s: p99 for n, s, _, p99, _ in rows if n.startswith("bare")}
    ours99 = {s: p99 for n, s, _, p99, _ in rows if n.startswith("Knalle")}
    for senders in (1, 20):
        print(f"\np99 ratio Knalle/bare at {senders}: {ours99[senders] / bare99[senders]:.2f}×")
    print(f"\nOne parse_visit after warm-up: {per_parse:.3f} ms")


if __name__ == "__main__":
    main()
