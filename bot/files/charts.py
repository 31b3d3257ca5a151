"""Charts for the follow-up report, drawn with matplotlib's Agg canvas into PNG bytes.

Uses `matplotlib.figure.Figure` with an explicit Agg canvas, never `pyplot`: no global backend
is chosen and no figure registry grows, so importing this module changes nothing elsewhere.
matplotlib itself (with numpy and PIL, ~40 MiB) is imported on the first chart, not at start.
"""

from __future__ import annotations

import datetime as dt
import io

from bot.core.text.sv import MONTHS, sv_date

BAR_COLOUR = "#1f5fa8"  # Borås blue-ish: the visits
PACE_COLOUR = "#d9822b"  # orange: the steady pace toward the target
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.0, 100


def visits_per_month_png(
    by_month: dict[int, int], target: int, year: int, through: dt.date
) -> bytes:
    """Bars of visits per month of `year` and a line of the steady monthly pace to `target`.

    Months after `through` get no bar (they have not happened yet as of the report).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    last_month = 12 if through.year > year else (through.month if through.year == year else 0)
    counts = [by_month.get(month, 0) if month <= last_month else 0 for month in range(1, 13)]
    total = sum(counts)
    pace = target / 12

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    months = list(range(1, 13))
    bars = axes.bar(months, counts, color=BAR_COLOUR, label="Besök per månad")
    for bar, count, month in zip(bars, counts, months, strict=True):
        if month <= last_month and count:
            axes.annotate(
                str(count),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
    axes.axhline(
        pace,
        color=PACE_COLOUR,
        linestyle="--",
        linewidth=2,
        label=f"Jämn takt mot målet {target}: {pace:.1f} per månad".replace(".", ","),
    )
    axes.set_xticks(months, MONTHS)
    axes.set_xlim(0.4, 12.6)
    axes.set_ylim(0, max([*counts, pace]) * 1.25 + 1)
    axes.set_ylabel("Antal besök")
    axes.set_title(f"Företagsbesök {year}: {total} av {target} t.o.m. {sv_date(through)}")
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def themes_png(counts: list[tuple[str, int]], title: str) -> bytes:
    """Horizontal bars of visits per theme, the largest on top, each bar labelled with its count."""
    names = [name for name, _ in counts][::-1]
    values = [count for _, count in counts][::-1]
    height = max(2.2, 0.42 * len(names) + 1.0)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(names, values, color=BAR_COLOUR)
    for bar, value in zip(bars, values, strict=True):
        axes.annotate(
            str(value),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    axes.set_xlabel("Antal besök")
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
