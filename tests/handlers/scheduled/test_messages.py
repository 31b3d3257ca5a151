"""Reminder and digest DMs stay short: a long comment is clipped as /aktivitet mina clips it."""

from __future__ import annotations

import datetime as dt
import json

from bot.core.followup.reminders import DueActivity, Reminder
from bot.core.plan.lights import Light
from handlers.scheduled.messages import reminder_message

LONG = "Benchmarking har gjorts, dock inte i grupp som vi hade önskat. " * 12  # ~760 characters


def test_a_long_latest_comment_is_clipped_in_the_reminder() -> None:
    item = DueActivity(7, "8.2.1", "Benchmarking", Light.GUL, LONG, "2022-H2")
    reminder = Reminder(
        "reminder-14", "UPIA", "Pia", "2026-H2", dt.date(2026, 12, 15), 14, 14, False, (item,)
    )
    text = json.dumps(reminder_message(reminder).blocks, ensure_ascii=False)
    assert "Benchmarking har gjorts" in text and "…" in text
    assert LONG.strip() not in text
    [section] = [b for b in reminder_message(reminder).blocks if "8.2.1" in json.dumps(b)]
    assert len(section["text"]["text"]) < 400
