"""sv-SE dates: month abbreviations as Swedes write them (CLDR sv, without the dots)."""

from __future__ import annotations

import datetime as dt

from bot.core.text.sv import sv_date, sv_day, sv_long_date


def test_march_june_and_july_are_not_cut_short() -> None:
    # "3 mar" and "16 jun" read as English; Swedish writes mars, juni and juli out.
    assert sv_date(dt.date(2026, 3, 3)) == "3 mars 2026"
    assert sv_date(dt.date(2022, 6, 16)) == "16 juni 2022"
    assert sv_day(dt.date(2026, 7, 2)) == "tors 2 juli"
    assert sv_long_date(dt.date(2026, 11, 24)) == "tis 24 nov 2026"
    assert sv_date(dt.date(2026, 2, 1)) == "1 feb 2026"
