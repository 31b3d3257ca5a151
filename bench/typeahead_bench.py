"""The company type-ahead at L, the old fuzzy pass and the new one side by side in one process.

Old: every key scored by WRatio (`process.extract`, cutoff 60), as `suggest` did before the
bounded pass (bot/core/companies/typeahead.py). New: `suggest` itself. Both rank the same way
and read the same cached register; the rounds alternate old, new, old, new … so both see the
same machine load. Also timed: the fuzzy match of a new name (`match_company`), which shares
the cached register, and the first typo after a register change (the new pass builds its
character counts then).

Run: `.venv/bin/python -m bench.typeahead_bench [--db PATH] [--rounds 21]`, on a copy of the
scale bench's L file (bench/.cache/scale-L-*.db; never the cached file itself).
Results go in docs/benchmarks.md ("Flat at scale"); never in a timed unit test.
"""

from __future__ import annotations

import argparse
import heapq
import os
import statistics
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bench.scale_bench import make_knalle
from bot.core.companies import register as companies
from bot.core.companies.register import Candidate, match_key

QUERIES = ["sjuhards", "sjuh", "ahlens", "elos byg", "strasse", "knalle 2", "västra teknk 3"]


def old_suggest(session: Session, query: str, limit: int = 10) -> list[Candidate]:
    """`suggest` as it was: the same prefix matches, then WRatio over every key."""
    key = match_key(query) if query.strip() else ""
    cached = companies._cached_register(session)
    prefixed = companies._prefixed(cached.sorted_name_keys, key) | companies._prefixed(
        cached.sorted_folded, key
    )
    scores: dict[int, float] = dict.fromkeys(prefixed, 100.0)
    if len(scores) < limit:
        for _, value, index in process.extract(
            key, cached.name_keys, scorer=fuzz.WRatio, score_cutoff=60, limit=None
        ):
            scores.setdefault(index, float(value))
    by_name = cached.by_name
    best = heapq.nsmallest(
        limit, scores, key=lambda index: (-scores[index], by_name[index][3], index)
    )
    return [Candidate(by_name[index][0], by_name[index][1], scores[index]) for index in best]


def alternate(
    old: Callable[[], object], new: Callable[[], object], rounds: int
) -> tuple[list[float], list[float]]:
    old(), new()  # warm-up (the new pass builds its index here)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for action, into in ((old, times[0]), (new, times[1])):
            start = time.perf_counter()
            action()
            into.append(time.perf_counter() - start)
    return times


def ms(values: list[float]) -> str:
    """Median, and the fastest and slowest round (the fastest is the least disturbed)."""
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{middle * 1000:.2f} ms ({low * 1000:.1f}–{high * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/typeahead-L.db")
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    knalle = make_knalle(f"sqlite:///{args.db}")
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| query, median (fastest–slowest) | old (all keys) | new (bounded) |")
    print("| --- | ---: | ---: |")
    def in_session(action: Callable[..., object], *args: object) -> Callable[[], object]:
        """One read session per call, as a request opens it (and as bench.scale_bench times)."""

        def run() -> object:
            with knalle.db.read() as session:
                return action(session, *args)

        return run

    with knalle.db.read() as session:
        for query in QUERIES:
            assert old_suggest(session, query) == companies.suggest(session, query), query
    for query in QUERIES:
        old, new = alternate(
            in_session(old_suggest, query), in_session(companies.suggest, query), args.rounds
        )
        print(f"| `{query}` | {ms(old)} | {ms(new)} |")
    match = in_session(companies.match_company, "Ellos Byggare")
    match()
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        match()
        times.append(time.perf_counter() - start)
    print(f"| fuzzy match of a new name | | {ms(times)} |")
    builds = []
    typo = in_session(companies.suggest, "sjuhards")
    for _ in range(5):
        with knalle.db.read() as session:
            cached = companies._cached_register(session)
        cached.__dict__.pop("fuzzy", None)  # as after a register change
        start = time.perf_counter()
        typo()
        builds.append(time.perf_counter() - start)
    print(f"| first typo after a change (builds the index) | | {ms(builds)} |")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
