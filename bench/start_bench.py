"""Start-up: from launching `knalle serve --http` to the first 200 from /healthz, and the RSS then.

Each round starts a fresh interpreter on a database already at the migrations' head (the usual
restart: nothing to migrate), polls /healthz every 5 ms, reads the process's VmRSS and CPU time
from /proc once it answers, and stops it with SIGTERM.

The child reads compiled bytecode, as an installed Knalle does (pip compiles every module at
install; the image's Python never recompiles them): the bytecode goes to a temporary folder on
the warm-up start. `--source` measures instead with PYTHONDONTWRITEBYTECODE=1, every module
compiled from source on every start. `--compare DIR` alternates each round with another checkout
of Knalle (the same interpreter, DIR first on the path), so both are measured under one load.

Run: `.venv/bin/python -m bench.start_bench [--rounds 7] [--source] [--compare DIR]`. Results go
in docs/benchmarks.md ("Flat at scale"); never in a timed unit test.
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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(env: dict[str, str], tree: Path = ROOT) -> tuple[float, float, float]:
    """Seconds to the first 200 from /healthz, the RSS (MiB) and CPU seconds used by then."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
        env={**env, "PYTHONPATH": str(tree)},
        cwd=tree,
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
        return took, rss_mib(process.pid), cpu_seconds(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def summary(label: str, results: list[tuple[float, float, float]]) -> str:
    times = [t for t, _, _ in results]
    rss = [r for _, r, _ in results]
    cpu = [c for _, _, c in results]
    return (
        f"{label}launch → /healthz: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); CPU by then: median "
        f"{statistics.median(cpu):.2f} s; RSS then: median {statistics.median(rss):.0f} MiB "
        f"(max {max(rss):.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--source", action="store_true", help="compile from source every start")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout, alternated")
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
    trees = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "SLACK_API_URL": api_url,
        }
        env.pop("SLACK_APP_TOKEN", None)
        if args.source:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        results: dict[Path, list[tuple[float, float, float]]] = {tree: [] for tree in trees}
        # Each checkout its own database (their migrations may differ) and bytecode folder.
        own = {
            tree: {
                "KNALLE_DATABASE_URL": f"sqlite:///{Path(folder) / f'{index}.db'}",
                "PYTHONPYCACHEPREFIX": str(Path(folder) / f"pyc-{index}"),
            }
            for index, tree in enumerate(trees)
        }
        for tree in trees:
            # Creates and migrates the database, writes the bytecode, warms the OS file cache.
            one_start({**env, **own[tree]}, tree)
        for _ in range(args.rounds):
            for tree in trees:
                results[tree].append(one_start({**env, **own[tree]}, tree))
    standin.stdin.close()
    standin.wait(timeout=10)
    load_after = os.getloadavg()[0]
    print(
        f"{args.rounds} rounds, {'from source' if args.source else 'bytecode compiled'}, "
        f"load average {load_before:.1f} before, {load_after:.1f} after"
    )
    for tree in trees:
        label = f"{tree}: " if len(trees) > 1 else ""
        print(summary(label, results[tree]))


if __name__ == "__main__":
    main()
