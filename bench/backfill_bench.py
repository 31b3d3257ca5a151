"""Backfill and import of a long visit channel against the Slack stand-in, end to end.

Fills the stand-in's channel with N messages (one in five a visit, as the unit writes them:
"Besökte … idag med <@…>", "Var hos … igår", "Företagsbesök hos …, digitalt"; the rest chatter,
bots, joins and thread replies), then runs `knalle backfill` (conversations.history in pages of
200, cursor followed, one 429 with Retry-After: 1 on the way) into an xlsx review file and
`knalle import visits` on it, and the import once more (the rerun, which stores nothing). The
stand-in runs in a child process, so the bench process holds only what backfill and import
hold: its peak resident memory (ru_maxrss) at a fifth of the size and at the full size shows
whether memory is flat in the channel's size. (tracemalloc would slow the run several times.)

Run: `.venv/bin/python -m bench.backfill_bench [--messages 5000]`. Results go in
docs/benchmarks.md ("Backfill and import"); never in a timed unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import multiprocessing.synchronize
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.cli.backfill import run_backfill, run_import
from bot.clock import FixedClock
from bot.config import load_settings
from bot.console.standin import SlackStandIn
from bot.context import build_knalle
from storage.models import Staff

CHANNEL = "C0BESOK"
STAFF = [("Pia", "UPIA"), ("Ola", "UOLA"), ("Anna", "UANNA"), ("Erik", "UERIK")]
VISITS = [
    "Besökte {c} idag med <@{u}>, pratade kompetensförsörjning",
    "Var hos {c} igår",
    "Företagsbesök hos {c}, digitalt",
    "Idag besök på {c} med KSO",
    "Besök: {c} – exportfrågor",
    "Jag och <@{u}> besökte {c} i tisdags, de söker lokaler",
]
CHATTER = [
    "Tack för idag!",
    "Vem har numret till {c}?",
    "Mötesanteckningar från veckomötet: budget och besöksmål",
    "https://www.bt.se/nyheter/{n}",
    ":tada:",
    "Lunch kl 12?",
    "Påminnelse: rapportera era besök före fredag",
    "Ska vi besöka {c} nästa vecka?",
]


@dataclass
class Run:
    messages: int
    backfill_s: float
    import_s: float
    rerun_s: float
    peak_mb: float
    rows_yes: int
    stored: int
    already: int


def fill(standin: SlackStandIn, messages: int, rng: random.Random) -> None:
    start = dt.datetime(2022, 1, 3, 8, 0, tzinfo=dt.UTC).timestamp()
    companies = [f"Företag {i:03d} AB" for i in range(300)]
    step = (4 * 365 * 86400) / messages  # four years of history
    for n in range(messages):
        ts = f"{start + n * step:.6f}"
        user = rng.choice(STAFF)[1]
        company = rng.choice(companies)
        colleague = rng.choice([u for _, u in STAFF if u != user])
        kind = n % 20
        if kind < 4:
            text = VISITS[n % len(VISITS)].format(c=company, u=colleague)
            standin.add_message(CHANNEL, ts, text, user=user)
        elif kind == 4:
            standin.add_message(CHANNEL, ts, "Besökte X idag", user=None, bot_id="B1")
        elif kind == 5:
            standin.add_message(
                CHANNEL, ts, f"<@{user}> gick med", user=user, subtype="channel_join"
            )
        else:
            text = CHATTER[n % len(CHATTER)].format(c=company, n=n)
            standin.add_message(CHANNEL, ts, text, user=user)
    # Thread replies sit in the channel too; history leaves them out.
    for n in range(0, messages, 50):
        parent = f"{start + n * step:.6f}"
        reply = f"{start + n * step + 1:.6f}"
        standin.add_message(CHANNEL, reply, "Var hos Företag 001 AB igår", thread_ts=parent)


def _first_page_fails(args: dict[str, object]) -> bool:
    return bool(args.get("cursor"))


def _serve(
    messages: int,
    seed: int,
    urls: multiprocessing.Queue[str],
    stop: multiprocessing.synchronize.Event,
) -> None:
    """The child process: a stand-in with the channel filled, until told to stop."""
    with SlackStandIn() as standin:
        fill(standin, messages, random.Random(seed))
        standin.history_page_cap = 200
        standin.fail("conversations.history", retry_after=1, when=_first_page_fails)
        urls.put(standin.api_url)
        stop.wait()


def one_run(messages: int, seed: int = 1) -> Run:
    context = multiprocessing.get_context("spawn")
    urls: multiprocessing.Queue[str] = context.Queue()
    stop = context.Event()
    child = context.Process(target=_serve, args=(messages, seed, urls, stop), daemon=True)
    child.start()
    try:
        return _measure(messages, urls.get(timeout=300))
    finally:
        stop.set()
        child.join(10)


def _measure(messages: int, api_url: str) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            KNALLE_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET="bench",
            SLACK_API_URL=api_url,
        )
        clock = FixedClock(zone=settings.zone, current=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
        knalle = build_knalle(settings, clock=clock)
        with knalle.db.write() as session:
            for name, user in STAFF:
                session.add(Staff(name=name, slack_user_id=user, created_at=clock.now()))
        review = Path(tmp) / "granska.xlsx"
        began = time.perf_counter()
        out = io.StringIO()
        assert run_backfill(knalle, CHANNEL, output=review, out=out) == 0
        backfilled = time.perf_counter()
        out_import = io.StringIO()
        assert run_import(knalle, review, out=out_import) == 0
        imported = time.perf_counter()
        out_rerun = io.StringIO()
        assert run_import(knalle, review, out=out_rerun) == 0
        rerun = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        knalle.db.dispose()
    yes = int(out.getvalue().split(", ")[1].split()[0])
    stored = int(out_import.getvalue().split()[1])
    already = int(out_rerun.getvalue().split(". ")[1].split()[0])
    return Run(
        messages,
        backfilled - began,
        imported - backfilled,
        rerun - imported,
        peak / 1e6,
        yes,
        stored,
        already,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    print(
        "| messages | backfill (s) | import (s) | rerun (s) | end to end (s) | peak (MB) "
        "| ja | stored | rerun: already |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in (args.messages // 5, args.messages):
        r = one_run(size)
        total = r.backfill_s + r.import_s
        print(
            f"| {r.messages:,} | {r.backfill_s:.1f} | {r.import_s:.1f} | {r.rerun_s:.1f} | "
            f"{total:.1f} | {r.peak_mb:.1f} | {r.rows_yes} | {r.stored} | {r.already} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
