"""Start-up: from launching `knalle serve --http` to the first 200 from /healthz, and the RSS then.

Each round starts a fresh interpreter on a database already at the migrations' head (the usual
restart: nothing to migrate), polls /healthz every 5 ms, reads the process's VmRSS and CPU time
from /proc once it answers, and stops it with SIGTERM.

The child reads compiled bytecode, as an installed Knalle does (pip compiles every module at
install; the image's Python never recompiles them): the bytecode goes to a temporary folder on
the warm-up start. `--source` measures instead with PYTHONDONTWRITEBYTECODE=1, every module
compiled from source on every start. `--compare DIR` alternates each round with another checkout
of Knalle (the same interpreter, DIR first on the path), so both are measured under one load.

`--first-command` sends, the moment /healthz answers, one signed `/besök` to /slack/events, as a
load balancer's first request after a restart would, and times its ack (the HTTP 200) and its
answer (the call to its response_url), both from launch: work the start leaves for after the
socket is bound must not make that first command later. Every round starts from a copy of one
database at head, so each round's command does the same work.

Run: `.venv/bin/python -m bench.start_bench [--rounds 7] [--source] [--compare DIR]
[--first-command]`. Results go in docs/benchmarks.md ("Flat at scale"); never in a timed unit
test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench"
FIRST_COMMAND = "Ellos AB igår, pratade el"


@dataclass(frozen=True)
class Start:
    healthz: float  # seconds from launch to the first 200 from /healthz
    rss: float  # MiB then
    cpu: float  # CPU seconds used by then
    ack: float | None = None  # --first-command: launch to its HTTP 200
    answer: float | None = None  # launch to its response_url call


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


def one_start(
    env: dict[str, str],
    tree: Path = ROOT,
    standin: SlackStandIn | None = None,
    name: str = "",
) -> Start:
    """One launch: /healthz, the RSS and CPU then, and with a stand-in the first command."""
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
        rss, cpu = rss_mib(process.pid), cpu_seconds(process.pid)
        if standin is None:
            return Start(took, rss, cpu)
        ack, answer = first_command(port, standin, name, start)
        return Start(took, rss, cpu, ack, answer)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def first_command(port: int, standin: SlackStandIn, name: str, start: float) -> tuple[float, float]:
    """Seconds from launch to the ack of one `/besök` and to its answer on the response_url."""
    body = slash_command_body(
        "/besök", FIRST_COMMAND, "UPIA", response_url=standin.response_url(name)
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST", "/slack/events", body=body.encode(), headers=sign_request(body, SECRET)
    )
    status = connection.getresponse().status
    ack = time.perf_counter() - start
    connection.close()
    if status != 200:
        raise RuntimeError(f"the first command got HTTP {status}")
    deadline = time.monotonic() + 30
    while not any(call.args.get("_name") == name for call in standin.calls("response_url")):
        if time.monotonic() > deadline:
            raise RuntimeError("the first command was never answered")
        time.sleep(0.002)
    return ack, time.perf_counter() - start


def summary(label: str, results: list[Start]) -> str:
    times = [r.healthz for r in results]
    rss = [r.rss for r in results]
    text = (
        f"{label}launch → /healthz: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); CPU by then: median "
        f"{statistics.median(r.cpu for r in results):.2f} s; RSS then: median "
        f"{statistics.median(rss):.0f} MiB (max {max(rss):.0f})"
    )
    acks = [r.ack for r in results if r.ack is not None]
    answers = [r.answer for r in results if r.answer is not None]
    if acks and answers:
        text += (
            f"\n{' ' * len(label)}first /besök from launch: ack median "
            f"{statistics.median(acks):.2f} s (min {min(acks):.2f}), answer median "
            f"{statistics.median(answers):.2f} s (min {min(answers):.2f})"
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--source", action="store_true", help="compile from source every start")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout, alternated")
    parser.add_argument(
        "--first-command", action="store_true", help="time one /besök sent once /healthz answers"
    )
    args = parser.parse_args()
    trees = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, SlackStandIn() as standin:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,  # Bolt asks auth.test at start
            "KNALLE_OPEN_TO": "workspace",  # the first command's sender is in no staff list
        }
        env.pop("SLACK_APP_TOKEN", None)
        if args.source:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        results: dict[Path, list[Start]] = {tree: [] for tree in trees}
        # Each checkout its own database (their migrations may differ) and bytecode folder;
        # every round starts from a copy of the database as the first start left it.
        template = {tree: Path(folder) / f"{index}-head.db" for index, tree in enumerate(trees)}
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
            shutil.copyfile(
                own[tree]["KNALLE_DATABASE_URL"].removeprefix("sqlite:///"), template[tree]
            )
        for round_number in range(args.rounds):
            for index, tree in enumerate(trees):
                shutil.copyfile(
                    template[tree], own[tree]["KNALLE_DATABASE_URL"].removeprefix("sqlite:///")
                )
                results[tree].append(
                    one_start(
                        {**env, **own[tree]},
                        tree,
                        standin if args.first_command else None,
                        f"r{round_number}-{index}",
                    )
                )
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
