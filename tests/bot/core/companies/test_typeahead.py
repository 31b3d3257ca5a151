"""The type-ahead's fuzzy pass: its bounds never undercut WRatio, its parts give WRatio to the
bit, and its best entries are those of scoring every key (as `suggest` first did)."""

from __future__ import annotations

import heapq
import random
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bench.scale_bench import company_names
from bot.core.companies import typeahead
from bot.core.companies.register import match_key, token_sorted
from bot.core.companies.typeahead import (
    CUTOFF,
    SLACK,
    UNBASE_SCALE,
    FuzzyIndex,
    _Places,
    _Query,
    _window_table,
)

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
    """At every floor, with the first bounds as they are and tightened (windows and pairs
    of adjacent characters) for every key that can be: the bounds are at least WRatio where
    it reaches the floor, and the parts are WRatio there (to the bit) and below the floor
    elsewhere."""
    index = make_index(keys, keys)
    real = wratio_as_before(query, keys)
    for tighten in (False, True):
        query_ = _Query(index, query, query.split())
        if tighten:
            query_.tighten(np.flatnonzero(query_.can_tighten()))
        check_query_bounds(query_, query, keys, real)


def check_query_bounds(query_: _Query, query: str, keys: list[str], real: dict[int, float]) -> None:
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
    """`suggest`'s ranking: prefix matches score 100, then the fuzzy pass adds the rest;
    with the first bounds tightened where there are many keys to tighten (as `suggest`
    does), for every key that can be, and for none."""
    folded = [f"{key} ab" for key in keys]  # the names' order need not be the keys'
    index = make_index(keys, folded)
    real = wratio_as_before(query, keys)
    prefixed = [i for i, key in enumerate(keys) if key.startswith(query)]
    for limit in limits:
        everyone = dict.fromkeys(prefixed, 100.0)
        for position, value in real.items():
            everyone.setdefault(position, value)
        for tighten_from in (typeahead.TIGHTEN_FROM, 0, len(keys) + 1):
            scores = dict.fromkeys(prefixed, 100.0)
            with mock.patch.object(typeahead, "TIGHTEN_FROM", tighten_from):
                if len(scores) < limit:
                    index.add_best(query, limit, scores)
            assert best(scores, folded, limit) == best(everyone, folded, limit), (
                query,
                limit,
                tighten_from,
            )


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
    # Longer than a match key can be (places past a byte): the index still counts right.
    longer = [*keys, "ab " * 100 + "borås", "x" * 280 + " sjuhärad"]
    for query in ("sjuharad", "boras tme", "ab borås", "xxx"):
        check_best(query, longer, (1, 3, 10))
        check_bounds(query, longer)


def lcs(first: str, second: str) -> int:
    """The longest common subsequence's length, read off RapidFuzz's ratio."""
    return round(fuzz.ratio(first, second) * (len(first) + len(second)) / 200)


word = st.text(LETTERS.replace(" ", ""), min_size=1, max_size=9)
text = st.lists(st.one_of(st.sampled_from(WORDS), word), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(first=text, second=text)
def test_a_common_subsequence_is_bounded_by_the_pairs_in_common(first: str, second: str) -> None:
    """L ≤ (B + 1 + |a| + |b|) / 3, B the pairs of adjacent characters a and b both have."""
    index = make_index([second], [second])
    pairs = int(index.places.shared_pairs(first, index.column)[0])
    assert pairs <= max(len(first) - 1, 0)
    assert lcs(first, second) <= (pairs + 1 + len(first) + len(second)) // 3


typo_like = st.lists(
    st.text(LETTERS.replace(" ", ""), min_size=2, max_size=9), max_size=3, unique=True
)
long_key = st.lists(
    st.one_of(word, word, st.sampled_from(WORDS)), min_size=1, max_size=6, unique=True
)


@settings(max_examples=600, deadline=None)
@given(
    typed=typo_like.map(" ".join),
    key=long_key.map(" ".join),
    fillers=st.lists(word, min_size=12, max_size=12, unique=True),
)
def test_window_bounds_never_undercut_partial_ratio(
    typed: str, key: str, fillers: list[str]
) -> None:
    """For a key longer than the query (made longer with filler words where needed): the
    tightened first bound is at least WRatio, and the window bounds, as they are and with
    the longest common subsequence as a cap, at least partial_ratio of the key and of its
    sorted words."""
    query = match_key(typed)
    for filler in fillers:
        if len(key) >= 1.5 * len(query):
            break
        key = f"{key} {filler}"
    key = match_key(key)
    words = query.split()
    if not query or not key or len(set(words)) != len(words):
        return
    index = make_index([key], [key])
    query_ = _Query(index, query, words)
    if not query_.can_tighten()[0]:
        return
    at = np.array([0])
    query_.tighten(at)
    assert query_.bound[0] >= fuzz.WRatio(query, key), (query, key)
    sorted_query, sorted_key = token_sorted(query), token_sorted(key)
    cap = query_.overlap[at]
    partial = fuzz.partial_ratio(query, key)
    sorted_partial = fuzz.partial_ratio(sorted_query, sorted_key)
    assert query_._windows(cap, at, False)[0] + SLACK >= partial, (query, key)
    assert query_._windows(cap, at, True)[0] + SLACK >= sorted_partial, (query, key)
    by_subsequence = np.minimum(cap, lcs(query, key)).astype(np.uint8)
    assert query_._windows(by_subsequence, at, False)[0] + SLACK >= partial, (query, key)
    by_sorted = np.minimum(cap, lcs(sorted_query, sorted_key)).astype(np.uint8)
    assert query_._windows(by_sorted, at, True)[0] + SLACK >= sorted_partial, (query, key)


def test_the_window_table_reads_the_bounds_it_says() -> None:
    """Spot values: a full window's 100 · L / m, an edge window's 200 · L / (m + w), and
    infinity for a cap past m (no bound)."""
    table = _window_table(6)

    def cell(cap: int, edge: int, pairs: int) -> int:
        return (cap * 6 + edge) * 6 + pairs

    assert table[cell(6, 5, 5)] == 100.0
    assert table[cell(4, 0, 5)] == pytest.approx(100 * 4 / 6)  # full windows only
    assert table[cell(4, 4, 5)] == pytest.approx(200 * 4 / 10)  # an edge of 4 of 4
    # No pair in common: a full window holds L ≤ 13 // 3 = 4, an edge of 5 L ≤ 12 // 3 = 4.
    assert table[cell(6, 5, 0)] == pytest.approx(200 * 4 / 11)
    assert table[cell(7, 0, 0)] == np.inf


def test_places_count_characters_at_both_edges() -> None:
    """The characters in common with a key's first and last m - 1, a character wanted more
    often than the places kept counted up to the edge's length."""
    index = make_index(["aab xyz ccc", "zzzz", "x"], ["aab ccc xyz", "zzzz", "x"])
    counts = [(index.column[char], times) for char, times in (("a", 1), ("c", 3), ("z", 4))]
    at = np.arange(3)
    assert index.places.at_edges(counts, 3, at).tolist() == [3, 3, 0]
    assert index.places.at_edges(counts[:1], 3, at).tolist() == [1, 0, 0]
    assert index.places.at_edges(counts[1:2], 3, at).tolist() == [3, 0, 0]
    assert isinstance(index.places, _Places)


@settings(max_examples=300, deadline=None)
@given(shared=st.sampled_from(WORDS), other=text, typed=text)
def test_a_shared_word_in_the_partial_branch_scores_the_sure_floor(
    shared: str, other: str, typed: str
) -> None:
    """partial_token_ratio is 100 for a shared word: WRatio ≥ 100 · 0.95 · scale."""
    query, key = match_key(f"{typed} {shared}"), match_key(f"{other} {shared} {other}")
    if not query or not key or shared not in query.split() or shared not in key.split():
        return
    ratio = max(len(query), len(key)) / min(len(query), len(key))
    if ratio >= 1.5:
        scale = 0.9 if ratio <= 8 else 0.6
        assert fuzz.WRatio(query, key) >= 100 * UNBASE_SCALE * scale - SLACK


@settings(max_examples=300, deadline=None)
@given(names=st.lists(name, min_size=1, max_size=30), typed=name)
def test_sure_ties_score_exactly_the_same(names: list[str], typed: str) -> None:
    """The keys `sure_ties` gives score exactly 100 · 0.95 · 0.9 (the same float), so only
    the best names among them can enter the answer."""
    keys = keys_of(names)
    query = match_key(typed)
    words = query.split()
    if not keys or not query or len(set(words)) != len(words):
        return
    index = make_index(keys, keys)
    query_ = _Query(index, query, words)
    real = wratio_as_before(query, keys)
    for position in query_.sure_ties(np.ones(len(keys), np.bool_)).tolist():
        assert real[position] == 100.0 * UNBASE_SCALE * 0.9, (query, keys[position])


def test_many_sure_ties_keep_the_best_names() -> None:
    """A word shared by hundreds of long keys (`knalle 2`): the answer is still that of
    scoring every key, at every limit."""
    keys = keys_of([f"{word} knallebygg {number}" for word in PLAN_NAMES for number in "2345"])
    keys += keys_of(company_names(600))
    for query in ("knalle 2", "2", "bygg 3", "knallebyg 2"):
        check_best(query, keys, (1, 3, 10, 50))
