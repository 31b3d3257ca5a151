"""The HTTP surface: a WSGI app for `POST /slack/events` and `GET /healthz`, served by waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context

from bot.app import Knalle

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
MAX_BODY_BYTES = 1_000_000

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

    def __init__(self, app: App, knalle: Knalle, path: str = "/slack/events") -> None:
        self.app = app
        self.knalle = knalle
        self.path = path

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path == "/healthz":
            return self._health(start_response)
        if path != self.path:
            return _reply(start_response, 404, "Not Found")
        if method != "POST":
            return _reply(start_response, 405, "Method Not Allowed")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, 400, "Bad Request")
        if length > MAX_BODY_BYTES:
            return _reply(start_response, 413, "Payload Too Large")
        body = environ["wsgi.input"].read(length).decode("utf-8") if length else ""
        headers = _headers(environ)
        response: BoltResponse = self.app.dispatch(
            to_bolt_request(body, headers, environ.get("QUERY_STRING", ""))
        )
        out_headers = [
            (name, value) for name, values in response.headers.items() for value in values
        ]
        return _reply(start_response, response.status, response.body, out_headers)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            self.knalle.db.ping()
        except Exception:  # the probe's whole job is to say "not well" instead of raising
            logger.exception("health check failed")
            return _json(start_response, 503, {"ok": False, "database": "unreachable"})
        return _json(start_response, 200, {"ok": True})


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
