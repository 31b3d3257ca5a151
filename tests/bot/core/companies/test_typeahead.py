"""The type-ahead's fuzzy pass: its bounds never undercut WRatio, its parts give WRatio to the
bit, and its best entries are those of scoring every key (as `suggest` first did)."""

from __future__ import annotations

import heapq
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bench.scale_bench import company_names
from bot.core.companies.register import match_key, token_sorted
from bot.core.companies.typeahead import CUTOFF, FuzzyIndex, _Query

# Organisations the unit's own plan names (the seeds), as a register would hold them.
PLAN_NAMES = [
    "Borås TME AB", "Borås City AB", "Ericsson AB", "Volvo Hällered", "AstaZero", "Asta Zero",
    "RISE", "Textile Fashion Center", "Marketplace Borås", "Högskolan i Borås",
    "Science Park Borås", "Business Region Borås", "Borås INK", "Creative Cluster",
    "E-handelsstaden Borås", "Borås Connect", "Stures Åkeri", "Ung Företagsamhet",
    "Företagsstart Sjuhärad", "Leader Sjuhärad", "Sjuhärads kommunalförbund", "Företagarna",
    "Svenskt Näringsliv", "Länsstyrelsen Västra Götaland", "Visit Sweden", "Business Sweden",
    "Good Goods", "Batterifabrik Lockryd", "Rebelpin", "Samverkan Borås", "Update Borås",
    "Boråsregionen", "Viared Logistik", "Borås Stad", "Göteborgs Hamn",
]  # fmt: skip
WORDS = ["borås", "bygg", "bygg", "textil", "å", "ö", "el", "2", "3", "ab", "sjuhärads", "ä&o"]
LETTERS = "abdeklnorsuåäöé &0"


def make_index(keys: list[str], folded: list[str]) -> FuzzyIndex:
    order = sorted(range(len(keys)), key=lambda index: (folded[index], index))
    return FuzzyIndex(keys, [token_sorted(key) for key in keys], order)


def keys_of(names: list[str]) -> list[str]:
    return list(dict.fromkeys(key for key in map(match_key, names) if key))


def wratio_as_before(query: str, keys: list[str]) -> dict[int, float]:
    """Every key's WRatio of 60 or more, as `suggest` first scored them."""
    return {
        index: float(value)
        for _, value, index in process.extract(
            query, keys, scorer=fuzz.WRatio, score_cutoff=CUTOFF, limit=None
        )
    }


def best(scores: dict[int, float], folded: list[str], limit: int) -> list[tuple[int, float]]:
    chosen = heapq.nsmallest(limit, scores, key=lambda i: (-scores[i], folded[i], i))
    return [(index, scores[index]) for index in chosen]


def typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    at = rng.randrange(len(chars))
    kind = rng.randrange(4)
    if kind == 0 and len(chars) > 1:
        del chars[at]
    elif kind == 1:
        chars.insert(at, rng.choice(LETTERS))
    elif kind == 2:
        chars[at] = rng.choice(LETTERS.strip())
    else:
        chars[at : at + 2] = chars[at : at + 2][::-1]
    return "".join(chars)


def check_bounds(query: str, keys: list[str]) -> None:
    """At every floor: the bounds are at least WRatio where it reaches the floor, and the
    parts are WRatio there (to the bit) and below the floor elsewhere."""
    index = make_index(keys, keys)
    real = wratio_as_before(query, keys)
    query_ = _Query(index, query, query.split())
    everyone = np.arange(len(keys))
    for position in range(len(keys)):
        assert query_.bound[position] >= real.get(position, 0.0), (query, keys[position])
    for floor in sorted({CUTOFF, 70.0, 85.5, *real.values()}):
        first, ratio, window = query_.by_subsequence(everyone)
        refined, sorted_ratio, sorted_window = query_.by_sorted_words(
            everyone, ratio, window, floor
        )
        parts = query_.wratio_from_parts(
            everyone, ratio, sorted_ratio, window, sorted_window, floor
        )
        for position in range(len(keys)):
            value = real.get(position, 0.0)
            if value >= floor:
                assert first[position] >= value, (query, keys[position], floor)
                assert refined[position] >= value, (query, keys[position], floor)
                assert parts[position] == value, (query, keys[position], floor)
            else:
                assert parts[position] < floor, (query, keys[position], floor)


def check_best(query: str, keys: list[str], limits: tuple[int, ...]) -> None:
    """`suggest`'s ranking: prefix matches score 100, then the fuzzy pass adds the rest."""
    folded = [f"{key} ab" for key in keys]  # the names' order need not be the keys'
    index = make_index(keys, folded)
    real = wratio_as_before(query, keys)
    prefixed = [i for i, key in enumerate(keys) if key.startswith(query)]
    for limit in limits:
        scores = dict.fromkeys(prefixed, 100.0)
        everyone = dict(scores)
        for position, value in real.items():
            everyone.setdefault(position, value)
        if len(scores) < limit:
            index.add_best(query, limit, scores)
        assert best(scores, folded, limit) == best(everyone, folded, limit), (query, limit)


name = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(LETTERS, min_size=1, max_size=12)),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(name, min_size=1, max_size=25), typed=name)
def test_bounds_never_undercut_and_parts_are_wratio(names: list[str], typed: str) -> None:
    keys = keys_of(names)
    query = match_key(typed)
    words = query.split()
    if keys and query and len(set(words)) == len(words):  # else every key is scored
        check_bounds(query, keys)


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(name, min_size=1, max_size=40),
    typed=name,
    limit=st.integers(1, 12),
)
def test_the_best_are_those_of_scoring_every_key(names: list[str], typed: str, limit: int) -> None:
    keys = keys_of(names)
    query = match_key(typed)
    if keys and query:
        check_best(query, keys, (limit,))


def test_typos_of_bench_and_plan_names_find_what_scoring_every_key_finds() -> None:
    """A register shaped like the bench's (first words shared by many names, numbered
    rounds) with the plan's own organisations: typos, prefixes, å/ä/ö, several words."""
    keys = keys_of([*company_names(3000), *PLAN_NAMES])
    rng = random.Random(15)
    queries = [
        "sjuhards", "sjuhärads bygg och måleri", "elos byg", "ahlens", "strasse", "knalle 2",
        "västra teknk 3", "viskafors trä", "zzz", "ab", "2", "ö", "e", "bygg", "mode desing",
        "boras tme", "astazero", "asta zer", "hogskolan i boras", "textile fashon", "rice",
        "företagarna", "foretagarna", "sjuharad", "science prk", "marketplace", "volvo halered",
    ]  # fmt: skip
    for _ in range(60):
        source = rng.choice(keys)
        typed = typo(typo(source, rng), rng) if rng.random() < 0.4 else typo(source, rng)
        if rng.random() < 0.3:
            typed = typed.split()[0] if typed.split() else typed
        queries.append(match_key(typed) or "x")
    for query in queries:
        check_best(query, keys, (1, 3, 10, 50))
    for query in queries[:12]:
        check_bounds(query, keys[:400] + keys[-len(PLAN_NAMES) :])


def test_a_query_repeating_a_word_scores_every_key() -> None:
    keys = keys_of([*company_names(400), "Bygg Bygg AB", "Textil Textil"])
    for query in ("bygg bygg", "textil textil 3", "borås bygg borås"):
        check_best(query, keys, (1, 10, 50))


def test_long_keys_and_queries_count_right() -> None:
    """Keys up to 200 characters (a match key's most), one letter 200 times; and a query
    longer than a byte counts (scored every key the old way)."""
    keys = keys_of(["a" * 200, "a" * 120 + " b", "b " * 60 + "c", "x y", *PLAN_NAMES])
    for query in ("a" * 200, "a" * 300, "aaa b", "b c", "a" * 199 + "b"):
        check_best(query, keys, (1, 3, 10))
