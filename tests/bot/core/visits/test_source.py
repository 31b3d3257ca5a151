"""A visit's source: how it came in, and the Slack message it was read from (one visit at most)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.context import Knalle
from bot.core.export import visits_table
from bot.core.visits import actions as visits
from bot.core.visits.actions import VisitDraft, VisitSource
from storage.models import Visit
from tests import units

TODAY = dt.date(2026, 11, 24)
LINK = "https://knalle.slack.com/archives/C0BESOK/p1700000000000100"


def draft(**fields: Any) -> VisitDraft:  # each field with its own type
    values: dict[str, Any] = {"company": "Ellos AB", "visit_date": TODAY - dt.timedelta(1)}
    values.update(fields)
    return VisitDraft(**values)


def message(kind: str = visits.SOURCE_SHORTCUT, ts: str = "1700000000.000100") -> VisitSource:
    return VisitSource(kind, "C0BESOK", ts, LINK)


def test_a_plain_visit_came_from_the_command(knalle: Knalle) -> None:
    saved = units.record(knalle, draft(), "UPIA")
    assert saved.source == VisitSource(visits.SOURCE_COMMAND)
    with knalle.db.read() as session:
        [row] = session.scalars(select(Visit))
        assert (row.source, row.source_channel, row.source_ts, row.permalink) == (
            "command",
            None,
            None,
            None,
        )


def test_one_message_never_becomes_two_visits(knalle: Knalle) -> None:
    first = units.record(knalle, draft(), "UPIA", source=message())
    assert first.source == message() and not first.duplicate
    again = units.record(
        knalle, draft(notes="annan text"), "UOLA", source=message(visits.SOURCE_CHANNEL)
    )
    assert again.duplicate and again.id == first.id
    other = units.record(knalle, draft(), "UPIA", source=message(ts="1700000000.000200"))
    assert other.id != first.id and not other.duplicate
    with knalle.db.read() as session:
        assert len(list(session.scalars(select(Visit)))) == 2
    found = units.saved_from_message(knalle, "C0BESOK", "1700000000.000100")
    assert found is not None and found.id == first.id


def test_an_undone_message_visit_may_be_saved_again(knalle: Knalle) -> None:
    first = units.record(knalle, draft(), "UPIA", source=message())
    units.undo(knalle, first.id, "UPIA")
    assert units.saved_from_message(knalle, "C0BESOK", "1700000000.000100") is None
    second = units.record(knalle, draft(), "UPIA", source=message())
    assert second.id != first.id and not second.duplicate
    assert units.saved_from_message(knalle, "C0BESOK", "1700000000.000100") == second


def test_export_shows_source_channel_ts_and_link(knalle: Knalle) -> None:
    units.record(knalle, draft(), "UPIA", source=message(visits.SOURCE_CHANNEL))
    units.record(knalle, draft(company="Hemtex"), "UPIA")
    with knalle.db.read() as session:
        table = visits_table(session, knalle.settings.zone)
    columns = table.header.index("källa"), table.header.index("ts"), table.header.index("länk")
    assert [tuple(row[i] for i in columns) for row in table.rows] == [
        ("kanalen", "1700000000.000100", LINK),
        ("kommando", "", ""),
    ]


def test_company_history_and_home_link_to_the_message(knalle: Knalle) -> None:
    from bot.core import home
    from handlers.activity.home import _visits_block
    from handlers.visits.blocks import history_message

    units.record(knalle, draft(), "UPIA", source=message())
    units.record(knalle, draft(notes="utan länk", visit_date=TODAY - dt.timedelta(3)), "UPIA")
    shown = str(history_message(units.company_history(knalle, "Ellos"), TODAY))
    assert shown.count(f"<{LINK}|meddelandet i Slack>") == 1
    with knalle.db.read() as session:
        data = home.home_data(
            session, "UPIA", TODAY, followup_dates=["06-15", "12-15"], visit_target=150
        )
    assert f"<{LINK}|meddelandet i Slack>" in str(_visits_block(data))
