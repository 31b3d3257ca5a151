"""A seeded fuzz of malformed requests, signed and unsigned: never a 5xx, never a traceback.

Every refusal is in Swedish; what is stored is stored once.
"""

from __future__ import annotations

import json
import logging
import random
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.console.signing import event_body, sign_request
from bot.core.text import safe as safe_text
from bot.slack import wsgi_texts as http_texts
from handlers import texts
from handlers.ids import ActivityAction, VisitAction, VisitField, VisitView
from storage.models import Visit
from tests.integration.live import SECRET, LiveBot

pytestmark = pytest.mark.faults
SEED = 20261201
COUNT = 520
SWEDISH = {v for k, v in vars(http_texts).items() if k.isupper()} | {
    texts.BAD_USER_ID,
    texts.BAD_FIELD_TYPE,
}
WEIRD: list[Any] = [
    None,
    "",
    " ",
    0,
    -1,
    1.5,
    True,
    [],
    {},
    ["x"],
    {"a": 1},
    "99999999999999999999",
    "not-a-date",
    "2026-02-30",
    "\x00",
    "\ud800",
    "\u202eabc",
    "a" * 5000,
    "<!channel>",
    "1|grön|x",
    "id:1",
    "new:",
    "|||",
    "é\u0301",
    "\n\n",
    "UPIA\n",
]
ACTIONS = [*VisitAction, *ActivityAction]
RESPONSE_URL = ["set by the test: the stand-in's"]


def weird(rng: random.Random) -> Any:
    return rng.choice(WEIRD)


def command(rng: random.Random, n: int) -> str:
    fields = {
        "command": rng.choice(["/besök", "/besok", "/aktivitet", "/okänd", weird(rng)]),
        "text": rng.choice(["Ellos AB igår", "lista", "rapport", "hjälp", str(weird(rng))]),
        "user_id": rng.choice(["UPIA", "UPIA", "", "upia", str(weird(rng))]),
        "channel_id": rng.choice(["C0TEST", "", str(weird(rng))]),
        "response_url": RESPONSE_URL[0],
        "trigger_id": f"fz.{n}",
        "team_id": "T0KNALLE",
    }
    if rng.random() < 0.2:
        fields.pop(rng.choice(list(fields)))
    return urlencode({k: str(v) for k, v in fields.items()}, errors="surrogatepass")


def payload(rng: random.Random, n: int) -> dict[str, Any]:
    kind = rng.choice(
        [
            "block_actions",
            "view_submission",
            "block_suggestion",
            "shortcut",
            "message_action",
            "view_closed",
            weird(rng),
        ]
    )
    user: Any = rng.choice([{"id": "UPIA"}, {"id": weird(rng)}, weird(rng), {}])
    body: dict[str, Any] = {
        "type": kind,
        "user": user,
        "team": {"id": "T0KNALLE"},
        "trigger_id": f"fz.{n}",
        "api_app_id": "A0KNALLE",
    }
    if rng.random() < 0.6:
        body["actions"] = rng.choice(
            [
                [{"action_id": rng.choice(ACTIONS), "value": weird(rng), "block_id": "b"}],
                [],
                weird(rng),
                [{"action_id": weird(rng)}],
            ]
        )
    if rng.random() < 0.6:
        body["view"] = {
            "id": rng.choice(["V1", weird(rng)]),
            "callback_id": rng.choice([*VisitView, "activity.update", weird(rng)]),
            "private_metadata": rng.choice(
                ["{}", '{"visit": "99999999999999999999"}', str(weird(rng)), '{"channel": 5}']
            ),
            "state": {
                "values": rng.choice(
                    [
                        {VisitField.DATE: {VisitField.DATE: {"selected_date": weird(rng)}}},
                        {VisitField.COMPANY: {VisitField.COMPANY: {"selected_option": weird(rng)}}},
                        weird(rng),
                    ]
                )
            },
        }
    if rng.random() < 0.3:
        body["response_url"] = RESPONSE_URL[0]
    for key in rng.sample(list(body), k=rng.randint(0, 2)):
        body[key] = weird(rng)
    return body


def one_request(rng: random.Random, n: int) -> tuple[bytes, str]:
    choice = rng.random()
    if choice < 0.35:
        return command(rng, n).encode("utf-8", "surrogatepass"), "application/x-www-form-urlencoded"
    if choice < 0.75:
        data = json.dumps(payload(rng, n), ensure_ascii=rng.random() < 0.5)
        return (
            urlencode({"payload": data}, errors="surrogatepass").encode("ascii"),
            "application/x-www-form-urlencoded",
        )
    if choice < 0.9:
        event = {
            "type": rng.choice(["app_home_opened", "message", weird(rng)]),
            "user": weird(rng),
            "tab": "home",
            "channel": weird(rng),
            "text": weird(rng),
        }
        return event_body(event, f"EvFz{n}").encode("utf-8", "surrogatepass"), "application/json"
    raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    return raw, rng.choice(["application/json", "application/x-www-form-urlencoded"])


def mangle(rng: random.Random, raw: bytes) -> bytes:
    roll = rng.random()
    if roll < 0.1 and raw:
        return raw[: rng.randrange(len(raw))]
    if roll < 0.2 and raw:
        spot = rng.randrange(len(raw))
        return raw[:spot] + bytes([rng.randrange(256)]) + raw[spot + 1 :]
    return raw


def signed(raw: bytes, content_type: str, rng: random.Random) -> dict[str, str]:
    headers = sign_request(raw.decode("latin-1"), SECRET)  # placeholder, replaced below
    import hashlib
    import hmac

    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
    headers.update(
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }
    )
    if rng.random() < 0.1:
        headers["X-Slack-Request-Timestamp"] = rng.choice(["abc", "", "0", "1" * 30])
    return headers


def test_a_seeded_fuzz_of_malformed_requests(
    bot: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(SEED)
    RESPONSE_URL[0] = bot.standin.response_url("fuzz")
    statuses: dict[int, int] = {}
    unsigned_seen = signed_seen = 0
    for n in range(COUNT):
        raw, content_type = one_request(rng, n)
        raw = mangle(rng, raw)
        if rng.random() < 0.3:
            unsigned_seen += 1
            headers = {"Content-Type": content_type}
            if rng.random() < 0.5:
                headers["X-Slack-Signature"] = "v0=" + "0" * 64
                headers["X-Slack-Request-Timestamp"] = str(int(time.time()))
        else:
            signed_seen += 1
            headers = signed(raw, content_type, rng)
        reply = bot.post(raw, headers)
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        assert reply.status < 500, (n, raw[:200], reply.body[:300])
        if 400 <= reply.status < 500:
            assert reply.body in SWEDISH, (n, reply.status, reply.body[:200])
    assert unsigned_seen >= 100 and signed_seen >= 300
    assert statuses.get(401, 0) >= unsigned_seen
    assert "Traceback" not in caplog.text
    problems = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert problems == [], [r.getMessage()[:200] for r in problems[:5]]
    # A valid command still works after all that, and the fuzz stored nothing twice.
    assert bot.command("Ellos AB igår", name="after").status == 200
    bot.standin.wait_for("response_url", 1, timeout=10)
    with bot.knalle.db.read() as session:
        keys = session.scalars(select(Visit.submission_key)).all()
        assert len(keys) == len(set(keys))
        stored = session.scalar(select(func.count(Visit.id)))
        assert stored is not None and stored >= 1
    assert safe_text.UNSAFE_NUL  # the refusals' wording is the core's (see test_unsafe_text)
