"""`knalle report` and `knalle kpi list|set`: files written, Markdown to stdout, Swedish errors."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot import cli
from bot.cli.report import run_kpi_list, run_kpi_set, run_report
from bot.context import Knalle
from storage import key_figures
from tests.bot.core.report_data import build


@pytest.fixture
def filled(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        build(session)
    return knalle


def _report(
    knalle: Knalle, period: str | None, fmt: str | None, output: Path | None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_report(knalle, period, fmt, output, out, err)
    return code, out.getvalue(), err.getvalue()


def test_markdown_goes_to_stdout_without_a_file(filled: Knalle) -> None:
    code, out, _ = _report(filled, "2026-H2", "md", None)
    assert code == 0
    assert out.startswith("# Uppföljning 2026-H2 – Verksamhetsplan 2026")
    assert "| 2026 | Pia, Per | Hög | 🟡 gul |" in out


def test_the_default_period_is_the_current_one_by_the_clock(filled: Knalle) -> None:
    # The clock says 24 Nov 2026: the period under way is 2026-H2.
    code, out, _ = _report(filled, None, "md", None)
    assert code == 0 and "# Uppföljning 2026-H2" in out


def test_xlsx_gets_the_default_file_name(
    filled: Knalle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _report(filled, "2026-H2", "xlsx", None)
    assert code == 0 and out == ""
    assert "uppfoljning-2026-H2.xlsx" in err
    book = load_workbook(tmp_path / "uppfoljning-2026-H2.xlsx")
    assert any(row[0] == "1.2.1" for row in book["Aktiviteter"].iter_rows(values_only=True))


def test_the_format_follows_the_file_name(filled: Knalle, tmp_path: Path) -> None:
    target = tmp_path / "rapport.docx"
    code, _, _ = _report(filled, "2026-H2", None, target)
    assert code == 0
    assert any(p.text == "1.2.1 Företagsbesök" for p in Document(str(target)).paragraphs)


@pytest.mark.parametrize(
    ("period", "fmt", "message"),
    [
        ("hösten", "md", "Skriv år och halvår"),
        ("2026-H2", "pdf", "Välj xlsx, docx eller md"),
        ("2025-H1", "md", "ingen verksamhetsplan för 2025"),
    ],
)
def test_bad_input_gets_a_swedish_message_and_exit_1(
    filled: Knalle, tmp_path: Path, period: str, fmt: str, message: str
) -> None:
    code, out, err = _report(filled, period, fmt, tmp_path / "x")
    assert code == 1 and out == "" and message in err
    assert not (tmp_path / "x").exists()


def test_xlsx_is_not_written_to_the_terminal(filled: Knalle) -> None:
    code, out, err = _report(filled, "2026-H2", "xlsx", Path("-"))
    assert code == 1 and out == "" and "ange -o FIL" in err


def _set(knalle: Knalle, name: str, year: int, **options: object) -> tuple[int, str, str]:
    args = argparse.Namespace(
        name=name,
        year=year,
        target=options.get("target"),
        outcome=options.get("outcome"),
        met=options.get("met"),
        new=bool(options.get("new")),
    )
    out, err = io.StringIO(), io.StringIO()
    return run_kpi_set(knalle, args, out, err), out.getvalue(), err.getvalue()


def test_kpi_set_finds_a_figure_by_part_of_its_name(filled: Knalle) -> None:
    code, out, _ = _set(filled, "nki", 2027, target="80", outcome="81", met="ja")
    assert code == 0
    assert out.strip() == "Sparade NKI, nöjd kundindex 2027: mål 80 · utfall 81 · uppfyllt ja"
    with filled.db.read() as session:
        [nki, _] = key_figures.values_for_year(session, 2027)
        assert nki[1] is not None and (nki[1].target, nki[1].met) == ("80", True)


def test_kpi_set_fuzzy_and_new(filled: Knalle) -> None:
    assert _set(filled, "netojobb", 2026, outcome="350")[0] == 0
    code, out, _ = _set(filled, "Antal besök", 2026, target="150", new=True)
    assert code == 0 and out.startswith("Skapade Antal besök 2026")
    out_list = io.StringIO()
    run_kpi_list(filled, 2026, out_list)
    listing = out_list.getvalue()
    assert "Nettojobb\n  2026: mål – · utfall 350 · uppfyllt okänt" in listing
    assert "Antal besök\n  2026: mål 150" in listing
    assert "NKI, nöjd kundindex *\n  2026: mål 75 · utfall 77 · uppfyllt ja" in listing


@pytest.mark.parametrize(
    ("name", "year", "options", "message"),
    [
        ("Okänt tal", 2026, {"outcome": "1"}, "finns inte"),
        ("nki", 26, {"outcome": "1"}, "fyra siffror"),
        ("nki", 2026, {"met": "kanske"}, "ja, nej eller okänt"),
        ("nki", 2026, {}, "--target, --outcome eller --met"),
        ("NKI, nöjd kundindex", 2026, {"new": True}, "finns redan"),
    ],
)
def test_kpi_set_bad_input_stores_nothing(
    filled: Knalle, name: str, year: int, options: dict[str, object], message: str
) -> None:
    code, out, err = _set(filled, name, year, **options)
    assert code == 1 and out == "" and message in err
    with filled.db.read() as session:
        rows = key_figures.values_for_year(session, 2026)
        assert [(f.name, v.outcome if v else None) for f, v in rows] == [
            ("NKI, nöjd kundindex", "77"),
            ("Nettojobb", None),
        ]


def test_the_commands_are_wired_into_knalle(
    filled: Knalle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", str(filled.db.engine.url.render_as_string(False)))
    assert cli.main(["kpi", "list", "--year", "2026"]) == 0
    assert "NKI, nöjd kundindex *" in capsys.readouterr().out
    assert cli.main(["report", "--period", "2026-H2", "--format", "md"]) == 0
    assert "#### 1.2.2 Företagsamt" in capsys.readouterr().out
