"""The visits export as the board reads it: org nr, cluster and themes; a filter; A4 printing."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from bot.context import Knalle
from bot.core.export import visits_table
from bot.core.visits.actions import VisitDraft
from bot.files.tables import write_xlsx
from storage.models import Company
from tests import units


def test_the_visits_export_has_org_nr_cluster_themes_a_filter_and_print_setup(
    knalle: Knalle,
) -> None:
    import datetime as dt

    draft = VisitDraft(
        company="Ellos AB", visit_date=dt.date(2026, 11, 20), notes="Svårt att rekrytera."
    )
    units.record(knalle, draft, "UPIA", company="new")
    with knalle.db.write() as session:
        company = session.scalars(select(Company)).one()
        company.org_number, company.cluster = "556000-1234", "Handel och logistik"
    with knalle.db.read() as session:
        data = write_xlsx(visits_table(session, knalle.settings.zone, 2026))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["org.nr"] == "556000-1234" and row["kluster"] == "Handel och logistik"
    assert row["teman"] == "Kompetensförsörjning"
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "_xlnm.Print_Titles" in package.read("xl/workbook.xml").decode()
