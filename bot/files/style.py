"""What every rendering of the report shares: Swedish labels, light colours, dates."""

from __future__ import annotations

import datetime as dt

from bot.core.plan.lights import LEGEND, NOT_REPORTED_SYMBOL, SYMBOL, Light
from bot.core.report import LIGHT_ORDER, ActivityRow, FollowUpReport, Status
from bot.core.text.sv import MONTH_NAMES, sv_date

__all__ = ["MONTH_NAMES", "sv_date"]

# Cell fills in xlsx and symbol colours in docx (RGB hex, no "#").
LIGHT_COLOUR: dict[str, str] = {
    Light.GRON: "00B050",
    Light.GUL: "FFC000",
    Light.ROD: "E02020",
    Light.GRA: "A6A6A6",
    Status.NO_LIGHT: "FFFFFF",
    Status.NOT_REPORTED: "FFFFFF",
}

STATUS_SYMBOL: dict[str, str] = {
    **{light.value: symbol for light, symbol in SYMBOL.items()},
    Status.NO_LIGHT: "–",
    Status.NOT_REPORTED: NOT_REPORTED_SYMBOL,
}

STATUS_HEADING: dict[str, str] = {
    Light.GRON: "Grön",
    Light.GUL: "Gul",
    Light.ROD: "Röd",
    Light.GRA: "Grå",
    Status.NO_LIGHT: "Utan ljus",
    Status.NOT_REPORTED: "Ej rapporterad",
}

TITLE = "Uppföljning"
ACTIVITY_COLUMNS = (
    "Nr", "Aktivitet", "När", "Vem", "Prio", "Uppföljning", "Kommentar", "Skriven av",
)  # fmt: skip


def legend_lines() -> list[str]:
    lines = [f"{SYMBOL[light]} {light.value} = {LEGEND[light]}" for light in LIGHT_ORDER]
    lines.append(
        f"{STATUS_SYMBOL[Status.NO_LIGHT]} {Status.NO_LIGHT} = rapporterad, men utan trafikljus"
    )
    lines.append(f"{NOT_REPORTED_SYMBOL} {Status.NOT_REPORTED} = ingen uppdatering för perioden")
    return lines


STRATSYS_MARK = " *"
STRATSYS_NOTE = "* = nyckeltalet redovisas i STRATSYS"


def title(report: FollowUpReport) -> str:
    """Names the plan really in force for the period (an earlier year's, until the next)."""
    return f"{TITLE} {report.period.label} – {report.plan_name}"


def preliminary_line(report: FollowUpReport) -> str | None:
    """'Preliminär – läget 24 nov 2026' before the follow-up day, else None."""
    if not report.preliminary or report.today is None:
        return None
    return f"Preliminär – läget {sv_date(report.today)}"


def subtitle(report: FollowUpReport) -> str:
    period = report.period
    span = f"Perioden {sv_date(period.start)} – {sv_date(period.end)}. "
    if report.preliminary and report.today is not None:
        text = (
            f"{preliminary_line(report)}: siffrorna gäller t.o.m. {sv_date(report.today)}. "
            f"{span}Uppföljningsdagen är {sv_date(period.end)}; fram till dess kan det ändras."
        )
    else:
        text = f"{span}Läget vid uppföljningsdagen {sv_date(period.end)}."
    if report.plan_from_earlier_year:
        # The plan's name usually holds its year already: "… verksamhetsplan 2022 (2022)" no more.
        year = "" if str(report.plan_year) in report.plan_name else f" ({report.plan_year})"
        text += f" Planen för {period.year} är inte inläst, så {report.plan_name}{year} gäller."
    return text


NO_COMMENT = "(ingen kommentar)"


def visits_sentence(report: FollowUpReport) -> str:
    """The visits against the year's target and the steady pace, as every format writes it."""
    visits = report.visits
    return (
        f"{visits.total} av {visits.target} besök ({percent(visits.share_of_target)} av "
        f"årets mål) t.o.m. {sv_date(visits.through)}. "
        f"Jämn takt mot målet hade gett {visits.pace_target} besök."
    )


def no_key_figures(report: FollowUpReport) -> str:
    return f"Inga nyckeltal är registrerade för {report.period.year}."


def status_text(row: ActivityRow) -> str:
    """'grön', 'utan ljus' or 'ej rapporterad'."""
    return row.status


def owners_text(row: ActivityRow) -> str:
    return ", ".join(row.owners)


def years_text(row: ActivityRow) -> str:
    return ", ".join(str(year) for year in row.years)


def written_by(row: ActivityRow, zone: dt.tzinfo) -> str:
    """'Pia, 3 dec 2026' / '3 dec 2026' / '' (not reported)."""
    if not row.reported or row.recorded_at is None:
        return ""
    day = sv_date(row.recorded_at.astimezone(zone).date())
    return f"{row.author}, {day}" if row.author else day


def met_text(met: bool | None) -> str:
    return {True: "Ja", False: "Nej", None: "–"}[met]


def percent(value: float) -> str:
    return f"{round(value * 100)} %"
