"""Next year's plan as a YAML draft (`knalle plan new 2027 [--from 2026]`): the yearly cycle.

The draft carries every activity of the source plan whose "När" includes the new year, and every
one not finished (its last light is not green, or it has none), with number, title, owners,
priority, purpose, goal and actions, and its last comment as a YAML comment for context. What
was done (green, and not planned for the new year) is dropped. Campaigns still running in the
new year and the named politicians come along. The draft is edited by hand and then imported
with `knalle plan import`, which keeps each activity's history by its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.plan.file import MAX_YEAR, MIN_YEAR
from bot.core.plan.lights import Light
from bot.errors import InvalidInput, NotFound
from storage import activities as queries
from storage import staff as staff_queries
from storage.models import Activity, Plan

_YEAR_IN_NAME = re.compile(r"\b(19|20)\d{2}\b")
COMMENT_WIDTH = 96


@dataclass(frozen=True)
class Draft:
    year: int
    source_year: int
    text: str  # the YAML
    carried: int
    dropped: int


def _scalar(value: object) -> str:
    """One YAML scalar on one line, quoted where YAML needs it (numbers, colons …)."""
    import yaml  # only when a draft is written, not at every start

    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.strip().removesuffix("...").strip()


def _list(values: list[str] | list[int]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def _comment_lines(text: str, indent: str) -> list[str]:
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for w in words:
        if current and len(current) + 1 + len(w) > COMMENT_WIDTH:
            lines.append(current)
            current = w
        else:
            current = f"{current} {w}".strip()
    if current:
        lines.append(current)
    return [f"{indent}#   {line}" for line in lines]


def _name_for(plan: Plan, year: int) -> str:
    if _YEAR_IN_NAME.search(plan.name):
        return _YEAR_IN_NAME.sub(str(year), plan.name, count=1)
    return f"{plan.name} {year}"


def check_years(year: int, source: int | None) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"Året {year} är orimligt; skriv t.ex. `knalle plan new 2027`.")
    source = source if source is not None else year - 1
    if source >= year:
        raise InvalidInput(
            f"--from {source} ska vara ett tidigare år än {year}, t.ex. "
            f"`knalle plan new {year} --from {year - 1}`."
        )
    return source


def draft_plan(session: Session, year: int, source_year: int | None = None) -> Draft:
    """The YAML draft of `year`'s plan from the plan of `source_year` (default the year before)."""
    source = check_years(year, source_year)
    plan = queries.plan_for_year(session, source)
    if plan is None:
        raise NotFound(
            f"Ingen plan för {source} är inläst. Läs in den med `knalle plan import FIL`, "
            "eller välj ett annat år med --from."
        )
    listed = queries.activities_in_plan(session, plan.id)
    latest = queries.latest_updates(session, [a.id for a in listed])
    carried: dict[int, Activity] = {}
    for activity in listed:
        last = latest.get(activity.id)
        finished = last is not None and last.light == Light.GRON.value
        if year in (activity.years or []) or not finished:
            carried[activity.id] = activity
    staff = [m.name for m in staff_queries.all_staff(session, active_only=False) if m.name]
    special = {"alla", "berörda"}
    for activity in carried.values():
        for owner in activity.owners:
            if owner.name.casefold() not in special and owner.name not in staff:
                staff.append(owner.name)
    lines = [
        f"# Utkast till verksamhetsplanen {year}, skrivet av `knalle plan new {year} "
        f"--from {source}` ur {plan.name}.",
        f"# Med är varje aktivitet vars När omfattar {year} och varje som inte är klar (senaste "
        "ljuset inte grönt);",
        f"# de klara är borttagna ({len(listed) - len(carried)} st). Senaste kommentaren står som "
        "kommentar vid varje aktivitet.",
        "# Redigera, och läs sedan in med `knalle plan import FIL` (historiken följer numret).",
        f"år: {year}",
        f"namn: {_scalar(_name_for(plan, year))}",
    ]
    if staff:
        lines.append(f"personal: {_list(staff)}")
    campaigns = [c for c in plan.campaigns or [] if str(c.get("till", ""))[:4] >= str(year)]
    if campaigns:
        lines.append("kampanjer:")
        for c in campaigns:
            lines.append(f"  - namn: {_scalar(c['namn'])}")
            lines.append(f"    mål: {c['mål']}")
            if c.get("krav"):
                lines.append(f"    krav: {_scalar(c['krav'])}")
            lines.append(f"    från: {c['från']}")
            lines.append(f"    till: {c['till']}")
    if plan.politicians:
        lines.append("politiker:")
        for p in plan.politicians:
            lines.append(f"  - namn: {_scalar(p['namn'])}")
            if p.get("titel"):
                lines.append(f"    titel: {_scalar(p['titel'])}")
            aliases = p.get("alias") or []
            lines.append(f"    alias: {_list([str(a) for a in aliases])}")  # type: ignore[attr-defined]
    lines.append("kapitel:")
    any_chapter = False
    for chapter in plan.chapters:
        sections = [
            (section, [a for a in section.activities if a.id in carried])
            for section in chapter.sections
        ]
        sections = [(s, acts) for s, acts in sections if acts]
        if not sections:
            continue
        any_chapter = True
        lines.append(f"  - nummer: {_scalar(chapter.number)}")
        lines.append(f"    titel: {_scalar(chapter.title)}")
        lines.append("    avsnitt:")
        for section, acts in sections:
            lines.append(f"      - nummer: {_scalar(section.number)}")
            lines.append(f"        titel: {_scalar(section.title)}")
            lines.append("        aktiviteter:")
            for activity in sorted(acts, key=lambda a: a.position):
                lines += _activity_lines(activity, latest.get(activity.id), year)
    if not any_chapter:
        raise NotFound(
            f"Alla aktiviteter i {plan.name} är klara och ingen gäller {year}: utkastet blir "
            "tomt. Skriv den nya planen från början (se docs/plan-format.md)."
        )
    return Draft(
        year=year,
        source_year=source,
        text="\n".join(lines) + "\n",
        carried=len(carried),
        dropped=len(listed) - len(carried),
    )


def _activity_lines(activity: Activity, last: queries.UpdateRow | None, year: int) -> list[str]:
    pad = "          "
    years = sorted({*(activity.years or []), year})
    lines = []
    if last is not None:
        light = last.light or "utan ljus"
        lines.append(f"{pad}# Senast ({last.period}, {light}):")
        lines += _comment_lines(last.comment or "(ingen kommentar)", pad)
    else:
        lines.append(f"{pad}# Ingen uppdatering än.")
    lines.append(f"{pad}- nummer: {_scalar(activity.number)}")
    lines.append(f"{pad}  titel: {_scalar(activity.title)}")
    lines.append(f"{pad}  syfte: {_scalar(activity.purpose or None)}")
    lines.append(f"{pad}  mål: {_scalar(activity.goal or None)}")
    actions = list(activity.actions or [])
    if actions:
        lines.append(f"{pad}  åtgärder:")
        lines += [f"{pad}    - {_scalar(action)}" for action in actions]
    else:
        lines.append(f"{pad}  åtgärder: []")
    lines.append(f"{pad}  när: {_list(years)}")
    lines.append(f"{pad}  vem: {_list([owner.name for owner in activity.owners])}")
    lines.append(f"{pad}  prio: {_scalar(activity.priority)}")
    lines.append(f"{pad}  uppföljning: {_scalar(activity.follow_up_rule or None)}")
    return lines
