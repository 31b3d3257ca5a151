"""Company register care for admins in Slack (`/besök företag NAMN`): rename, merge, remove.

The same operations as `knalle company rename|merge|remove` (bot/core/companies/register.py), by
company id from the buttons, for admins only, audited as the Slack user. Knows nothing of Slack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.core import audit
from bot.core.companies import register as companies
from bot.core.staff import people as directory
from bot.errors import NotAllowed, NotFound
from storage import companies as register
from storage.models import Company

ADMINS_ONLY = (
    "Bara en admin kan byta namn på, slå ihop eller ta bort företag. Be en admin, eller kör "
    "`knalle company` i terminalen."
)


def may_care(session: Session, user_id: str, admins: Collection[str]) -> bool:
    return directory.is_admin(session, user_id, admins)


def _company(session: Session, user_id: str, company_id: int, admins: Collection[str]) -> Company:
    if not directory.is_admin(session, user_id, admins):
        raise NotAllowed(ADMINS_ONLY)
    company = register.by_id(session, company_id)
    if company is None:
        raise NotFound("Företaget finns inte längre i registret (det kan redan vara borttaget).")
    return company


# Each change is audited as the Slack user, through `surface`, in the caller's unit of work.


def rename(
    session: Session,
    user_id: str,
    company_id: int,
    new_name: str,
    *,
    now: dt.datetime,
    surface: str,
    admins: Collection[str],
) -> str:
    """The confirmation line, in Swedish."""
    company = _company(session, user_id, company_id, admins)
    before, renamed = companies.rename(session, company.name, new_name, now)
    audit.log(
        session, audit.actor_for(session, user_id, surface), "company.rename",
        audit.COMPANY, renamed.id, at=now,
        before={"name": before}, after={"name": renamed.name},
    )  # fmt: skip
    return f"{before} heter nu {renamed.name}. Det gamla namnet hittar företaget fortfarande."


def merge(
    session: Session,
    user_id: str,
    company_id: int,
    into_name: str,
    *,
    now: dt.datetime,
    surface: str,
    admins: Collection[str],
) -> str:
    company = _company(session, user_id, company_id, admins)
    merged = companies.merge(session, company.name, into_name, now)
    audit.log(
        session, audit.actor_for(session, user_id, surface), "company.merge",
        audit.COMPANY, merged.into.id, at=now,
        before={"name": merged.removed}, after={"name": merged.into.name},
    )  # fmt: skip
    return (
        f"{merged.removed} är ihopslagen med {merged.into.name}: {merged.visits_moved} besök "
        f"flyttade. {merged.removed} hittar nu {merged.into.name}."
    )


def remove(
    session: Session,
    user_id: str,
    company_id: int,
    *,
    now: dt.datetime,
    surface: str,
    admins: Collection[str],
) -> str:
    """Remove the company and its visits: the button's confirmation dialog said so."""
    company = _company(session, user_id, company_id, admins)
    removed, count = companies.remove(session, company.name, with_visits=True)
    audit.log(
        session, audit.actor_for(session, user_id, surface), "company.remove",
        audit.COMPANY, company_id, at=now,
        before={"name": removed, "visits": str(count)}, after=None,
    )  # fmt: skip
    gone = f" och dess {count} besök" if count else ""
    return f"{removed}{gone} är borttaget ur registret."
