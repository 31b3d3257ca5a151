"""storage/plans.py: upserts report what they changed; owners reorder without breaking the
(activity, name) unique key; an imported update is added once."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from sqlalchemy import func, select

from bot.context import Knalle
from storage import plans
from storage.models import ActivityOwner, ActivityUpdate
from storage.plans import ActivityFields, Outcome

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 24, 9, tzinfo=UTC)


class ImportedUpdate(TypedDict):
    period: str
    comment: str
    recorded_at: dt.datetime


class FigureValue(TypedDict):
    target: str
    outcome: str
    met: bool | None


def fields(owners: list[str], **changes: Any) -> ActivityFields:  # each with its own type
    values: dict[str, Any] = {
        "number": "1.2.1",
        "title": "Företagsbesök",
        "purpose": "",
        "goal": "",
        "actions": ["Besöka"],
        "years": [2026],
        "owners": owners,
        "priority": "Hög",
        "follow_up_rule": "Två gånger per år",
        "position": 1,
    }
    values.update(changes)
    return ActivityFields(**values)


def test_activity_upserts_and_owner_changes(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        plan, outcome = plans.upsert_plan(session, 2026, "Plan 2026", "plan.yaml", NOW)
        assert outcome is Outcome.CREATED
        chapter, _ = plans.upsert_chapter(session, plan, "1", "Samverkan", 1)
        section, _ = plans.upsert_section(session, chapter, "1.2", "Företagsbesök", 1)
        _, outcome = plans.upsert_activity(session, plan, section, fields(["Pia", "Per", "Alla"]))
        assert outcome is Outcome.CREATED
        _, outcome = plans.upsert_activity(session, plan, section, fields(["Pia", "Per", "Alla"]))
        assert outcome is Outcome.UNCHANGED
        # Reorder, drop one, add one: the unique (activity, name) key must hold throughout.
        activity, outcome = plans.upsert_activity(
            session, plan, section, fields(["Alla", "Anna M", "Pia"])
        )
        assert outcome is Outcome.UPDATED
        assert [o.name for o in activity.owners] == ["Alla", "Anna M", "Pia"]
        _, outcome = plans.upsert_activity(
            session, plan, section, fields(["Alla", "Anna M", "Pia"], priority="Låg")
        )
        assert outcome is Outcome.UPDATED
    with knalle.db.read() as session:
        rows = session.scalars(select(ActivityOwner).order_by(ActivityOwner.position)).all()
        assert [(o.name, o.position) for o in rows] == [("Alla", 0), ("Anna M", 1), ("Pia", 2)]
        again = plans.activity_by_number(session, plan.id, "1.2.1")
        assert again is not None and again.priority == "Låg"
        _, same = plans.upsert_plan(session, 2026, "Plan 2026", "other.yaml", NOW)
        assert same is Outcome.UNCHANGED
        _, renamed = plans.upsert_plan(session, 2026, "Ny plan 2026", "other.yaml", NOW)
        assert renamed is Outcome.UPDATED
        session.rollback()


def test_an_imported_update_is_added_once_and_a_correction_on_top(knalle: Knalle) -> None:
    at = dt.datetime(2026, 6, 15, 10, tzinfo=UTC)
    with knalle.db.write() as session:
        plan, _ = plans.upsert_plan(session, 2026, "Plan 2026", "plan.yaml", NOW)
        chapter, _ = plans.upsert_chapter(session, plan, "1", "Samverkan", 1)
        section, _ = plans.upsert_section(session, chapter, "1.2", "Företagsbesök", 1)
        activity, _ = plans.upsert_activity(session, plan, section, fields(["Pia"]))
        args: ImportedUpdate = {"period": "2026-H1", "comment": "Halvvägs", "recorded_at": at}
        assert plans.add_imported_update(session, activity, light="gul", **args)
        assert not plans.add_imported_update(session, activity, light="gul", **args)
        assert plans.add_imported_update(session, activity, light="grön", **args)
    with knalle.db.read() as session:
        assert session.scalar(select(func.count(ActivityUpdate.id))) == 2


def test_key_figures_by_name_and_year(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        figure, outcome = plans.upsert_key_figure(session, "NKI", stratsys=True, position=1)
        assert outcome is Outcome.CREATED
        _, outcome = plans.upsert_key_figure(session, "nki", stratsys=True, position=1)
        assert outcome is Outcome.UNCHANGED
        value: FigureValue = {"target": "upp", "outcome": "73", "met": False}
        assert plans.upsert_key_figure_value(session, figure, 2022, **value) is Outcome.CREATED
        assert plans.upsert_key_figure_value(session, figure, 2022, **value) is Outcome.UNCHANGED
        changed = plans.upsert_key_figure_value(
            session, figure, 2022, target="upp", outcome="74", met=True
        )
        assert changed is Outcome.UPDATED
        assert [(v.year, v.outcome, v.met) for v in figure.values] == [(2022, "74", True)]
