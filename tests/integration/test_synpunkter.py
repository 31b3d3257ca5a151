"""`/besök synpunkter` through the real HTTP path and the strict Slack stand-in, after a year
of visits with long notes: the answer must be one message Slack takes."""

from __future__ import annotations

import json

from bench.feedback_world import fill
from tests.integration.live import LiveBot
from tests.integration.test_besok import besok, bot, text_of

__all__ = ["bot"]


def test_synpunkter_after_a_year_of_visits_is_one_message_slack_takes(bot: LiveBot) -> None:
    fill(bot.knalle, visits=150, companies=40, years=(2026,))
    reply = besok(bot, "synpunkter")
    text = text_of(reply)
    assert "Synpunkter 2026" in text and "• Kompetensförsörjning:" in text
    assert text.count("> ") >= 3  # the newest quotes of the largest themes
    blocks = reply["blocks"]
    assert len(blocks) <= 50
    shown = sum(len(json.dumps(b, ensure_ascii=False)) for b in blocks)
    assert shown < 10_000
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
