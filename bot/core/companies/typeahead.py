"""The type-ahead's fuzzy pass: the register's best WRatio scores without scoring every key.

`suggest` ranks fuzzy entries by RapidFuzz's WRatio (no processor, cutoff 60). Scoring all
10,000 keys for a typo ("sjuhards") took 20 ms, yet only a few can reach the answer. Every key
gets a cheap upper bound of WRatio, for the whole register at once from character counts; keys
are visited best bound first, in growing chunks, and a chunk's keys get WRatio's parts
(cheaper than WRatio) and then WRatio itself only while they can still beat the answer's last
entry. A key is left out only when its bound proves it cannot enter, so the answer is the one
of scoring every key.

WRatio(q, k), as RapidFuzz defines it (r = len(longer) / len(shorter)):
- r < 1.5: max(ratio, token_ratio · 0.95);
- r ≥ 1.5: max(ratio, partial_ratio · s, partial_token_ratio · 0.95 · s), s = 0.9 up to
  r = 8 and 0.6 above.
The bounds, with o = Σ min(count in q, count in k) over characters (a common subsequence uses
no character more often than either side has it):
- ratio = 200 · LCS / (|q| + |k|) ≤ 200 · o / (|q| + |k|). token_sort_ratio sorts the words:
  the same characters, the same bound; token_set_ratio too when no word is shared and no side
  repeats a word (then it compares the sorted words as well); otherwise up to 100.
- partial_ratio compares the shorter string (length m) with windows of the longer at most m
  long (shorter at the edges): a window of w characters scores 200 · min(o, w) / (m + w)
  ≤ 200 · o / (m + o).
- partial_token_ratio is 100 when a word is shared, otherwise partial_ratio of the sorted words
  (the same bound), and of the word sets when a side repeats a word (up to 100).
The parts are RapidFuzz's own functions (ratio, partial_ratio on the sorted words,
token_ratio, partial_token_ratio), combined in WRatio's order of operations; they give WRatio's
value to the bit (tests/core/test_typeahead.py checks it), so equal scores are told apart by
name as `suggest` does, without computing WRatio for each of them.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

CUTOFF = 60.0  # the lowest fuzzy score the type-ahead shows
UNBASE_SCALE = 0.95  # WRatio's weight of the token ratios
SLACK = 1e-6  # a bound is a float formula for a value RapidFuzz computes its own way
# RapidFuzz's score_cutoff prunes on a distance derived from it: a score a hair above the
# cutoff can come back as 0. The cutoffs passed to it sit this far below what is needed.
MARGIN = 0.1
SEEDS = 32  # keys scored first, best bound first, for a floor to start from
FIRST_CHUNK = 64  # then keys taken by refined bound, 4x more per round

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Scorer = Callable[..., float]


def _pick(items: Sequence[str], positions: list[int]) -> list[str]:
    if not positions:
        return []
    if len(positions) == 1:
        return [items[positions[0]]]
    return list(itemgetter(*positions)(items))


def _cdist(query: str, choices: list[str], scorer: Scorer, cutoff: float) -> FloatArray:
    """The scorer's value for each choice as float64 (cdist's default float32 rounds), 0 for
    one well below `cutoff`."""
    if not choices:
        return np.zeros(0)
    found: Any = process.cdist(
        [query],
        choices,
        scorer=scorer,
        score_cutoff=min(100.0, max(0.0, cutoff - MARGIN)),
        dtype=np.float64,
    )
    return np.asarray(found[0], dtype=np.float64)


class FuzzyIndex:
    """What the bounds need of one register version: built on the first typo after a change."""

    def __init__(self, keys: list[str], folded_names: list[str]) -> None:
        count = len(keys)
        self.keys = keys
        self.sorted_keys = [" ".join(sorted(key.split())) for key in keys]
        self.lengths: IntArray = np.fromiter((len(key) for key in keys), np.int64, count)
        codes = np.frombuffer("".join(keys).encode("utf-32-le"), np.uint32)
        alphabet, columns = np.unique(codes, return_inverse=True)
        rows = np.repeat(np.arange(count), self.lengths)
        counts = np.bincount(columns * count + rows, minlength=len(alphabet) * count)
        # A row per character: how often each key has it (a key is at most 200 characters).
        self.counts = counts.reshape(len(alphabet), count).astype(np.uint8)
        self.column = {chr(code): column for column, code in enumerate(alphabet.tolist())}
        postings: dict[str, list[int]] = {}
        self.repeats: BoolArray = np.zeros(count, np.bool_)
        for index, key in enumerate(keys):
            words = key.split()
            distinct = set(words)
            if len(distinct) != len(words):
                self.repeats[index] = True
            for word in distinct:
                postings.setdefault(word, []).append(index)
        self.postings = {word: np.array(found, np.int64) for word, found in postings.items()}
        # The answer's order among equal scores: folded name, then index.
        order = sorted(range(count), key=lambda index: (folded_names[index], index))
        self.rank: IntArray = np.empty(count, np.int64)
        self.rank[order] = np.arange(count)

    def add_best(self, query: str, limit: int, scores: dict[int, float]) -> None:
        """Add to `scores` (index → score; the prefix matches' 100 are in already) the WRatio,
        when 60 or more, of every key that can be among the best `limit` by (-score, folded
        name, index): the same best `limit` as adding every key's."""
        words = query.split()
        if len(set(words)) != len(words):
            # The query's word set is not its words: score every key, as before.
            self._score(query, [i for i in range(len(self.keys)) if i not in scores], scores)
            return
        query_ = _Query(self, query, words)
        bound = query_.bound
        if scores:
            bound[list(scores)] = -1.0  # a prefix match scores 100 whatever its WRatio
        pool = np.flatnonzero(bound >= CUTOFF)
        if len(pool) > SEEDS:
            # A floor to start from: WRatio of the keys with the best bounds.
            seeds = pool[np.argpartition(-bound[pool], SEEDS)[:SEEDS]]
            self._score(query, seeds.tolist(), scores)
            bound[seeds] = -1.0
        last = self._last(scores, limit)
        floor = max(CUTOFF, last[0]) if last else CUTOFF
        pool = pool[bound[pool] >= floor]
        bound, ratio, sorted_ratio, window, sorted_window = query_.refine(pool, floor)
        order = np.argsort(-bound, kind="stable")
        order = order[bound[order] >= floor]
        pool, bound = pool[order], bound[order]
        ratio, sorted_ratio = ratio[order], sorted_ratio[order]
        window, sorted_window = window[order], sorted_window[order]
        start, size = 0, FIRST_CHUNK
        while start < len(pool):
            floor = max(CUTOFF, last[0]) if last else CUTOFF
            at = np.arange(start, min(start + size, len(pool)))
            start, size = start + size, size * 4
            at = at[bound[at] >= floor]
            if not len(at):
                break  # the pool is by bound, best first: no later key reaches the floor
            chunk = pool[at]
            exact = query_.wratio_from_parts(
                chunk, ratio[at], sorted_ratio[at], window[at], sorted_window[at], floor
            )
            ranks = self.rank[chunk]
            best = np.lexsort((ranks, -exact))
            best = best[exact[best] >= floor]
            candidates = list(
                zip(exact[best].tolist(), ranks[best].tolist(), chunk[best].tolist(), strict=True)
            )
            last = self._visit(query, candidates, limit, scores, last)

    def _visit(
        self,
        query: str,
        candidates: list[tuple[float, int, int]],
        limit: int,
        scores: dict[int, float],
        last: tuple[float, int] | None,
    ) -> tuple[float, int] | None:
        """Score the candidates (value, rank, index; best first) while one can still beat the
        answer's last entry: a lower score, or an equal one with a later name, cannot."""
        position = 0
        batch = max(limit, 8)
        while position < len(candidates):
            end = min(len(candidates), position + batch)
            if last is not None:
                worst = (-last[0], last[1])
                end = position
                while end < len(candidates) and end - position < batch:
                    value, rank, _ = candidates[end]
                    if (-value, rank) > worst:
                        break
                    end += 1
                if end == position:
                    break
            self._score(query, [index for _, _, index in candidates[position:end]], scores)
            position = end
            last = self._last(scores, limit)
        return last

    def _last(self, scores: dict[int, float], limit: int) -> tuple[float, int] | None:
        """The answer's last entry so far as (score, rank); None while it is not full."""
        if len(scores) < limit:
            return None
        rank = self.rank
        negative, last_rank = max(
            heapq.nsmallest(limit, ((-value, int(rank[index])) for index, value in scores.items()))
        )
        return -negative, last_rank

    def _score(self, query: str, indexes: list[int], scores: dict[int, float]) -> None:
        """WRatio as the type-ahead has always scored: RapidFuzz's extract, cutoff 60."""
        for _, value, position in process.extract(
            query, _pick(self.keys, indexes), scorer=fuzz.WRatio, score_cutoff=CUTOFF, limit=None
        ):
            scores.setdefault(indexes[position], float(value))


class _Query:
    """One query against the register: bounds for every key, then WRatio from its parts."""

    def __init__(self, index: FuzzyIndex, query: str, words: list[str]) -> None:
        self.index = index
        self.query = query
        self.sorted_query = " ".join(sorted(words))
        count = len(index.keys)
        self.length = length = len(query)
        overlap = np.zeros(count, np.int64)
        for char, times in Counter(query).items():
            column = index.column.get(char)
            if column is not None:
                overlap += np.minimum(index.counts[column], times)
        shared = np.zeros(count, np.bool_)
        for word in words:
            found = index.postings.get(word)
            if found is not None:
                shared[found] = True
        self.shared = shared
        self.loose = shared | index.repeats  # a token ratio may reach 100
        lengths = index.lengths
        self.shorter = np.minimum(lengths, length)
        length_ratio = np.maximum(lengths, length) / self.shorter
        self.partial = length_ratio >= 1.5
        # 0.9 up to 8 (RapidFuzz's C++ and Python differ on exactly 8: the larger is a bound).
        self.scale = np.where(length_ratio <= 8.0, 0.9, 0.6)
        # Sorting the words keeps the characters: the same bounds with and without.
        whole = 200.0 * overlap / (length + lengths)
        window = 200.0 * overlap / (self.shorter + overlap)
        self.bound = self._bound(whole, window, whole, window, slice(None))
        # The bound of the sorted words' ratio (r < 1.5) or partial_ratio (r ≥ 1.5).
        self.sorted_bound = np.where(self.partial, window, whole) + SLACK

    def _bound(
        self,
        whole: FloatArray,
        window: FloatArray,
        sorted_whole: FloatArray,
        sorted_window: FloatArray,
        at: IntArray | slice,
    ) -> FloatArray:
        """WRatio's bound at `at` from bounds of ratio and partial_ratio, of the keys as they
        are (whole, window) and with their words sorted (sorted_whole, sorted_window)."""
        loose, scale = self.loose[at], self.scale[at]
        token = np.maximum(whole, np.where(loose, 100.0, sorted_whole) * UNBASE_SCALE)
        partial = np.maximum(
            whole,
            np.maximum(
                window * scale, np.where(loose, 100.0, sorted_window) * UNBASE_SCALE * scale
            ),
        )
        bound: FloatArray = np.where(self.partial[at], partial, token) + SLACK
        return bound

    def refine(
        self, pool: IntArray, floor: float
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Tighter bounds for the pool's keys, from their longest common subsequence with the
        query, as they are and with words sorted (from RapidFuzz's ratio, which is also
        WRatio's first part). Returns, along `pool`: the bound, the ratio as they are and
        with words sorted (token_sort_ratio), and the bounds of partial_ratio likewise."""
        index = self.index
        positions = pool.tolist()
        ratio = _cdist(self.query, _pick(index.keys, positions), fuzz.ratio, 0.0)
        # With words sorted, where that part can reach the floor (elsewhere 0: below it).
        # A shared or repeated word bounds it by 100, not by the sorted ratio.
        sorted_ratio = np.zeros(len(pool))
        scale = np.where(self.partial[pool], self.scale[pool] * UNBASE_SCALE, UNBASE_SCALE)
        need = np.flatnonzero(~self.loose[pool] & (self.sorted_bound[pool] * scale >= floor))
        if len(need):
            choices = _pick(index.sorted_keys, pool[need].tolist())
            sorted_ratio[need] = _cdist(self.sorted_query, choices, fuzz.ratio, 0.0)
        both = self.length + index.lengths[pool]
        shorter = self.shorter[pool]
        common = np.rint(ratio * both / 200.0)  # ratio = 200 · LCS / (|q| + |k|)
        window = 200.0 * common / (shorter + common)
        sorted_common = np.rint(sorted_ratio * both / 200.0)
        sorted_window = 200.0 * sorted_common / (shorter + sorted_common)
        # token_set_ratio, words neither shared nor repeated: ratio of the sorted words.
        bound = self._bound(ratio, window, sorted_ratio, sorted_window, pool)
        return bound, ratio, sorted_ratio, window, sorted_window

    def wratio_from_parts(
        self,
        chunk: IntArray,
        ratio: FloatArray,
        sorted_ratio: FloatArray,
        window: FloatArray,
        sorted_window: FloatArray,
        floor: float,
    ) -> FloatArray:
        """WRatio of the chunk's keys where it reaches `floor` (elsewhere a value below it),
        from its parts in WRatio's order of operations; a part whose bound is below `floor`
        is not computed."""
        index = self.index
        keys = _pick(index.keys, chunk.tolist())
        value = ratio.copy()
        partial, scale = self.partial[chunk], self.scale[chunk]
        shared, repeats = self.shared[chunk], index.repeats[chunk]

        def where(mask: BoolArray) -> list[int]:
            found: list[int] = np.flatnonzero(mask).tolist()
            return found

        def part(positions: list[int], scorer: Scorer, cutoff: float) -> FloatArray:
            return _cdist(self.query, _pick(keys, positions), scorer, cutoff)

        # r < 1.5: max(ratio, token_ratio · 0.95).
        # token_ratio is the larger of token_sort_ratio and token_set_ratio, which is the
        # same ratio when no word is shared or repeated.
        token_bound = np.where(shared | repeats, 100.0, sorted_ratio)
        token = where(~partial & (token_bound * UNBASE_SCALE + SLACK >= floor))
        if token:
            found = part(token, fuzz.token_ratio, floor / UNBASE_SCALE)
            value[token] = np.maximum(value[token], found * UNBASE_SCALE)
        # r ≥ 1.5: max(ratio, partial_ratio · s, partial_token_ratio · 0.95 · s).
        near = where(partial & (window * scale + SLACK >= floor))
        if near:
            found = part(near, fuzz.partial_ratio, floor / 0.9)
            value[near] = np.maximum(value[near], found * scale[near])
        by_words = np.where(shared, 100.0, 0.0)  # partial_token_ratio when a word is shared
        cutoff = floor / (UNBASE_SCALE * 0.9)
        reach = partial & ~shared & (sorted_window * UNBASE_SCALE * scale + SLACK >= floor)
        plain = where(reach & ~repeats)
        if plain:  # partial_ratio of the sorted words
            choices = _pick(index.sorted_keys, chunk[plain].tolist())
            by_words[plain] = _cdist(self.sorted_query, choices, fuzz.partial_ratio, cutoff)
        repeated = where(partial & ~shared & repeats & (95.0 * scale + SLACK >= floor))
        if repeated:  # and of the word sets
            by_words[repeated] = part(repeated, fuzz.partial_token_ratio, cutoff)
        result: FloatArray = np.where(
            partial, np.maximum(value, by_words * UNBASE_SCALE * scale), value
        )
        return result
