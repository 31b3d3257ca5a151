"""The HTTP surface, served by waitress: `POST /slack/events`, and for operators `GET /healthz`
(alive: the database answers a `SELECT 1`), `GET /readyz` (database reachable, migrations
current) and `GET /metrics` (Prometheus, see bot/metrics.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context

from bot.context import Knalle
from bot.slack import wsgi_texts as http_texts

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
# Slack's own payloads stay far below this; waitress refuses larger bodies itself, before
# buffering them (its max_request_body_size), and this surface checks again.
MAX_BODY_BYTES = 1_000_000
# Slack signs the request time; a request older (or newer) than this is refused.
SIGNATURE_WINDOW_SECONDS = 5 * 60
# Not put in the replay cache: commands (their trigger_id is checked when they are saved),
# suggestions for a select as the user types (nothing is stored), and Slack's own checks.
UNCACHED_KINDS = {"command", "block_suggestion", "ssl_check", "url_verification"}


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str  # for the one log line: never the body, a token or a URL
    text: str  # the Swedish answer


def check_signature(
    raw: bytes, timestamp: str | None, signature: str | None, secret: str, now: float
) -> Refusal | None:
    """Slack's v0 signature over the raw bytes, before anything is decoded or parsed."""
    if not timestamp or not signature:
        return Refusal(401, "unsigned", http_texts.UNSIGNED)
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return Refusal(401, "timestamp is not a number", http_texts.STALE)
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return Refusal(401, "stale timestamp", http_texts.STALE)
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        return Refusal(401, "bad signature", http_texts.UNSIGNED)
    return None


def _innermost(error: BaseException) -> str:
    """file:line where `error` was raised: enough to find a bug, without a traceback's noise."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return "?"
    return f"{trace.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}"


# What Bolt reads from a payload without checking: each must have this type when present.
PAYLOAD_SHAPE: dict[str, type | tuple[type, ...]] = {
    "user": (dict, str),
    "team": dict,
    "channel": dict,
    "container": dict,
    "view": dict,
    "actions": list,
    "message": dict,
    "enterprise": (dict, type(None)),
    "event": dict,
    "authorizations": list,
    "workflow_step": dict,
    "function_data": dict,
    "bot_access_token": str,
}
VIEW_SHAPE: dict[str, type | tuple[type, ...]] = {
    "state": dict,
    "callback_id": str,
    "id": str,
    "hash": str,
    "private_metadata": str,
    "blocks": list,
    "title": dict,
}


def _shape_ok(data: dict[str, Any]) -> bool:
    for key, wanted in PAYLOAD_SHAPE.items():
        if key in data and not isinstance(data[key], wanted):
            return False
    user = data.get("user")
    if isinstance(user, dict) and not isinstance(user.get("id", ""), str):
        return False
    for key in ("team", "channel", "container", "message"):
        part = data.get(key)
        if isinstance(part, dict) and not all(
            isinstance(part.get(name, ""), (str, bool, int, type(None)))
            for name in ("id", "channel_id", "type", "ts", "is_ephemeral", "message_ts")
        ):
            return False
    view = data.get("view")
    if isinstance(view, dict):
        for key, wanted in VIEW_SHAPE.items():
            if key in view and not isinstance(view[key], wanted):
                return False
        values = view.get("state", {}).get("values", {})
        if not isinstance(values, dict) or not all(
            isinstance(block, dict) and all(isinstance(v, dict) for v in block.values())
            for block in values.values()
        ):
            return False
    actions = data.get("actions")
    if isinstance(actions, list) and not all(
        isinstance(action, dict)
        and isinstance(action.get("action_id", ""), str)
        and isinstance(action.get("block_id", ""), str)
        for action in actions
    ):
        return False
    event = data.get("event")
    if isinstance(event, dict) and not isinstance(event.get("type", ""), str):
        return False
    if not _url_ok(data.get("response_url")):
        return False
    return all(
        isinstance(data.get(key, ""), str)
        for key in (
            "type",
            "callback_id",
            "trigger_id",
            "response_url",
            "action_id",
            "block_id",
            "event_id",
            "api_app_id",
            "token",
            "team_id",
        )
    )


_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/[!-~]*")


def _url_ok(value: object) -> bool:
    """A response_url is Slack's https URL (the stand-in's http one in tests), or absent."""
    return value is None or value == "" or (isinstance(value, str) and bool(_URL.fullmatch(value)))


def check_shape(body: str, content_type: str) -> Refusal | None:
    """A signed body must still be one of Slack's shapes, or Bolt raises on it (500)."""
    refusal, _ = request_kind(body, content_type)
    return refusal


def request_kind(body: str, content_type: str) -> tuple[Refusal | None, str]:
    """The body's shape checked, and what it is: "command", "ssl_check" or Slack's `type`."""
    malformed = Refusal(400, "malformed body", http_texts.MALFORMED)
    if "json" in content_type.lower() or body.lstrip().startswith("{"):
        try:
            data = json.loads(body)
        except ValueError:
            return malformed, ""
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            return malformed, ""
        if not _shape_ok(data):
            return malformed, ""
        return None, str(data["type"])
    try:
        fields = parse_qsl(body, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return Refusal(400, "form field is not UTF-8", http_texts.NOT_UTF8), ""
    names = dict(fields)
    if len(names) != len(fields):
        return malformed, ""  # a field given twice: Slack never does that
    if "payload" in names:
        try:
            payload = json.loads(names["payload"])
        except ValueError:
            return malformed, ""
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return malformed, ""
        if not _shape_ok(payload):
            return malformed, ""
        return None, str(payload["type"])
    if names.get("ssl_check") == "1":
        return None, "ssl_check"
    if not names.get("command", "").startswith("/") or not _url_ok(names.get("response_url")):
        return malformed, ""
    return None, "command"


STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    503: "Service Unavailable",
}


def to_bolt_request(body: str, headers: dict[str, str | Sequence[str]], query: str) -> BoltRequest:
    """A BoltRequest whose form body is parsed correctly even when a text says "payload".

    Bolt's parse_body takes any form body containing the substring "payload" for an
    interactivity payload and returns {} when no payload= field exists: a slash command whose
    text mentions "payload" would vanish. The signature is still checked over the raw body.
    """
    request = BoltRequest(body=body, query=query, headers=headers)
    if not request.body and body and not body.lstrip().startswith("{"):
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in fields:
            request.body = fields
            # The context (response_url, user, channel) was built from the empty body: rebuild
            # it, or `respond` fails with "no response_url" after a command saying "payload".
            request.context = build_context(BoltContext(), fields)
    return request


class SlackWsgi:
    """The whole HTTP surface; small enough to read, no framework needed."""

    def __init__(
        self,
        app: App,
        knalle: Knalle,
        path: str = "/slack/events",
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.knalle = knalle
        self.path = path
        # Seconds since the epoch, for the signature's time window; tests move it.
        self.wall = wall
        self.secret = knalle.settings.slack_signing_secret or ""
        self._registry: Any = None  # /metrics' registry, made at the first scrape

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path == "/healthz":
            return self._health(start_response)
        if path == "/readyz":
            return self._ready(start_response)
        if path == "/metrics":
            return self._metrics(start_response)
        if path != self.path:
            return _reply(start_response, 404, "Not Found")
        if method != "POST":
            return _reply(start_response, 405, "Method Not Allowed")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._refuse(start_response, Refusal(400, "bad length", http_texts.BAD_LENGTH))
        if length < 0:
            return self._refuse(start_response, Refusal(400, "bad length", http_texts.BAD_LENGTH))
        if length > MAX_BODY_BYTES:
            return self._refuse(start_response, Refusal(413, "too large", http_texts.TOO_LARGE))
        raw: bytes = environ["wsgi.input"].read(length) if length else b""
        refusal = check_signature(
            raw,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
            self.secret,
            self.wall(),
        )
        if refusal is not None:
            return self._refuse(start_response, refusal)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._refuse(start_response, Refusal(400, "not UTF-8", http_texts.NOT_UTF8))
        refusal, kind = request_kind(body, str(environ.get("CONTENT_TYPE") or ""))
        if refusal is not None:
            return self._refuse(start_response, refusal)
        if kind not in UNCACHED_KINDS and not self._first_time(
            str(environ.get("HTTP_X_SLACK_SIGNATURE"))
        ):
            logger.info("a replayed request (%s); already taken", kind)
            return _reply(start_response, 200, "")
        headers = _headers(environ)
        try:
            response: BoltResponse = self.app.dispatch(
                to_bolt_request(body, headers, environ.get("QUERY_STRING", ""))
            )
        except Exception as error:  # a signed body Slack would never send; Bolt choked on it
            where = _innermost(error)
            logger.warning(
                "refused a request Bolt could not read: %s at %s", type(error).__name__, where
            )
            return _reply(start_response, 400, http_texts.MALFORMED)
        if response.status == 404:
            # Bolt found no listener (an unknown command, button or event): an answer in
            # Swedish, never a 404 the user would see as "dispatch_failed".
            logger.info("no listener for a %s", kind)
            if kind == "command":
                return _json(
                    start_response,
                    200,
                    {"response_type": "ephemeral", "text": http_texts.UNHANDLED},
                )
            return _reply(start_response, 200, "")
        out_headers = [
            (name, value) for name, values in response.headers.items() for value in values
        ]
        return _reply(start_response, response.status, response.body, out_headers)

    def _first_time(self, signature: str) -> bool:
        """The replay cache: a signature seen within Slack's window is the same request again.

        In the database, so every replica shares it. Slash commands are recognised by their
        trigger_id when saved (handlers/intake.py), without a write of their own here.
        """
        from storage.intake import remember_request

        seen_at = dt.datetime.fromtimestamp(self.wall(), dt.UTC)
        with self.knalle.db.write() as session:
            return remember_request(session, signature[:80], seen_at)

    def _refuse(self, start_response: StartResponse, refusal: Refusal) -> Iterable[bytes]:
        """One log line, no traceback, nothing of the request's content."""
        logger.warning("refused a request: %s (HTTP %d)", refusal.reason, refusal.status)
        return _reply(start_response, refusal.status, refusal.text)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        """Alive: one `SELECT 1`, nothing more (probes call it every few seconds)."""
        try:
            self.knalle.db.ping()
        except Exception:  # the probe's whole job is to say "not well" instead of raising
            logger.warning("health check failed", exc_info=True)
            return _json(start_response, 503, {"ok": False, "database": "unreachable"})
        return _json(start_response, 200, {"ok": True})

    def _ready(self, start_response: StartResponse) -> Iterable[bytes]:
        """Ready for traffic: the database answers and its schema is this release's head."""
        from storage.db import current_revision, head_revisions

        try:
            self.knalle.db.ping()
            revision = current_revision(self.knalle.db.engine)
        except Exception:  # the probe's whole job is to say "not ready" instead of raising
            logger.warning("readiness: the database did not answer", exc_info=True)
            return _json(
                start_response, 503, {"ok": False, "database": "unreachable", "migrations": None}
            )
        current = revision in head_revisions()
        state = {
            "ok": current,
            "database": "reachable",
            "migrations": "current" if current else "behind",
            "revision": revision,
        }
        return _json(start_response, 200 if current else 503, state)

    def _metrics(self, start_response: StartResponse) -> Iterable[bytes]:
        from bot import metrics

        if self._registry is None:
            self._registry = metrics.registry_for(self.knalle)
        payload, content_type = metrics.exposition(self._registry)
        start_response(
            "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
        )
        return [payload]


def _headers(environ: Environ) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = [value]
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = [environ["CONTENT_TYPE"]]
    return headers


def _json(start_response: StartResponse, status: int, data: dict[str, Any]) -> Iterable[bytes]:
    return _reply(start_response, status, json.dumps(data), [("Content-Type", "application/json")])


def _reply(
    start_response: StartResponse,
    status: int,
    body: str,
    headers: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    payload = body.encode("utf-8")
    all_headers = list(headers or [])
    if not any(name.lower() == "content-type" for name, _ in all_headers):
        all_headers.append(("Content-Type", "text/plain; charset=utf-8"))
    all_headers.append(("Content-Length", str(len(payload))))
    start_response(f"{status} {STATUS_TEXT.get(status, 'Status')}", all_headers)
    return [payload]
