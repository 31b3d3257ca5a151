"""What scheduled sends say: reminders, the weekly digest (with its chart), visit follow-ups.

The core decides who gets what; this module says it in Block Kit, one `Outgoing` per message
and recipient. bot/schedule/sends.py delivers each exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.followup.digest import PersonalDigest, TeamDigest
from bot.core.followup.reminders import DueActivity, Reminder
from bot.core.plan.lights import NOT_REPORTED, NOT_REPORTED_SYMBOL, SYMBOL, Light
from bot.core.text.sv import sv_date, sv_day, sv_long_date
from bot.core.visits.followups import VisitFollowUp
from bot.files.charts import visits_per_month_png
from handlers.blocks import (
    COMPACT_PREVIEW_MIN,
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    SHORT_TITLE,
    Block,
    ListItem,
    button,
    clip,
    context,
    escape,
    header,
    item_list,
    section,
    text_length,
)
from handlers.ids import ActivityAction
from handlers.limits import MESSAGE_BLOCK_TEXT
from handlers.scheduled import texts as t

DIGEST = "digest"
DIGEST_CHART = "digest-chart"
DIGEST_PERSONAL = "digest-personal"
VISIT_FOLLOWUP = "visit-followup"


@dataclass
class ChartFile:
    filename: str
    title: str
    content: bytes


@dataclass
class Outgoing:
    """One message for one recipient, keyed in the ledger by (kind, recipient, period)."""

    kind: str
    recipient: str  # a user id (sent as a DM) or a channel id
    period: str
    text: str
    blocks: list[Block]
    label: str  # who, for people reading a run: "Anna M", "#C0TEAM"
    chart: ChartFile | None = None

    @property
    def is_dm(self) -> bool:
        return self.recipient[:1] in ("U", "W")


# -- rendering -------------------------------------------------------------------------------

# A DM lists many activities: each shows the start of its latest comment, as /aktivitet mina does.
COMMENT_PREVIEW = 300


def _light_line(item: DueActivity, preview: int = COMMENT_PREVIEW) -> str:
    if item.light is None:
        return t.NEVER_REPORTED.format(symbol=NOT_REPORTED_SYMBOL)
    comment = " ".join(item.comment.split())
    if comment and preview >= COMPACT_PREVIEW_MIN:
        return t.LAST_SAID.format(
            symbol=SYMBOL[item.light],
            light=item.light.value,
            comment=escape(clip(comment, preview)),
            period=item.last_period or "",
        )
    return t.LAST_SAID_NO_COMMENT.format(
        symbol=SYMBOL[item.light], light=item.light.value, period=item.last_period or ""
    )


def _activity_blocks(items: tuple[DueActivity, ...], room: int, budget: int) -> list[Block]:
    """Every activity: a section with its Uppdatera button each when they fit `room` blocks and
    `budget` characters, else a line each and one button opening the form with them all."""

    def row(item: DueActivity) -> ListItem:
        return ListItem(
            heading=f"*{escape(item.number)} {escape(item.title)}*",
            detail=lambda preview: _light_line(item, preview),
            button=button(t.UPDATE_BUTTON, ActivityAction.UPDATE, str(item.activity_id)),
            short=f"*{escape(item.number)} {escape(clip(item.title, SHORT_TITLE))}*",
        )

    return item_list(
        [row(item) for item in items],
        max_blocks=room,
        budget=budget,
        shared_button=button(t.UPDATE_ANY_BUTTON, ActivityAction.UPDATE, "", style="primary"),
        more=lambda count: t.MORE_ACTIVITIES.format(count=count),
    )


def _budget(blocks: list[Block], *after: Block) -> int:
    """What is left of a message's block text once `blocks` and the closing `after` are in."""
    return MESSAGE_BLOCK_TEXT - 300 - text_length([*blocks, *after])


def reminder_message(reminder: Reminder) -> Outgoing:
    count = t.activities_text(len(reminder.activities))
    days = t.days_text(reminder.days_left)
    last = reminder.is_last
    intro = t.REMINDER_INTRO.format(
        name=escape(reminder.name),
        followup=sv_date(reminder.followup),
        period=reminder.period,
        count=count,
    )
    blocks = [
        header(t.REMINDER_LAST_HEADER if last else t.REMINDER_HEADER),
        section(f"{intro}\n{t.REMINDER_DAYS_LEFT.format(days=days)}"),
    ]
    how = context(t.REMINDER_HOW)
    blocks += _activity_blocks(reminder.activities, MESSAGE_BLOCK_LIMIT - 3, _budget(blocks, how))
    blocks.append(how)
    text = t.REMINDER_FALLBACK.format(days=days, followup=sv_date(reminder.followup), count=count)
    return Outgoing(reminder.kind, reminder.recipient, reminder.period, text, blocks, reminder.name)


def _bullets(lines: list[str], limit: int = SECTION_TEXT_LIMIT - 200) -> str:
    """Lines joined until the section limit; the rest counted in a "more" line."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > limit:
            kept.append(t.DIGEST_MORE.format(count=len(lines) - index))
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _lights_text(lights: dict[str, int]) -> str:
    parts = [f"{SYMBOL[light]} {light.value} {lights.get(light.value, 0)}" for light in Light]
    parts.append(f"{NOT_REPORTED_SYMBOL} {NOT_REPORTED} {lights.get(NOT_REPORTED, 0)}")
    return " · ".join(parts)


def digest_message(digest: TeamDigest, channel: str) -> Outgoing:
    week_number = digest.week.rsplit("W", 1)[-1].lstrip("0")
    start, end = sv_day(digest.week_start), sv_day(digest.week_end)
    if digest.visits:
        visit_lines = [t.DIGEST_VISITS.format(start=start, end=end, count=len(digest.visits))]
        visit_lines.append(
            t.DIGEST_COMPANIES.format(companies=", ".join(escape(c) for c in digest.companies))
        )
        people = ", ".join(f"{escape(name)} ({count})" for name, count in digest.people)
        visit_lines.append(t.DIGEST_WHO.format(people=people))
        visits_text = _bullets(visit_lines)
    else:
        visits_text = t.DIGEST_NO_VISITS.format(start=start, end=end)
    diff = digest.year_count - digest.pace_now
    state = (
        t.DIGEST_AHEAD.format(diff=diff)
        if diff > 0
        else t.DIGEST_BEHIND.format(diff=-diff)
        if diff < 0
        else t.DIGEST_ON_PACE
    )
    year_text = t.DIGEST_YEAR.format(
        count=digest.year_count, target=digest.target, pace=digest.pace_now, state=state
    )
    if digest.campaigns:
        year_text += (
            "\n"
            + t.DIGEST_CAMPAIGNS
            + "\n"
            + _bullets([f"• {escape(line)}" for line in digest.campaigns])
        )
    blocks = [
        header(t.DIGEST_HEADER.format(week=week_number)),
        section(visits_text),
        section(year_text),
    ]
    if digest.activity_count:
        blocks.append(
            section(
                t.DIGEST_LIGHTS.format(
                    count=digest.activity_count, lights=_lights_text(digest.lights)
                )
            )
        )
        if digest.not_reported:
            title = t.DIGEST_NOT_REPORTED.format(
                period=digest.period,
                count=len(digest.not_reported),
                total=digest.activity_count,
            )
            lines = [
                f"• {escape(a.number)} {escape(a.title)}"
                + (f" ({escape(', '.join(a.owners))})" if a.owners else "")
                for a in digest.not_reported
            ]
            blocks.append(section(title + "\n" + _bullets(lines)))
        else:
            blocks.append(section(t.DIGEST_ALL_REPORTED.format(period=digest.period)))
    else:
        blocks.append(section(t.DIGEST_NO_PLAN))
    blocks.append(
        section(
            t.DIGEST_NEXT_FOLLOWUP.format(
                day=sv_long_date(digest.next_followup),
                days=t.days_text(digest.days_to_followup),
            )
        )
    )
    text = t.DIGEST_FALLBACK.format(
        visits=t.visits_text(len(digest.visits)),
        year_count=digest.year_count,
        target=digest.target,
        followup=sv_date(digest.next_followup),
    )
    chart = ChartFile(
        filename=t.DIGEST_CHART_FILENAME.format(year=digest.year, week=week_number),
        title=t.DIGEST_CHART_TITLE.format(year=digest.year, target=digest.target),
        content=visits_per_month_png(digest.by_month, digest.target, digest.year, digest.day),
    )
    return Outgoing(DIGEST, channel, digest.week, text, blocks, f"#{channel}", chart)


def personal_message(digest: PersonalDigest) -> Outgoing:
    blocks: list[Block] = [header(t.PERSONAL_HEADER)]
    if digest.visits:
        lines = [t.PERSONAL_VISITS.format(count=len(digest.visits))]
        lines += [f"• {escape(v.company)} ({sv_day(v.day)})" for v in digest.visits]
        blocks.append(section(_bullets(lines)))
    else:
        blocks.append(section(t.PERSONAL_NO_VISITS))
    if digest.due:
        blocks.append(
            section(
                t.PERSONAL_DUE.format(
                    followup=sv_date(digest.next_followup),
                    period=digest.period,
                    count=t.activities_text(len(digest.due)),
                )
            )
        )
        how = context(t.REMINDER_HOW)
        blocks += _activity_blocks(
            digest.due, MESSAGE_BLOCK_LIMIT - len(blocks) - 1, _budget(blocks, how)
        )
        blocks.append(how)
    else:
        blocks.append(section(t.PERSONAL_NOTHING_DUE.format(period=digest.period)))
    text = t.PERSONAL_FALLBACK.format(
        visits=t.visits_text(len(digest.visits)), count=t.activities_text(len(digest.due))
    )
    return Outgoing(DIGEST_PERSONAL, digest.recipient, digest.week, text, blocks, digest.name)


def visit_followup_message(item: VisitFollowUp, label: str) -> Outgoing:
    day = sv_long_date(item.visit_date)
    lines = [t.VISIT_FOLLOWUP_TEXT.format(company=escape(item.company), day=day)]
    if item.notes.strip():
        lines.append(t.VISIT_FOLLOWUP_NOTES.format(notes=escape(item.notes.strip())))
    blocks = [section("\n".join(lines)), context(t.VISIT_FOLLOWUP_HOW)]
    text = t.VISIT_FOLLOWUP_FALLBACK.format(company=escape(item.company))
    return Outgoing(VISIT_FOLLOWUP, item.recipient, item.period, text, blocks, label)


# -- delivery --------------------------------------------------------------------------------
