"""Start-up: from launching `knalle serve --http` to the first 200 from /healthz, and the RSS then.

Each round starts a fresh interpreter on a database already at the migrations' head (the usual
restart: nothing to migrate), polls /healthz every 5 ms, reads the process's VmRSS from /proc
once it answers, and stops it with SIGTERM.

Run: `.venv/bin/python -m bench.start_bench [--rounds 7]`. Results go in docs/benchmarks.md
("Flat at scale"); never in a timed unit test.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def one_start(env: dict[str, str]) -> tuple[float, float]:
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("knalle serve stopped before answering") from None
                time.sleep(0.005)
        took = time.perf_counter() - start
        return took, rss_mib(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    standin = subprocess.Popen(
        [sys.executable, "-m", "bench.servers", "standin"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert standin.stdout is not None and standin.stdin is not None
    api_url = standin.stdout.readline().strip()  # Bolt asks auth.test at start
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "KNALLE_DATABASE_URL": f"sqlite:///{Path(folder) / 'knalle.db'}",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "SLACK_API_URL": api_url,
        }
        env.pop("SLACK_APP_TOKEN", None)
        one_start(env)  # creates and migrates the database, warms the OS file cache
        results = [one_start(env) for _ in range(args.rounds)]
    standin.stdin.close()
    standin.wait(timeout=10)
    times = [t for t, _ in results]
    rss = [r for _, r in results]
    load = os.getloadavg()[0]
    print(
        f"launch → /healthz: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); RSS then: median "
        f"{statistics.median(rss):.0f} MiB (max {max(rss):.0f}); {args.rounds} rounds, "
        f"load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
