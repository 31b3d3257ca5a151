"""The audit trail: every change leaves one row, the rows are never changed or deleted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from bot.cli.audit import run_audit
from bot.context import Knalle
from bot.core import audit
from bot.core.activities import updates as activity_updates
from bot.core.plan.lights import Light
from bot.core.visits import actions as visits
from bot.errors import NotAllowed
from storage import audit as audit_queries
from storage import staff as staff_queries
from storage.audit import AppendOnlyViolation
from storage.models import AuditEntry
from tests import units
from tests.storage import factories


def _rows(knalle: Knalle) -> list[audit.AuditRow]:
    return units.listing(knalle)


@pytest.fixture
def pia(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        staff_queries.add_if_absent(session, "Pia", knalle.clock.now())
        member = staff_queries.by_name(session, "Pia")
        assert member is not None
        staff_queries.link(session, member, "UPIA", "Pia Persson")
    return knalle


def test_create_edit_undo_leave_one_row_each_with_before_and_after(pia: Knalle) -> None:
    visit = units.record_text(pia, "Ellos AB igår med KSO, pratade lager", "UPIA")
    again = units.record_text(pia, "Ellos AB igår med KSO, pratade lager", "UPIA")
    assert again.duplicate  # a double submit stores nothing, and audits nothing
    draft = dataclasses.replace(
        visits.draft_from_text("Ellos AB igår med KSO, pratade lager", pia.clock.now().date()),
        notes="pratade kompetens",
        raw_text="",
    )
    units.edit(pia, visit.id, "UADMIN", draft)
    units.undo(pia, visit.id, "UPIA")

    rows = units.history(pia, audit.VISIT, visit.id)
    assert [r.action for r in rows] == ["visit.create", "visit.edit", "visit.undo"]
    created, edited, undone = rows
    assert (created.actor_id, created.actor_name, created.surface) == ("UPIA", "Pia", "slack")
    assert created.before is None
    assert created.after is not None and created.after["company"] == "Ellos AB"
    assert created.after["others"] == ["KSO"]
    assert edited.actor_id == "UADMIN"
    assert edited.changed == ["notes"]
    assert edited.before is not None and edited.before["notes"] == "pratade lager"
    assert edited.after is not None and edited.after["notes"] == "pratade kompetens"
    assert undone.changed == ["deleted"]


def test_an_edit_that_changes_nothing_leaves_no_row(pia: Knalle) -> None:
    visit = units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    same = visits.draft_from_text("Ellos AB igår, lager", pia.clock.now().date())
    units.edit(pia, visit.id, "UPIA", dataclasses.replace(same, raw_text=""))
    assert [r.action for r in units.history(pia, audit.VISIT, visit.id)] == ["visit.create"]


def test_a_refused_change_leaves_no_row(pia: Knalle) -> None:
    visit = units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    with pytest.raises(NotAllowed):
        units.undo(pia, visit.id, "UOTHER")
    assert len(_rows(pia)) == 1


def test_the_surface_is_the_knalles(pia: Knalle) -> None:
    console = dataclasses.replace(pia, surface="console")
    units.record_text(console, "Ellos AB igår, lager", "UPIA")
    assert _rows(pia)[0].surface == "console"


def test_an_activity_update_is_audited_once(pia: Knalle) -> None:
    with pia.db.write() as session:
        plan, section = factories.plan(session)
        row = factories.activity(session, plan, section, "1.2.1", "Företagsamt", ("Pia",))
        activity_id = row.id
    for _ in range(2):
        with pia.db.write() as session:
            activity_updates.record_update(
                session,
                activity_id=activity_id,
                light=Light.GUL,
                comment="Decembernumret försenat",
                author_slack_id="UPIA",
                now=pia.clock.now(),
                followup_dates=pia.settings.followup_dates,
            )
    (audited,) = _rows(pia)
    assert (audited.action, audited.actor_name, audited.subject_type) == (
        "update.create",
        "Pia",
        "update",
    )
    assert audited.after is not None and audited.after["light"] == "gul"
    assert audited.after["comment"] == "Decembernumret försenat"


def test_rows_refuse_update_and_delete_in_code(pia: Knalle) -> None:
    units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    with pytest.raises(AppendOnlyViolation), pia.db.write() as session:
        session.execute(update(AuditEntry).values(actor_name="någon annan"))
    with pytest.raises(AppendOnlyViolation), pia.db.write() as session:
        session.execute(delete(AuditEntry))
    with pytest.raises(AppendOnlyViolation), pia.db.write() as session:
        (row,) = audit_queries.entries(session)
        row.actor_name = "någon annan"
    with pytest.raises(AppendOnlyViolation), pia.db.write() as session:
        (row,) = audit_queries.entries(session)
        session.delete(row)
    assert _rows(pia)[0].actor_name == "Pia"


def test_rows_refuse_update_and_delete_in_the_database(pia: Knalle) -> None:
    """Raw SQL past the ORM meets the migration's triggers (SQLite and PostgreSQL)."""
    units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    for statement in (
        "UPDATE audit_log SET actor_name = 'x'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"), pia.db.engine.begin() as conn:
            conn.execute(text(statement))
    if not pia.db.is_sqlite:
        with pytest.raises(DBAPIError, match="append-only"), pia.db.engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
    with pia.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


def test_knalle_audit_answers_who_changed_a_visit(pia: Knalle) -> None:
    visit = units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    other = units.record_text(pia, "Volvo AB igår, motorer", "UPIA")
    draft = visits.draft_from_text("Ellos AB igår, kompetens", pia.clock.now().date())
    units.edit(pia, visit.id, "UADMIN", dataclasses.replace(draft, raw_text=""))
    out = io.StringIO()
    assert run_audit(pia, visit=visit.id, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2026-11-24 10:00  Pia (UPIA) via Slack: besök loggat – besök")
    assert "UADMIN via Slack: besök ändrat" in lines[-2]
    assert lines[-1] == "    anteckning: lager → kompetens"
    assert f"– besök {other.id}" not in out.getvalue()
    # Staff in a visit's fields are named, with their Slack id kept beside the name.
    assert "    loggat av: Pia (UPIA)" in lines
    assert "    från enheten: Pia (UPIA)" in lines


def test_knalle_audit_filters_by_who_and_since_and_writes_json(pia: Knalle) -> None:
    units.record_text(pia, "Ellos AB igår, lager", "UPIA")
    units.record_text(pia, "Volvo AB igår, motorer", "UOTHER")
    out = io.StringIO()
    run_audit(pia, who="pia", fmt="json", out=out)
    data = json.loads(out.getvalue())
    assert [d["actor_id"] for d in data] == ["UPIA"]
    assert data[0]["after"]["company"] == "Ellos AB"
    out = io.StringIO()
    run_audit(pia, since=dt.date(2026, 11, 25), out=out)
    assert out.getvalue() == "Inga rader i granskningsloggen sedan 2026-11-25.\n"


def test_an_import_is_audited_as_the_operators_through_the_import(
    pia: Knalle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli.backfill import run_import

    monkeypatch.setenv("KNALLE_OPERATOR", "it-drift")
    path = tmp_path / "lista.csv"
    path.write_text(
        "datum,företag,personal,övriga,form,anteckningar,författare\n"
        "2022-05-03,Ellos AB,UPIA,KSO,på plats,bra,UPIA\n",
        encoding="utf-8",
    )
    for _ in range(2):  # the second run stores nothing, and audits nothing
        assert run_import(pia, path, out=io.StringIO(), err=io.StringIO()) == 0
    (row,) = _rows(pia)
    assert (row.action, row.actor_name, row.surface) == ("visit.import", "it-drift", "import")
    assert row.after is not None and row.after["author_id"] == "UPIA"
    assert row.after["others"] == ["KSO"]


def test_pausing_and_resuming_reminders_is_audited(pia: Knalle) -> None:
    from bot.core.followup import pauses

    with pia.db.write() as session:
        pauses.pause_dms(session, "UPIA", dt.date(2026, 12, 10), today=dt.date(2026, 11, 24))
    with pia.db.write() as session:
        pauses.resume_dms(session, "UPIA", surface="console")
    with pia.db.write() as session:
        pauses.resume_dms(session, "UPIA")  # not paused: nothing changed, no row
    paused, resumed = _rows(pia)
    assert (paused.action, paused.actor_id, paused.subject_id) == ("staff.pause", "UPIA", "Pia")
    assert paused.after == {"dm_paused_until": "2026-12-10"}
    assert (resumed.action, resumed.surface) == ("staff.resume", "console")
    assert resumed.before == {"dm_paused_until": "2026-12-10"}


def test_a_retag_is_one_row_with_its_counts(pia: Knalle) -> None:

    units.record_text(pia, "Ellos AB igår, kompetensförsörjning", "UPIA")
    result = units.retag(dataclasses.replace(pia, surface="cli"))
    row = _rows(pia)[-1]
    assert (row.action, row.surface, row.actor_id) == ("themes.retag", "cli", None)
    assert row.after == {"visits": result.visits, "added": result.added, "removed": result.removed}
