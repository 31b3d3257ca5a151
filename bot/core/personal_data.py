"""Personal data: everything the bot holds that names or identifies a person, and the removal
of a non-staff person's name (the basis of a registerutdrag and of a request for erasure).

A person is found by whole words, case-insensitively: "Annette Carlson" matches "kommunalrådet
Annette Carlson" and "annette carlson", never "Annette Carlsson". A staff member is found by
plan name, full name or Slack id, and their Slack id then finds the visits they were at.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.core import audit
from bot.errors import InvalidInput, NotAllowed
from storage import personal_data as queries
from storage.models import ActivityUpdate, PendingCommand, Staff, Visit

REDACTED = "[borttaget]"
MIN_NAME = 3  # "KS" would wreck every note; a person's name is longer

WHY_AUTHOR = "loggade besöket"
WHY_PRESENT = "var med (från enheten)"
WHY_OTHERS = "bland övriga deltagare"
WHY_NOTES = "nämns i anteckningen"
WHY_LINE = "nämns i raden som skrevs in"  # the /besök line as typed, not its note
WHY_WROTE = "skrev uppdateringen"
WHY_COMMENT = "nämns i kommentaren"
WHY_TYPED = "skrev kommandot"
WHY_TEXT = "nämns i kommandots text"

EMPTY_NAME = "Skriv personens namn, t.ex. `knalle person export \"Annette Carlson\"`."
SHORT_NAME = (
    "”{name}” är för kort för att söka på säkert (minst {limit} tecken). Skriv hela namnet, "
    "t.ex. ”Annette Carlson”."
)
STAFF_NOT_REDACTED = (
    "”{name}” är personal ({staff} i personalregistret). Personalens uppgifter tas inte bort med "
    "`knalle person redact`: deras besök och uppdateringar är enhetens handlingar. "
    "Se docs/personal-data.md."
)


def clean_name(name: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise InvalidInput(EMPTY_NAME)
    if len(name) < MIN_NAME:
        raise InvalidInput(SHORT_NAME.format(name=name, limit=MIN_NAME))
    return name


def word_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """Any of `terms` as whole words, ignoring case (longest first, so a full name wins)."""
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    alternatives = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class PersonData:
    """What `knalle person export` writes, section by section (plain JSON-ready rows)."""

    name: str
    generated_at: dt.datetime
    staff: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.name,
            "generated_at": self.generated_at.isoformat(),
            "staff": self.staff,
            "visits": self.visits,
            "updates": self.updates,
            "commands": self.commands,
            "audit": self.audit,
            "not_included": NOT_INCLUDED,
        }

    @property
    def counts(self) -> dict[str, int]:
        return {
            "staff": len(self.staff),
            "visits": len(self.visits),
            "updates": len(self.updates),
            "commands": len(self.commands),
            "audit": len(self.audit),
        }


NOT_INCLUDED = (
    "Säkerhetskopior av databasen och driftens loggfiler söks inte igenom här; de gallras "
    "enligt docs/personal-data.md. Slack har egna kopior av meddelanden och kommandon."
)


@dataclass(frozen=True)
class _Who:
    terms: tuple[str, ...]
    staff: tuple[Staff, ...]
    slack_ids: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        return word_pattern(self.terms)


def _staff_matches(member: Staff, pattern: re.Pattern[str], name: str) -> bool:
    if member.slack_user_id and member.slack_user_id == name:
        return True
    names = [member.name, member.full_name or ""]
    return any(pattern.search(n) for n in names if n) or any(
        n and word_pattern([n]).search(name) for n in names
    )


def _who(session: Session, name: str) -> _Who:
    pattern = word_pattern([name])
    # Every staff row is compared (a dozen or so): the name may also be longer than a staff
    # member's ("Pia Persson" for the plan name "Pia").
    staff = tuple(m for m in queries.all_staff(session) if _staff_matches(m, pattern, name))
    terms = {name}
    for member in staff:
        terms.add(member.name)
        if member.full_name:
            terms.add(member.full_name)
    slack_ids = tuple(m.slack_user_id for m in staff if m.slack_user_id)
    return _Who(tuple(sorted(terms)), staff, slack_ids)


def _visit_row(visit: Visit, why: list[str]) -> dict[str, Any]:
    return {
        "id": visit.id,
        "why": why,
        "visit_date": visit.visit_date.isoformat(),
        "company": visit.company.name,
        "form": visit.form,
        "author_id": visit.author_id,
        "present": [p.slack_user_id for p in visit.participants],
        "others": list(visit.others or ()),
        "notes": visit.notes,
        "raw_text": visit.raw_text,
        "follow_up_on": _iso(visit.follow_up_on),
        "created_at": _iso(visit.created_at),
        "updated_at": _iso(visit.updated_at),
        "undone_at": _iso(visit.deleted_at),
        "source": getattr(visit, "source", None),
        "permalink": getattr(visit, "permalink", None),
    }


def _visit_reasons(visit: Visit, who: _Who) -> list[str]:
    why = []
    if visit.author_id in who.slack_ids:
        why.append(WHY_AUTHOR)
    present = {p.slack_user_id for p in visit.participants}
    if present & set(who.slack_ids) and visit.author_id not in who.slack_ids:
        why.append(WHY_PRESENT)
    if any(who.pattern.search(str(other)) for other in visit.others or ()):
        why.append(WHY_OTHERS)
    if who.pattern.search(visit.notes or ""):
        why.append(WHY_NOTES)
    elif not why and who.pattern.search(visit.raw_text or ""):
        why.append(WHY_LINE)
    return why


def _visits(session: Session, who: _Who) -> list[tuple[Visit, list[str]]]:
    found: dict[int, Visit] = {}
    for term in who.terms:
        for visit in queries.visits_mentioning(session, term, who.slack_ids):
            found.setdefault(visit.id, visit)
    rows = []
    for visit_id in sorted(found):
        why = _visit_reasons(found[visit_id], who)
        if why:
            rows.append((found[visit_id], why))
    return rows


def _update_row(update: ActivityUpdate, why: list[str]) -> dict[str, Any]:
    return {
        "id": update.id,
        "why": why,
        "activity": f"{update.activity.number} {update.activity.title}",
        "light": update.light,
        "comment": update.comment,
        "period": update.period,
        "recorded_at": _iso(update.recorded_at),
        "author_id": update.author_slack_id,
        "author_name": update.author_name,
        "source": update.source,
    }


def _updates(session: Session, who: _Who) -> list[dict[str, Any]]:
    names = tuple(m.name for m in who.staff)
    found: dict[int, ActivityUpdate] = {}
    for term in who.terms:
        for update in queries.updates_mentioning(session, term, who.slack_ids, names):
            found.setdefault(update.id, update)
    rows = []
    for update_id in sorted(found):
        update = found[update_id]
        why = []
        if update.author_slack_id in who.slack_ids or (update.author_name or "") in names:
            why.append(WHY_WROTE)
        if who.pattern.search(update.comment or ""):
            why.append(WHY_COMMENT)
        if why:
            rows.append(_update_row(update, why))
    return rows


def _command_rows(session: Session, who: _Who) -> list[tuple[PendingCommand, list[str]]]:
    found: dict[int, PendingCommand] = {}
    for term in who.terms:
        for row in queries.commands_mentioning(session, term, who.slack_ids):
            found.setdefault(row.id, row)
    rows = []
    for command_id in sorted(found):
        row = found[command_id]
        why = []
        if row.user_id in who.slack_ids:
            why.append(WHY_TYPED)
        if who.pattern.search(row.text or ""):
            why.append(WHY_TEXT)
        if why:
            rows.append((row, why))
    return rows


def _audit_rows(session: Session, who: _Who) -> list[dict[str, Any]]:
    rows = []
    for row in audit.rows_naming(session, who.slack_ids, who.terms):
        text = json.dumps([row.before, row.after], ensure_ascii=False)
        mine = bool(row.actor_id and row.actor_id in who.slack_ids)
        if mine or who.pattern.search(text) or any(i in text for i in who.slack_ids):
            rows.append(row.as_json())
    return rows


def gather(session: Session, name: str, *, now: dt.datetime) -> PersonData:
    """Everything the bot holds about `name` (see the module docstring for how it is found)."""
    name = clean_name(name)
    data = PersonData(name=name, generated_at=now)
    who = _who(session, name)
    data.staff = [
        {
            "name": m.name,
            "full_name": m.full_name,
            "slack_user_id": m.slack_user_id,
            "is_admin": m.is_admin,
            "active": m.active,
            "dm_paused_until": _iso(m.dm_paused_until),
            "created_at": _iso(m.created_at),
        }
        for m in who.staff
    ]
    data.visits = [_visit_row(visit, why) for visit, why in _visits(session, who)]
    data.updates = _updates(session, who)
    data.commands = [
        {
            "id": row.id,
            "why": why,
            "command": row.command,
            "text": row.text,
            "user_id": row.user_id,
            "received_at": _iso(row.received_at),
            "finished_at": _iso(row.finished_at),
        }
        for row, why in _command_rows(session, who)
    ]
    data.audit = _audit_rows(session, who)
    return data


def log_export(
    session: Session, data: PersonData, fmt: str, *, now: dt.datetime, actor: audit.Actor
) -> None:
    """Who took out whose data is worth keeping too: a row with the counts, not the content
    (and the person as a hash, see person_key)."""
    audit.log(
        session,
        actor,
        "person.export",
        audit.PERSON,
        person_key(data.name),
        at=now,
        after={"format": fmt, **data.counts},
    )


# -- erasure of a non-staff person's name --------------------------------------------------------


@dataclass(frozen=True)
class RedactionPlan:
    name: str
    visits: tuple[int, ...]  # visits whose others, notes or raw line name the person
    commands: tuple[int, ...]  # finished commands whose text names them
    updates_mentioning: int  # update comments naming them: reported, not changed

    @property
    def empty(self) -> bool:
        return not (self.visits or self.commands)


def _refuse_staff(session: Session, name: str) -> None:
    who = _who(session, name)
    if who.staff:
        listed = ", ".join(m.name for m in who.staff)
        raise NotAllowed(STAFF_NOT_REDACTED.format(name=name, staff=listed))


def plan_redaction(session: Session, name: str) -> RedactionPlan:
    """What `redact` would change, without changing it (for the confirmation)."""
    name = clean_name(name)
    _refuse_staff(session, name)
    return _plan(session, name)


def _plan(session: Session, name: str) -> RedactionPlan:
    who = _Who((name,), (), ())
    visits = tuple(v.id for v, why in _visits(session, who) if why)
    commands = tuple(
        row.id for row, _ in _command_rows(session, who) if row.finished_at is not None
    )
    return RedactionPlan(name, visits, commands, len(_updates(session, who)))


def person_key(name: str) -> str:
    """The audit row's subject for a redaction: a hash, so the log does not keep the name;
    anyone who knows the name can check that it was removed."""
    digest = hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()
    return f"sha256:{digest[:16]}"


def redact(
    session: Session, name: str, *, now: dt.datetime, actor: audit.Actor
) -> RedactionPlan:
    """Replace the person's name with [borttaget] in visits' others, notes and raw line, and
    clear finished commands that name them; one audit row per visit and one for the whole,
    all in the caller's unit of work."""
    name = clean_name(name)
    pattern = word_pattern([name])
    _refuse_staff(session, name)
    plan = _plan(session, name)
    who = _Who((name,), (), ())
    for visit, _why in _visits(session, who):
        changed = []
        others = [pattern.sub(REDACTED, str(o)) for o in visit.others or ()]
        if others != list(visit.others or ()):
            visit.others = others
            changed.append("others")
        for column in ("notes", "raw_text"):
            before = getattr(visit, column) or ""
            after = pattern.sub(REDACTED, before)
            if after != before:
                setattr(visit, column, after)
                changed.append(column)
        if not changed:
            continue
        visit.updated_at = now
        audit.log(
            session,
            actor,
            "visit.redact",
            audit.VISIT,
            visit.id,
            at=now,
            after={"redacted": changed},
        )
    queries.blank_finished_commands(session, plan.commands)
    audit.log(
        session,
        actor,
        "person.redact",
        audit.PERSON,
        person_key(name),
        at=now,
        after={"visits": list(plan.visits), "commands": len(plan.commands)},
    )
    return plan


# -- the registerutdrag as a workbook --------------------------------------------------------

SHEETS = (
    ("Personal", "staff"),
    ("Besök", "visits"),
    ("Uppdateringar", "updates"),
    ("Kommandon", "commands"),
    ("Granskningslogg", "audit"),
)


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_xlsx(data: PersonData, path: Any) -> None:
    """One sheet per kind of record, a header row each, and a first sheet saying what it is."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "Om utdraget"
    about.append(["Person", data.name])
    about.append(["Framtaget", data.generated_at.isoformat()])
    for title, key in SHEETS:
        about.append([title, len(getattr(data, key))])
    about.append(["Ingår inte", NOT_INCLUDED])
    for title, key in SHEETS:
        sheet = book.create_sheet(title)
        rows: list[dict[str, Any]] = getattr(data, key)
        header = list(rows[0]) if rows else ["(inga)"]
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(row.get(column)) for column in header])
    book.save(path)
