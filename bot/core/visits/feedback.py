"""What the companies told us: themes on each visit's notes, and the compilation to present.

Tags are rows (storage/themes.py): the list (data/themes.yaml, bot/core/visits/themes.py) sets them
when a visit is stored or its notes change; a person corrects them in the visit form, and that
word is final: `knalle themes retag` after a change of the list never overrides it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.core import audit
from bot.core.visits.themes import Tagger, ThemeFileError, tagger_for
from bot.errors import InvalidInput
from storage import themes as queries
from storage import visits as visit_queries

logger = logging.getLogger(__name__)

SLACK_QUOTES = 3  # newest quotes per theme in /besök synpunkter
SLACK_THEMES_IN_DETAIL = 3  # the largest themes get the cluster split and quotes
DOCUMENT_QUOTES = 60  # newest quotes per theme in `knalle synpunkter` (counts cover all)
UNKNOWN_CLUSTER = visit_queries.UNKNOWN_CLUSTER


@dataclass(frozen=True)
class Quote:
    company: str
    visit_date: dt.date
    excerpt: str
    cluster: str


@dataclass(frozen=True)
class ThemeSummary:
    name: str
    count: int  # visits with the theme
    by_cluster: dict[str, int]  # most first, ties by name
    quotes: tuple[Quote, ...]  # newest first, at most the compilation's limit

    def by_company(self) -> list[tuple[str, list[Quote]]]:
        """The quotes grouped by company: most quotes first, then by name; newest first within."""
        groups: dict[str, list[Quote]] = {}
        for quote in self.quotes:
            groups.setdefault(quote.company, []).append(quote)
        return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0].casefold()))


@dataclass(frozen=True)
class Compilation:
    year: int
    through: dt.date
    visits: int  # live visits of the year up to `through`
    tagged: int  # of which with at least one theme
    themes: tuple[ThemeSummary, ...]  # every listed theme, most visits first, ties in list order
    quote_limit: int

    @property
    def ranked(self) -> list[ThemeSummary]:
        """Themes with at least one visit, most first."""
        return [t for t in self.themes if t.count]

    @property
    def untagged(self) -> int:
        return self.visits - self.tagged


@dataclass(frozen=True)
class RetagResult:
    visits: int
    added: int
    removed: int


def theme_names(themes_file: Path | None) -> tuple[str, ...]:
    """The list's themes for the visit form; none (no field) while the list is broken."""
    found = list_tagger_or_none(themes_file)
    return found.names if found else ()


def list_tagger_or_none(themes_file: Path | None) -> Tagger | None:
    """The list for tagging a new visit; a broken list must never stop a visit being logged.
    `themes_file` is KNALLE_THEMES_FILE (None: data/themes.yaml)."""
    try:
        return tagger_for(themes_file)
    except ThemeFileError:
        logger.warning("the themes file has problems; visits are stored without themes")
        return None


def tag_visit(
    session: Session, tagger_: Tagger | None, visit_id: int, notes: str, now: dt.datetime
) -> None:
    """The list's themes on one visit (when it is stored, and again when its notes change)."""
    if tagger_ is not None:
        queries.set_by_list(session, visit_id, tagger_.themes_of(notes), now)


def correct(
    session: Session,
    visit_id: int,
    chosen: Sequence[str],
    shown: Sequence[str],
    user_id: str,
    now: dt.datetime,
) -> None:
    """A person changed the visit form's themes from `shown` to `chosen`: each change is final."""
    before, after = set(shown), set(chosen)
    for theme in sorted(after - before):
        queries.set_by_person(session, visit_id, theme, True, user_id, now)
    for theme in sorted(before - after):
        queries.set_by_person(session, visit_id, theme, False, user_id, now)


def check_chosen(themes_file: Path | None, chosen: Sequence[str]) -> None:
    names = set(tagger_for(themes_file).names)
    unknown = [c for c in chosen if c not in names]
    if unknown:
        raise InvalidInput(
            f"Temat {unknown[0]} finns inte i temalistan (data/themes.yaml). Välj bland de "
            "teman som listan visar."
        )


def retag(
    session: Session,
    themes_file: Path | None,
    *,
    now: dt.datetime,
    actor: audit.Actor,
    advance: Callable[[int], None] | None = None,
) -> RetagResult:
    """Tag every live visit again with the (changed) list; a person's tags are kept as set.
    `advance(n)` hears of each batch (the CLI's progress bar). One unit of work: the caller's."""
    tagger_ = tagger_for(themes_file)
    visits = added = removed = 0
    removed += queries.drop_unknown(session, tagger_.names)
    for batch in queries.notes_in_batches(session):
        wanted = {visit_id: tagger_.themes_of(notes) for visit_id, notes in batch}
        a, r = queries.retag_batch(session, wanted, now)
        session.flush()
        visits += len(batch)
        if advance is not None:
            advance(len(batch))
        added += a
        removed += r
    audit.log(
        session,
        actor,
        "themes.retag",
        audit.VISIT,
        "alla",
        at=now,
        after={"visits": visits, "added": added, "removed": removed},
    )
    return RetagResult(visits=visits, added=added, removed=removed)


def parse_year(word: str, today: dt.date) -> int:
    word = word.strip()
    if not word:
        return today.year
    if not word.isdigit() or len(word) != 4:
        raise InvalidInput(
            f'"{word}" är inget år. Skriv året med fyra siffror, t.ex. '
            f"`/besök synpunkter {today.year - 1}`, eller bara `/besök synpunkter`."
        )
    year = int(word)
    if year > today.year:
        raise InvalidInput(
            f"{year} har inte börjat än. Skriv `/besök synpunkter` för i år ({today.year})."
        )
    return year


def compile_year(
    session: Session,
    tagger_: Tagger,
    year: int,
    through: dt.date,
    *,
    quote_limit: int = DOCUMENT_QUOTES,
) -> Compilation:
    """Counts per theme over every visit of `year` up to `through`; the newest quotes of each."""
    start = dt.date(year, 1, 1)
    total = visit_queries.count_between(session, start, through)
    counts: Counter[str] = Counter()
    clusters: dict[str, Counter[str]] = {}
    for theme, cluster, n in queries.counts_by_theme_and_cluster(session, start, through):
        counts[theme] += n
        clusters.setdefault(theme, Counter())[cluster or UNKNOWN_CLUSTER] += n
    # Only the quotes shown are read: the newest of each theme, one indexed query per theme.
    kept = {
        theme: queries.newest_of_theme(session, theme, start, through, quote_limit)
        for theme in counts
    }
    tagged = queries.tagged_visits(session, start, through)
    order = {name: i for i, name in enumerate(tagger_.names)}
    # Themes a person set that the list no longer has still count, after the list's own.
    names = list(tagger_.names) + sorted(set(counts) - set(order))
    summaries = []
    for name in names:
        split = clusters.get(name, Counter())
        summaries.append(
            ThemeSummary(
                name=name,
                count=counts.get(name, 0),
                by_cluster=dict(sorted(split.items(), key=lambda item: (-item[1], item[0]))),
                quotes=tuple(
                    Quote(
                        company=note.company,
                        visit_date=note.visit_date,
                        excerpt=tagger_.excerpt(note.notes, name),
                        cluster=note.cluster or UNKNOWN_CLUSTER,
                    )
                    for note in kept.get(name, ())
                ),
            )
        )
    summaries.sort(key=lambda s: (-s.count, order.get(s.name, len(order))))
    return Compilation(
        year=year,
        through=through,
        visits=total,
        tagged=tagged,
        themes=tuple(summaries),
        quote_limit=quote_limit,
    )


def compilation(
    session: Session,
    themes_file: Path | None,
    year: int | None = None,
    *,
    today: dt.date,
    quote_limit: int = DOCUMENT_QUOTES,
) -> Compilation:
    """The year's compilation (default this year, up to today)."""
    year = year or today.year
    if year > today.year:
        raise InvalidInput(f"{year} har inte börjat än. Välj {today.year} eller tidigare.")
    through = today if year == today.year else dt.date(year, 12, 31)
    tagger_ = tagger_for(themes_file)
    return compile_year(session, tagger_, year, through, quote_limit=quote_limit)


def summary_for_slack(
    session: Session, themes_file: Path | None, year_word: str = "", *, today: dt.date
) -> Compilation:
    """`/besök synpunkter [år]`: every theme's count; the newest quotes of each."""
    year = parse_year(year_word, today)
    return compilation(session, themes_file, year, today=today, quote_limit=SLACK_QUOTES)
