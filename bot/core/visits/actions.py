"""Company visits: record, edit, undo, list, search and count them. Knows nothing of Slack.

Every function takes the caller's Session (a request, a job or a CLI command opens and commits
the unit of work) and plain values: the time, the surface for the audit trail, the admins of
KNALLE_ADMINS, the themes file. Slack handlers, the console and the CLI call the same thing. Bad
input raises a typed UserError whose Swedish message says what to write instead; the caller's
unit of work then rolls back and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core import audit
from bot.core.companies import register as companies
from bot.core.companies.register import CompanyChoice, UnsureCompany
from bot.core.followup.periods import steady_pace
from bot.core.plan.campaigns import describe, progress_for_year
from bot.core.staff import people as directory
from bot.core.text.mrkdwn import MENTION, unescape
from bot.core.visits import feedback
from bot.core.visits.message_reader import MessageReading, read_message
from bot.core.visits.parser import (
    FORM_DIGITAL,
    FORM_ON_SITE,
    ParsedVisit,
    parse_visit,
    parse_visits,
)
from bot.errors import Ambiguous, InvalidDate, InvalidInput, NotAllowed, NotFound, UserError
from storage import companies as register
from storage import staff as staff_queries
from storage import themes as theme_queries
from storage import visit_search
from storage import visits as queries
from storage.claims import claim_event, event_claimed, insert_if_absent
from storage.models import Company, Staff, Visit, VisitParticipant

__all__ = ["UnsureCompany"]

# Slack takes 3000 characters in a section and 2000 in a button value. A one-line visit must fit
# a button value whole: when the company is unsure the line travels in the buttons' values.
TEXT_LIMIT = 1900
NOTES_LIMIT = 2900
OTHER_LIMIT = 200
OTHERS_LIMIT = 20
PAST_YEARS_ALLOWED = 5
FUTURE_DAYS_ALLOWED = 0  # a visit is logged when it is done: the same rule as the one-line parser
DOUBLE_SUBMIT_SECONDS = 10
RESEND_SECONDS = 120  # the same company and day again this soon: a resend, maybe corrected
FORMS = (FORM_ON_SITE, FORM_DIGITAL)
LIST_LIMIT = 30
SEARCH_LIMIT = 30

# Field names used by field errors: the modal maps them to its blocks.
FIELD_COMPANY = "company"
FIELD_DATE = "date"
FIELD_COLLEAGUES = "colleagues"
FIELD_OTHERS = "others"
FIELD_FORM = "form"
FIELD_NOTES = "notes"
FIELD_FOLLOW_UP = "follow_up"

SOURCE_COMMAND = "command"
SOURCE_MODAL = "modal"
SOURCE_SHORTCUT = "shortcut"
SOURCE_CHANNEL = "channel"
SOURCE_IMPORT = "import"
SOURCES = (SOURCE_COMMAND, SOURCE_MODAL, SOURCE_SHORTCUT, SOURCE_CHANNEL, SOURCE_IMPORT)


class ChangedResend(UserError):
    """The author logged this company and day a moment ago, and the new line says more or
    something else. Nothing is stored: the surface offers to update `earlier` instead."""

    def __init__(self, earlier: VisitRecord, changes: tuple[str, ...]) -> None:
        super().__init__(
            f"Du loggade nyss ett besök hos {earlier.company} samma dag. Den nya raden ändrar "
            f"{', '.join(changes)}. Ska det besöket uppdateras?"
        )
        self.earlier = earlier
        self.changes = changes


class VisitFieldError(InvalidInput):
    """Bad input in one field of a visit; `field` names it (FIELD_*) for the modal."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class VisitDraft:
    """A visit before it is stored: from a parsed line, or from the modal's fields."""

    company: str
    visit_date: dt.date
    colleagues: tuple[str, ...] = ()  # Slack ids present besides the author
    colleague_names: tuple[str, ...] = ()  # "@pia" typed without Slack's autocomplete
    others: tuple[str, ...] = ()
    form: str = FORM_ON_SITE
    notes: str = ""
    follow_up_on: dt.date | None = None
    raw_text: str = ""
    # The visit form's themes: what the person chose, and what the form showed. None: not
    # in the form (a line, a new visit): the list alone decides.
    themes: tuple[str, ...] | None = None
    themes_shown: tuple[str, ...] = ()

    @classmethod
    def from_parsed(cls, parsed: ParsedVisit, raw_text: str) -> VisitDraft:
        return cls(
            company=parsed.company,
            visit_date=parsed.visit_date,
            colleagues=parsed.mentioned_user_ids,
            colleague_names=parsed.mentioned_names,
            others=parsed.others,
            form=parsed.form,
            notes=parsed.notes,
            follow_up_on=parsed.follow_up_on,
            raw_text=raw_text,
        )


@dataclass(frozen=True)
class VisitSource:
    """How a visit came in (SOURCES) and, when read from a Slack message, which one."""

    kind: str = SOURCE_COMMAND
    channel: str | None = None
    ts: str | None = None
    permalink: str | None = None
    key: str | None = None  # an imported row without a message: its content, so once only

    @property
    def message(self) -> tuple[str, str] | None:
        return (self.channel, self.ts) if self.channel and self.ts else None


@dataclass(frozen=True)
class VisitRecord:
    """A stored visit as surfaces show it; detached from the session."""

    id: int
    company_id: int
    company: str
    cluster: str | None
    visit_date: dt.date
    author_id: str
    participants: tuple[str, ...]  # Slack ids, author first
    others: tuple[str, ...]
    form: str
    notes: str
    follow_up_on: dt.date | None
    created_at: dt.datetime
    duplicate: bool = False  # this was a double submit; the visit was already stored
    participant_names: tuple[str, ...] = field(default=(), compare=False)
    themes: tuple[str, ...] = ()  # filled where shown (the confirmation, the edit form)
    source: VisitSource = field(default_factory=VisitSource)

    @classmethod
    def of(
        cls, visit: Visit, names: dict[str, str] | None = None, *, duplicate: bool = False
    ) -> VisitRecord:
        ids = [p.slack_user_id for p in visit.participants]
        if visit.author_id in ids:
            ids.remove(visit.author_id)
        ordered = (visit.author_id, *ids)
        return cls(
            id=visit.id,
            company_id=visit.company_id,
            company=visit.company.name,
            cluster=visit.company.cluster,
            visit_date=visit.visit_date,
            author_id=visit.author_id,
            participants=ordered,
            others=tuple(visit.others or ()),
            form=visit.form,
            notes=visit.notes,
            follow_up_on=visit.follow_up_on,
            created_at=visit.created_at,
            participant_names=tuple((names or {}).get(i, i) for i in ordered),
            duplicate=duplicate,
            source=VisitSource(
                visit.source or SOURCE_COMMAND,
                visit.source_channel,
                visit.source_ts,
                visit.permalink,
            ),
        )


@dataclass(frozen=True)
class VisitList:
    scope: str  # "mina" | "vecka" | "månad" | "år"
    start: dt.date | None
    end: dt.date | None
    visits: tuple[VisitRecord, ...]
    total: int


@dataclass(frozen=True)
class CompanyHistory:
    company_id: int
    name: str
    cluster: str | None
    org_number: str | None
    visits: tuple[VisitRecord, ...]


@dataclass(frozen=True)
class VisitStats:
    year: int
    through: dt.date
    target: int
    total: int
    expected: int  # where a steady pace to the target would be on `through`
    by_month: dict[int, int]
    by_cluster: dict[str, int]
    campaigns: tuple[str, ...] = ()  # bot.core.plan.campaigns.describe of each running that year


_SCOPE_ALIASES = {
    "mina": "mina",
    "mig": "mina",
    "vecka": "vecka",
    "veckan": "vecka",
    "månad": "månad",
    "månaden": "månad",
    "manad": "månad",
    "år": "år",
    "året": "år",
    "ar": "år",
}


# -- reading a line -------------------------------------------------------------------------


def draft_from_text(text: str, today: dt.date) -> VisitDraft:
    """Read one `/besök` line as Slack sends it (entities, mention tokens) into a draft."""
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise InvalidInput(
            "Skriv vilket företag du besökte, t.ex. `/besök Ellos AB igår med @pia`, "
            "eller bara `/besök` för ett formulär."
        )
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(
            f"Texten är för lång för Slack ({len(text)} tecken, högst {TEXT_LIMIT}). "
            "Korta anteckningen, eller skriv `/besök` utan text och använd formuläret."
        )
    parsed = parse_visit(text, today)
    return VisitDraft.from_parsed(parsed, unescape(text))


# -- checks ---------------------------------------------------------------------------------


@dataclass
class _People:
    participants: list[tuple[str, int | None]]  # (Slack id, staff id), author first


def _resolve_people(
    session: Session, draft: VisitDraft, author_id: str, members: Sequence[Staff] | None = None
) -> _People:
    if members is None:
        members = staff_queries.all_staff(session)
    by_slack = {m.slack_user_id: m for m in members if m.slack_user_id}
    directory_in_use = bool(by_slack)
    chosen: list[tuple[str, int | None]] = []

    def add(user_id: str, member: Staff | None) -> None:
        if all(existing != user_id for existing, _ in chosen):
            chosen.append((user_id, member.id if member else None))

    author = by_slack.get(author_id) or staff_queries.by_slack_id(session, author_id)
    add(author_id, author)
    for user_id in draft.colleagues:
        member = by_slack.get(user_id)
        # With no directory yet (before `knalle staff sync`) every mention is taken on trust.
        if member is None and directory_in_use:
            raise VisitFieldError(
                FIELD_COLLEAGUES,
                f"<@{user_id}> finns inte i Knalles personallista, så besöket kan inte räknas "
                'på hen. Nämn bara kollegor på enheten; skriv andra som "och NAMN" '
                '(t.ex. "och KSO"), eller be en admin köra `knalle staff link NAMN SLACK-ID`.',
            )
        add(user_id, member)
    for name in draft.colleague_names:
        member = _staff_by_typed_name(members, name)
        add(member.slack_user_id or "", member)
    return _People(participants=chosen)


def _staff_by_typed_name(members: Sequence[Staff], typed: str) -> Staff:
    wanted = typed.strip().lstrip("@").casefold()
    exact = [m for m in members if m.name.casefold() == wanted]
    first = [m for m in members if m.name.split()[0].casefold() == wanted] if wanted else []
    found = exact or first
    if len(found) > 1:
        names = ", ".join(m.name for m in found)
        raise VisitFieldError(
            FIELD_COLLEAGUES,
            f"@{typed} kan vara flera personer ({names}). Välj personen i listan som Slack "
            "visar när du skriver @, så blir det rätt person.",
        )
    if not found:
        raise VisitFieldError(
            FIELD_COLLEAGUES,
            f"Jag känner inte till @{typed}. Välj personen i listan som Slack visar när du "
            'skriver @, eller skriv andra än kollegor som "och NAMN".',
        )
    member = found[0]
    if not member.slack_user_id:
        raise VisitFieldError(
            FIELD_COLLEAGUES,
            f"{member.name} är inte kopplad till ett Slack-konto än. Nämn hen med Slacks @-lista, "
            "eller be en admin köra `knalle staff sync`.",
        )
    return member


def field_problems(draft: VisitDraft, today: dt.date) -> dict[str, str]:
    """Every problem with a draft's own fields (not the people), by field, in Swedish."""
    problems: dict[str, str] = {}
    try:
        companies.check_name(draft.company)
    except InvalidInput as error:
        problems[FIELD_COMPANY] = error.message
    latest = today + dt.timedelta(days=FUTURE_DAYS_ALLOWED)
    if draft.visit_date > latest:
        problems[FIELD_DATE] = (
            f"Datumet {draft.visit_date.isoformat()} ligger i framtiden. Logga besöket när det "
            'är gjort, t.ex. med "idag", "igår" eller "i tisdags".'
        )
    elif draft.visit_date.year < today.year - PAST_YEARS_ALLOWED:
        # A typo ("1026", "2002" for "2022") rather than a visit anyone still documents.
        problems[FIELD_DATE] = (
            f"Datumet {draft.visit_date.isoformat()} ligger mer än {PAST_YEARS_ALLOWED} år "
            'bakåt. Kontrollera året, t.ex. "2026-02-03" eller "3 februari".'
        )
    if draft.form not in FORMS:
        problems[FIELD_FORM] = 'Välj "på plats" eller "digitalt".'
    if len(draft.others) > OTHERS_LIMIT:
        problems[FIELD_OTHERS] = (
            f"Högst {OTHERS_LIMIT} övriga deltagare går att spara; skriv resten i anteckningen."
        )
    elif any(len(other) > OTHER_LIMIT for other in draft.others):
        problems[FIELD_OTHERS] = (
            f"Ett namn bland övriga deltagare är längre än {OTHER_LIMIT} tecken. Skriv bara "
            'namn och roll, t.ex. "kommunalrådet Annette Carlson".'
        )
    if len(draft.notes) > NOTES_LIMIT:
        problems[FIELD_NOTES] = (
            f"Anteckningen är för lång för Slack ({len(draft.notes)} tecken, högst "
            f"{NOTES_LIMIT}). Korta den och spara resten någon annanstans."
        )
    if draft.follow_up_on is not None and draft.follow_up_on < today:
        problems[FIELD_FOLLOW_UP] = (
            "Uppföljningsdatumet har redan passerat. Välj ett datum från idag och framåt, "
            'eller skriv t.ex. "följ upp om 2 veckor".'
        )
    return problems


def _check(draft: VisitDraft, today: dt.date) -> None:
    problems = field_problems(draft, today)
    for name, message in problems.items():
        if name == FIELD_DATE:
            raise InvalidDate(message)
        raise VisitFieldError(name, message)


def problems_in(
    session: Session,
    draft: VisitDraft,
    author_id: str,
    today: dt.date,
    members: Sequence[Staff] | None = None,
) -> dict[str, str]:
    """`problems_with` inside an open unit of work (an import checks many rows in one, with
    the staff list read once: `members`)."""
    problems = field_problems(draft, today)
    try:
        _resolve_people(session, draft, author_id, members)
    except VisitFieldError as error:
        problems.setdefault(error.field, error.message)
    return problems


def problems_with(
    session: Session, draft: VisitDraft, author_id: str, *, today: dt.date
) -> dict[str, str]:
    """All problems with a draft, people included, without storing anything (for a modal)."""
    return problems_in(session, draft, author_id, today)


# -- recording ------------------------------------------------------------------------------


def _submission_key(author_id: str, content: str, now: dt.datetime) -> str:
    bucket = int(now.timestamp()) // DOUBLE_SUBMIT_SECONDS
    return hashlib.sha256(f"{author_id}\x1f{content}\x1f{bucket}".encode()).hexdigest()


def _content(draft: VisitDraft, company: Company) -> str:
    # The company too: one line with several companies is one visit per company.
    if draft.raw_text:
        return f"{company.id}\x1e{draft.raw_text}"
    return "\x1e".join(
        [str(company.id), draft.visit_date.isoformat(), draft.notes, *draft.colleagues]
    )


def _names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    return {i: directory.display_name(session, i) for i in set(ids)}


def _names_of(session: Session, visits: Iterable[Visit]) -> dict[str, str]:
    """Display names for everyone in these visits, from one read of the directory."""
    known = {
        m.slack_user_id: m.name
        for m in staff_queries.all_staff(session, active_only=False)
        if m.slack_user_id
    }
    ids = {i for v in visits for i in (v.author_id, *(p.slack_user_id for p in v.participants))}
    return {i: known.get(i, i) for i in ids}


def _record_of(session: Session, visit: Visit, *, duplicate: bool = False) -> VisitRecord:
    ids = [visit.author_id, *(p.slack_user_id for p in visit.participants)]
    return VisitRecord.of(visit, _names(session, ids), duplicate=duplicate)


def _with_themes(session: Session, record: VisitRecord) -> VisitRecord:
    themes = theme_queries.applying(session, [record.id]).get(record.id, [])
    return dataclasses.replace(record, themes=tuple(themes))


def saved_from_message(session: Session, channel: str, ts: str) -> VisitRecord | None:
    """The live visit already stored from Slack message (channel, ts), or None."""
    visit = queries.visit_by_source(session, channel, ts)
    if visit is None or visit.deleted_at is not None:
        return None
    return _record_of(session, visit)


def record(
    session: Session,
    draft: VisitDraft,
    author_id: str,
    *,
    now: dt.datetime,
    surface: str,
    themes_file: Path | None,
    company: CompanyChoice = None,
    source: VisitSource | None = None,
    as_new: bool = False,
) -> VisitRecord:
    """Store a visit. The author is always present. A double submit returns the first visit
    with `duplicate=True`, and so does a second visit from the same Slack message. Raises
    UnsureCompany when the user must pick the company first, and ChangedResend when the same
    company and day came from the author a moment ago with other content (unless `as_new`:
    the user said it is another visit). The visit, its themes and its audit row are written
    in the caller's unit of work: they commit together or not at all."""
    source = source or VisitSource()
    _check(draft, now.date())
    tagger = feedback.list_tagger_or_none(themes_file)
    if source.message is not None:
        stored = queries.visit_by_source(session, *source.message)
        if stored is not None and stored.deleted_at is None:
            return _record_of(session, stored, duplicate=True)
        if stored is not None:
            stored.source_ts = None  # undone: the message may become a visit again
            session.flush()
    people = _resolve_people(session, draft, author_id)
    target = companies.resolve(session, draft.company, now, company)
    since = now - dt.timedelta(seconds=DOUBLE_SUBMIT_SECONDS * 1.5)
    earlier = queries.same_visit_since(
        session, author_id, target.id, draft.visit_date, draft.notes, since
    )
    resend = source.message is None and source.key is None
    if earlier is not None and resend and not _differences(draft, earlier, people):
        return _record_of(session, earlier, duplicate=True)
    if resend and not as_new:
        recent = queries.recent_visit_of(
            session,
            author_id,
            target.id,
            draft.visit_date,
            now - dt.timedelta(seconds=RESEND_SECONDS),
        )
        if recent is not None:
            changes = _differences(draft, recent, people)
            if changes:
                raise ChangedResend(_record_of(session, recent), changes)
            if earlier is not None:
                return _record_of(session, earlier, duplicate=True)
    # A message's visit is keyed by (channel, ts), an imported row by its content.
    key = source.key
    if key is None and source.message is None:
        key = _submission_key(author_id, _content(draft, target), now)
    inserted = insert_if_absent(
        session,
        Visit,
        {
            "company_id": target.id,
            "visit_date": draft.visit_date,
            "form": draft.form,
            "notes": draft.notes,
            "others": list(draft.others),
            "author_id": author_id,
            "raw_text": draft.raw_text,
            "follow_up_on": draft.follow_up_on,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "submission_key": key,
            "source": source.kind,
            "source_channel": source.channel,
            "source_ts": source.ts,
            "permalink": source.permalink,
        },
    )
    visit = (
        queries.visit_by_source(session, *source.message)
        if source.message is not None
        else queries.visit_by_submission_key(session, key or "")
    )
    assert visit is not None
    if not inserted:
        return _record_of(session, visit, duplicate=True)
    for user_id, staff_id in people.participants:
        session.add(
            VisitParticipant(visit_id=visit.id, slack_user_id=user_id, staff_id=staff_id)
        )
    feedback.tag_visit(session, tagger, visit.id, draft.notes, now)
    session.flush()
    session.refresh(visit, ["participants"])
    # An imported row is the operator's doing, through the import, on the author's behalf.
    imported = source.kind == SOURCE_IMPORT
    audit.log(
        session,
        audit.import_actor() if imported else audit.actor_for(session, author_id, surface),
        "visit.import" if imported else "visit.create",
        audit.VISIT,
        visit.id,
        at=now,
        after=audit.visit_fields(visit),
    )
    return _with_themes(session, _record_of(session, visit))


def _differences(draft: VisitDraft, visit: Visit, people: _People) -> tuple[str, ...]:
    """What a resent line changes about a stored visit, in Swedish words; () when nothing."""
    changes = []
    if draft.form != visit.form:
        changes.append("formen")
    if draft.notes != visit.notes:
        changes.append("anteckningen")
    stored_people = {p.slack_user_id for p in visit.participants} | {visit.author_id}
    if {u for u, _ in people.participants} != stored_people or tuple(draft.others) != tuple(
        visit.others or ()
    ):
        changes.append("vilka som var med")
    if draft.follow_up_on != visit.follow_up_on:
        changes.append("uppföljningen")
    return tuple(changes)


@dataclass(frozen=True)
class BatchItem:
    draft: VisitDraft
    author_id: str
    source: VisitSource
    company: CompanyChoice = "new"


STORED, ALREADY = "stored", "already"


def import_batch(
    session: Session, items: Sequence[BatchItem], *, now: dt.datetime, themes_file: Path | None
) -> list[str | UserError]:
    """Store many visits in one unit of work (an import): STORED, ALREADY (the message, or the
    row's content, was stored before) or the UserError that refused it, in order. Each visit
    goes in its own savepoint, so one refused visit never stops the others. Lean on queries:
    what is already stored is asked once per batch, companies and authors are remembered."""
    tagger = feedback.list_tagger_or_none(themes_file)
    results: list[str | UserError] = []
    members = staff_queries.all_staff(session)
    stored: dict[tuple[str, str], bool] = {}
    by_channel: dict[str, list[str]] = {}
    for item in items:
        if item.source.message is not None:
            by_channel.setdefault(item.source.message[0], []).append(item.source.message[1])
    for channel, ts in by_channel.items():
        for found, undone in queries.sources_stored(session, channel, ts).items():
            stored[(channel, found)] = undone
    keys = queries.submission_keys_stored(
        session, [i.source.key for i in items if i.source.key]
    )
    company_of: dict[str, Company] = {}
    actor = audit.import_actor()
    for item in items:
        message, draft = item.source.message, item.draft
        if (message is not None and stored.get(message) is False) or (
            item.source.key is not None and item.source.key in keys
        ):
            results.append(ALREADY)
            continue
        try:
            _check(draft, now.date())
            with session.begin_nested():
                if message is not None and message in stored:
                    queries.release_source(session, *message)
                people = _resolve_people(session, draft, item.author_id, members)
                key = companies.match_key(draft.company)
                company = company_of.get(key)
                if company is None:
                    company = companies.resolve(session, draft.company, now, item.company)
                    company_of[key] = company
                visit = Visit(
                    company=company,
                    visit_date=draft.visit_date,
                    form=draft.form,
                    notes=draft.notes,
                    others=list(draft.others),
                    author_id=item.author_id,
                    raw_text=draft.raw_text,
                    follow_up_on=draft.follow_up_on,
                    created_at=now,
                    updated_at=now,
                    deleted_at=None,
                    submission_key=item.source.key,
                    source=item.source.kind,
                    source_channel=item.source.channel,
                    source_ts=item.source.ts,
                    permalink=item.source.permalink,
                    participants=[
                        VisitParticipant(slack_user_id=user_id, staff_id=staff_id)
                        for user_id, staff_id in people.participants
                    ],
                )
                session.add(visit)
                session.flush()
                feedback.tag_visit(session, tagger, visit.id, draft.notes, now)
                # The operator's doing, through the import, on the author's behalf.
                audit.log(
                    session,
                    actor,
                    "visit.import",
                    audit.VISIT,
                    visit.id,
                    at=now,
                    after=audit.visit_fields(visit),
                )
        except IntegrityError:
            results.append(ALREADY)  # another import stored it a moment ago
            continue
        except UserError as error:
            results.append(error)
            continue
        if message is not None:
            stored[message] = False
        if item.source.key is not None:
            keys.add(item.source.key)
        results.append(STORED)
    return results


def record_text(
    session: Session,
    text: str,
    author_id: str,
    *,
    now: dt.datetime,
    surface: str,
    themes_file: Path | None,
    company: CompanyChoice = None,
    today: dt.date | None = None,
    as_new: bool = False,
) -> VisitRecord:
    """Parse a `/besök` line and store it. `today` pins the date a pending line was read on."""
    draft = draft_from_text(text, today or now.date())
    return record(
        session,
        draft,
        author_id,
        now=now,
        surface=surface,
        themes_file=themes_file,
        company=company,
        as_new=as_new,
    )


@dataclass(frozen=True)
class EachResult:
    """One visit per company of a line: the stored ones, and names that must be chosen first."""

    saved: tuple[VisitRecord, ...]
    unsure: tuple[str, ...]


def record_each(
    session: Session,
    text: str,
    author_id: str,
    *,
    today: dt.date,
    now: dt.datetime,
    surface: str,
    themes_file: Path | None,
) -> EachResult:
    """ "A, B och C igår": one visit per company. An unsure company is left for the user; any
    other refusal stores none of them (one unit of work, the caller's)."""
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(f"Texten är för lång ({len(text)} tecken, högst {TEXT_LIMIT}).")
    saved: list[VisitRecord] = []
    unsure: list[str] = []
    for parsed in parse_visits(text, today):
        draft = VisitDraft.from_parsed(parsed, unescape(text))
        try:
            with session.begin_nested():  # an unsure company leaves nothing behind
                saved.append(
                    record(
                        session,
                        draft,
                        author_id,
                        now=now,
                        surface=surface,
                        themes_file=themes_file,
                        as_new=True,
                    )
                )
        except UnsureCompany:
            unsure.append(parsed.company)
    return EachResult(tuple(saved), tuple(unsure))


def update_with_text(
    session: Session,
    visit_id: int,
    text: str,
    editor_id: str,
    *,
    today: dt.date,
    now: dt.datetime,
    surface: str,
    themes_file: Path | None,
    admins: Collection[str],
) -> VisitRecord:
    """A resent line's changes into the visit logged a moment ago ("Uppdatera besöket").

    What the new line leaves out (notes, people, a follow-up) stays as it was; a digital form
    written in the new line wins.
    """
    new = draft_from_text(text, today)
    old = get_for_edit(session, visit_id, editor_id, admins=admins)
    merged = VisitDraft(
        company=old.company,
        visit_date=new.visit_date,
        colleagues=tuple(dict.fromkeys([*old.participants[1:], *new.colleagues])),
        colleague_names=new.colleague_names,
        others=tuple(dict.fromkeys([*old.others, *new.others])),
        form=new.form if new.form == FORM_DIGITAL else old.form,
        notes=new.notes or old.notes,
        follow_up_on=new.follow_up_on or old.follow_up_on,
        raw_text=new.raw_text,
    )
    return edit(
        session,
        visit_id,
        editor_id,
        merged,
        now=now,
        surface=surface,
        themes_file=themes_file,
        admins=admins,
        company=old.company_id,
    )


# -- one visit: read, edit, undo --------------------------------------------------------------


def _may_change(session: Session, visit: Visit, user_id: str, admins: Collection[str]) -> None:
    if visit.author_id != user_id and not directory.is_admin(session, user_id, admins):
        raise NotAllowed(
            f"Besöket hos {visit.company.name} loggades av <@{visit.author_id}>. Bara den som "
            "loggade ett besök, eller en admin, kan ändra eller ångra det."
        )


def _live(session: Session, visit_id: int) -> Visit:
    visit = queries.visit_by_id(session, visit_id)
    if visit is None:
        raise NotFound(
            "Besöket finns inte längre (det kan redan vara ångrat). Skriv `/besök lista mina` "
            "för att se dina besök."
        )
    return visit


def get_for_edit(
    session: Session, visit_id: int, user_id: str, *, admins: Collection[str]
) -> VisitRecord:
    """A visit the user may change (the author or an admin), for prefilling the edit form."""
    visit = _live(session, visit_id)
    _may_change(session, visit, user_id, admins)
    return _with_themes(session, _record_of(session, visit))


def edit(
    session: Session,
    visit_id: int,
    editor_id: str,
    draft: VisitDraft,
    *,
    now: dt.datetime,
    surface: str,
    themes_file: Path | None,
    admins: Collection[str],
    company: CompanyChoice = None,
) -> VisitRecord:
    """Change a visit's fields; only its author or an admin may. The author stays present."""
    _check(draft, now.date())
    if draft.themes is not None:
        feedback.check_chosen(themes_file, draft.themes)
    tagger = feedback.list_tagger_or_none(themes_file)
    visit = _live(session, visit_id)
    _may_change(session, visit, editor_id, admins)
    before = audit.visit_fields(visit)
    people = _resolve_people(session, draft, visit.author_id)
    target = companies.resolve(session, draft.company, now, company)
    visit.company = target
    visit.visit_date = draft.visit_date
    visit.form = draft.form
    visit.notes = draft.notes
    visit.others = list(draft.others)
    visit.follow_up_on = draft.follow_up_on
    if draft.raw_text:
        visit.raw_text = draft.raw_text
    visit.updated_at = now
    wanted = dict(people.participants)
    visit.participants = [p for p in visit.participants if p.slack_user_id in wanted]
    present = {p.slack_user_id for p in visit.participants}
    for user_id, staff_id in people.participants:
        if user_id not in present:
            visit.participants.append(
                VisitParticipant(slack_user_id=user_id, staff_id=staff_id)
            )
    session.flush()
    feedback.tag_visit(session, tagger, visit.id, draft.notes, now)
    if draft.themes is not None:
        session.flush()
        feedback.correct(session, visit.id, draft.themes, draft.themes_shown, editor_id, now)
    session.flush()
    after = audit.visit_fields(visit)
    if after != before:
        audit.log(
            session,
            audit.actor_for(session, editor_id, surface),
            "visit.edit",
            audit.VISIT,
            visit.id,
            at=now,
            before=before,
            after=after,
        )
    return _with_themes(session, _record_of(session, visit))


def undo(
    session: Session,
    visit_id: int,
    user_id: str,
    *,
    now: dt.datetime,
    surface: str,
    admins: Collection[str],
) -> VisitRecord:
    """Hide a visit ("Ångra"); only its author or an admin may. Nothing is deleted."""
    visit = _live(session, visit_id)
    _may_change(session, visit, user_id, admins)
    before = audit.visit_fields(visit)
    visit.deleted_at = now
    visit.updated_at = now
    session.flush()
    audit.log(
        session,
        audit.actor_for(session, user_id, surface),
        "visit.undo",
        audit.VISIT,
        visit.id,
        at=now,
        before=before,
        after=audit.visit_fields(visit),
    )
    return _record_of(session, visit)


def undo_latest(
    session: Session, user_id: str, *, now: dt.datetime, surface: str, admins: Collection[str]
) -> VisitRecord:
    """`/besök ångra`: hide the user's most recently logged visit."""
    latest = queries.latest_by_author(session, user_id)
    if latest is None:
        raise NotFound("Du har inget besök att ångra. Skriv `/besök lista mina` för att se dina.")
    return undo(session, latest.id, user_id, now=now, surface=surface, admins=admins)


# -- lists, search, history, statistics -------------------------------------------------------


def parse_scope(word: str) -> str:
    scope = _SCOPE_ALIASES.get(unicodedata.normalize("NFC", word.strip()).casefold() or "mina")
    if scope is None:
        raise InvalidInput(
            f'"{word}" kan jag inte lista. Skriv `/besök lista mina`, `/besök lista vecka`, '
            "`/besök lista månad` eller `/besök lista år`."
        )
    return scope


def scope_range(scope: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    if scope == "vecka":
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=6)
    if scope == "månad":
        first = today.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    if scope == "år":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    return None


def list_visits(
    session: Session, user_id: str, scope_word: str = "", *, today: dt.date
) -> VisitList:
    """`mina` (the user's latest), `vecka`, `månad` or `år` (the whole team's), newest first."""
    scope = parse_scope(scope_word)
    span = scope_range(scope, today)
    if span is None:
        found = queries.recent_visits_of(session, user_id, limit=LIST_LIMIT)
        total = len(found)
    else:
        found = list(reversed(queries.visits_between(session, *span)))
        total = len(found)
    rows = tuple(_record_of(session, v) for v in found[:LIST_LIMIT])
    return VisitList(
        scope=scope,
        start=span[0] if span else None,
        end=span[1] if span else None,
        visits=rows,
        total=total,
    )


def search(session: Session, text: str) -> tuple[VisitRecord, ...]:
    """Visits whose company, notes, others or people match every word of `text`, newest first.

    People match by staff name ("pia"), Slack id or a Slack mention token.
    """
    text = unicodedata.normalize("NFC", text).strip()
    mentioned = set(MENTION.findall(text))
    words = [w.casefold() for w in MENTION.sub(" ", text).split()]
    if not words and not mentioned:
        raise InvalidInput(
            "Skriv vad du söker efter, t.ex. `/besök sök Ellos` eller `/besök sök kompetens`."
        )
    members = staff_queries.all_staff(session, active_only=False)
    # A word matches a visit's own folded text (company, notes, others, ids) in the
    # database, or the name of a staff member present: those are few, so checked here.
    matching = [
        (
            word,
            [m.slack_user_id for m in members if m.slack_user_id and word in m.name.casefold()],
        )
        for word in words
    ]
    ids = visit_search.matching_visit_ids(session, matching, mentioned, SEARCH_LIMIT)
    found = queries.visits_by_ids(session, ids)
    names = _names_of(session, found)
    return tuple(VisitRecord.of(visit, names) for visit in found)


def company_history(session: Session, name: str) -> CompanyHistory:
    """A company's visits, newest first. Unsure names raise UnsureCompany with candidates."""
    if not name.strip():
        raise InvalidInput("Skriv vilket företag, t.ex. `/besök företag Ellos`.")
    found = companies.match_company(session, name)
    company = found.company
    if company is None and len(found.candidates) == 1:
        company = register.by_id(session, found.candidates[0].company_id)
    if company is None and found.candidates:
        names = " eller ".join(f"`/besök företag {c.name}`" for c in found.candidates)
        raise Ambiguous(
            f"Flera företag liknar {found.name}. Skriv {names}.",
            [c.name for c in found.candidates],
        )
    if company is None:
        raise NotFound(
            f"{found.name} finns inte i företagsregistret än: inga besök är loggade där. "
            "Logga ett med `/besök "
            f"{found.name} idag`. Heter företaget något som börjar med ”företag”, skriv "
            'namnet inom citattecken: `/besök "Företag & Co" igår`.'
        )
    visits = queries.visits_of_company(session, company.id)
    return CompanyHistory(
        company_id=company.id,
        name=company.name,
        cluster=company.cluster,
        org_number=company.org_number,
        visits=tuple(_record_of(session, v) for v in visits),
    )


def company_by_id(session: Session, company_id: int) -> str:
    """A registered company's name (for the care modals' labels)."""
    company = register.by_id(session, company_id)
    if company is None:
        raise NotFound("Företaget finns inte längre i registret (det kan vara borttaget).")
    return company.name


def parse_year(word: str, today: dt.date) -> int:
    word = word.strip()
    if not word:
        return today.year
    if not re.fullmatch(r"\d{4}", word):
        raise InvalidInput(
            f'"{word}" är inget år. Skriv året med fyra siffror, t.ex. '
            f"`/besök statistik {today.year - 1}`, eller bara `/besök statistik`."
        )
    year = int(word)
    if year > today.year:
        raise InvalidInput(
            f"{year} har inte börjat än. Skriv `/besök statistik` för i år ({today.year})."
        )
    return year


def statistics(
    session: Session, year_word: str = "", *, today: dt.date, visit_target: int
) -> VisitStats:
    """The year's visits against the yearly target, by month and by cluster."""
    year = parse_year(year_word, today)
    through = today if year == today.year else dt.date(year, 12, 31)
    target = visit_target
    by_month = queries.count_by_month(session, year)
    by_cluster = queries.count_by_cluster(session, year)
    campaigns = tuple(describe(p) for p in progress_for_year(session, year, today))
    return VisitStats(
        year=year,
        through=through,
        target=target,
        total=sum(by_month.values()),
        expected=steady_pace(target, through),
        by_month=by_month,
        by_cluster=by_cluster,
        campaigns=campaigns,
    )


def suggest_companies(session: Session, query: str, limit: int = 10) -> list[companies.Candidate]:
    return companies.suggest(session, query, limit)


# -- visits from Slack messages (the shortcut, the visit channel) -----------------------------

DISMISSED_PREFIX = "visit-message-dismissed:"


@dataclass(frozen=True)
class MessageDraft:
    """A Slack message read for the visit form: the reading, the draft, the sure company."""

    reading: MessageReading
    draft: VisitDraft
    company_id: int | None


def posted_day(ts: str, zone: dt.tzinfo) -> dt.date:
    """The day (in the unit's zone) a Slack message with this ts was posted."""
    return dt.datetime.fromtimestamp(float(ts), tz=dt.UTC).astimezone(zone).date()


def draft_from_message(
    session: Session,
    text: str,
    ts: str,
    author_id: str | None,
    user_id: str,
    *,
    today: dt.date,
    zone: dt.tzinfo,
) -> MessageDraft:
    """A message's text as the visit form's fields, for `user_id` who saves it: the company,
    people and notes as `/besök` reads them, the date from the text or the day it was posted,
    and the message's author present. Unreadable as a visit: the text goes in the note."""
    day = posted_day(ts, zone)
    reading = read_message(text, day)
    present = [author_id] if author_id and author_id != user_id else []
    if reading.visit is None:
        draft = VisitDraft(
            company="",
            visit_date=day,
            colleagues=tuple(present),
            notes=unescape(text).strip()[:NOTES_LIMIT],
        )
        return MessageDraft(reading, draft, None)
    parsed = reading.visit
    draft = VisitDraft.from_parsed(parsed, unescape(text)[:TEXT_LIMIT])
    colleagues = tuple(dict.fromkeys([*present, *draft.colleagues]))
    follow_up = draft.follow_up_on if draft.follow_up_on and draft.follow_up_on >= today else None
    draft = replace(draft, colleagues=tuple(c for c in colleagues if c != user_id))
    draft = replace(draft, follow_up_on=follow_up, colleague_names=())
    company_id = None
    try:
        found = companies.match_company(session, parsed.company)
    except InvalidInput:
        found = None
    if found is not None and found.company is not None:
        company_id = found.company.id
        draft = replace(draft, company=found.company.name)
    return MessageDraft(reading, draft, company_id)


def dismiss_message(session: Session, channel: str, ts: str, *, now: dt.datetime) -> None:
    """ "Inte ett besök": the bot asks no more about this message, not even after an edit."""
    claim_event(session, f"{DISMISSED_PREFIX}{channel}:{ts}", now)


def message_dismissed(session: Session, channel: str, ts: str) -> bool:
    return event_claimed(session, f"{DISMISSED_PREFIX}{channel}:{ts}")
