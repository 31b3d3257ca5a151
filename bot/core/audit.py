"""The audit trail: who changed what, when, and through which surface (any surface).

Every change the bot makes on someone's behalf calls `log` in the same unit of work as the
change, so the row exists exactly when the change does (a double submit or a replay that stores
nothing writes no row either). `history`/`listing` read it for `knalle audit` and the Ändra form.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from storage import audit as queries
from storage import staff as staff_queries
from storage.models import AuditEntry, Visit

# What was changed: the audit row's subject_type.
VISIT = "visit"
UPDATE = "update"
COMPANY = "company"
STAFF = "staff"
SETTING = "setting"
PLAN = "plan"
KEY_FIGURE = "key_figure"
PERSON = "person"

# The actions, "subject.verb" (listed here so wording and filters agree).
ACTIONS = {
    "visit.create": "besök loggat",
    "visit.edit": "besök ändrat",
    "visit.undo": "besök ångrat",
    "visit.import": "besök importerat",
    "visit.redact": "namn borttaget ur besök",
    "update.create": "aktivitetsuppdatering",
    "company.set": "företagsuppgifter ändrade",
    "company.rename": "företag bytt namn",
    "company.merge": "företag sammanslagna",
    "company.remove": "företag borttaget",
    "staff.link": "personal kopplad till Slack",
    "staff.sync": "personal synkad med Slack",
    "staff.admin": "admin ändrad",
    "staff.pause": "påminnelser pausade",
    "staff.resume": "påminnelser återupptagna",
    "config.set": "inställning ändrad",
    "config.unset": "inställning borttagen",
    "plan.import": "plan importerad",
    "kpi.set": "nyckeltal ändrat",
    "themes.retag": "besökens teman ommärkta",
    "person.redact": "personuppgifter borttagna",
    "person.export": "registerutdrag taget",
}

# A visit's fields as a history names them.
FIELD_LABELS = {
    "company": "företag",
    "company_id": "företags-id",
    "visit_date": "datum",
    "form": "form",
    "participants": "från enheten",
    "others": "övriga",
    "notes": "anteckning",
    "follow_up_on": "följ upp",
    "author_id": "loggat av",
    "deleted": "ångrat",
    "value": "värde",
}

OPERATOR_ENV = "KNALLE_OPERATOR"


@dataclass(frozen=True)
class Actor:
    """Who made a change: a Slack user (id and plan name) or an operator at the CLI."""

    slack_id: str | None
    name: str
    surface: str


def actor_for(session: Session, slack_id: str, surface: str) -> Actor:
    """A Slack user acting through `surface` (slack | console | cli), named as in the plan."""
    member = staff_queries.by_slack_id(session, slack_id) if slack_id else None
    return Actor(slack_id or None, member.name if member else slack_id, surface)


def operator(surface: str = "cli") -> Actor:
    """The person at the terminal: KNALLE_OPERATOR when set (a shared account), else the login."""
    name = os.environ.get(OPERATOR_ENV, "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry in some containers
            name = "okänd"
    return Actor(None, name, surface)


def import_actor() -> Actor:
    """Who imports visits from a file: the operator at the terminal, through the import."""
    return Actor(None, operator().name, "import")


def log(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: object,
    *,
    at: dt.datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one row, in the caller's unit of work."""
    queries.append(
        session,
        at=at,
        actor_id=actor.slack_id,
        actor_name=actor.name,
        surface=actor.surface,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
    )


def visit_fields(visit: Visit) -> dict[str, Any]:
    """A visit's fields as the audit keeps them (JSON: dates as ISO text)."""
    present = [p.slack_user_id for p in visit.participants]
    return {
        "company": visit.company.name,
        "company_id": visit.company_id,
        "visit_date": visit.visit_date.isoformat(),
        "form": visit.form,
        "participants": present,
        "others": list(visit.others or ()),
        "notes": visit.notes,
        "follow_up_on": visit.follow_up_on.isoformat() if visit.follow_up_on else None,
        "author_id": visit.author_id,
        "deleted": visit.deleted_at is not None,
    }


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The keys whose values differ, in `after`'s order (then `before`'s)."""
    before = before or {}
    after = after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [k for k in keys if before.get(k) != after.get(k)]


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor_id: str | None
    actor_name: str
    surface: str
    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, row: AuditEntry) -> AuditRow:
        return cls(
            id=row.id,
            at=row.at,
            actor_id=row.actor_id,
            actor_name=row.actor_name,
            surface=row.surface,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            before=row.before,
            after=row.after,
        )

    @property
    def changed(self) -> list[str]:
        return changed_fields(self.before, self.after)

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def changed_labels(self) -> list[str]:
        """ "anteckning, övriga": what an edit changed, in Swedish (ids left out)."""
        return [FIELD_LABELS.get(k, k) for k in self.changed if k != "company_id"]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "surface": self.surface,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "before": self.before,
            "after": self.after,
        }


def _who_ids(session: Session, who: str) -> list[str]:
    """Slack ids a --who NAME means: staff whose plan or full name holds it, or the id itself."""
    wanted = who.strip().casefold()
    ids = [who.strip()] if who.strip().upper().startswith(("U", "W")) else []
    for member in staff_queries.all_staff(session, active_only=False):
        names = f"{member.name} {member.full_name or ''}".casefold()
        if member.slack_user_id and wanted in names:
            ids.append(member.slack_user_id)
    return ids


# Fields that hold Slack user ids: a listing shows each with the staff member's name.
PERSON_FIELDS = ("participants", "author_id")


def staff_names(session: Session) -> dict[str, str]:
    """Slack id → plan name of every staff member, former ones too (old rows name them)."""
    return {
        member.slack_user_id: member.name
        for member in staff_queries.all_staff(session, active_only=False)
        if member.slack_user_id
    }


def listing(
    session: Session,
    *,
    since: dt.datetime | None = None,
    who: str | None = None,
    visit_id: int | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """`knalle audit`: oldest first; `who` matches a staff name, a Slack id or a CLI operator."""
    rows = queries.entries(
        session,
        since=since,
        actor_ids=_who_ids(session, who) if who else (),
        actor_name=who.strip() if who else None,
        subject_type=VISIT if visit_id is not None else None,
        subject_id=str(visit_id) if visit_id is not None else None,
        limit=limit,
    )
    return [AuditRow.of(row) for row in rows]


def history(session: Session, subject_type: str, subject_id: object) -> list[AuditRow]:
    """One thing's rows, oldest first."""
    rows = queries.entries(session, subject_type=subject_type, subject_id=str(subject_id))
    return [AuditRow.of(row) for row in rows]


def rows_naming(session: Session, slack_ids: Sequence[str], terms: Sequence[str]) -> list[AuditRow]:
    """Candidate rows for `person export`: made by one of `slack_ids`, or whose before/after
    hold one of `terms` or ids as a substring (the caller keeps whole-word matches)."""
    needles = [n.casefold() for n in (*terms, *slack_ids) if n]
    found: list[AuditRow] = []
    for row in queries.entries(session):
        text = json.dumps([row.before, row.after], ensure_ascii=False).casefold()
        mine = bool(row.actor_id and row.actor_id in slack_ids)
        if mine or any(needle in text for needle in needles):
            found.append(AuditRow.of(row))
    return found


def visit_history_for(
    session: Session, visit_id: int, user_id: str, admins: Collection[str]
) -> list[AuditRow] | None:
    """A visit's audit rows for an admin (the Ändra form shows them); None for anyone else."""
    from bot.core.staff.people import is_admin

    if not is_admin(session, user_id, admins):
        return None
    return history(session, VISIT, visit_id)
