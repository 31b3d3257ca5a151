"""The follow-up report as Markdown: 🟢🟡🔴⚪ for the lights, "ej rapporterad" flagged."""

from __future__ import annotations

import datetime as dt

from bot.core.report import STATUS_ORDER, ActivityRow, FollowUpReport
from bot.files import style
from bot.files.markdown import cell as _cell
from bot.files.markdown import text


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _status_headers() -> list[str]:
    return [f"{style.STATUS_SYMBOL[s]} {style.STATUS_HEADING[s]}" for s in STATUS_ORDER]


def _counts_row(label: str, counts: dict[str, int]) -> list[str]:
    return [label, *(str(counts[s]) for s in STATUS_ORDER), str(sum(counts.values()))]


def _summary(report: FollowUpReport) -> list[str]:
    lines = ["## Sammanfattning", ""]
    counts = report.counts_by_status()
    total = sum(counts.values())
    lines += _table(
        ["Uppföljning", "Antal", "Andel"],
        [
            [
                f"{style.STATUS_SYMBOL[s]} {style.STATUS_HEADING[s]}",
                str(counts[s]),
                style.percent(counts[s] / total if total else 0),
            ]
            for s in STATUS_ORDER
        ]
        + [["Totalt", str(total), "100 %" if total else "0 %"]],
    )
    lines += ["### Per kapitel", ""]
    lines += _table(
        ["Kapitel", *_status_headers(), "Totalt"],
        [_counts_row(chapter.label, c) for chapter, c in report.counts_by_chapter()],
    )
    lines += ["### Per prioritet", ""]
    lines += _table(
        ["Prio", *_status_headers(), "Totalt"],
        [_counts_row(priority, c) for priority, c in report.counts_by_priority().items()],
    )
    if report.not_reported:
        lines += ["### Ej rapporterade", ""]
        lines += [
            f"- {row.number} {_cell(row.title)} ({_cell(style.owners_text(row))})"
            for row in report.not_reported
        ]
        lines.append("")
    return lines


def _visits(report: FollowUpReport) -> list[str]:
    visits = report.visits
    lines = [
        "## Företagsbesök",
        "",
        style.visits_sentence(report),
        "",
    ]
    if report.campaigns:
        lines += ["Kampanjer:", ""] + [f"- {_cell(line)}" for line in report.campaigns] + [""]
    last_month = visits.through.month if visits.through.year == report.period.year else 12
    lines += _table(
        ["Månad", "Besök"],
        [
            [style.MONTH_NAMES[month - 1], str(visits.by_month.get(month, 0))]
            for month in range(1, last_month + 1)
        ],
    )
    if visits.by_cluster:
        lines += _table(
            ["Kluster", "Besök"],
            [[cluster, str(count)] for cluster, count in visits.by_cluster.items()],
        )
    return lines


def _key_figures(report: FollowUpReport) -> list[str]:
    lines = ["## Nyckeltal", ""]
    if not report.key_figures:
        return [*lines, style.no_key_figures(report), ""]
    lines += _table(
        ["Nyckeltal", f"Mål {report.period.year}", "Utfall", "Uppfyllt"],
        [
            [
                figure.name + (style.STRATSYS_MARK if figure.stratsys else ""),
                figure.target or "–",
                figure.outcome or "–",
                style.met_text(figure.met),
            ]
            for figure in report.key_figures
        ],
    )
    if any(figure.stratsys for figure in report.key_figures):
        lines += ["\\* redovisas i STRATSYS", ""]
    return lines


def _activity(row: ActivityRow, zone: dt.tzinfo) -> list[str]:
    status = f"{style.STATUS_SYMBOL[row.status]} {style.status_text(row)}"
    lines = [f"#### {row.number} {text(row.title)}", ""]
    lines += _table(
        ["När", "Vem", "Prio", "Uppföljning"],
        [
            [
                style.years_text(row) or "–",
                style.owners_text(row) or "–",
                row.priority or "–",
                status,
            ]
        ],
    )
    if row.reported:
        comment = text(row.comment) if row.comment else style.NO_COMMENT
        lines += [f"Kommentar: {comment}", ""]
        lines += [f"*{style.written_by(row, zone)}*", ""]
    else:
        lines += ["Kommentar: **ej rapporterad** för perioden.", ""]
    return lines


def render_markdown(report: FollowUpReport) -> str:
    zone = report.as_of.tzinfo or dt.UTC
    lines = [f"# {style.title(report)}", "", style.subtitle(report), ""]
    lines += ["Teckenförklaring:", ""] + [f"- {line}" for line in style.legend_lines()] + [""]
    lines += _summary(report)
    lines += _visits(report)
    if report.feedback is not None:
        from bot.files.feedback import markdown_section

        lines += markdown_section(report.feedback, level=2, quotes=False)
    lines += _key_figures(report)
    for chapter in report.chapters:
        lines += [f"## {chapter.number}. {text(chapter.title)}", ""]
        for section in chapter.sections:
            lines += [f"### {section.number} {text(section.title)}", ""]
            for row in section.activities:
                lines += _activity(row, zone)
    return "\n".join(lines).rstrip("\n") + "\n"
