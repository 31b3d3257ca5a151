"""Finding the plan's activities and recording their traffic-light updates (any surface).

`/aktivitet Företagsamt gul Decembernumret försenat` → `parse_update` finds the activity (section
number, title, or a fuzzy part of it) and the light, `record_update` stores it exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from bot.core import audit
from bot.core.followup.pauses import is_paused
from bot.core.followup.periods import Period, period_of
from bot.core.plan.lights import LEGEND, Light, split_light, stored_light
from bot.errors import Ambiguous, InvalidInput, NotFound
from storage import activities as activity_queries
from storage import staff as staff_queries
from storage import updates as update_queries
from storage.activities import PlanActivity, UpdateRow
from storage.claims import insert_if_absent
from storage.models import Activity, ActivityUpdate, Plan

COMMENT_LIMIT = 1500  # fits a Slack button value with the pending light (2000) and a section
MAX_CANDIDATES = 8
FUZZY_CUTOFF = 85.0
FUZZY_MARGIN = 5.0
MAX_NAME_WORDS = 16  # no title in a plan is longer; bounds the prefix search
DOUBLE_SUBMIT_SECONDS = 30

EXAMPLE = "/aktivitet Företagsamt gul Decembernumret försenat"
LIGHT_WORDS = (
    "grön, gul, röd eller grå (eller 🟢 🟡 🔴 ⚪, \u201dklart\u201d för grön, eller förklaringen, "
    "t.ex. \u201ddelvis klart\u201d)"
)

NO_PLAN = (
    "Det finns ingen verksamhetsplan inläst ännu. Be en administratör köra "
    "`knalle plan import FIL` först."
)
EMPTY_QUERY = (
    "Skriv vilken aktivitet du menar: avsnittsnumret (t.ex. 1.5.6) eller en del av namnet, "
    f"sedan ljus och kommentar, t.ex. `{EXAMPLE}`."
)
UNKNOWN_ACTIVITY = (
    "Jag hittar ingen aktivitet som heter \u201d{name}\u201d. Skriv avsnittsnumret (t.ex. 1.5.6) "
    "eller en del av namnet; `/aktivitet mina` visar dina aktiviteter, `/aktivitet hjälp` "
    "hur kommandot skrivs."
)
AMBIGUOUS_ACTIVITY = "\u201d{name}\u201d passar flera aktiviteter. Vilken menar du?"
UNKNOWN_LIGHT = (
    "\u201d{word}\u201d är inget ljus jag känner till. Skriv {words} efter aktiviteten, "
    f"t.ex. `{EXAMPLE}`."
)
MISSING_LIGHT = "Skriv ljus och kommentar efter aktiviteten: {words}, t.ex. `{example}`."
EMPTY_COMMENT = "Kommentaren saknas. Skriv vad som hänt efter ljuset, t.ex. `{example}`."
LONG_COMMENT = "Kommentaren är {length} tecken; högst {limit} får plats. Korta den och skicka igen."
RETIRED_ACTIVITY = "Aktiviteten finns inte längre i planen. Välj en annan med `/aktivitet mina`."


# -- value objects handed to the surfaces (no ORM rows leave a session) ----------------------


@dataclass(frozen=True)
class ActivityRef:
    id: int
    number: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class UpdateInfo:
    id: int
    light: Light | None
    comment: str
    period: str
    recorded_at: dt.datetime
    author_slack_id: str | None
    author_name: str | None
    source: str


@dataclass(frozen=True)
class ActivityStatus:
    """One activity as a list shows it: the current period's update and the latest of all."""

    ref: ActivityRef
    owners: tuple[str, ...]
    priority: str | None
    current: UpdateInfo | None  # the newest update made for the current period
    latest: UpdateInfo | None  # the newest update ever


@dataclass(frozen=True)
class ActivityDetail:
    status: ActivityStatus
    chapter: str
    section: str
    purpose: str
    goal: str
    actions: tuple[str, ...]
    years: tuple[int, ...]
    follow_up_rule: str
    history: tuple[UpdateInfo, ...]  # oldest first


@dataclass(frozen=True)
class PendingUpdate:
    """What a typed command asks for; `candidates` set when the activity is ambiguous."""

    light: Light
    comment: str
    activity: ActivityRef | None
    candidates: tuple[ActivityRef, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Receipt:
    """A recorded update; `stored` is False when it was a double submit of an earlier one."""

    activity: ActivityRef
    owners: tuple[str, ...]
    update: UpdateInfo
    period: Period
    stored: bool


class AmbiguousActivity(Ambiguous):
    def __init__(self, name: str, activities: list[ActivityRef]) -> None:
        super().__init__(
            AMBIGUOUS_ACTIVITY.format(name=name), [activity.label for activity in activities]
        )
        self.activities = activities


# -- finding activities ----------------------------------------------------------------------


def plan_or_fail(session: Session, today: dt.date) -> Plan:
    plan = activity_queries.current_plan(session, today)
    if plan is None:
        raise NotFound(NO_PLAN)
    return plan


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[\u2013\u2014\-/:,.()\"\u201d\u201c']+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")


@dataclass(frozen=True)
class _Match:
    tier: int  # 0 number, 1 whole title, 2 words of the title, 3 fuzzy; lower is surer
    refs: tuple[ActivityRef, ...]


def _score(query: str, title: str) -> float:
    # A query longer than the title must resemble all of it: partial matching would let
    # "Företagsamt gul Decembernumret" score 100 against "Företagsamt".
    if len(query) > len(title) + 2:
        return float(fuzz.ratio(query, title))
    return float(fuzz.partial_ratio(query, title))


def _match(name: str, refs: list[ActivityRef]) -> _Match | None:
    raw = name.strip()
    if not raw:
        return None
    if _NUMBER.match(raw):
        number = raw.rstrip(".")
        exact = tuple(ref for ref in refs if ref.number == number)
        if exact:
            return _Match(0, exact)
        # A section number ("1.2") offers the activities under it.
        under = tuple(ref for ref in refs if ref.number.startswith(number + "."))
        if under:
            return _Match(0, under)
        # Not a number in this plan: a title may hold it ("109 företagsbesök").
    query = _normal(raw)
    if not query:
        return None
    titled = [(ref, _normal(ref.title)) for ref in refs]
    whole = tuple(ref for ref, title in titled if title == query)
    if whole:
        return _Match(1, whole)
    word_start = re.compile(r"(?<!\w)" + re.escape(query))
    words = tuple(ref for ref, title in titled if word_start.search(title))
    if words:
        return _Match(2, words)
    if len(query) < 3:
        return None
    scored = sorted(
        ((_score(query, title), ref) for ref, title in titled),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    if best < FUZZY_CUTOFF:
        return None
    close = [(ref, score) for score, ref in scored if score >= best - FUZZY_MARGIN]
    if len(close) > 1:
        # Near-equal partial scores ("Företagsamd": Företagsamt, Ung Företagsamhet): the
        # title most like the whole query wins when it stands out clearly.
        titles = {ref.id: title for ref, title in titled}
        close.sort(key=lambda pair: _whole(query, titles[pair[0].id]), reverse=True)
        first, second = (_whole(query, titles[ref.id]) for ref, _ in close[:2])
        if first - second >= FUZZY_MARGIN:
            return _Match(3, (close[0][0],))
    return _Match(3, tuple(ref for ref, _ in close))


def _whole(query: str, title: str) -> float:
    return (float(fuzz.partial_ratio(query, title)) + float(fuzz.ratio(query, title))) / 2


def _refs(session: Session, plan_id: int) -> list[ActivityRef]:
    return [
        ActivityRef(activity.id, activity.number, activity.title)
        for activity in activity_queries.activities_in_plan(session, plan_id)
    ]


def find_activity(session: Session, plan_id: int, name: str) -> ActivityRef:
    """One activity by section number or (a fuzzy part of) its title.

    Raises NotFound, or AmbiguousActivity carrying the candidates to offer.
    """
    name = name.strip()
    if not name:
        raise InvalidInput(EMPTY_QUERY)
    match = _match(name, _refs(session, plan_id))
    if match is None or not match.refs:
        raise NotFound(UNKNOWN_ACTIVITY.format(name=_clip(name)))
    if len(match.refs) > 1:
        raise AmbiguousActivity(_clip(name), list(match.refs[:MAX_CANDIDATES]))
    return match.refs[0]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_comment(comment: str) -> str:
    comment = comment.strip()
    if not comment:
        raise InvalidInput(EMPTY_COMMENT.format(example=EXAMPLE))
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput(LONG_COMMENT.format(length=len(comment), limit=COMMENT_LIMIT))
    return comment


def parse_update(session: Session, plan_id: int, text: str) -> PendingUpdate:
    """Split `NAMN-ELLER-NUMMER LJUS KOMMENTAR`; the name may be several words.

    Every split whose rest starts with a light word is tried; the surest match wins (number,
    whole title, words of a title, fuzzy), and among equally sure ones the longest name.
    """
    words = text.split()
    if not words:
        raise InvalidInput(EMPTY_QUERY)
    refs = _refs(session, plan_id)
    found: list[tuple[int, int, _Match, Light, str]] = []
    first_light_at: int | None = None
    for k in range(1, min(len(words), MAX_NAME_WORDS + 1)):
        light, comment = split_light(" ".join(words[k:]))
        if light is None:
            continue
        if first_light_at is None:
            first_light_at = k
        match = _match(" ".join(words[:k]), refs)
        if match is not None and match.refs:
            found.append((match.tier, -k, match, light, comment))
    if found:
        _tier, minus_k, match, light, comment = min(found, key=lambda item: (item[0], item[1]))
        name = " ".join(words[:-minus_k])
        comment = check_comment(comment)
        if len(match.refs) > 1:
            return PendingUpdate(
                light, comment, None, tuple(match.refs[:MAX_CANDIDATES]), name=_clip(name)
            )
        return PendingUpdate(light, comment, match.refs[0], name=name)
    # No light after anything that names an activity: say which of the two is wrong. The name
    # is the surest match (then the longest), so the unknown light is the word right after it,
    # not a word that fuzzy matching swallowed into the name ("Företagsamt blå försenat").
    named = [
        (match.tier, -k)
        for k in range(1, min(len(words), MAX_NAME_WORDS) + 1)
        if (match := _match(" ".join(words[:k]), refs)) is not None and match.refs
    ]
    if named:
        k = -min(named)[1]
        if k == len(words):
            raise InvalidInput(MISSING_LIGHT.format(words=LIGHT_WORDS, example=EXAMPLE))
        raise InvalidInput(UNKNOWN_LIGHT.format(word=_clip(words[k], 30), words=LIGHT_WORDS))
    name = " ".join(words[:first_light_at]) if first_light_at else " ".join(words)
    raise NotFound(UNKNOWN_ACTIVITY.format(name=_clip(name)))


# -- recording -------------------------------------------------------------------------------


def _info(update: ActivityUpdate | UpdateRow) -> UpdateInfo:
    return UpdateInfo(
        id=update.id,
        light=stored_light(update.light),
        comment=update.comment,
        period=update.period,
        recorded_at=update.recorded_at,
        author_slack_id=update.author_slack_id,
        author_name=update.author_name,
        source=update.source,
    )


def content_key(
    author_slack_id: str,
    activity_id: int,
    light: Light,
    comment: str,
    now: dt.datetime,
    shift: int = 0,
) -> str:
    """Same author, activity, light and comment within the same half minute: one update."""
    bucket = int(now.timestamp()) // DOUBLE_SUBMIT_SECONDS + shift
    raw = f"{author_slack_id}|{activity_id}|{light.value}|{comment}|{bucket}"
    return "c:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:60]


def view_key(view_id: str) -> str:
    """A modal submitted twice (a double click on Spara) carries the same view id."""
    return "v:" + hashlib.sha256(view_id.encode("utf-8")).hexdigest()[:60]


def record_update(
    session: Session,
    *,
    activity_id: int,
    light: Light,
    comment: str,
    author_slack_id: str,
    now: dt.datetime,
    followup_dates: list[str] | tuple[str, ...],
    source: str = "slack",
    author_name: str | None = None,
    submission_key: str | None = None,
) -> Receipt:
    """Store an update of any activity by anyone; a double submit is stored once.

    The author's name is the plan name when the staff directory knows them, else `author_name`.
    """
    comment = check_comment(comment)
    activity = update_queries.activity_with_section(session, activity_id)
    if activity is None:  # unknown or retired
        raise NotFound(RETIRED_ACTIVITY)
    period = period_of(now.date(), followup_dates)
    member = staff_queries.by_slack_id(session, author_slack_id)
    name = member.name if member else (author_name or author_slack_id)
    if submission_key is None:
        earlier = content_key(author_slack_id, activity_id, light, comment, now, shift=-1)
        previous = update_queries.by_submission_key(session, earlier)
        if previous is not None:
            return _receipt(activity, previous, period, stored=False)
        submission_key = content_key(author_slack_id, activity_id, light, comment, now)
    stored = insert_if_absent(
        session,
        ActivityUpdate,
        {
            "activity_id": activity_id,
            "light": light.value,
            "comment": comment,
            "period": period.label,
            "recorded_at": now,
            "author_slack_id": author_slack_id,
            "author_name": name,
            "source": source,
            "submission_key": submission_key,
        },
    )
    row = update_queries.by_submission_key(session, submission_key)
    assert row is not None  # inserted now or by the earlier submit
    if stored:
        audit.log(
            session,
            audit.Actor(author_slack_id or None, name, source),
            "update.create",
            audit.UPDATE,
            row.id,
            at=now,
            after={
                "activity": f"{activity.number} {activity.title}",
                "activity_id": activity_id,
                "light": light.value,
                "comment": comment,
                "period": period.label,
                "author": name,
            },
        )
    return _receipt(activity, row, period, stored=stored)


def _receipt(activity: Activity, row: ActivityUpdate, period: Period, *, stored: bool) -> Receipt:
    return Receipt(
        activity=ActivityRef(activity.id, activity.number, activity.title),
        owners=tuple(owner.name for owner in activity.owners),
        update=_info(row),
        period=period,
        stored=stored,
    )


# -- reading ---------------------------------------------------------------------------------


def _owner_names(row: Activity | PlanActivity) -> tuple[str, ...]:
    if isinstance(row, PlanActivity):
        return row.owners
    return tuple(owner.name for owner in row.owners)


def _statuses(
    session: Session, rows: Sequence[Activity | PlanActivity], period: Period
) -> list[ActivityStatus]:
    ids = [row.id for row in rows]
    current = activity_queries.updates_in_period(session, ids, period.label)
    latest = activity_queries.latest_updates(session, ids)
    return [
        ActivityStatus(
            ref=ActivityRef(row.id, row.number, row.title),
            owners=_owner_names(row),
            priority=row.priority,
            current=_info(current[row.id]) if row.id in current else None,
            latest=_info(latest[row.id]) if row.id in latest else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MyActivities:
    """The caller's activities; `staff_name` None when the Slack user is not in the directory."""

    staff_name: str | None
    period: Period
    activities: tuple[ActivityStatus, ...]

    @property
    def unreported(self) -> tuple[ActivityStatus, ...]:
        return tuple(status for status in self.activities if status.current is None)


def my_activities(
    session: Session,
    slack_user_id: str,
    today: dt.date,
    followup_dates: list[str] | tuple[str, ...],
) -> MyActivities:
    """Activities whose owners name the user's plan name, or "Alla"."""
    period = period_of(today, followup_dates)
    member = staff_queries.by_slack_id(session, slack_user_id)
    if member is None:
        return MyActivities(None, period, ())
    plan = activity_queries.current_plan(session, today)
    if plan is None:
        return MyActivities(member.name, period, ())
    rows = activity_queries.activities_owned_by(session, plan.id, member.name)
    return MyActivities(member.name, period, tuple(_statuses(session, rows, period)))


def all_activities(session: Session, today: dt.date) -> list[ActivityRef]:
    plan = activity_queries.current_plan(session, today)
    return _refs(session, plan.id) if plan else []


def activity_detail(
    session: Session, activity_id: int, today: dt.date, followup_dates: list[str] | tuple[str, ...]
) -> ActivityDetail:
    row = update_queries.activity_with_section(session, activity_id)
    if row is None:
        raise NotFound(RETIRED_ACTIVITY)
    period = period_of(today, followup_dates)
    (status,) = _statuses(session, [row], period)
    return ActivityDetail(
        status=status,
        chapter=f"{row.section.chapter.number} {row.section.chapter.title}",
        section=f"{row.section.number} {row.section.title}",
        purpose=row.purpose or "",
        goal=row.goal or "",
        actions=tuple(row.actions or ()),
        years=tuple(row.years or ()),
        follow_up_rule=row.follow_up_rule,
        history=tuple(_info(update) for update in activity_queries.history(session, row.id)),
    )


def legend() -> list[tuple[Light, str]]:
    return [(light, LEGEND[light]) for light in Light]


def owners_to_tell(
    session: Session, owners: tuple[str, ...], author_slack_id: str, today: dt.date
) -> list[str]:
    """Slack ids of the named owners who should hear that someone else updated their activity.

    "Alla" and "Berörda" name no one in particular; owners without a Slack id, the author
    themself and owners who paused their DMs are left out.
    """
    ids: list[str] = []
    for name in owners:
        if name.lower() in {activity_queries.EVERYONE.lower(), activity_queries.CONCERNED.lower()}:
            continue
        member = staff_queries.by_name(session, name)
        if member is None or not member.slack_user_id or not member.active:
            continue
        if member.slack_user_id == author_slack_id or is_paused(member, today):
            continue
        ids.append(member.slack_user_id)
    return ids
