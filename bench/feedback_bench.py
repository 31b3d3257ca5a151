"""Themes on 100,000 visits: tagging one note, retagging them all, and `knalle synpunkter`.

Builds a temp SQLite file with 100,000 visits in ONE year (the worst case for a year's
compilation) at 2,000 companies, notes made of the unit's kind of sentences plus a varying
word (so the per-word cache meets new words), then times:

- compiling the theme list (data/themes.yaml) into a tagger;
- tagging one note, cold (every word new) and warm (as in a running bot);
- `knalle themes retag` over all 100,000 visits (writes every tag row);
- the compilation (`feedback.compilation`: counts, cluster split, newest quotes per theme) and
  rendering it as md, docx and xlsx.

Run: `.venv/bin/python -m bench.feedback_bench [--visits 100000] [--rounds 3]`. Results go in
docs/benchmarks.md ("Synpunkter"); never in a timed unit test (these machines are shared).
Goals: under 2 s for the compilation, under 1 ms to tag one note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.feedback_world import SENTENCES, fill
from bot.clock import FixedClock
from bot.config import load_settings
from bot.context import build_knalle
from bot.core.visits.themes import Tagger, read_themes
from bot.files import feedback as feedback_file
from tests import units

YEAR = 2026


def _timed(run: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def _row(name: str, times: list[float], unit: str = "ms", scale: float = 1000) -> str:
    return (
        f"| {name} | {statistics.median(times) * scale:.2f} {unit} | "
        f"{max(times) * scale:.2f} {unit} |"
    )


def calibration() -> float:
    """Seconds for a 3M-iteration Python loop: ~0.2 s on an idle core. Shows how loaded the
    shared machine was, so runs can be compared."""
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = ["| what | median | worst |", "| --- | ---: | ---: |"]
    print(f"calibration before: {calibration():.2f} s for a 3M-iteration loop")

    rows.append(_row("compile data/themes.yaml into a tagger", _timed(
        lambda: Tagger(read_themes()), args.rounds)))  # fmt: skip

    rng = random.Random(7)
    notes = [
        " ".join(rng.sample(SENTENCES, 3)) + f" Nämnde ord{i} och företag{i * 7}."
        for i in range(5000)
    ]
    tagger = Tagger(read_themes())
    start = time.perf_counter()
    for note in notes:
        tagger.themes_of(note)
    cold = (time.perf_counter() - start) / len(notes)
    start = time.perf_counter()
    for note in notes:
        tagger.themes_of(note)
    warm = (time.perf_counter() - start) / len(notes)
    rows.append(f"| tag one note, cold (new words; {len(notes)} notes) | {cold * 1000:.3f} ms | |")
    rows.append(f"| tag one note, warm (words seen before) | {warm * 1000:.3f} ms | |")

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = load_settings(KNALLE_DATABASE_URL=url)
        clock = FixedClock(settings.zone, dt.datetime(YEAR, 12, 20, 10, tzinfo=settings.zone))
        knalle = build_knalle(settings, clock=clock)
        start = time.perf_counter()
        fill(knalle, visits=args.visits, companies=2000, years=(YEAR,), tag=False)
        print(f"built {args.visits} visits in {time.perf_counter() - start:.1f} s")

        retag = _timed(lambda: units.retag(knalle), 1)
        rows.append(_row(f"`knalle themes retag`, {args.visits} visits (first time)", retag,
                         "s", 1))  # fmt: skip
        rows.append(_row("`knalle themes retag` again (nothing changes)", _timed(
            lambda: units.retag(knalle), 1), "s", 1))  # fmt: skip

        result = units.compilation(knalle, YEAR)
        rows.append(_row(f"compilation of {YEAR} ({result.visits} visits, {result.tagged} "
                         "tagged)", _timed(lambda: units.compilation(knalle, YEAR),
                                           args.rounds), "s", 1))  # fmt: skip
        for fmt in ("md", "docx", "xlsx"):
            render = functools.partial(feedback_file.render, result, fmt)
            rows.append(_row(f"render the compilation as {fmt}", _timed(render, args.rounds),
                             "s", 1))  # fmt: skip
        whole = _timed(
            lambda: feedback_file.render(units.compilation(knalle, YEAR), "docx"), args.rounds
        )
        rows.append(_row("`knalle synpunkter --format docx` work (compile + render)", whole,
                         "s", 1))  # fmt: skip
    print(f"calibration after: {calibration():.2f} s for a 3M-iteration loop")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
