"""An admin's care of the company register in Slack, from `/besök företag NAMN`."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import MagicMock

from sqlalchemy import select

from bot.context import Knalle
from handlers.ids import CompanyField, VisitAction, VisitView
from handlers.limits import check_message, check_view
from handlers.visits import command as handler
from storage.models import Company, CompanyAlias, Visit
from tests import units
from tests.handlers.visits.test_command import action_body, buttons, reply_of, run


def names(knalle: Knalle) -> list[str]:
    with knalle.db.read() as session:
        return list(session.scalars(select(Company.name).order_by(Company.name)))


def company_id(knalle: Knalle, name: str) -> int:
    with knalle.db.read() as session:
        found = session.scalar(select(Company.id).where(Company.name == name))
        assert found is not None
        return int(found)


def submission(kind: str, company: int, typed: str) -> tuple[dict[str, Any], dict[str, Any]]:
    view = {
        "callback_id": kind,
        "private_metadata": json.dumps({"company": company}),
        "state": {"values": {CompanyField.NAME: {CompanyField.NAME: {"value": typed}}}},
    }
    return {"user": {"id": "UADMIN"}, "view": view}, view


def test_an_admin_sees_rename_merge_and_remove_under_a_company(sqlite_knalle: Knalle) -> None:
    units.record_text(sqlite_knalle, "Elos AB igår", "UPIA")
    admin = reply_of(run(sqlite_knalle, "företag Elos AB", user="UADMIN")[0])
    assert [b["action_id"] for b in buttons(admin)] == [
        VisitAction.COMPANY_RENAME,
        VisitAction.COMPANY_MERGE,
        VisitAction.COMPANY_REMOVE,
    ]
    remove = buttons(admin)[2]
    assert "1 besök" in remove["confirm"]["text"]["text"]
    assert check_message(admin) is None
    other = reply_of(run(sqlite_knalle, "företag Elos AB", user="UPIA")[0])
    assert buttons(other) == []


def test_rename_in_a_modal_keeps_the_old_name_as_an_alias(sqlite_knalle: Knalle) -> None:
    units.record_text(sqlite_knalle, "Elos AB igår", "UPIA")
    elos = company_id(sqlite_knalle, "Elos AB")
    client, respond = MagicMock(), MagicMock()
    handler.handle_care_button(
        sqlite_knalle, action_body(VisitAction.COMPANY_RENAME, str(elos), "UADMIN"), respond, client
    )
    view = client.views_open.call_args.kwargs["view"]
    assert view["callback_id"] == VisitView.COMPANY_RENAME and check_view(view) is None
    body, submitted = submission(VisitView.COMPANY_RENAME, elos, "Ellos AB")
    ack = MagicMock()
    handler.handle_care_submission(sqlite_knalle, ack, body, submitted, client)
    ack.assert_called_once_with()
    assert names(sqlite_knalle) == ["Ellos AB"]
    with sqlite_knalle.db.read() as session:
        assert list(session.scalars(select(CompanyAlias.name))) == ["Elos AB"]
    assert "heter nu Ellos AB" in client.chat_postMessage.call_args.kwargs["text"]


def test_merge_in_a_modal_moves_the_visits(sqlite_knalle: Knalle) -> None:
    units.record_text(sqlite_knalle, "Ellos AB igår", "UPIA")
    units.record_text(sqlite_knalle, "Volvo Cars igår", "UPIA")
    body, view = submission(
        VisitView.COMPANY_MERGE, company_id(sqlite_knalle, "Volvo Cars"), "Ellos"
    )
    handler.handle_care_submission(sqlite_knalle, MagicMock(), body, view, MagicMock())
    assert names(sqlite_knalle) == ["Ellos AB"]
    with sqlite_knalle.db.read() as session:
        assert len(list(session.scalars(select(Visit.id)))) == 2


def test_a_bad_merge_target_is_shown_under_the_field(sqlite_knalle: Knalle) -> None:
    units.record_text(sqlite_knalle, "Ellos AB igår", "UPIA")
    body, view = submission(VisitView.COMPANY_MERGE, company_id(sqlite_knalle, "Ellos AB"), "Zz")
    ack = MagicMock()
    handler.handle_care_submission(sqlite_knalle, ack, body, view, MagicMock())
    assert ack.call_args.kwargs["response_action"] == "errors"
    assert "finns inte" in ack.call_args.kwargs["errors"][str(CompanyField.NAME)]
    assert names(sqlite_knalle) == ["Ellos AB"]


def test_remove_after_the_dialog_and_only_for_admins(sqlite_knalle: Knalle) -> None:
    units.record_text(sqlite_knalle, "lsita idag", "UPIA")
    lsita = str(company_id(sqlite_knalle, "lsita"))
    respond = MagicMock()
    handler.handle_care_button(
        sqlite_knalle, action_body(VisitAction.COMPANY_REMOVE, lsita, "UPIA"), respond, MagicMock()
    )
    assert "Bara en admin" in respond.call_args.kwargs["text"] and names(sqlite_knalle) == ["lsita"]
    respond = MagicMock()
    handler.handle_care_button(
        sqlite_knalle,
        action_body(VisitAction.COMPANY_REMOVE, lsita, "UADMIN"),
        respond,
        MagicMock(),
    )
    assert "lsita och dess 1 besök är borttaget" in respond.call_args.kwargs["text"]
    assert names(sqlite_knalle) == []


def test_the_buttons_are_wired_in_the_app(sqlite_knalle: Knalle) -> None:
    import io

    from bot.console.session import run_console

    units.record_text(sqlite_knalle, "lsita idag", "UPIA")
    out = io.StringIO()
    run_console(
        sqlite_knalle,
        io.StringIO("jag UADMIN\n/besök företag lsita\nklicka 3\n"),
        out,
    )
    assert "borttaget ur registret" in out.getvalue(), out.getvalue()
    assert names(sqlite_knalle) == []
