"""`knalle plan new`: next year's draft from this year's plan, and the switch on 1 January."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.cli.plan import run_new
from bot.context import Knalle
from bot.core.activities.updates import find_activity, my_activities, plan_or_fail
from bot.core.followup.calendar import Schedule
from bot.core.followup.reminders import reminders_for_day
from bot.core.home import home_data
from bot.core.plan.draft import draft_plan
from bot.core.plan.file import parse_yaml_text
from bot.core.plan.importer import import_plan, import_plan_file
from bot.errors import InvalidInput, NotFound
from bot.files.report import report_file
from storage.models import Staff

PLAN = Path(__file__).resolve().parents[4] / "data" / "plans" / "boras-2022.yaml"


@pytest.fixture
def shipped(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        import_plan_file(session, PLAN, knalle.clock.now())
    return knalle


def _shipped_lights() -> dict[str, tuple[list[int], str | None]]:
    data = parse_yaml_text(PLAN.read_text(encoding="utf-8"))
    found = {}
    for activity in data.activities():
        last = activity.updates[-1] if activity.updates else None
        found[activity.number] = (
            list(activity.years),
            last.light.value if last and last.light else None,
        )
    return found


def test_the_draft_carries_the_unfinished_and_next_years_and_drops_what_was_done(
    shipped: Knalle,
) -> None:
    with shipped.db.read() as session:
        draft = draft_plan(session, 2023)
    data = parse_yaml_text(draft.text)  # the draft is a valid plan as it is
    assert data.year == 2023 and data.name == "Näringslivsenhetens verksamhetsplan 2023"
    carried = {a.number: a for a in data.activities()}
    for number, (years, light) in _shipped_lights().items():
        expected = 2023 in years or light != "grön"
        assert (number in carried) is expected, (number, years, light)
    assert draft.carried == len(carried) and draft.dropped > 0
    # Owners, priority, purpose and goal come along; every year now includes 2023.
    assert carried["1.1.2"].owners == ("Annika", "Caroline")
    assert carried["1.1.2"].priority == "Medel" and carried["1.1.2"].goal
    assert all(2023 in a.years for a in carried.values())
    assert "1.1.1" not in carried  # Näringslivsdagen 2022: done (green), not planned for 2023
    # The last comment is context, as a YAML comment: not an update of the new plan.
    assert "# Senast (2022-H2, gul):" in draft.text
    assert all(not a.updates for a in carried.values())
    assert not data.campaigns  # the 109-campaign ended 2022-12-31
    assert [p.name for p in data.politicians] == ["Annette Carlson"]


def test_the_cli_writes_a_file_and_never_overwrites(shipped: Knalle, tmp_path: Path) -> None:
    target = tmp_path / "plan-2023.yaml"
    out = io.StringIO()
    assert run_new(shipped, 2023, 2022, target, out) == 0
    assert "följer med från 2022" in out.getvalue()
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["år"] == 2023
    with pytest.raises(InvalidInput, match="finns redan"):
        run_new(shipped, 2023, 2022, target, io.StringIO())


def test_bad_years_are_refused_in_swedish(shipped: Knalle) -> None:
    with shipped.db.read() as session:
        with pytest.raises(InvalidInput, match="tidigare år"):
            draft_plan(session, 2023, 2023)
        with pytest.raises(NotFound, match="Ingen plan för 2021"):
            draft_plan(session, 2022)


def test_everything_switches_to_the_new_plan_on_1_january(shipped: Knalle) -> None:
    zone = shipped.settings.zone
    with shipped.db.write() as session:
        draft = draft_plan(session, 2023)
        import_plan(session, parse_yaml_text(draft.text), source="plan-2023.yaml",
                    now=shipped.clock.now())  # fmt: skip
        pia = session.scalars(select(Staff).where(Staff.name == "Pia")).one()
        pia.slack_user_id = "UPIA"
    new_year, old_year = dt.date(2023, 1, 1), dt.date(2022, 12, 31)
    with shipped.db.read() as session:
        # /aktivitet finds activities in the plan in force that day.
        assert plan_or_fail(session, old_year).year == 2022
        assert plan_or_fail(session, new_year).year == 2023
        old = find_activity(session, plan_or_fail(session, old_year).id, "1.1.1")
        assert old.number == "1.1.1"
        with pytest.raises(NotFound):
            find_activity(session, plan_or_fail(session, new_year).id, "1.1.1")  # dropped
        # Home: Pia's activities come from the new plan from 1 January.
        dates = ["06-15", "12-15"]
        before = my_activities(session, "UPIA", old_year, dates).activities
        after = my_activities(session, "UPIA", new_year, dates).activities
        assert {s.ref.id for s in before}.isdisjoint({s.ref.id for s in after})
        assert len(after) < len(before)
        assert home_data(session, "UPIA", new_year, followup_dates=dates, visit_target=150)
        # Reminders before the June follow-up list the 2023 plan's activities.
        june, _ = reminders_for_day(session, dt.date(2023, 6, 1), Schedule())
        june_before, _ = reminders_for_day(session, dt.date(2022, 6, 1), Schedule())
        new_ids = {s.ref.id for s in after}
        pia_june = next(r for r in june if r.name == "Pia")
        assert {a.activity_id for a in pia_june.activities} <= new_ids
        pia_before = next(r for r in june_before if r.name == "Pia")
        assert {a.activity_id for a in pia_before.activities}.isdisjoint(new_ids)
    # The report of a period names the plan in force in it.
    _, h1 = report_file(shipped, "2023-H1", "md")
    assert h1.decode().startswith(
        "# Uppföljning 2023-H1 – Näringslivsenhetens verksamhetsplan 2023"
    )
    _, h2 = report_file(shipped, "2022-H2", "md")
    assert h2.decode().startswith(
        "# Uppföljning 2022-H2 – Näringslivsenhetens verksamhetsplan 2022"
    )
    assert zone is not None
