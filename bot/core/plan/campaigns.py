"""Campaign targets beside the yearly one, and who counts as a politician at a visit.

A plan's `kampanjer` (e.g. "109 företagsbesök: 109 besök med minst en politiker, 2021-09-01 –
2022-12-31") are counted over the visits dated in the campaign. A politician is recognised in
a visit's others-present by a title ("KSO", "kommunalrådet …", "KS-ledamot …",
"riksdagsledamot …") or by a name or alias from the plan's `politiker` list. `/besök
statistik`, the Home tab, the Monday digest and the report all show `describe(progress)`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.plan.requirements import REQUIRES_POLITICIAN
from bot.core.text.sv import sv_date
from storage import activities as plan_queries
from storage import visits as visit_queries
from storage.models import Plan

# Titles as written in others-present, any case and inflection ("kommunalrådet", "KSO:s").
_TITLES = re.compile(
    r"(?<![\w-])("
    r"kso|ks-ordförande\w*|kommunstyrelsens\s+ordförande|kommunstyrelsens\s+vice\s+ordförande"
    r"|kommunalråd\w*|oppositionsråd\w*|ks-ledamot\w*|kommunstyrelseledamot\w*"
    r"|ledamot\s+i\s+kommunstyrelsen|ks-ledamöter\w*"
    r"|riksdagsledamot\w*|riksdagsledamöter\w*|riksdagsman|riksdagskvinna"
    r"|kf-ordförande\w*|kommunfullmäktiges\s+ordförande|fullmäktigeledamot\w*|kf-ledamot\w*"
    r"|regionråd\w*|nämndordförande\w*|politiker\w*|minister\w*|statsråd\w*"
    r")(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Politician:
    name: str
    title: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Campaign:
    name: str
    target: int
    requirement: str | None
    start: dt.date
    end: dt.date

    @property
    def needs_politician(self) -> bool:
        return self.requirement == REQUIRES_POLITICIAN


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    through: dt.date  # the campaign's last day, or today while it runs
    counted: int
    expected: int  # where a steady pace from start to end would be on `through`

    @property
    def finished(self) -> bool:
        return self.through >= self.campaign.end

    @property
    def started(self) -> bool:
        return self.through >= self.campaign.start

    @property
    def left(self) -> int:
        return max(0, self.campaign.target - self.counted)

    @property
    def per_week_needed(self) -> float:
        """Visits a week still needed to reach the target by the end (0 once reached)."""
        days = (self.campaign.end - self.through).days
        if self.left == 0:
            return 0.0
        return self.left / max(days / 7, 1 / 7)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _names(politicians: Sequence[Politician]) -> list[re.Pattern[str]]:
    patterns = []
    for politician in politicians:
        for name in (politician.name, *politician.aliases):
            folded = _fold(name)
            if folded:
                patterns.append(re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)"))
    return patterns


class PoliticianMatcher:
    """Is a politician among a visit's others? By title, or by a name the plan lists."""

    def __init__(self, politicians: Sequence[Politician] = ()) -> None:
        self._names = _names(politicians)

    def is_politician(self, other: str) -> bool:
        folded = _fold(other)
        return bool(_TITLES.search(folded)) or any(p.search(folded) for p in self._names)

    def any_politician(self, others: Iterable[str]) -> bool:
        return any(self.is_politician(other) for other in others)


def campaigns_of(plan: Plan | None) -> tuple[list[Campaign], list[Politician]]:
    if plan is None:
        return [], []
    campaigns = [
        Campaign(
            name=str(c["namn"]),
            target=int(str(c["mål"])),
            requirement=str(c["krav"]) if c.get("krav") else None,
            start=dt.date.fromisoformat(str(c["från"])),
            end=dt.date.fromisoformat(str(c["till"])),
        )
        for c in plan.campaigns or []
    ]
    politicians = [
        Politician(
            name=str(p["namn"]),
            title=str(p["titel"]) if p.get("titel") else None,
            aliases=tuple(str(a) for a in p.get("alias") or []),  # type: ignore[attr-defined]
        )
        for p in plan.politicians or []
    ]
    return campaigns, politicians


def steady(target: int, start: dt.date, end: dt.date, through: dt.date) -> int:
    """Visits a steady pace from `start` to `end` would have reached on `through`."""
    total = (end - start).days + 1
    done = min(max((through - start).days + 1, 0), total)
    return math.floor(target * done / total + 1e-9)


def count(
    session: Session, campaign: Campaign, matcher: PoliticianMatcher, through: dt.date
) -> int:
    """Visits dated in the campaign up to `through` that meet its requirement."""
    last = min(through, campaign.end)
    if last < campaign.start:
        return 0
    visits = visit_queries.others_between(session, campaign.start, last)
    if not campaign.needs_politician:
        return len(visits)
    return sum(1 for others in visits if matcher.any_politician(others))


def progress_for(
    session: Session, plan: Plan | None, today: dt.date, year: int | None = None
) -> list[CampaignProgress]:
    """The campaigns of `plan` that run during `year` (every one when None) as of `today`:
    counted, and where a steady pace would be. A campaign that ended in an earlier year is
    history: the 2022 plan still in force in 2026 must not show its 2022 campaign as lost."""
    campaigns, politicians = campaigns_of(plan)
    matcher = PoliticianMatcher(politicians)
    found = []
    for campaign in campaigns:
        if year is not None and not campaign.start.year <= year <= campaign.end.year:
            continue
        through = min(today, campaign.end)
        found.append(
            CampaignProgress(
                campaign=campaign,
                through=through,
                counted=count(session, campaign, matcher, through),
                expected=steady(campaign.target, campaign.start, campaign.end, through),
            )
        )
    return found


def progress_in_force(session: Session, today: dt.date) -> list[CampaignProgress]:
    """The campaigns of the plan in force today that run this year (Home tab)."""
    return progress_for(session, plan_queries.current_plan(session, today), today, today.year)


def progress_for_year(session: Session, year: int, today: dt.date) -> list[CampaignProgress]:
    """The campaigns of the plan in force in `year` that run during `year`, as of `today` or
    the year's end (`/besök statistik ÅR`, the report)."""
    through = min(today, dt.date(year, 12, 31))
    return progress_for(session, plan_queries.plan_in_force(session, year), through, year)


def _span(campaign: Campaign) -> str:
    return f"{sv_date(campaign.start)} – {sv_date(campaign.end)}"


def _what(campaign: Campaign) -> str:
    return "besök med minst en politiker" if campaign.needs_politician else "besök"


def describe(progress: CampaignProgress) -> str:
    """One plain Swedish sentence (no markup): progress and pace, as every surface shows it."""
    c = progress.campaign
    percent = round(100 * progress.counted / c.target) if c.target else 0
    head = f"{c.name}: {progress.counted} av {c.target} {_what(c)} ({percent} %), {_span(c)}."
    if not progress.started:
        return f"{c.name}: börjar {sv_date(c.start)} ({c.target} {_what(c)}, {_span(c)})."
    if progress.counted >= c.target:
        return f"{head} Målet är nått."
    if progress.finished:
        return f"{head} Kampanjen slutade {progress.left} besök från målet."
    pace = "före" if progress.counted >= progress.expected else "efter"
    needed = f"{progress.per_week_needed:.1f}".replace(".", ",")
    return (
        f"{head} Jämn takt hade gett {progress.expected} t.o.m. {sv_date(progress.through)}: "
        f"{pace} takten. {progress.left} kvar, {needed} i veckan."
    )
