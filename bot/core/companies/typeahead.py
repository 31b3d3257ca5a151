"""The type-ahead's fuzzy pass: the register's best WRatio scores without scoring every key.

`suggest` ranks fuzzy entries by RapidFuzz's WRatio (no processor, cutoff 60). Scoring all
10,000 keys for a typo ("sjuhards") took 20 ms, yet only a few can reach the answer. Every key
gets a cheap upper bound of WRatio, for the whole register at once from character counts
(tighter from windows and pairs of adjacent characters where many keys reach the floor);
WRatio of a few of the best (the seeds) gives a floor; the keys whose bound reaches it get a
tighter bound from their longest common subsequence with the query; then, best bound first
and in growing chunks, WRatio's parts (cheaper than WRatio), and WRatio itself only for keys
that can still beat the answer's last entry. A key is left out only when its bound proves it
cannot enter, so the answer is the one of scoring every key.

WRatio(q, k), as RapidFuzz defines it (r = len(longer) / len(shorter)):
- r < 1.5: max(ratio, token_ratio · 0.95);
- r ≥ 1.5: max(ratio, partial_ratio · s, partial_token_ratio · 0.95 · s), s = 0.9 up to
  r = 8 and 0.6 above.
The bounds, with o = Σ min(count in q, count in k) over characters (a common subsequence uses
no character more often than either side has it), and later LCS itself (from ratio):
- ratio = 200 · LCS / (|q| + |k|) ≤ 200 · o / (|q| + |k|). token_sort_ratio sorts the words:
  the same characters, the same bound; token_set_ratio too when no word is shared and no side
  repeats a word (then it compares the sorted words as well); for shared words a bound from
  the lengths of the shared and the other words (`_Query._token_set`); 100 for a repeat.
- partial_ratio compares the shorter string (length m) with windows of the longer at most m
  long (shorter at the edges): a window of w characters scores 200 · min(LCS, w) / (m + w)
  ≤ 200 · LCS / (m + LCS) ≤ 200 · o / (m + o).
- partial_token_ratio is 100 when a word is shared, otherwise partial_ratio of the sorted words
  (the same bounds), and of the word sets when a side repeats a word (up to 100).
Tighter, for a key longer than a query of 2 to 64 characters in the partial branch at scale
0.9 (1.5 ≤ r ≤ 8), sharing and repeating no word (`_Query.tighten`; thousands of such keys
reach the floor by character counts alone when a typo is made of common letters, `ahlens`):
- Pairs: a common subsequence of a and b of L ≥ 1 characters falls into runs, stretches
  adjacent in both; a new run needs an unmatched character of a or of b in between, so there
  are at most 1 + (|a| - L) + (|b| - L) runs. The L - runs adjacent matched pairs are pairs
  of adjacent characters (bigrams) that a and b both have, at distinct places in each: so
  L - runs ≤ B = Σ min(times in a, times in b) over bigrams, and L ≤ (B + 1 + |a| + |b|) / 3.
  A window of the key has no bigram the key lacks: B of the key bounds every window's.
- Windows: RapidFuzz's partial_ratio for a shorter string of m ≤ 64 characters compares it
  with each prefix and suffix of the longer shorter than m and each window of exactly m
  (`partial_ratio_short_needle`), and takes the best ratio. A full window scores
  200 · L / 2m = 100 · L / m with L ≤ min(o, LCS, (B + 1 + 2m) / 3); a prefix of w < m
  characters scores 200 · L / (m + w) with L ≤ w, L ≤ LCS, L ≤ (B + 1 + m + w) / 3 and L ≤ the
  characters in common with the key's first m - 1 (a prefix lies within them), a suffix the
  same with its last m - 1 (`_Places.at_edges`, from the places of each character's first
  occurrences; `_window_table` takes the largest over w). The same for partial_token_ratio
  with the sorted words (the sorted query's bigrams, the sorted key's edges and bigrams).
- A sure floor: a key sharing a word in the partial branch scores at least 100 · 0.95 · s
  (partial_token_ratio is 100); when there are as many such keys (prefix matches aside) as
  the answer has places left, its last entry scores at least that, and a key whose bound is
  lower cannot enter. Where such a key's bounds of ratio and of partial_ratio · s are below it
  (s = 0.9), its WRatio is exactly 100 · 0.95 · 0.9, the same float for each (`sure_ties`): of
  those only as many as the answer has places left, the best by name, can enter.
The parts are RapidFuzz's own functions (ratio, partial_ratio on the sorted words,
token_ratio, partial_token_ratio), combined in WRatio's order of operations; they give WRatio's
value to the bit (tests/bot/core/companies/test_typeahead.py checks it), so equal scores are
told apart by name as `suggest` does, without computing WRatio for each of them.
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
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
TIE_MARGIN = 1e-3  # a bound this far below a score cannot reach it, rounding aside
HEAD = 512  # keys with the best first bounds, among which
SEEDS = 32  # are scored first, for a floor to start from
FIRST_CHUNK = 256  # then keys taken by refined bound, 4x more per round
TIGHTEN_FROM = 512  # keys whose first bound can be tightened: worth it from this many

# RapidFuzz's partial_ratio for a shorter string of at most this length compares it with
# every prefix and suffix of the longer shorter than it and every window of its length: the
# window bounds hold for such queries (longer ones keep the character-count bounds).
SHORT_NEEDLE = 64
PLACES = 2  # occurrences of a character whose places in each key are kept
ABSENT = 255  # the place of an occurrence a key does not have

# Match keys are at most 200 characters; a count up to this fits the bytes it is kept in (a
# clipped count still gives min(count, times) exactly for a query of at most this length).
MAX_LENGTH = 255

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
U8Array = npt.NDArray[np.uint8]
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

    def __init__(self, keys: list[str], sorted_keys: list[str], order: list[int]) -> None:
        """`sorted_keys`: the keys with their words sorted; `order`: the indexes by the
        answer's order among equal scores (folded name, then index)."""
        count = len(keys)
        self.keys = keys
        self.sorted_keys = sorted_keys
        self.lengths: IntArray = np.fromiter(map(len, keys), np.int64, count)
        # Keys of one length share every bound's length terms: computed once per length.
        self.distinct_lengths, self.length_at = np.unique(self.lengths, return_inverse=True)
        joined = "".join(keys)
        alphabet = sorted(set(joined) | set("".join(sorted_keys)))
        column = np.zeros(ord(alphabet[-1]) + 1 if alphabet else 1, np.int64)
        column[[ord(char) for char in alphabet]] = np.arange(len(alphabet))
        columns = column[np.frombuffer(joined.encode("utf-32-le"), np.uint32)]
        rows = np.repeat(np.arange(count), self.lengths)
        counts = np.bincount(columns * count + rows, minlength=len(alphabet) * count)
        # A row per character: how often each key has it (a key is at most 200 characters).
        self.counts = np.minimum(counts.reshape(len(alphabet), count), MAX_LENGTH).astype(np.uint8)
        self.column = {char: at for at, char in enumerate(alphabet)}
        # Where characters and pairs of them are, in the keys and in their sorted words.
        self.places = _Places(keys, column, len(alphabet))
        self.sorted_places = _Places(sorted_keys, column, len(alphabet))
        sorted_lengths = np.fromiter(map(len, sorted_keys), np.int64, count)
        self.other_length = (sorted_lengths != self.lengths).view(np.uint8)
        postings: dict[str, list[int]] = {}
        repeats = []
        for index, key in enumerate(keys):
            for word in key.split():
                found = postings.setdefault(word, [])
                if found and found[-1] == index:
                    repeats.append(index)  # the key has this word twice
                else:
                    found.append(index)
        self.postings = postings
        self.repeats: BoolArray = np.zeros(count, np.bool_)
        self.repeats[repeats] = True
        self.arrays: dict[str, IntArray] = {}  # postings as arrays, made on a first query
        # token_set_ratio's bound where it is not the sorted words' ratio, before any query.
        self.repeated_bound: FloatArray = np.where(self.repeats, 100.0, 0.0)
        self.rank: IntArray = np.empty(count, np.int64)
        self.rank[order] = np.arange(count)

    def posting(self, word: str) -> IntArray | None:
        """The indexes of the keys that have the word (as an array: made once)."""
        found = self.arrays.get(word)
        if found is None and word in self.postings:
            found = self.arrays[word] = np.array(self.postings[word], np.int64)
        return found

    def add_best(self, query: str, limit: int, scores: dict[int, float]) -> None:
        """Add to `scores` (index → score; the prefix matches' 100 are in already) the WRatio,
        when 60 or more, of every key that can be among the best `limit` by (-score, folded
        name, index): the same best `limit` as adding every key's."""
        words = query.split()
        if len(set(words)) != len(words) or len(query) > MAX_LENGTH:
            # The query's word set is not its words (or the counts would not fit a byte):
            # score every key, as before.
            self._score(query, [i for i in range(len(self.keys)) if i not in scores], scores)
            return
        query_ = _Query(self, query, words)
        bound = query_.bound
        if scores:
            bound[list(scores)] = -1.0  # a prefix match scores 100 whatever its WRatio
        # A key sharing a word with the query in the partial branch scores at least
        # 100 · 0.95 · its scale (partial_token_ratio is 100): the answer's last entry is at
        # least the (limit - prefix matches)-th of those.
        sure = query_.sure_floor(limit - len(scores), bound >= CUTOFF)
        # Of the keys that score exactly that (their other parts are lower), only the best
        # names can enter: as many as the answer has places left.
        ties = query_.sure_ties(bound >= CUTOFF)
        if len(ties) > limit - len(scores):
            ranks = self.rank[ties]
            bound[ties[np.argsort(ranks, kind="stable")[limit - len(scores) :]]] = -1.0
        tighten = np.flatnonzero(query_.can_tighten() & (bound >= sure))
        if len(tighten) > TIGHTEN_FROM:  # fewer cost more than they save
            query_.tighten(tighten)
        pool = np.flatnonzero(bound >= sure)
        if len(pool) > SEEDS:
            # A floor to start from: WRatio of the keys most alike as they are (ratio, and
            # partial_ratio's bound by subsequence), among those with the best first bounds.
            head = pool
            if len(pool) > HEAD:
                head = pool[np.argpartition(-bound[pool], HEAD)[:HEAD]]
            _, ratio, window = query_.by_subsequence(head)
            alike = np.maximum(ratio, window * query_.scale(head))
            seeds = head[np.argpartition(-alike, SEEDS)[:SEEDS]]
            self._score(query, seeds.tolist(), scores)
            bound[seeds] = -1.0
        last = self._last(scores, limit)
        floor = max(sure, last[0]) if last else sure
        pool = pool[bound[pool] >= floor]
        bound, ratio, window = query_.by_subsequence(pool)
        keep = bound >= floor
        pool, ratio, window = pool[keep], ratio[keep], window[keep]
        bound, sorted_ratio, sorted_window = query_.by_sorted_words(pool, ratio, window, floor)
        order = np.argsort(-bound, kind="stable")
        order = order[bound[order] >= floor]
        pool, bound = pool[order], bound[order]
        ratio, sorted_ratio = ratio[order], sorted_ratio[order]
        window, sorted_window = window[order], sorted_window[order]
        start, size = 0, FIRST_CHUNK
        while start < len(pool):
            floor = max(sure, last[0]) if last else sure
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


class _Places:
    """Of a list of strings: where each character occurs (the places of its first `PLACES`
    occurrences, counted from the start and from the end), and which strings have a pair of
    adjacent characters (a bigram), how often; each character's and pair's on its first
    query (a register version's index is built on its first typo: this keeps that short)."""

    def __init__(self, strings: list[str], column: IntArray, alphabet: int) -> None:
        count = len(strings)
        lengths = np.fromiter(map(len, strings), np.int64, count)
        small = np.uint16 if alphabet < 1 << 16 else np.int64
        codes = column[np.frombuffer("".join(strings).encode("utf-32-le"), np.uint32)]
        rows = np.repeat(np.arange(count), lengths)
        starts_of = np.cumsum(lengths) - lengths
        # Kept in the smallest types that hold them (a register's are 2 bytes, 2 and 1 a place).
        self.codes = codes.astype(small)
        self.rows = rows.astype(np.uint16 if count <= 1 << 16 else np.int32)
        offsets = np.arange(len(codes)) - np.repeat(starts_of, lengths)
        longest = int(lengths.max()) if count else 0
        self.offsets = offsets.astype(np.uint8 if longest <= 1 << 8 else np.int32)
        self.lengths = lengths
        self.known: dict[int, U8Array] = {}  # column → places, made on a first query
        self.inside = rows[1:] == rows[:-1]  # a pair within one string
        self.known_pairs: dict[int, tuple[IntArray, U8Array, bool]] = {}  # made when asked
        self.count = count
        self.alphabet = alphabet

    def pair(self, first: int, second: int) -> tuple[IntArray, U8Array, bool]:
        """The strings that have the pair of columns (first, second) adjacent, how often
        each has it (up to 255), and whether one has it more than once."""
        key = first * self.alphabet + second
        found = self.known_pairs.get(key)
        if found is None:
            codes = self.codes
            at = np.flatnonzero((codes[:-1] == first) & (codes[1:] == second) & self.inside)
            rows = self.rows[at]  # ascending
            starts = np.ones(len(rows), np.bool_)
            starts[1:] = rows[1:] != rows[:-1]
            begins = np.flatnonzero(starts)
            times = np.diff(np.append(begins, len(rows)))
            twice = bool(len(times)) and bool(times.max() > 1)
            found = (
                rows[begins].astype(np.intp),
                np.minimum(times, MAX_LENGTH).astype(np.uint8),
                twice,
            )
            self.known_pairs[key] = found  # a race makes the same arrays twice: harmless
        return found

    def shared_pairs(self, text: str, column: dict[str, int]) -> U8Array:
        """For each string: Σ min(times in `text`, times in the string) over the pairs of
        adjacent characters (at most len(text) - 1, here at most 63)."""
        rows, weights, weighted = [], [], False
        for (first, second), times in Counter(pairwise(text)).items():
            if first not in column or second not in column:
                continue
            having, how_often, twice = self.pair(column[first], column[second])
            if len(having):
                rows.append(having)
                weights.append(np.minimum(how_often, times))
                weighted = weighted or (times > 1 and twice)
        if not rows:
            return np.zeros(self.count, np.uint8)
        found = np.bincount(
            np.concatenate(rows),
            np.concatenate(weights) if weighted else None,
            minlength=self.count,
        )
        return found.astype(np.uint8)

    def places(self, column: int) -> U8Array:
        """[0]: from the start, [1]: from the end; the place of the column's character's
        j-th occurrence (0: the first) in each string, ABSENT where it has fewer (or the place
        is past 254: edges are at most 63 characters)."""
        found = self.known.get(column)
        if found is None:
            at = np.flatnonzero(self.codes == column)  # by string, then place
            row, place = self.rows[at], self.offsets[at]
            index = np.arange(len(at))
            starts = np.ones(len(at), np.bool_)
            starts[1:] = row[1:] != row[:-1]
            ends = np.ones(len(at), np.bool_)
            ends[:-1] = starts[1:]
            first = np.maximum.accumulate(np.where(starts, index, 0)) if len(at) else index
            last = np.minimum.accumulate(np.where(ends, index, len(at))[::-1])[::-1]
            back = np.minimum(self.lengths[row] - 1 - place, ABSENT)
            place = np.minimum(place, ABSENT)
            found = np.full((2, PLACES, self.count), ABSENT, np.uint8)
            for j in range(PLACES):
                pick = index - first == j
                found[0, j, row[pick]] = place[pick]
                pick = last - index == j
                found[1, j, row[pick]] = back[pick]
            self.known[column] = found  # a race makes the same array twice: harmless
        return found

    def at_edges(self, counts: list[tuple[int, int]], reach: int, at: IntArray) -> U8Array:
        """For the strings at `at`: the larger of Σ min(times, occurrences) over the (column,
        times) of `counts` in its first `reach` characters and in its last `reach` (an upper bound,
        at most `reach`, where a character is wanted more than `PLACES` times)."""
        if not counts:
            return np.zeros(len(at), np.uint8)
        wanted = [
            self.places(column)[:, j] for column, times in counts for j in range(min(times, PLACES))
        ]
        # [side, wanted occurrence, string]: whether it is within the edge; summed per side.
        within = (np.stack(wanted, axis=1) < reach).view(np.uint8)
        start, end = within.sum(axis=1, dtype=np.uint8)
        for column, times in counts:
            more = min(times, reach) - PLACES
            if more > 0:  # its later occurrences in the edge: at most this many
                last = (self.places(column)[:, PLACES - 1] < reach).view(np.uint8)
                start += last[0] * np.uint8(more)
                end += last[1] * np.uint8(more)
        found: U8Array = np.minimum(np.maximum(start, end), np.uint8(reach)).take(at)
        return found


@functools.lru_cache(maxsize=SHORT_NEEDLE)
def _window_table(length: int) -> FloatArray:
    """partial_ratio's bound for a query of `length` (m) characters against a longer key, flat
    by ((cap · m) + edge) · m + pairs: the larger of its full windows' (m characters:
    100 · L / m) and its edge windows' (w < m: 200 · L / (m + w)), where L ≤ cap,
    L ≤ (pairs + 1 + m + w) // 3, and in an edge window L ≤ w and L ≤ edge (see the module's
    docstring). A cap of m + 1 reads infinity: no bound."""
    m = length
    caps = np.arange(m + 1)[None, :, None, None]
    edges = np.arange(m)[None, None, :, None]
    pairs = np.arange(m)[None, None, None, :]
    full = 100.0 * np.minimum(caps, (pairs + 1 + 2 * m) // 3) / m
    w = np.arange(1, m)[:, None, None, None]
    common = np.minimum(np.minimum(np.minimum(caps, edges), w), (pairs + 1 + m + w) // 3)
    edge = (200.0 * common / (m + w)).max(axis=0, initial=0.0)
    best = np.maximum(full[0], edge)
    found: FloatArray = np.concatenate([best.reshape(-1), np.full(m * m, np.inf)])
    found.flags.writeable = False
    return found


def _bound(
    whole: FloatArray,
    window: FloatArray,
    sorted_whole: FloatArray,
    sorted_window: FloatArray,
    loose: BoolArray,
    token_set: FloatArray,
    partial: BoolArray,
    scale: FloatArray,
) -> FloatArray:
    """WRatio's bound from bounds of ratio and partial_ratio, of keys as they are (whole,
    window) and with their words sorted (sorted_whole, sorted_window); `loose` where a word is
    shared or repeated (partial_token_ratio up to 100), `token_set` where token_set_ratio is
    not the sorted words' ratio (a shared or repeated word; 0 elsewhere)."""
    token_ratio = np.maximum(sorted_whole, token_set)
    token = np.maximum(whole, token_ratio * UNBASE_SCALE)
    partial_branch = np.maximum(
        whole,
        np.maximum(window * scale, np.where(loose, 100.0, sorted_window) * UNBASE_SCALE * scale),
    )
    bound: FloatArray = np.where(partial, partial_branch, token) + SLACK
    return bound


class _Query:
    """One query against the register: bounds for every key, then WRatio from its parts."""

    def __init__(self, index: FuzzyIndex, query: str, words: list[str]) -> None:
        self.index = index
        self.query = query
        self.sorted_query = " ".join(sorted(words))
        count = len(index.keys)
        self.length = length = len(query)
        overlap = np.zeros(count, np.uint8)  # at most the query's length, at most 255
        for char, times in Counter(query).items():
            column = index.column.get(char)
            if column is not None:
                overlap += np.minimum(index.counts[column], times)
        self.shared = shared = np.zeros(count, np.bool_)
        postings = [(word, index.posting(word)) for word in words]
        found = [(word, keys) for word, keys in postings if keys is not None]
        for _, keys in found:
            shared[keys] = True
        self.loose = shared | index.repeats  # partial_token_ratio may reach 100
        # Per key length: the shorter length, the branch (r ≥ 1.5: partial) and its scale.
        lengths = index.distinct_lengths
        self.shorter_of = shorter = np.minimum(lengths, length)
        length_ratio = np.maximum(lengths, length) / shorter
        self.partial_of = partial = length_ratio >= 1.5
        # 0.9 up to 8 (RapidFuzz's C++ and Python differ on exactly 8: the larger is a bound).
        self.scale_of = scale = np.where(length_ratio <= 8.0, 0.9, 0.6)
        # The first bound by (loose, length, overlap): a table, then one look-up per key.
        # Sorting the words keeps the characters: the same bounds with and without.
        common = np.arange(length + 1)[None, :]
        size = (len(lengths), length + 1)
        whole = 200.0 * common / (length + lengths[:, None])
        window = 200.0 * common / (shorter[:, None] + common)
        branch = np.broadcast_to(partial[:, None], size)
        weight = np.broadcast_to(scale[:, None], size)
        table = np.stack(
            [
                _bound(
                    whole, window, whole, window, loose, np.where(loose, 100.0, 0.0), branch, weight
                )
                for loose in (np.zeros(size, np.bool_), np.ones(size, np.bool_))
            ]
        ).reshape(-1)
        self.cell = cell = index.length_at * np.int32(length + 1) + overlap
        # The bound of the sorted words' ratio (r < 1.5) or partial_ratio (r ≥ 1.5).
        self.sorted_table = np.where(branch, window, whole).reshape(-1) + SLACK
        self.token_set_of = index.repeated_bound
        if found:
            self._with_words(table, overlap, found)
        else:
            self.bound: FloatArray = table[cell + index.repeats * np.int32(len(self.sorted_table))]
        # The sorted words' bounds, key by key (tighter below where the windows are bounded).
        self.sorted_whole_of: FloatArray = (whole.reshape(-1) + SLACK)[cell]
        self.sorted_window_of: FloatArray = (window.reshape(-1) + SLACK)[cell]
        self.windowed: BoolArray = np.zeros(count, np.bool_)
        self.overlap = overlap

    def _with_words(
        self, table: FloatArray, overlap: npt.NDArray[np.uint8], found: list[tuple[str, IntArray]]
    ) -> None:
        """The first bounds where keys share words with the query."""
        index, count, shared, cell = self.index, len(self.index.keys), self.shared, self.cell
        with_words = np.flatnonzero(shared)
        letters = np.zeros(count, np.int64)  # the letters of the query's words the key has
        in_common = np.zeros(count, np.int64)  # and how many words
        for word, keys in found:
            in_common[keys] += 1
            letters[keys] += len(word)
        loose = index.repeats.copy()
        loose[with_words] |= self.partial(with_words)
        self.bound = table[cell + loose * np.int32(len(self.sorted_table))]
        self.token_set_of = self.token_set_of.copy()
        self.token_set_of[with_words] = self._token_set(
            with_words,
            overlap[with_words].astype(np.int64),
            in_common[with_words],
            letters[with_words],
        )
        apart = with_words[~index.repeats[with_words] & ~self.partial(with_words)]
        self.bound[apart] = np.maximum(
            self.bound[apart], self.token_set_of[apart] * UNBASE_SCALE + SLACK
        )

    def can_tighten(self) -> BoolArray:
        """The keys whose first bound `tighten` can lower: longer than the query in WRatio's
        partial branch at scale 0.9 (1.5 ≤ r ≤ 8), sharing and repeating no word, for a
        query of 2 to `SHORT_NEEDLE` characters."""
        index, length = self.index, self.length
        if not 1 < length <= SHORT_NEEDLE:
            return np.zeros(len(index.keys), np.bool_)
        lengths = index.distinct_lengths
        length_ratio = np.maximum(lengths, length) / self.shorter_of
        windowed = (length_ratio >= 1.5) & (length_ratio <= 8.0) & (lengths > length)
        found: BoolArray = windowed[index.length_at] & ~self.loose
        return found

    def tighten(self, at: IntArray) -> None:
        """Tighter first bounds for the keys at `at` (of `can_tighten`), from their windows
        and the pairs of adjacent characters they have in common with the query (the
        module's docstring has the argument)."""
        index, length = self.index, self.length
        count = len(index.keys)
        counts = [
            (index.column[char], times)
            for char, times in Counter(self.query).items()
            if char in index.column
        ]
        self.table = table = _window_table(length)
        self.windowed = np.zeros(count, np.bool_)
        self.windowed[at] = True
        cap = self.overlap[at]
        pairs = index.places.shared_pairs(self.query, index.column)[at]
        edges = index.places.at_edges(counts, length - 1, at)
        # The sorted words: where they have the query's characters and the key's length,
        # their own pairs and edges; elsewhere the largest (the bounds by characters alone).
        sorted_pairs = sorted_edges = np.full(len(at), length - 1, np.uint8)
        if len(self.sorted_query) == length:
            other = index.other_length[at] * np.uint8(length - 1)
            found = index.sorted_places.shared_pairs(self.sorted_query, index.column)[at]
            sorted_pairs = np.maximum(found, other)
            sorted_edges = np.maximum(index.sorted_places.at_edges(counts, length - 1, at), other)
        self.pairs, self.edges = np.zeros(count, np.uint8), np.zeros(count, np.uint8)
        self.pairs[at], self.edges[at] = pairs, edges
        self.sorted_pairs, self.sorted_edges = self.pairs.copy(), self.edges.copy()
        self.sorted_pairs[at], self.sorted_edges[at] = sorted_pairs, sorted_edges
        window = table.take(self._cell(cap, edges, pairs))
        sorted_window = np.minimum(
            self.sorted_window_of[at],
            table.take(self._cell(cap, sorted_edges, sorted_pairs)) + SLACK,
        )
        self.sorted_window_of[at] = sorted_window
        # max(ratio, partial_ratio · 0.9, partial_token_ratio · 0.95 · 0.9): no word is
        # shared or repeated, so partial_token_ratio is partial_ratio of the sorted words.
        tighter = np.maximum(
            self.sorted_whole_of[at], np.maximum(window, sorted_window * UNBASE_SCALE) * 0.9 + SLACK
        )
        self.bound[at] = np.minimum(self.bound[at], tighter)

    def _cell(self, cap: U8Array, edges: U8Array, pairs: U8Array) -> IntArray:
        """The window table's cell of each (cap, edge, pairs)."""
        length = self.length
        wide: npt.NDArray[Any]
        size: Any
        if (length + 2) * length * length < 1 << 16:  # fits 16 bits: quicker
            wide, size = cap.astype(np.uint16), np.uint16(length)
        else:
            wide, size = cap.astype(np.int64), np.int64(length)
        found: IntArray = ((wide * size + edges) * size + pairs).astype(np.intp)
        return found

    def _windows(self, cap: U8Array, at: IntArray, by_sorted_words: bool) -> FloatArray:
        """partial_ratio's window bound for the (windowed) keys at `at`, with L ≤ cap."""
        if by_sorted_words:
            edges, pairs = self.sorted_edges[at], self.sorted_pairs[at]
        else:
            edges, pairs = self.edges[at], self.pairs[at]
        found: FloatArray = self.table.take(self._cell(cap, edges, pairs))
        return found

    def sure_floor(self, wanted: int, candidates: BoolArray) -> float:
        """A score the answer's last entry reaches for sure: of the candidate keys sharing a
        word with the query in the partial branch, the `wanted`-th best 100 · 0.95 · scale
        (a hair less: RapidFuzz rounds its own way); CUTOFF if there are fewer."""
        index = self.index
        sure = np.flatnonzero(self.shared & candidates)
        if len(sure) < wanted or wanted <= 0:
            return CUTOFF
        sure = sure[self.partial(sure)]
        if len(sure) < wanted:
            return CUTOFF
        lows = np.sort(self.scale_of[index.length_at[sure]])[::-1] * 100.0 * UNBASE_SCALE
        return max(CUTOFF, float(lows[wanted - 1]) - SLACK)

    def sure_ties(self, candidates: BoolArray) -> IntArray:
        """The candidate keys whose WRatio is exactly 100 · 0.95 · 0.9, the same float for
        each: sharing a word in the partial branch at scale 0.9, where the bounds of ratio
        and of partial_ratio · 0.9 are below it (partial_token_ratio is 100, and WRatio the
        largest of the three)."""
        at = np.flatnonzero(self.shared & candidates)
        at = at[self.partial(at) & (self.scale(at) == 0.9)]
        # Before `tighten` (which leaves keys sharing a word alone) both bounds are by
        # character counts: 200 · o / (|q| + |k|) and 200 · o / (|q| + o), SLACK added.
        others = np.maximum(self.sorted_whole_of[at], self.sorted_window_of[at] * 0.9)
        found: IntArray = at[others < 100.0 * UNBASE_SCALE * 0.9 - TIE_MARGIN]
        return found

    def partial(self, at: IntArray) -> BoolArray:
        """Whether WRatio takes its partial branch (r ≥ 1.5) for the keys at `at`."""
        found: BoolArray = self.partial_of[self.index.length_at[at]]
        return found

    def scale(self, at: IntArray) -> FloatArray:
        found: FloatArray = self.scale_of[self.index.length_at[at]]
        return found

    def shorter(self, at: IntArray) -> IntArray:
        found: IntArray = self.shorter_of[self.index.length_at[at]]
        return found

    def sorted_bound(self, at: IntArray) -> FloatArray:
        """The bound of the sorted words' ratio (r < 1.5) or partial_ratio (r ≥ 1.5)."""
        found: FloatArray = np.where(
            self.partial(at), self.sorted_window_of[at], self.sorted_whole_of[at]
        )
        return found

    def token_set(self, at: IntArray) -> FloatArray:
        found: FloatArray = self.token_set_of[at]
        return found

    def _token_set(
        self, at: IntArray, overlap: IntArray, in_common: IntArray, letters: IntArray
    ) -> FloatArray:
        """token_set_ratio's bound for keys sharing words with the query (at `at`; 100 where
        a key repeats a word), from RapidFuzz's definition: with s, a, b the lengths of the
        shared words, the query's other words and the key's other words (each joined by
        spaces), 100 if a or b is empty, else the largest of
        100 · (2s + 2 + 2 · LCS(a, b)) / (2s + 2 + |a| + |b|), 200 · s / (2s + 1 + |a|) and
        200 · s / (2s + 1 + |b|); LCS(a, b) ≤ the characters they have in common, which are
        those of query and key less the shared words and one space each."""
        both = letters + in_common - 1
        mine = self.length - both - 1
        theirs = self.index.lengths[at] - both - 1
        apart = np.minimum(np.maximum(overlap - both - 1, 0), np.minimum(mine, theirs))
        empty = (mine <= 0) | (theirs <= 0) | self.index.repeats[at]
        mine, theirs = np.maximum(mine, 0), np.maximum(theirs, 0)
        value = np.maximum(
            100.0 * (2 * both + 2 + 2 * apart) / (2 * both + 2 + mine + theirs),
            np.maximum(
                200.0 * both / (2 * both + 1 + mine), 200.0 * both / (2 * both + 1 + theirs)
            ),
        )
        found: FloatArray = np.where(empty, 100.0, value)
        return found

    def by_subsequence(self, pool: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Tighter bounds for the pool's keys from their longest common subsequence with the
        query, read off RapidFuzz's ratio (also WRatio's first part). Returns, along `pool`:
        the bound, the ratio and the bound of partial_ratio."""
        ratio = _cdist(self.query, _pick(self.index.keys, pool.tolist()), fuzz.ratio, 0.0)
        window = self._window(pool, ratio)
        bound = _bound(
            ratio,
            window,
            self.sorted_whole_of[pool],
            self.sorted_window_of[pool],
            self.loose[pool],
            self.token_set(pool),
            self.partial(pool),
            self.scale(pool),
        )
        return bound, ratio, window

    def by_sorted_words(
        self, pool: IntArray, ratio: FloatArray, window: FloatArray, floor: float
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The same with the words sorted, where that part can reach `floor` (elsewhere 0: a
        shared or repeated word bounds it by 100, or it is below the floor). Returns, along
        `pool`: the bound, token_sort_ratio and the bound of partial_ratio of sorted words."""
        index = self.index
        sorted_ratio = np.zeros(len(pool))
        scale = np.where(self.partial(pool), self.scale(pool) * UNBASE_SCALE, UNBASE_SCALE)
        # token_sort_ratio (r < 1.5) is needed with shared words too.
        tight = np.where(self.partial(pool), ~self.loose[pool], ~self.index.repeats[pool])
        need = np.flatnonzero(tight & (self.sorted_bound(pool) * scale >= floor))
        if len(need):
            choices = _pick(index.sorted_keys, pool[need].tolist())
            sorted_ratio[need] = _cdist(self.sorted_query, choices, fuzz.ratio, 0.0)
        sorted_window = self._window(pool, sorted_ratio, by_sorted_words=True)
        # token_set_ratio, words neither shared nor repeated: ratio of the sorted words.
        bound = _bound(
            ratio,
            window,
            sorted_ratio,
            sorted_window,
            self.loose[pool],
            self.token_set(pool),
            self.partial(pool),
            self.scale(pool),
        )
        return bound, sorted_ratio, sorted_window

    def _window(
        self, pool: IntArray, ratio: FloatArray, by_sorted_words: bool = False
    ) -> FloatArray:
        """partial_ratio's bound from ratio = 200 · LCS / (|q| + |k|): a window of the longer
        string holds at most LCS characters of the common subsequence; for a key longer than
        the query, the window bounds with LCS as one more cap."""
        common = np.rint(ratio * (self.length + self.index.lengths[pool]) / 200.0)
        shorter = self.shorter(pool)
        window: FloatArray = 200.0 * common / (shorter + common)
        at = np.flatnonzero(self.windowed[pool])
        if len(at):
            keys = pool[at]
            cap = np.minimum(common[at], self.overlap[keys]).astype(np.uint8)
            window[at] = np.minimum(window[at], self._windows(cap, keys, by_sorted_words))
        return window

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
        partial, scale = self.partial(chunk), self.scale(chunk)
        shared, repeats = self.shared[chunk], index.repeats[chunk]

        def where(mask: BoolArray) -> list[int]:
            found: list[int] = np.flatnonzero(mask).tolist()
            return found

        def part(positions: list[int], scorer: Scorer, cutoff: float) -> FloatArray:
            return _cdist(self.query, _pick(keys, positions), scorer, cutoff)

        # r < 1.5: max(ratio, token_ratio · 0.95).
        # token_ratio is the larger of token_sort_ratio and token_set_ratio, which is the
        # same ratio when no word is shared or repeated.
        token_bound = np.maximum(sorted_ratio, self.token_set(chunk))
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
        # Only where it can reach the floor and raise what the other parts gave.
        words_bound = sorted_window * UNBASE_SCALE * scale + SLACK
        reach = partial & ~shared & (words_bound >= floor) & (words_bound > value)
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
