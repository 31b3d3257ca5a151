"""A small plan with every case the report must show, built with the factories (no plan file)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.context import Knalle
from bot.core.followup.periods import parse_period
from bot.core.report import FollowUpReport, collect_report
from storage import key_figures
from storage.models import Chapter, Section, Staff
from tests.storage import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def build(session: Session) -> None:
    """2026: two chapters, four activities, visits and key figures.

    - 1.2.1 Företagsbesök (Pia, Per; Hög): H1 grön, H2 gul "Försenat & <b>" by Pia (Slack id)
    - 1.2.2 Företagsamt (Alla; Medel): only an H1 update, so "ej rapporterad" in H2
    - 2.1.1 Nyföretagarträffar (Anna M; Låg): grön at 23:30 on the follow-up day; then röd the
      morning after, for the same period: too late for the H2 report
    - 2.1.2 Rådgivning (Berörda; no prio): reported without a light
    """
    session.add(
        Staff(name="Pia", slack_user_id="UPIA", created_at=local(2026, 1, 1).astimezone(dt.UTC))
    )
    plan, visits_section = factories.plan(session, 2026)
    chapter = Chapter(number="2", title="Nyföretagande", position=2)
    start_section = Section(number="2.1", title="Starta eget", position=1)
    chapter.sections.append(start_section)
    plan.chapters.append(chapter)
    session.flush()

    visits_activity = factories.activity(
        session, plan, visits_section, "1.2.1", "Företagsbesök", ("Pia", "Per"), priority="Hög"
    )
    magazine = factories.activity(session, plan, visits_section, "1.2.2", "Företagsamt", ("Alla",))
    meetings = factories.activity(
        session, plan, start_section, "2.1.1", "Nyföretagarträffar", ("Anna M",), priority="Låg"
    )
    advice = factories.activity(session, plan, start_section, "2.1.2", "Rådgivning", ("Berörda",))
    advice.priority = None

    factories.update(session, visits_activity, "grön", "Bra start", local(2026, 5, 2), "2026-H1")
    factories.update(
        session, visits_activity, "gul", "Försenat & <b>", local(2026, 12, 1), "2026-H2"
    )
    factories.update(session, magazine, "grön", "Vårnumret ute", local(2026, 6, 1), "2026-H1")
    on_time = factories.update(
        session, meetings, "grön", "Tolv träffar", local(2026, 12, 15, 23, 30), "2026-H2", author=""
    )
    on_time.author_slack_id = None
    on_time.author_name = "Anna M"
    factories.update(session, meetings, "röd", "Sent ändrat", local(2026, 12, 16, 9, 0), "2026-H2")
    no_light = factories.update(session, advice, "grön", "Pågår", local(2026, 10, 1), "2026-H2")
    no_light.light = None

    textile = factories.company(session, "Ellos AB", cluster="Textil/mode/design")
    trade = factories.company(session, "Lindex", cluster="Handel och logistik")
    unknown = factories.company(session, "Okänd AB")
    factories.visit(session, textile, dt.date(2026, 1, 20))
    factories.visit(session, textile, dt.date(2026, 3, 3))
    factories.visit(session, trade, dt.date(2026, 12, 10))
    factories.visit(session, unknown, dt.date(2026, 3, 9))
    factories.visit(session, trade, dt.date(2026, 12, 20))  # after the follow-up day
    factories.visit(session, trade, dt.date(2026, 2, 2), deleted=True)
    factories.visit(session, trade, dt.date(2025, 12, 10))  # last year

    nki = key_figures.add_key_figure(session, "NKI, nöjd kundindex", stratsys=True)
    key_figures.add_key_figure(session, "Nettojobb")
    key_figures.set_value(session, nki, 2026, target="75", outcome="77", met=True)
    session.flush()


def report_for(knalle: Knalle, label: str = "2026-H2") -> FollowUpReport:
    with knalle.db.read() as session:
        return collect_report(
            session,
            parse_period(label, knalle.settings.followup_dates),
            zone=knalle.settings.zone,
            visit_target=knalle.settings.visit_target,
        )
