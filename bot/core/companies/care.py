"""Company register care for admins in Slack (`/besök företag NAMN`): rename, merge, remove.

The same operations as `knalle company rename|merge|remove` (bot/core/companies/register.py), by
company id from the buttons, for admins only, audited as the Slack user. Knows nothing of Slack.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.context import Knalle
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


def may_care(knalle: Knalle, user_id: str) -> bool:
    with knalle.db.read() as session:
        return directory.is_admin(knalle, session, user_id)


def _company(knalle: Knalle, session: Session, user_id: str, company_id: int) -> Company:
    if not directory.is_admin(knalle, session, user_id):
        raise NotAllowed(ADMINS_ONLY)
    company = register.by_id(session, company_id)
    if company is None:
        raise NotFound("Företaget finns inte längre i registret (det kan redan vara borttaget).")
    return company


def rename(knalle: Knalle, user_id: str, company_id: int, new_name: str) -> str:
    """The confirmation line, in Swedish."""
    now = knalle.clock.now()
    with knalle.db.write() as session:
        company = _company(knalle, session, user_id, company_id)
        before, renamed = companies.rename(session, company.name, new_name, now)
        audit.log(
            session, audit.actor_for(knalle, session, user_id), "company.rename",
            audit.COMPANY, renamed.id, at=now,
            before={"name": before}, after={"name": renamed.name},
        )  # fmt: skip
        return f"{before} heter nu {renamed.name}. Det gamla namnet hittar företaget fortfarande."


def merge(knalle: Knalle, user_id: str, company_id: int, into_name: str) -> str:
    now = knalle.clock.now()
    with knalle.db.write() as session:
        company = _company(knalle, session, user_id, company_id)
        merged = companies.merge(session, company.name, into_name, now)
        audit.log(
            session, audit.actor_for(knalle, session, user_id), "company.merge",
            audit.COMPANY, merged.into.id, at=now,
            before={"name": merged.removed}, after={"name": merged.into.name},
        )  # fmt: skip
        return (
            f"{merged.removed} är ihopslagen med {merged.into.name}: {merged.visits_moved} besök "
            f"flyttade. {merged.removed} hittar nu {merged.into.name}."
        )


def remove(knalle: Knalle, user_id: str, company_id: int) -> str:
    """Remove the company and its visits: the button's confirmation dialog said so."""
    now = knalle.clock.now()
    with knalle.db.write() as session:
        company = _company(knalle, session, user_id, company_id)
        removed, count = companies.remove(session, company.name, with_visits=True)
        audit.log(
            session, audit.actor_for(knalle, session, user_id), "company.remove",
            audit.COMPANY, company_id, at=now,
            before={"name": removed, "visits": str(count)}, after=None,
        )  # fmt: skip
    gone = f" och dess {count} besök" if count else ""
    return f"{removed}{gone} är borttaget ur registret."
