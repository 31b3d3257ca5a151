"""The HTTP path end to end: signatures, health, and Bolt's parsing quirks."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.console.signing import sign_request, slash_command_body
from tests.integration.live import SECRET, LiveBot, live_bot


@pytest.fixture
def bot(sqlite_url: str) -> Iterator[LiveBot]:
    with live_bot(sqlite_url) as running:
        yield running


def test_health_answers_ok(bot: LiveBot) -> None:
    reply = bot.get("/healthz")
    assert reply.status == 200 and '"ok": true' in reply.body


def test_unknown_path_is_404(bot: LiveBot) -> None:
    assert bot.get("/nope").status == 404


def test_unsigned_request_is_401(bot: LiveBot) -> None:
    body = slash_command_body(
        "/besök", "Ellos AB", "UPIA", response_url=bot.standin.response_url("x")
    )
    reply = bot.post(body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 401


def test_forged_signature_is_401(bot: LiveBot) -> None:
    body = slash_command_body(
        "/besök", "Ellos AB", "UPIA", response_url=bot.standin.response_url("x")
    )
    headers = sign_request(body, "not-the-secret")
    assert bot.post(body, headers).status == 401


def test_tampered_body_is_401(bot: LiveBot) -> None:
    body = slash_command_body(
        "/besök", "Ellos AB", "UPIA", response_url=bot.standin.response_url("x")
    )
    headers = sign_request(body, SECRET)
    assert bot.post(body.replace("Ellos", "Elvis"), headers).status == 401


def test_stale_request_is_401_even_when_signed(bot: LiveBot) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    reply = bot.command("Ellos AB igår", timestamp=six_minutes_ago)
    assert reply.status == 401
    assert bot.standin.calls("response_url") == []


def test_health_says_503_when_the_database_does_not_answer(
    bot: LiveBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(bot.knalle.db, "ping", unreachable)
    reply = bot.get("/healthz")
    assert reply.status == 503 and "unreachable" in reply.body
