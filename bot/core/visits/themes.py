"""Themes in what companies said (the plan's "inkomna synpunkter"): the list and the tagger.

The list lives in data/themes.yaml: each theme has a name, words that mark it (`ord`), words
that must not (`inte`) and words that count only whole (`exakt`). A note is split into words,
each word reduced by the Snowball Swedish stemmer ("rekryteringen" → "rekrytering",
"lokalerna" → "lokal"), and a theme word marks the note when a word's stem

- is the theme word's stem, or begins with it (Swedish inflects at the end: "energin"), for
  stems of five letters or more;
- begins with it and goes on with at least three letters: the first part of a compound
  ("personalbristen", "kompetensbrist", "markanvisning");
- ends with it after at least three letters: the last part of a compound ("industrilokal").

A word in `inte` ("marknaden", which begins with "mark") never marks that theme, though other
words in the same note still may. Phrases ("svårt att rekrytera") match word by word, in order.
docs/themes.md says why a stemmer and not a dictionary or a model.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.errors import InvalidInput

DEFAULT_THEMES_FILE = Path(__file__).resolve().parents[3] / "data" / "themes.yaml"
MAX_THEME_NAME = 60  # also fits a Slack option's 75 characters
MAX_THEMES = 50
SET_BY_LIST = "lista"
SET_BY_PERSON = "person"
MIN_WHOLE_STEM = 5  # shorter stems mark only as themselves or as part of a compound
MIN_COMPOUND_PART = 3
EXCERPT_LENGTH = 160

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


@dataclass(frozen=True)
class Theme:
    name: str
    words: tuple[str, ...]
    not_words: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mark:
    """Where a theme word stands in a note: character offsets of the marking word(s)."""

    theme: str
    start: int
    end: int


class ThemeFileError(InvalidInput):
    """The themes file has problems; every one is named. Nothing was retagged."""


_STEMMER: Any = None  # made on first use: snowballstemmer's import is ~20 ms of every start
# A Snowball stemmer keeps its word in the instance while it works: two threads stemming at
# once (two commands handled together) corrupt each other ("string index out of range").
_STEMMER_LOCK = threading.Lock()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Swedish stem of a lower-cased word (cached: notes repeat their words)."""
    global _STEMMER
    with _STEMMER_LOCK:
        if _STEMMER is None:
            import snowballstemmer

            _STEMMER = snowballstemmer.stemmer("swedish")
        return str(_STEMMER.stemWord(word))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def words_of(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased word, start, end) for every word of `text`."""
    folded = _fold(text)
    # casefold keeps Swedish letters' lengths (å, ä, ö), so offsets stay those of `text`.
    if len(folded) != len(text):
        folded = text.lower()
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(folded)]


class _WordRule:
    """One theme word (or one word of a phrase) and how it may match a word of the note."""

    __slots__ = ("exact", "stem", "word")

    def __init__(self, word: str, exact: bool) -> None:
        self.word = word
        self.stem = stem(word)
        self.exact = exact

    def matches(self, word: str, word_stem: str) -> bool:
        own = self.stem
        if word == self.word or word_stem == own:
            return True
        if self.exact:
            return False
        if word_stem.startswith(own):
            rest = len(word_stem) - len(own)
            return len(own) >= MIN_WHOLE_STEM or rest >= MIN_COMPOUND_PART
        if len(own) >= MIN_COMPOUND_PART and word_stem.endswith(own):
            return len(word_stem) - len(own) >= MIN_COMPOUND_PART
        return False


class Tagger:
    """The compiled list: `themes_of(note)` in the list's order, `marks(note)` with offsets."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.themes: tuple[Theme, ...] = tuple(themes)
        self.names: tuple[str, ...] = tuple(t.name for t in self.themes)
        # Single words by theme; phrases separately (few, and they need the word order).
        self._single: list[tuple[str, list[_WordRule], tuple[str, ...]]] = []
        self._phrases: list[tuple[str, list[list[_WordRule]], tuple[str, ...]]] = []
        for theme in self.themes:
            exact = {_fold(w) for w in theme.exact}
            single: list[_WordRule] = []
            phrases: list[list[_WordRule]] = []
            for raw in theme.words:
                parts = [w for w, _, _ in words_of(raw)]
                rules = [_WordRule(part, part in exact) for part in parts]
                if len(rules) == 1:
                    single.append(rules[0])
                elif rules:
                    phrases.append(rules)
            blocked = tuple(_fold(w) for w in theme.not_words)
            self._single.append((theme.name, single, blocked))
            self._phrases.append((theme.name, phrases, blocked))
        # A word of a note gives the same answer every time: cache it (the vocabulary of a
        # unit's notes is small, so this makes tagging linear in the words of the note).
        self._word_themes: dict[str, tuple[str, ...]] = {}
        self._phrase_starts: dict[str, list[tuple[str, list[_WordRule], tuple[str, ...]]]] = {}

    def _themes_of_word(self, word: str) -> tuple[str, ...]:
        found = self._word_themes.get(word)
        if found is None:
            word_stem = stem(word)
            found = tuple(
                name
                for name, rules, blocked in self._single
                if not any(b in word for b in blocked)
                and any(rule.matches(word, word_stem) for rule in rules)
            )
            if len(self._word_themes) < 200_000:
                self._word_themes[word] = found
        return found

    def _phrases_from(self, word: str) -> list[tuple[str, list[_WordRule], tuple[str, ...]]]:
        """The phrases whose first word `word` is (cached, like single words)."""
        found = self._phrase_starts.get(word)
        if found is None:
            word_stem = stem(word)
            found = [
                (name, rules, blocked)
                for name, phrases, blocked in self._phrases
                for rules in phrases
                if rules[0].matches(word, word_stem)
            ]
            if len(self._phrase_starts) < 200_000:
                self._phrase_starts[word] = found
        return found

    def marks(self, text: str) -> list[Mark]:
        """Every marking word or phrase in `text`, in text order."""
        words = words_of(text)
        found: list[Mark] = []
        for word, start, end in words:
            for name in self._themes_of_word(word):
                found.append(Mark(name, start, end))
        for i, (word, _, _) in enumerate(words):
            for name, rules, blocked in self._phrases_from(word):
                window = words[i : i + len(rules)]
                if len(window) < len(rules):
                    continue
                if all(
                    rule.matches(w, stem(w))
                    for rule, (w, _, _) in zip(rules[1:], window[1:], strict=True)
                ) and not any(b in w for w, _, _ in window for b in blocked):
                    found.append(Mark(name, window[0][1], window[-1][2]))
        found.sort(key=lambda m: (m.start, m.end))
        return found

    def themes_of(self, text: str) -> tuple[str, ...]:
        """The themes `text` marks, in the list's order."""
        if not text:
            return ()
        marked = {mark.theme for mark in self.marks(text)}
        return tuple(name for name in self.names if name in marked)

    def excerpt(self, text: str, theme: str, limit: int = EXCERPT_LENGTH) -> str:
        """The sentence where `theme` is first marked, cut to `limit` characters around it.

        A theme a person set without any marking word gives the note's beginning."""
        text = " ".join(text.split())
        if not text:
            return ""
        first = next((m for m in self.marks(text) if m.theme == theme), None)
        if first is None:
            return _shorten(text, 0, limit)
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, first.start)]
        begin = starts[-1] if starts else 0
        end_match = _SENTENCE_END.search(text, first.end)
        end = end_match.end() if end_match else len(text)
        sentence = text[begin:end].strip()
        offset = first.start - begin - (len(text[begin:end]) - len(text[begin:end].lstrip()))
        if len(sentence) <= limit:
            return sentence
        return _shorten(sentence, max(0, offset - limit // 3), limit)


def _shorten(text: str, start: int, limit: int) -> str:
    if start == 0 and len(text) <= limit:
        return text
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = text[start : start + limit]
    if start + limit < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > limit // 2 else piece).rstrip(",;:") + " …"
    return ("… " if start > 0 else "") + piece


# -- the file ---------------------------------------------------------------------------------


def parse_themes(data: object, source: str = "temafilen") -> tuple[Theme, ...]:
    """The checked list from loaded YAML; ThemeFileError (Swedish) names every problem."""
    problems: list[str] = []
    items = data.get("teman") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ThemeFileError(
            f"{source}: skriv temana som en lista under nyckeln `teman`, med `namn` och `ord` "
            "för varje tema (se data/themes.yaml)."
        )
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"teman[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: ska ha nycklarna namn och ord")
            continue
        unknown = set(item) - {"namn", "ord", "inte", "exakt"}
        if unknown:
            problems.append(
                f"{where}: okänd nyckel {', '.join(sorted(map(str, unknown)))}; "
                "tillåtna: namn, ord, inte, exakt"
            )
        name = item.get("namn")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}.namn: skriv temats namn")
            continue
        name = " ".join(name.split())
        if len(name) > MAX_THEME_NAME:
            problems.append(f"{where}.namn: högst {MAX_THEME_NAME} tecken")
        if name.casefold() in seen:
            problems.append(f"{where}.namn: ”{name}” står redan i listan")
        seen.add(name.casefold())
        lists = {key: _word_list(item, key, where, problems) for key in ("ord", "inte", "exakt")}
        if not lists["ord"]:
            problems.append(f"{where}.ord: skriv minst ett ord som markerar temat")
        themes.append(Theme(name, lists["ord"], lists["inte"], lists["exakt"]))
    if len(themes) > MAX_THEMES:
        problems.append(f"högst {MAX_THEMES} teman går (Slacks flervalslista)")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ThemeFileError(f"{source} har fel; inget märktes om:\n{lines}")
    return tuple(themes)


def _word_list(
    item: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> tuple[str, ...]:
    value = item.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        problems.append(f"{where}.{key}: ska vara en lista med ord, t.ex. [rekrytera, personal]")
        return ()
    return tuple(" ".join(w.split()) for w in value)


def read_themes(path: Path | None = None) -> tuple[Theme, ...]:
    path = path or DEFAULT_THEMES_FILE
    if not path.is_file():
        raise ThemeFileError(f"Hittar ingen temafil {path}. Ange sökvägen till en .yaml-fil.")
    import yaml  # only when a themes file is read (~15 ms of every start otherwise)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ThemeFileError(f"{path.name} är inte giltig YAML ({exc}).") from exc
    return parse_themes(data, path.name)


_TAGGERS: dict[tuple[str, float], Tagger] = {}


def tagger_for(path: Path | None = None) -> Tagger:
    """The compiled list in `path` (default data/themes.yaml), compiled again when it changes."""
    path = (path or DEFAULT_THEMES_FILE).resolve()
    key = (str(path), path.stat().st_mtime if path.exists() else 0.0)
    tagger = _TAGGERS.get(key)
    if tagger is None:
        tagger = Tagger(read_themes(path))
        _TAGGERS.clear()
        _TAGGERS[key] = tagger
    return tagger
