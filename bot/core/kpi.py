"""Key figures (nyckeltal) recorded by hand: find one by a loose name, set a year's value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy.orm import Session

from bot.errors import Ambiguous, InvalidInput, NotFound
from storage import key_figures
from storage.models import KeyFigure, KeyFigureValue

MET_WORDS: dict[str, bool | None] = {
    "ja": True,
    "j": True,
    "uppfyllt": True,
    "nej": False,
    "n": False,
    "ej uppfyllt": False,
    "okänt": None,
    "vet ej": None,
    "-": None,
}
FUZZY_CUTOFF = 75
FUZZY_MARGIN = 10
MAX_NAME = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class KeyFigureChange:
    figure: KeyFigure
    value: KeyFigureValue
    created: bool


def parse_met(text: str) -> bool | None:
    """'ja' / 'nej' / 'okänt'; anything else gets a Swedish message."""
    key = " ".join(text.strip().lower().split())
    if key not in MET_WORDS:
        raise InvalidInput(f'"{text}" förstår jag inte som uppfyllt. Skriv ja, nej eller okänt.')
    return MET_WORDS[key]


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"Året {year} ser fel ut. Skriv året med fyra siffror, t.ex. 2026.")
    return year


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def find_key_figure(session: Session, name: str) -> KeyFigure:
    """The key figure `name` means: exact (any case), then every word a word start, then fuzzy.

    Raises NotFound or Ambiguous with a Swedish message naming the candidates.
    """
    wanted = name.strip()
    if not wanted:
        raise InvalidInput("Skriv nyckeltalets namn, t.ex. knalle kpi set NKI 2026 --outcome 75.")
    exact = key_figures.by_name(session, wanted)
    if exact is not None:
        return exact
    figures = key_figures.all_key_figures(session)
    query_words = _words(wanted)
    prefixed = [
        figure
        for figure in figures
        if query_words
        and all(any(word.startswith(q) for word in _words(figure.name)) for q in query_words)
    ]
    if len(prefixed) > 1:
        # "NKI": the figure named "NKI, nöjd kundindex" beats one whose description mentions NKI.
        leading = [
            figure
            for figure in prefixed
            if any(first.startswith(query_words[0]) for first in _words(figure.name)[:1])
        ]
        if len(leading) == 1:
            return leading[0]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise Ambiguous(
            f'"{wanted}" passar flera nyckeltal: {_listed(f.name for f in prefixed)}. '
            "Skriv mer av namnet.",
            [f.name for f in prefixed],
        )
    scored = process.extract(
        wanted,
        {figure.id: figure.name for figure in figures},
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=2,
    )
    if scored and scored[0][1] >= FUZZY_CUTOFF:
        if len(scored) == 1 or scored[0][1] - scored[1][1] >= FUZZY_MARGIN:
            return next(f for f in figures if f.id == scored[0][2])
        names = [name for name, _score, _key in scored]
        raise Ambiguous(
            f'"{wanted}" passar flera nyckeltal: {_listed(names)}. Skriv mer av namnet.', names
        )
    known = _listed(f.name for f in figures) or "inga ännu"
    raise NotFound(
        f'Nyckeltalet "{wanted}" finns inte (finns: {known}). '
        'Skapa ett nytt med --new, t.ex. knalle kpi set "Antal besök" 2026 --new --target 150.'
    )


def _listed(names: Iterable[str]) -> str:
    """Names in a sentence: a name's own closing full stop would make "..". """
    return "; ".join(name.rstrip(". ") for name in names)


def set_key_figure(
    session: Session,
    name: str,
    year: int,
    *,
    target: str | None = None,
    outcome: str | None = None,
    met: str | None = None,
    new: bool = False,
) -> KeyFigureChange:
    """Set target / outcome / met of a key figure for `year`; the caller commits.

    Validates everything before changing anything, so a bad value stores nothing.
    """
    check_year(year)
    met_value = parse_met(met) if met is not None else None
    if target is None and outcome is None and met is None and not new:
        raise InvalidInput("Ange något att spara: --target, --outcome eller --met.")
    for label, text in (("målet", target), ("utfallet", outcome)):
        if text is not None and len(text) > 2000:
            raise InvalidInput(f"Texten för {label} är för lång (högst 2000 tecken).")
    created = False
    if new:
        clean = " ".join(name.split())
        if not clean:
            raise InvalidInput('Skriv det nya nyckeltalets namn, t.ex. "Antal besök".')
        if len(clean) > MAX_NAME:
            raise InvalidInput(f"Namnet är för långt (högst {MAX_NAME} tecken).")
        existing = key_figures.by_name(session, clean)
        if existing is not None:
            raise InvalidInput(f'Nyckeltalet "{existing.name}" finns redan; ta bort --new.')
        figure = key_figures.add_key_figure(session, clean)
        created = True
    else:
        figure = find_key_figure(session, name)
    value = key_figures.set_value(
        session,
        figure,
        year,
        target=target.strip() if target is not None else None,
        outcome=outcome.strip() if outcome is not None else None,
        met=met_value,
        clear_met=met is not None and met_value is None,
    )
    return KeyFigureChange(figure=figure, value=value, created=created)
