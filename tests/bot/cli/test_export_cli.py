"""`knalle export visits|activities`: CSV to stdout, xlsx to a file or a pipe, errors on stderr."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from bot import cli
from bot.cli.export import run_export
from bot.cli.plan import run_import
from bot.context import Knalle
from tests.storage import factories

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "plans" / "boras-2022.yaml"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def seed(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = factories.company(session, "Ellos AB")
        factories.visit(session, ellos, dt.date(2026, 3, 3), notes="kompetens")
        factories.visit(session, ellos, dt.date(2025, 3, 3), notes="förra året")


def test_visits_csv_to_stdout_filtered_by_year(knalle: Knalle) -> None:
    seed(knalle)
    out = io.StringIO()
    assert run_export(knalle, "visits", year=2026, out=out) == 0
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0][:3] == ["datum", "företag", "personal"]
    assert [r[0] for r in rows[1:]] == ["2026-03-03"]
    assert not out.getvalue().startswith("\ufeff")  # no BOM


def test_xlsx_to_a_file_chosen_by_its_name(knalle: Knalle, tmp_path: Path) -> None:
    seed(knalle)
    target = tmp_path / "besok.xlsx"
    out = io.StringIO()
    assert run_export(knalle, "visits", output=target, out=out) == 0
    assert out.getvalue() == f"Skrev 2 besök till {target}.\n"
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["datum", "företag"]
    assert sheet.max_row == 3


def test_csv_to_a_file(knalle: Knalle, tmp_path: Path) -> None:
    seed(knalle)
    target = tmp_path / "besok.csv"
    assert run_export(knalle, "visits", output=target, out=io.StringIO()) == 0
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["anteckningar"] for r in rows] == ["förra året", "kompetens"]


def test_xlsx_to_a_pipe_but_not_to_a_terminal(knalle: Knalle) -> None:
    run_import(knalle, SHIPPED, out=io.StringIO())
    piped = io.BytesIO()
    assert run_export(knalle, "activities", fmt="xlsx", year=2022, binary_out=piped) == 0
    sheet = openpyxl.load_workbook(io.BytesIO(piped.getvalue())).worksheets[0]
    assert sheet.max_row == 57

    err = io.StringIO()
    assert run_export(knalle, "activities", fmt="xlsx", out=Terminal(), err=err) == 1
    assert "ange -o FIL" in err.getvalue()


def test_activities_without_a_plan_fail_with_a_message(knalle: Knalle) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_export(knalle, "activities", out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "Ingen plan är importerad" in err.getvalue()


def test_through_the_knalle_command(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", sqlite_url)
    assert cli.main(["plan", "import", str(SHIPPED)]) == 0
    capsys.readouterr()
    assert cli.main(["export", "activities", "--year", "2022"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == 56
    by_number = {r["nummer"]: r for r in rows}
    assert by_number["2.5.1"]["prio"] == "Medel"  # "Mellan" in the plan
    assert by_number["1.2.3"]["ljus"] == "grå"
    assert cli.main(["export", "visits"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "datum,företag,personal,övriga,form,anteckningar,författare,skapad,källa,kanal,ts,länk,"
            "org.nr,kluster,teman"
    ]
    with pytest.raises(SystemExit):
        cli.main(["export", "visits", "--format", "pdf"])


def test_the_export_verb_loads_no_xml_sax_nor_urllib(tmp_path: Path) -> None:
    """xml.sax.saxutils, for one escape of the sheet's name, brought urllib.request, http.client
    and email into every export's start (~10 ms); the writer escapes on its own."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bot import cli\n"
        "assert cli.main(['export', 'visits', '-o', sys.argv[1]]) == 0\n"
        "names = ('xml.sax', 'urllib.request', 'http.client')\n"
        "print(sorted(m for m in names if m in sys.modules))\n"
    )
    env = {"KNALLE_DATABASE_URL": f"sqlite:///{tmp_path / 'knalle.db'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "besok.xlsx")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
        env=env,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "besok.xlsx").stat().st_size > 0
