"""A staff member pauses the bot's DMs (reminders, personal digests) until a date, and resumes.

Paused "till 10 augusti" means no DMs before 10 August; they come again on the 10th.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.core import audit
from bot.errors import InvalidDate, NotFound
from storage import staff as staff_queries
from storage import updates as update_queries
from storage.models import Staff

NOT_IN_DIRECTORY = (
    "Du finns inte i Knalles personallista än, så du får inga DM att pausa. "
    "Be en administratör köra `knalle staff link DITT-NAMN {user_id}`."
)
NOT_AFTER_TODAY = (
    "Pausen måste sluta efter i dag. Skriv ett kommande datum, t.ex. "
    "`/aktivitet paus till 10 augusti` eller `/aktivitet paus om 2 veckor`."
)


def is_paused(member: Staff, day: dt.date) -> bool:
    """True when `member` asked for no DMs on `day`."""
    return member.dm_paused_until is not None and day < member.dm_paused_until


def in_directory(session: Session, slack_user_id: str) -> bool:
    """True when the user is in the staff directory, so has DMs to pause."""
    return staff_queries.by_slack_id(session, slack_user_id) is not None


def _member(session: Session, slack_user_id: str) -> Staff:
    member = staff_queries.by_slack_id(session, slack_user_id)
    if member is None:
        raise NotFound(NOT_IN_DIRECTORY.format(user_id=slack_user_id))
    return member


def pause_dms(
    session: Session,
    slack_user_id: str,
    until: dt.date,
    *,
    today: dt.date | None = None,
    surface: str = "slack",
) -> Staff:
    """Pause until `until` (exclusive). With `today`, a date not after it is refused."""
    if today is not None and until <= today:
        raise InvalidDate(NOT_AFTER_TODAY)
    member = _member(session, slack_user_id)
    before = member.dm_paused_until
    update_queries.set_dm_pause(session, member.id, until)
    session.refresh(member)
    _audit(session, member, "staff.pause", before, surface)
    return member


def resume_dms(session: Session, slack_user_id: str, *, surface: str = "slack") -> Staff:
    member = _member(session, slack_user_id)
    before = member.dm_paused_until
    update_queries.set_dm_pause(session, member.id, None)
    session.refresh(member)
    if before is not None:
        _audit(session, member, "staff.resume", before, surface)
    return member


def _audit(
    session: Session, member: Staff, action: str, before: dt.date | None, surface: str
) -> None:
    audit.log(
        session,
        audit.Actor(member.slack_user_id, member.name, surface),
        action,
        audit.STAFF,
        member.name,
        at=dt.datetime.now(dt.UTC),
        before={"dm_paused_until": _iso(before)},
        after={"dm_paused_until": _iso(member.dm_paused_until)},
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def paused_until(session: Session, slack_user_id: str, today: dt.date) -> dt.date | None:
    """The date DMs come back, when the user is paused on `today`; else None."""
    member = staff_queries.by_slack_id(session, slack_user_id)
    if member is None or not is_paused(member, today):
        return None
    return member.dm_paused_until
