"""`knalle person export|redact`: everything about a person, and a non-staff name removed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli.person import run_export, run_redact
from bot.context import Knalle
from bot.core import personal_data
from bot.core.activities import updates as activity_updates
from bot.core.plan.lights import Light
from bot.core.visits import actions as visits
from bot.errors import InvalidInput, NotAllowed
from storage import staff as staff_queries
from tests import units
from tests.storage import factories

DAY = dt.date(2026, 11, 23)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def unit(knalle: Knalle) -> Knalle:
    now = knalle.clock.now()
    with knalle.db.write() as session:
        for name, user, full in (("Pia", "UPIA", "Pia Persson"), ("Ola", "UOLA", None)):
            staff_queries.add_if_absent(session, name, now)
            member = staff_queries.by_name(session, name)
            assert member is not None
            staff_queries.link(session, member, user, full)
    draft = visits.VisitDraft
    units.record(
        knalle,
        draft("Ellos AB", DAY, others=("kommunalrådet Annette Carlson",), notes="Lager."),
        "UPIA",
    )
    units.record(
        knalle,
        draft("Volvo AB", DAY, colleagues=("UPIA",), notes="ANNETTE CARLSON vill ha fler besök."),
        "UOLA",
    )
    units.record(knalle, draft("Borås Tidning", DAY, notes="Annette Carlsson ringde."), "UOLA")
    units.record(knalle, draft("Ica Maxi", DAY, others=("Åsa Öberg",), notes="Åsa Öberg."), "UOLA")
    with knalle.db.write() as session:
        plan, section = factories.plan(session)
        row = factories.activity(session, plan, section, "1.2.1", "Företagsamt", ("Pia",))
        activity_updates.record_update(
            session,
            activity_id=row.id,
            light=Light.GUL,
            comment="Annette Carlson deltog på mötet",
            author_slack_id="UPIA",
            now=now,
            followup_dates=knalle.settings.followup_dates,
        )
    return knalle


def test_export_finds_a_politician_by_whole_name_in_others_notes_updates_and_audit(
    unit: Knalle,
) -> None:
    data = units.gather(unit, "annette carlson")
    assert data.staff == []
    companies = {v["company"]: v["why"] for v in data.visits}
    assert companies == {
        "Ellos AB": [personal_data.WHY_OTHERS],
        "Volvo AB": [personal_data.WHY_NOTES],
    }  # "Annette Carlsson" is somebody else
    assert [u["why"] for u in data.updates] == [[personal_data.WHY_COMMENT]]
    assert {r["action"] for r in data.audit} == {"visit.create", "update.create"}
    assert len(data.audit) == 3


def test_export_of_a_staff_member_has_their_record_visits_and_updates(unit: Knalle) -> None:
    data = units.gather(unit, "Pia")
    assert [s["slack_user_id"] for s in data.staff] == ["UPIA"]
    whys = {v["company"]: v["why"] for v in data.visits}
    assert whys == {"Ellos AB": [personal_data.WHY_AUTHOR], "Volvo AB": [personal_data.WHY_PRESENT]}
    assert [u["why"] for u in data.updates] == [[personal_data.WHY_WROTE]]
    assert all(r["actor_id"] == "UPIA" or "UPIA" in json.dumps(r) for r in data.audit)


def test_a_name_only_in_the_typed_line_is_not_said_to_be_in_the_note(unit: Knalle) -> None:
    line = "Hemtex igår med Bertil Berg, lokaler"
    draft = visits.draft_from_text(line, DAY)
    units.record(unit, dataclasses.replace(draft, others=(), raw_text=line), "UOLA")
    (visit,) = units.gather(unit, "Bertil Berg").visits
    assert visit["why"] == [personal_data.WHY_LINE]


def test_non_ascii_names_match_whatever_their_case(unit: Knalle) -> None:
    (visit,) = units.gather(unit, "åsa öberg").visits
    assert visit["why"] == [personal_data.WHY_OTHERS, personal_data.WHY_NOTES]


def test_export_writes_json_and_xlsx_and_is_itself_audited(unit: Knalle, tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_export(unit, "Annette Carlson", out=out) == 0
    data = json.loads(out.getvalue())
    assert data["person"] == "Annette Carlson" and len(data["visits"]) == 2
    target = tmp_path / "utdrag" / "annette.xlsx"
    err = io.StringIO()
    assert run_export(unit, "Annette Carlson", output=target, err=err) == 0
    book = load_workbook(target)
    assert book.sheetnames == [
        "Om utdraget", "Personal", "Besök", "Uppdateringar", "Kommandon", "Granskningslogg"
    ]  # fmt: skip
    assert book["Besök"].max_row == 3  # a header and two visits
    assert "2 besök" in err.getvalue()
    assert "0 personalposter" in err.getvalue()  # a count with its noun in the right number
    exports = [r for r in units.listing(unit) if r.action == "person.export"]
    assert len(exports) == 2 and "Annette" not in json.dumps([r.as_json() for r in exports])
    err = io.StringIO()
    assert run_export(unit, "Pia", output=tmp_path / "pia.json", err=err) == 0
    assert "1 personalpost," in err.getvalue()


def test_redact_replaces_the_name_and_leaves_rows_without_it(unit: Knalle) -> None:
    assert run_redact(unit, "Annette Carlson", yes=True, out=io.StringIO()) == 0
    with unit.db.read() as session:
        from sqlalchemy import select

        from storage.models import Visit

        rows = {v.company.name: v for v in session.scalars(select(Visit))}
        assert rows["Ellos AB"].others == ["kommunalrådet [borttaget]"]
        assert rows["Volvo AB"].notes == "[borttaget] vill ha fler besök."
        assert rows["Borås Tidning"].notes == "Annette Carlsson ringde."  # someone else
    assert units.gather(unit, "Annette Carlson").visits == []
    redactions = [r for r in units.listing(unit) if r.action in ("visit.redact", "person.redact")]
    assert [r.action for r in redactions] == ["visit.redact", "visit.redact", "person.redact"]
    assert "Annette" not in json.dumps([r.as_json() for r in redactions], ensure_ascii=False)
    assert redactions[-1].subject_id == personal_data.person_key("annette carlson")


def test_staff_are_never_redacted_this_way(unit: Knalle) -> None:
    for name in ("Pia", "pia persson", "Persson"):
        with pytest.raises(NotAllowed, match="personalregistret"):
            units.plan_redaction(unit, name)
    with pytest.raises(InvalidInput, match="för kort"):
        units.plan_redaction(unit, "KS")


def test_redact_asks_first_and_a_script_must_say_yes(unit: Knalle) -> None:
    before = units.gather(unit, "Annette Carlson").visits
    out = io.StringIO()
    assert run_redact(unit, "Annette Carlson", stdin=io.StringIO(""), out=out) == 1
    assert "--yes" in out.getvalue()
    out = Tty()
    assert run_redact(unit, "Annette Carlson", stdin=Tty("nej\n"), out=out) == 1
    assert "Ersätt ”Annette Carlson” med [borttaget] i 2 besök" in out.getvalue()
    assert units.gather(unit, "Annette Carlson").visits == before
    assert run_redact(unit, "Annette Carlson", stdin=Tty("ja\n"), out=Tty()) == 0
    assert units.gather(unit, "Annette Carlson").visits == []
