"""The company type-ahead at L, the old fuzzy pass and the new one side by side in one process.

Old: every key scored by WRatio (`process.extract`, cutoff 60), as `suggest` did before the
bounded pass (bot/core/companies/typeahead.py). New: `suggest` itself. Both rank the same way
and read the same cached register; the rounds alternate old, new, old, new … so both see the
same machine load. Also timed: the fuzzy match of a new name (`match_company`), which shares
the cached register, and the first typo after a register change (the new pass builds its
character counts then).

Run: `.venv/bin/python -m bench.typeahead_bench [--db PATH] [--rounds 21] [--baseline FILE]`,
on a copy of the scale bench's L file (bench/.cache/scale-L-*.db; never the cached file
itself). `--baseline` takes an earlier typeahead.py (e.g. `git show main:bot/core/companies/
typeahead.py > /tmp/typeahead_before.py`): its pass is timed in turn with the other two, on
the same register, and must give the same answers.
Results go in docs/benchmarks.md ("Flat at scale"); never in a timed unit test.
"""

from __future__ import annotations

import argparse
import heapq
import importlib.util
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bench.scale_bench import make_knalle
from bot.core.companies import register as companies
from bot.core.companies.register import Candidate, match_key
from bot.core.companies.typeahead import FuzzyIndex

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


def load_baseline(path: str) -> Any:
    """An earlier typeahead.py as a module of its own."""
    spec = importlib.util.spec_from_file_location("typeahead_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def baseline_suggest(module: Any) -> Callable[[Session, str], list[Candidate]]:
    """`suggest` with the fuzzy pass of an earlier typeahead.py, on the same cached register."""
    indexes: dict[int, Any] = {}

    def suggest(session: Session, query: str, limit: int = 10) -> list[Candidate]:
        key = match_key(query) if query.strip() else ""
        cached = companies._cached_register(session)
        index = indexes.get(id(cached))
        if index is None:
            order = [at for _, at in cached.sorted_folded]
            index = module.FuzzyIndex(cached.name_keys, cached.fuzzy.sorted_keys, order)
            indexes.clear()
            indexes[id(cached)] = index
        prefixed = companies._prefixed(cached.sorted_name_keys, key) | companies._prefixed(
            cached.sorted_folded, key
        )
        scores: dict[int, float] = dict.fromkeys(prefixed, 100.0)
        if len(scores) < limit:
            index.add_best(key, limit, scores)
        by_name = cached.by_name
        best = heapq.nsmallest(limit, scores, key=lambda at: (-scores[at], by_name[at][3], at))
        return [Candidate(by_name[at][0], by_name[at][1], scores[at]) for at in best]

    return suggest


def alternate(actions: list[Callable[[], object]], rounds: int) -> list[list[float]]:
    """Each action once to warm up (the passes build their indexes here), then each in turn."""
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(rounds):
        for action, into in zip(actions, times, strict=True):
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
    parser.add_argument("--baseline", help="an earlier typeahead.py, timed in turn")
    args = parser.parse_args()
    knalle = make_knalle(f"sqlite:///{args.db}")
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    passes: list[Callable[..., list[Candidate]]] = [old_suggest, companies.suggest]
    header = "| query, median (fastest–slowest) | old (all keys) | new (bounded) |"
    if args.baseline:
        baseline = load_baseline(args.baseline)
        passes.insert(1, baseline_suggest(baseline))
        header = header.replace(" new (bounded) |", " baseline | new (bounded) |")
    print(header)
    print("| --- |" + " ---: |" * len(passes))

    def in_session(action: Callable[..., object], *args: object) -> Callable[[], object]:
        """One read session per call, as a request opens it (and as bench.scale_bench times)."""

        def run() -> object:
            with knalle.db.read() as session:
                return action(session, *args)

        return run

    with knalle.db.read() as session:
        for query in QUERIES:
            answers = [suggest(session, query) for suggest in passes]
            assert all(answer == answers[0] for answer in answers), query
    for query in QUERIES:
        per_pass = alternate([in_session(suggest, query) for suggest in passes], args.rounds)
        print(f"| `{query}` | " + " | ".join(ms(each) for each in per_pass) + " |")
    blank = " |" * (len(passes) - 1)
    match = in_session(companies.match_company, "Ellos Byggare")
    match()
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        match()
        times.append(time.perf_counter() - start)
    print(f"| fuzzy match of a new name |{blank} {ms(times)} |")
    builds = []
    typo = in_session(companies.suggest, "sjuhards")
    for _ in range(5):
        with knalle.db.read() as session:
            cached = companies._cached_register(session)
        cached.__dict__.pop("fuzzy", None)  # as after a register change
        start = time.perf_counter()
        typo()
        builds.append(time.perf_counter() - start)
    print(f"| first typo after a change (builds the index) |{blank} {ms(builds)} |")
    if args.baseline:
        # The index of each pass built from the same register and given its first typo, in
        # turn (no read session: the build alone).
        with knalle.db.read() as session:
            cached = companies._cached_register(session)
        order = [at for _, at in cached.sorted_folded]
        inputs = (cached.name_keys, cached.fuzzy.sorted_keys, order)

        def first_typo(index: Any) -> Callable[[], object]:
            return lambda: index(*inputs).add_best("sjuhards", 10, {})

        first = [first_typo(baseline.FuzzyIndex), first_typo(FuzzyIndex)]
        before, after = alternate(first, 7)
        print(f"| index build and its first typo | | {ms(before)} | {ms(after)} |")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
