"""Unsigned or malformed requests get 401 or 400, one log line, no traceback (defect 7).

Before the signature was checked on the raw bytes, each of these gave 500 and a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import time
from collections.abc import Iterator

import pytest

from bot.console.signing import event_body, sign_request, slash_command_body
from bot.slack import wsgi_texts as http_texts
from tests.integration.live import SECRET, LiveBot, live_bot

pytestmark = pytest.mark.faults
SWEDISH = {v for k, v in vars(http_texts).items() if k.isupper()}
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def bot(sqlite_url: str) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, KNALLE_OPEN_TO="workspace") as running:
        yield running


def signed(raw: bytes, content_type: str = FORM, stamp: str | None = None) -> dict[str, str]:
    stamp = stamp or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


EVENT = event_body({"type": "app_home_opened", "user": "UPIA", "tab": "home"}, "Ev1")
MALFORMED: list[tuple[str, bytes, str]] = [
    ("payload=%7Bbad", b"payload=%7Bbad", FORM),
    ("payload=null", b"payload=null", FORM),
    ("payload=[]", b"payload=%5B%5D", FORM),
    ("latin-1 bytes", "command=/besök&text=Åhlens".encode("latin-1"), FORM),
    ("latin-1 in a %-escape", b"command=%2Fbes%F6k&text=x", FORM),
    ("form sent as JSON", slash_command_body("/besök", "x", "UPIA").encode(), "application/json"),
    ("truncated event", EVENT[: len(EVENT) // 2].encode(), "application/json"),
    ("JSON array", b"[1, 2]", "application/json"),
    ("no command", b"text=Ellos", FORM),
    ("a field twice", b"command=/besok&command=/aktivitet&text=x", FORM),
]


@pytest.mark.parametrize(("case", "raw", "content_type"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_unsigned_malformed_is_401_and_signed_malformed_is_400(
    bot: LiveBot, caplog: pytest.LogCaptureFixture, case: str, raw: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    unsigned = bot.post(raw, {"Content-Type": content_type})
    assert unsigned.status == 401 and unsigned.body in SWEDISH
    answer = bot.post(raw, signed(raw, content_type))
    assert answer.status == 400 and answer.body in SWEDISH
    refused = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refused) == 2
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    assert bot.standin.calls("response_url") == []


@pytest.mark.parametrize("stamp", ["abc", "", "1e9", "-5", "0x10", " 12", "99999999999999999999"])
def test_a_signed_request_with_a_bad_timestamp_is_401(
    bot: LiveBot, caplog: pytest.LogCaptureFixture, stamp: str
) -> None:
    body = slash_command_body("/besök", "Ellos AB igår", "UPIA")
    headers = sign_request(body, SECRET)
    headers["X-Slack-Request-Timestamp"] = stamp
    answer = bot.post(body, headers)
    assert answer.status == 401 and answer.body in SWEDISH
    assert "Traceback" not in caplog.text


def test_waitress_refuses_a_body_over_the_limit_before_reading_it(bot: LiveBot) -> None:
    with socket.create_connection(("127.0.0.1", bot.port), timeout=5) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + FORM.encode()
            + b"\r\nContent-Length: 1000000000\r\n\r\ntext=x"
        )
        first = sock.recv(200)
    assert first.startswith(b"HTTP/1.1 413")


def test_a_chunked_body_over_the_limit_is_refused(bot: LiveBot) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=10)
    chunk = b"x" * 100_000
    try:
        connection.request(
            "POST",
            "/slack/events",
            body=iter([chunk] * 15),
            headers={"Content-Type": FORM},
            encode_chunked=True,
        )
        assert connection.getresponse().status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # waitress closed the connection on us: refused just the same
    finally:
        connection.close()


def test_a_well_formed_signed_command_still_works(bot: LiveBot) -> None:
    assert bot.command("Ellos AB igår").status == 200
    assert "Ellos AB" in json.dumps(bot.replies()[0], ensure_ascii=False)
