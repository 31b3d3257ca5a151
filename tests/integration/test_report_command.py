"""`/aktivitet rapport` through the signed HTTP path: the xlsx lands in the requester's DM."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.console.standin import UploadedFile
from bot.files.report_xlsx import ACTIVITY_SHEET
from tests.bot.core.report_data import build
from tests.integration.live import LiveBot, live_bot


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock) as running:
        with running.knalle.db.write() as session:
            build(session)
        yield running


def _uploaded(bot: LiveBot) -> UploadedFile:
    bot.standin.wait_for("files.completeUploadExternal")
    [uploaded] = bot.standin.uploaded_files()
    return uploaded


def _activity_rows(uploaded: UploadedFile) -> dict[str, tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(uploaded.content))[ACTIVITY_SHEET]
    return {str(row[0]): row for row in sheet.iter_rows(values_only=True)}


def test_the_current_report_is_sent_as_xlsx_to_the_requesters_dm(bot: LiveBot) -> None:
    reply = bot.command("rapport", command="/aktivitet", user="UPIA")
    assert reply.status == 200 and "tar fram uppföljningsrapporten" in reply.body  # the ack
    uploaded = _uploaded(bot)
    [opened] = bot.standin.calls("conversations.open")
    assert opened.args["users"] == "UPIA"
    assert uploaded.channel_id == "DUPIA"  # the D-channel conversations.open returned
    assert uploaded.filename == "uppfoljning-2026-H2.xlsx"
    rows = _activity_rows(uploaded)
    assert rows["1.2.1"][1:6] == ("Företagsbesök", "2026", "Pia, Per", "Hög", "gul")
    assert rows["1.2.2"][5] == "ej rapporterad"
    [done] = bot.replies()
    assert "2026-H2 ligger nu i ditt DM" in done["text"]


def test_an_admin_may_ask_for_a_past_period(bot: LiveBot) -> None:
    bot.command("rapport 2026-H1", command="/aktivitet", user="UADMIN")
    uploaded = _uploaded(bot)
    assert uploaded.channel_id == "DUADMIN"
    assert uploaded.filename == "uppfoljning-2026-H1.xlsx"
    assert _activity_rows(uploaded)["1.2.1"][5:7] == ("grön", "Bra start")


def test_anyone_else_gets_only_the_current_period(bot: LiveBot) -> None:
    reply = bot.command("rapport 2026-H1", command="/aktivitet", user="UPIA")
    assert reply.status == 200
    # Refused in the ack itself: no "working on it" first, nothing built or uploaded.
    answer = json.loads(reply.body)
    assert "pågående perioden, 2026-H2" in answer["text"]
    assert bot.standin.calls("response_url") == []
    assert bot.standin.calls("files.completeUploadExternal") == []


def test_a_bad_period_gets_a_swedish_answer(bot: LiveBot) -> None:
    reply = bot.command("rapport hösten", command="/aktivitet", user="UADMIN")
    answer = json.loads(reply.body)
    assert 'Perioden "hösten" kan jag inte läsa' in answer["text"] and "2026-H2" in answer["text"]
    assert bot.standin.calls("response_url") == [] and bot.standin.uploaded_files() == []


def test_anyone_may_name_the_current_period(bot: LiveBot) -> None:
    bot.command("rapport 2026h2", command="/aktivitet", user="UPIA")
    assert _uploaded(bot).filename == "uppfoljning-2026-H2.xlsx"


def test_a_failed_upload_is_told_to_the_user(bot: LiveBot) -> None:
    bot.standin.fail("files.completeUploadExternal", status=200, error="channel_not_found")
    bot.command("rapport", command="/aktivitet", user="UPIA")
    [answer] = bot.replies()
    assert "kunde inte skicka den till dig (channel_not_found)" in answer["text"]
