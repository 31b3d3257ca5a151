"""A small unit for the scheduled-send tests: staff, a 2026 plan, updates and visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.models import Staff
from tests.storage import factories as make

UTC = dt.UTC


@dataclass
class World:
    alla: int  # 1.2.1, owned by "Alla"
    foretagsamt: int  # 1.2.2, Anna M
    nyhetsbrev: int  # 1.2.3, Pia and Anna M (reported this period)
    berorda: int  # 1.2.4, "Berörda": shown, never reminded


def member(
    session: Session,
    name: str,
    slack_id: str | None,
    *,
    active: bool = True,
    paused_until: dt.date | None = None,
) -> Staff:
    row = Staff(
        name=name,
        slack_user_id=slack_id,
        active=active,
        dm_paused_until=paused_until,
        created_at=dt.datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def build(session: Session) -> World:
    """Anna M, Pia, Olle (paused to 5 Dec 2026), Kim (no Slack id), Eva (left the unit)."""
    member(session, "Anna M", "UANNA")
    member(session, "Pia", "UPIA")
    member(session, "Olle", "UOLLE", paused_until=dt.date(2026, 12, 5))
    member(session, "Kim", None)
    member(session, "Eva", "UEVA", active=False)
    plan, section = make.plan(session, 2026)
    alla = make.activity(session, plan, section, "1.2.1", "109 företagsbesök", ("Alla",))
    foretagsamt = make.activity(
        session, plan, section, "1.2.2", "Företagsamt <nyhetsbrev> & mer", ("Anna M",)
    )
    nyhetsbrev = make.activity(session, plan, section, "1.2.3", "Nyhetsbrev", ("Pia", "Anna M"))
    berorda = make.activity(session, plan, section, "1.2.4", "Dialog", ("Berörda",))
    make.update(
        session, alla, "gul", "Halvvägs <!channel>", dt.datetime(2026, 6, 1, tzinfo=UTC), "2026-H1"
    )
    make.update(
        session, nyhetsbrev, "grön", "Utskickat", dt.datetime(2026, 10, 1, tzinfo=UTC), "2026-H2"
    )
    return World(alla.id, foretagsamt.id, nyhetsbrev.id, berorda.id)
