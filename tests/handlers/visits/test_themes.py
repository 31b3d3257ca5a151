"""`/besök synpunkter` and the themes in the visit form, with mocked respond and client."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import MagicMock

from bot.context import Knalle
from handlers.ids import VisitAction, VisitField, VisitView
from handlers.visits import command as handler
from tests import units
from tests.handlers.visits.test_command import (
    action_body,
    all_text,
    buttons,
    modal_values,
    reply_of,
    run,
    submission,
    team,
)

__all__ = ["team"]


def test_a_stored_visit_shows_its_themes(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår, svårt att rekrytera och elpriset är högt")
    text = all_text(reply_of(respond))
    assert "Teman:* Kompetensförsörjning, Energi" in text


def test_synpunkter_counts_themes_splits_by_cluster_and_quotes(team: Knalle) -> None:
    run(team, "Ellos AB igår, stor kompetensbrist &lt;!channel&gt;")  # as Slack sends it
    run(team, "Borås Wäfveri idag, svårt att rekrytera vävare")
    run(team, "Ellos AB idag, elpriset oroar")
    respond, _ = run(team, "synpunkter")
    reply = reply_of(respond)
    text = all_text(reply)
    assert "Synpunkter 2026" in text
    assert "• Kompetensförsörjning: 2" in text and "• Energi: 1" in text
    assert "• Upphandling: 0" in text  # every theme, with its count
    assert "*Kompetensförsörjning* – 2 besök" in text and "Per kluster: Okänt kluster 2" in text
    assert "Borås Wäfveri, 24 nov 2026: ”svårt att rekrytera vävare”" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert len(reply["blocks"]) <= 50
    assert sum(len(json.dumps(b, ensure_ascii=False)) for b in reply["blocks"]) < 10_000


def test_synpunkter_with_a_bad_year_answers_in_swedish(team: Knalle) -> None:
    respond, _ = run(team, "synpunkter förra")
    assert "fyra siffror" in all_text(reply_of(respond))


def test_the_edit_form_offers_the_themes_and_a_correction_is_kept(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår, svårt att rekrytera")
    visit_id = int(buttons(reply_of(respond))[0]["value"])
    client = MagicMock()
    client.views_open.return_value = {"view": {"id": "V1", "hash": "h1"}}
    handler.handle_edit(team, action_body(VisitAction.EDIT, str(visit_id)), client)
    view = client.views_update.call_args.kwargs["view"]
    element = {b["block_id"]: b["element"] for b in view["blocks"]}[VisitField.THEMES]
    assert element["type"] == "multi_static_select"
    assert [o["value"] for o in element["initial_options"]] == ["Kompetensförsörjning"]
    assert len(element["options"]) >= 9
    assert all(len(o["text"]["text"]) <= 75 for o in element["options"])
    metadata = json.loads(view["private_metadata"])
    assert metadata["themes"] == ["Kompetensförsörjning"]

    chosen = {"text": {"type": "plain_text", "text": "Ellos AB"}, "value": "id:1"}
    energy: dict[str, Any] = {"selected_options": [{"value": "Energi"}]}
    body, submitted = submission(
        modal_values(
            chosen,
            "2026-11-23",
            **{
                VisitField.NOTES: {"value": "svårt att rekrytera"},
                VisitField.THEMES: energy,
            },
        ),
        callback=VisitView.EDIT,
        metadata={**metadata, "response_url": ""},
    )
    ack = MagicMock()
    handler.handle_submission(team, ack, body, submitted, MagicMock())
    ack.assert_called_once_with()
    assert units.get_for_edit(team, visit_id, "UPIA").themes == ("Energi",)
