"""Golden test: the Markdown follow-up of the shipped 2022 plan, period 2022-H2.

The expected text is tests/golden/report-boras-2022-H2.md. After an intended change to the
report's layout, regenerate it and read the diff before committing:

    KNALLE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/bot/files/test_report_golden.py
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

from bot.context import Knalle
from bot.core.followup.periods import parse_period
from bot.core.plan.importer import import_plan_file
from bot.core.report import collect_report
from bot.files.report_md import render_markdown

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "data" / "plans" / "boras-2022.yaml"
GOLDEN = ROOT / "tests" / "golden" / "report-boras-2022-H2.md"
IMPORTED_AT = dt.datetime(2023, 4, 5, 9, 0, tzinfo=dt.UTC)


def _markdown(knalle: Knalle) -> str:
    with knalle.db.write() as session:
        import_plan_file(session, PLAN, IMPORTED_AT)
    with knalle.db.read() as session:
        report = collect_report(
            session,
            parse_period("2022-H2", knalle.settings.followup_dates),
            zone=knalle.settings.zone,
            visit_target=knalle.settings.visit_target,
        )
    return render_markdown(report)


def test_the_2022_follow_up_matches_the_golden_markdown(knalle: Knalle) -> None:
    actual = _markdown(knalle)
    if os.environ.get("KNALLE_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            "golden",
            "actual",
        )
    )
    assert actual == expected, (
        "The 2022-H2 report changed; if intended, regenerate with KNALLE_UPDATE_GOLDEN=1:\n"
        + diff[:4000]
    )


def test_the_golden_report_has_every_activity_of_the_plan() -> None:
    golden = GOLDEN.read_text(encoding="utf-8")
    assert golden.count("\n#### ") == 56  # the 56 activities of the 2022 plan
    assert "#### 1.1.1 Näringslivsdagen" in golden
    assert "| 2022 | Caroline, Annika, Peder | Medel | 🟢 grön |" in golden
    assert "Kommentar: Näringslivsdagen 2022 är avslutat och gick enligt plan." in golden
    assert "## Nyckeltal" in golden and "NKI, nöjd kundindex (Insikt)" in golden
