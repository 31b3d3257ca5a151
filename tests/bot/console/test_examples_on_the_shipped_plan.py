"""Every `/besök` example in the README and in `/besök hjälp` works on the shipped plan."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bot.cli.start import EXAMPLE_PLAN, import_example_plan_if_empty
from bot.console.session import run_console
from bot.context import Knalle
from handlers.visits import texts as visit_texts

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINE = re.compile(r"^(/besök [A-ZÅÄÖ\"].*?)`?$", re.MULTILINE)


def examples() -> list[str]:
    found = [m.group(1).strip("`") for m in LINE.finditer(README)]
    found += [
        m.group(1).strip("`") for m in re.finditer(r"`(/besök [A-Z\"][^`]*)`", visit_texts.HELP)
    ]
    return sorted(set(found))


def test_there_are_examples() -> None:
    assert len(examples()) >= 4
    assert any("@jonas" in line for line in examples())


@pytest.mark.parametrize("line", examples())
def test_the_example_is_stored_on_the_shipped_plan(sqlite_knalle: Knalle, line: str) -> None:
    assert import_example_plan_if_empty(sqlite_knalle, ROOT / EXAMPLE_PLAN)
    out = io.StringIO()
    run_console(sqlite_knalle, io.StringIO(line + "\n"), out, user="Pia")
    text = out.getvalue()
    assert "Besöket är sparat" in text, text
    assert "Jag känner inte till" not in text
