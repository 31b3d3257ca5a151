"""A small plan with the awkward cases (shared words, a section of three, "Alla", "Berörda"),
and two linked staff members, for the /aktivitet and Home tab tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storage.models import Chapter, Section, Staff
from tests.storage import factories as make

UTC = dt.UTC


def staff(session: Session, name: str, slack_id: str | None) -> Staff:
    row = Staff(name=name, slack_user_id=slack_id, created_at=dt.datetime.now(UTC))
    session.add(row)
    session.flush()
    return row


def build_plan(session: Session, year: int = 2026) -> dict[str, int]:
    """Pia (UPIA) and Anna M (UANNAM) are linked; Sara owns an activity but is not."""
    plan, section = make.plan(session, year)
    chapter = plan.chapters[0]
    second = Section(number="1.5", title="Entreprenörskap", position=2)
    chapter.sections.append(second)
    plan.chapters.append(Chapter(number="8", title="Interna stödprocesser", position=8))
    session.flush()
    rows = {
        "besök": make.activity(session, plan, section, "1.2.3", "Företagsbesök", ("Pia",)),
        "109": make.activity(
            session,
            plan,
            section,
            "1.2.1",
            "Koncentrerade företagsbesök – 109 företagsbesök",
            ("Alla",),
        ),
        "109+": make.activity(
            session, plan, section, "1.2.2", "Koncentrerade företagsbesök – 109+", ("Anna M",)
        ),
        "företagsamt": make.activity(
            session, plan, second, "1.5.6", "Företagsamt", ("Anna M", "Pia"), priority="Hög"
        ),
        "uf": make.activity(session, plan, second, "1.5.7", "Ung Företagsamhet (UF)", ("Sara",)),
        "textil": make.activity(session, plan, second, "1.5.9", "Cirkulär textil", ("Berörda",)),
    }
    rows["företagsamt"].purpose = "Sprida kunskap om företagande & entreprenörskap"
    rows["företagsamt"].goal = "Fyra nummer om året"
    staff(session, "Pia", "UPIA")
    staff(session, "Anna M", "UANNAM")
    session.flush()
    return {key: row.id for key, row in rows.items()}
