"""The staff directory: plan names ("Anna M") matched to Slack users, never guessed.

`match_staff` is pure: it takes plan names and plain `SlackUser` data (the CLI fetches them with
users.list), so this module knows nothing of Slack's SDK. A plan name is placed only when exactly
one active human fits it: "Anna M" needs first name Anna and a last name starting with M; a bare
"Per" needs exactly one active Per. Everything else is listed for `knalle staff link`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from storage import staff
from storage.models import Staff

NOT_PEOPLE = ("Alla", "Berörda")  # "every staff member" and "those concerned"
SLACKBOT_ID = "USLACKBOT"
MAX_NAME = 64  # staff.name is String(64)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class SlackUser:
    id: str
    real_name: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    deleted: bool = False
    is_bot: bool = False

    @classmethod
    def from_member(cls, member: Mapping[str, Any]) -> SlackUser:
        """One entry of users.list's `members`, as Slack returns it."""
        profile = member.get("profile") or {}
        return cls(
            id=str(member.get("id", "")),
            real_name=str(member.get("real_name") or profile.get("real_name") or ""),
            display_name=str(profile.get("display_name") or member.get("name") or ""),
            first_name=str(profile.get("first_name") or ""),
            last_name=str(profile.get("last_name") or ""),
            deleted=bool(member.get("deleted", False)),
            is_bot=bool(member.get("is_bot", False)) or member.get("id") == SLACKBOT_ID,
        )

    @property
    def active_human(self) -> bool:
        return not (self.deleted or self.is_bot or self.id == SLACKBOT_ID)

    @property
    def label(self) -> str:
        """ "Anna Berg (U02)": how lists show a user."""
        return f"{self.real_name or self.display_name or self.id} ({self.id})"

    def names(self) -> tuple[str, str]:
        """(first name, last name), normalised; from the profile, else from the full name."""
        first, last = _norm(self.first_name), _norm(self.last_name)
        if first:
            return first, last
        words = _norm(self.real_name or self.display_name).split()
        if not words:
            return "", ""
        return words[0], " ".join(words[1:])


@dataclass(frozen=True)
class StaffMatch:
    name: str
    user: SlackUser


@dataclass
class SyncResult:
    matched: list[StaffMatch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # no active user fits
    ambiguous: dict[str, list[SlackUser]] = field(default_factory=dict)  # several fit

    @property
    def unplaced(self) -> list[str]:
        return [*self.unmatched, *self.ambiguous]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _candidates(plan_name: str, users: list[SlackUser]) -> list[SlackUser]:
    words = _norm(plan_name).split()
    if not words:
        return []
    first, hint = words[0], " ".join(words[1:]).rstrip(".")
    fits = []
    for user in users:
        user_first, user_last = user.names()
        if user_first != first:
            continue
        if hint and not user_last.startswith(hint):
            continue
        fits.append(user)
    return fits


def match_staff(plan_names: Iterable[str], users: Iterable[SlackUser]) -> SyncResult:
    """Place each plan name on exactly one active human, or list it; "Alla"/"Berörda" are skipped.

    Two names that would land on the same user are both listed, not linked.
    """
    humans = [user for user in users if user.active_human]
    not_people = {_norm(name) for name in NOT_PEOPLE}
    result = SyncResult()
    placed: dict[str, SlackUser] = {}
    for name in dict.fromkeys(n.strip() for n in plan_names if n.strip()):
        if _norm(name) in not_people:
            continue
        fits = _candidates(name, humans)
        if not fits:
            result.unmatched.append(name)
        elif len(fits) > 1:
            result.ambiguous[name] = fits
        else:
            placed[name] = fits[0]
    by_user: dict[str, list[str]] = {}
    for name, user in placed.items():
        by_user.setdefault(user.id, []).append(name)
    for name, user in placed.items():
        if len(by_user[user.id]) > 1:
            result.ambiguous[name] = [user]
        else:
            result.matched.append(StaffMatch(name, user))
    return result


# --- The directory in the database -------------------------------------------------------------


@dataclass
class SyncReport:
    result: SyncResult
    linked: list[StaffMatch] = field(default_factory=list)
    taken: list[tuple[StaffMatch, str]] = field(default_factory=list)  # user already someone's
    already_linked: int = 0


def sync_directory(session: Session, users: Iterable[SlackUser]) -> SyncReport:
    """Link every unlinked plan name that matches exactly one Slack user; list the rest.

    Names linked earlier (by a sync or by hand) are left as they are.
    """
    users = list(users)
    unlinked = staff.unlinked(session)
    report = SyncReport(result=match_staff([m.name for m in unlinked], users))
    report.already_linked = len(staff.all_staff(session)) - len(unlinked)
    members = {m.name: m for m in unlinked}
    for match in report.result.matched:
        owner = staff.by_slack_id(session, match.user.id)
        if owner is not None:
            report.taken.append((match, owner.name))
            continue
        staff.link(session, members[match.name], match.user.id, match.user.real_name or None)
        report.linked.append(match)
    return report


def check_user_id(user_id: str) -> str:
    user_id = user_id.strip()
    if not _USER_ID.match(user_id):
        raise InvalidInput(
            f"”{user_id}” ser inte ut som ett Slack-användar-id. Det börjar med U eller W och "
            "har bara versaler och siffror, t.ex. U012AB3CD (i Slack: profilen → ⋮ → "
            "Kopiera medlems-ID)."
        )
    return user_id


def _known(session: Session, name: str) -> Staff:
    member = staff.by_name(session, name)
    if member is None:
        names = ", ".join(m.name for m in staff.all_staff(session, active_only=False)) or "inga"
        raise NotFound(
            f"Ingen i personalregistret heter ”{name.strip()}”. Kända namn: {names}. "
            "Lägg till ett nytt namn med `knalle staff link NAMN U… --ny`."
        )
    return member


@dataclass(frozen=True)
class Linked:
    name: str
    slack_user_id: str
    replaced: str | None  # the Slack id the name had before, when it had another


def link_staff(
    session: Session, name: str, user_id: str, now: dt.datetime, *, create: bool = False
) -> Linked:
    """Connect a plan name to a Slack user by hand (fixes what sync could not place)."""
    user_id = check_user_id(user_id)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Skriv namnet som planen använder, t.ex. ”Anna M”.")
    if _norm(name) in {_norm(n) for n in NOT_PEOPLE}:
        raise InvalidInput(f"”{name}” är ingen person och kopplas inte till en Slack-användare.")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"Namnet är {len(name)} tecken; högst {MAX_NAME} tecken går. Skriv namnet som planen "
            "använder, t.ex. ”Anna M”."
        )
    if create and staff.by_name(session, name) is None:
        staff.add_if_absent(session, name, now)
    member = _known(session, name)
    owner = staff.by_slack_id(session, user_id)
    if owner is not None and owner.id != member.id:
        raise InvalidInput(
            f"{user_id} är redan kopplad till {owner.name}. Koppla först {owner.name} till rätt "
            f"användare med `knalle staff link {owner.name} U…`."
        )
    before = member.slack_user_id
    staff.link(session, member, user_id, None)
    return Linked(member.name, user_id, before if before not in (None, user_id) else None)


def set_admin(session: Session, name: str, *, admin: bool) -> Staff:
    member = _known(session, name)
    member.is_admin = admin
    session.flush()
    return member


@dataclass(frozen=True)
class StaffRow:
    name: str
    slack_user_id: str | None
    full_name: str | None
    admin: bool
    admin_from_settings: bool
    paused_until: dt.date | None
    active: bool


def directory(session: Session, today: dt.date, settings_admins: Iterable[str]) -> list[StaffRow]:
    """Every staff member for `knalle staff list`, with admin and DM pause as of `today`."""
    admins = set(settings_admins)
    rows = []
    for member in staff.all_staff(session, active_only=False):
        paused = member.dm_paused_until
        rows.append(
            StaffRow(
                name=member.name,
                slack_user_id=member.slack_user_id,
                full_name=member.full_name,
                admin=member.is_admin,
                admin_from_settings=bool(member.slack_user_id and member.slack_user_id in admins),
                paused_until=paused if paused is not None and paused >= today else None,
                active=member.active,
            )
        )
    return rows
