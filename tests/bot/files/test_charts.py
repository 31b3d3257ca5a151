"""The visits chart is a real PNG with the bars and the pace line drawn."""

from __future__ import annotations

import datetime as dt
import io
import struct
import subprocess
import sys

from PIL import Image

from bot.files.charts import BAR_COLOUR, PACE_COLOUR, visits_per_month_png


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _colour_count(png: bytes, colour: tuple[int, int, int]) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(count for count, pixel in colours if pixel == colour)


def test_chart_is_a_png_of_the_expected_size() -> None:
    png = visits_per_month_png({1: 10, 2: 20}, 150, 2026, dt.date(2026, 6, 15))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (800, 400)


def test_bars_and_pace_line_are_drawn() -> None:
    png = visits_per_month_png({1: 10, 2: 20, 3: 5}, 150, 2026, dt.date(2026, 6, 15))
    assert _colour_count(png, _rgb(BAR_COLOUR)) > 2000
    assert _colour_count(png, _rgb(PACE_COLOUR)) > 200


def test_more_visits_draw_more_bar() -> None:
    few = visits_per_month_png({1: 1, 2: 1}, 150, 2026, dt.date(2026, 12, 15))
    many = visits_per_month_png({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 150, 2026, dt.date(2026, 12, 15))
    assert _colour_count(many, _rgb(BAR_COLOUR)) > _colour_count(few, _rgb(BAR_COLOUR))


def test_months_after_the_report_date_get_no_bar() -> None:
    # Visits dated after `through` cannot be in a report as of `through`.
    only_january = visits_per_month_png({1: 10}, 150, 2026, dt.date(2026, 1, 31))
    with_later = visits_per_month_png({1: 10, 5: 10}, 150, 2026, dt.date(2026, 1, 31))
    assert _colour_count(only_january, _rgb(BAR_COLOUR)) == _colour_count(
        with_later, _rgb(BAR_COLOUR)
    )


def test_no_visits_still_draws_the_pace_line() -> None:
    png = visits_per_month_png({}, 150, 2026, dt.date(2026, 6, 15))
    assert _colour_count(png, _rgb(BAR_COLOUR)) < 500  # the legend's swatch only
    assert _colour_count(png, _rgb(PACE_COLOUR)) > 200


def test_importing_the_chart_module_does_not_load_pyplot() -> None:
    code = "import sys, bot.files.charts; print('matplotlib.pyplot' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
