"""A local stand-in for Slack's Web API on 127.0.0.1: records every call, answers like Slack.

The console runs the real bot against it (no workspace needed), and the tests point
`SLACK_API_URL` at it to assert on exactly what the bot sent. It can be told to fail a method
(429 with Retry-After, or an `ok: false` error) to test retries and partial failures.

It is as strict as Slack: a message or view that Slack would refuse (handlers/limits.py) is
refused with Slack's error name, and kept in `refusals()`; the tests fail on any left there.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from bot.console.socket_mode import SocketModeEnd
from handlers.limits import Refusal, check_message, check_view

# Fields Slack takes as JSON inside a form field; decoded so tests can look inside them.
_JSON_FIELDS = ("blocks", "view", "attachments", "files", "metadata")
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")
# How often serve_forever looks for a shutdown: stop() waits up to this long.
POLL_INTERVAL = 0.02


@dataclass(frozen=True)
class RecordedCall:
    method: str
    args: dict[str, Any]
    at: float


@dataclass
class UploadedFile:
    file_id: str
    filename: str
    content: bytes
    title: str = ""
    channel_id: str = ""


@dataclass(frozen=True)
class RefusedCall:
    """A call Slack would have refused: what was sent, and Slack's answer."""

    method: str
    refusal: Refusal
    args: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} refused: {self.refusal}"


@dataclass
class _Failure:
    method: str
    status: int
    error: str
    retry_after: int
    times: int
    when: Callable[[dict[str, Any]], bool] | None


@dataclass
class SlackStandIn:
    """Start it, point a WebClient (or SLACK_API_URL) at `api_url`, then read `calls()`."""

    # Every stand-in started in this process, so a test fixture can find their refusals.
    started: ClassVar[list[SlackStandIn]] = []

    users: list[dict[str, Any]] = field(default_factory=list)
    _calls: list[RecordedCall] = field(default_factory=list)
    _refusals: list[RefusedCall] = field(default_factory=list)
    # Socket Mode: apps.connections.open hands out this end's URL (started on first use).
    socket_mode: SocketModeEnd = field(default_factory=SocketModeEnd)
    _uploads: dict[str, UploadedFile] = field(default_factory=dict)
    _failures: list[_Failure] = field(default_factory=list)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    # Channel histories (see "channel history and message events" below).
    _history: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    history_page_cap: int = 100  # Slack may give fewer than asked for; so does the stand-in

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                standin._handle(self)

            def do_GET(self) -> None:
                standin._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the recorded calls are the log

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=POLL_INTERVAL),
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        SlackStandIn.started.append(self)
        return self

    def stop(self) -> None:
        self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base_url}/response/{name}"

    # -- what tests read and script ------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[RecordedCall]:
        """Block until `count` calls of `method` arrived (the bot works after its ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(found)} of {count} {method} calls after {timeout}s")
                self._lock.wait(remaining)

    def uploaded_files(self) -> list[UploadedFile]:
        """Files whose upload was completed, in completion order."""
        with self._lock:
            return [f for f in self._uploads.values() if f.channel_id]

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        error: str = "ratelimited",
        retry_after: int = 1,
        times: int = 1,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (matching `when`) fail as Slack would."""
        with self._lock:
            self._failures.append(_Failure(method, status, error, retry_after, times, when))

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
            self._uploads.clear()

    def refusals(self) -> list[RefusedCall]:
        """Calls refused as Slack would refuse them, oldest first."""
        with self._lock:
            return list(self._refusals)

    def take_refusals(self) -> list[RefusedCall]:
        """The refusals so far, forgotten: a test that expects a refusal takes it."""
        with self._lock:
            taken, self._refusals = self._refusals, []
            return taken

    # -- the server side -----------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        path = parts.path
        if path.startswith("/upload/"):
            self._receive_upload(path.rsplit("/", 1)[-1], raw)
            self._send(request, 200, "OK", "text/plain")
            return
        args = dict(parse_qsl(parts.query, keep_blank_values=True))
        args.update(_decode_body(raw, request.headers.get("Content-Type", "")))
        if path.startswith("/response/"):
            args["_name"] = path.rsplit("/", 1)[-1]
            refusal = self._refuse("response_url", args)
            if refusal is not None:
                # A response_url answers like an incoming webhook: 400 and the error as text.
                self._send(request, 400, refusal.error, "text/plain")
                return
            self._record("response_url", args)
            self._send_json(request, 200, {"ok": True})
            return
        if not path.startswith("/api/"):
            self._send(request, 404, "Not Found", "text/plain")
            return
        method = path[len("/api/") :]
        failure = self._take_failure(method, args)
        if failure is not None:
            self._record(method, {**args, "_failed": failure.error})
            if failure.status == 429:
                headers = {"Retry-After": str(failure.retry_after)}
                self._send_json(request, 429, {"ok": False, "error": "ratelimited"}, headers)
            else:
                self._send_json(request, failure.status, {"ok": False, "error": failure.error})
            return
        refusal = self._refuse(method, args)
        if refusal is not None:
            answer = {
                "ok": False,
                "error": refusal.error,
                "response_metadata": {"messages": list(refusal.messages)},
            }
            self._send_json(request, 200, answer)
            return
        self._record(method, args)
        self._send_json(request, 200, self._answer(method, args))

    def _refuse(self, method: str, args: dict[str, Any]) -> Refusal | None:
        """Slack's verdict on a message or view; a refusal is recorded as a call and kept."""
        refusal: Refusal | None = None
        if method in MESSAGE_METHODS:
            refusal = check_message(args, method=method)
        elif method in VIEW_METHODS:
            refusal = _missing_view_target(method, args) or check_view(
                args.get("view"), method=method
            )
        if refusal is None:
            return None
        recorded = {**args, "_refused": refusal.error}
        with self._lock:
            self._refusals.append(RefusedCall(method, refusal, recorded))
        self._record(method, recorded)
        return refusal

    def _take_failure(self, method: str, args: dict[str, Any]) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.method == method and (failure.when is None or failure.when(args)):
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _record(self, method: str, args: dict[str, Any]) -> None:
        with self._lock:
            self._calls.append(RecordedCall(method=method, args=args, at=time.time()))
            self._lock.notify_all()

    def _receive_upload(self, file_id: str, content: bytes) -> None:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is not None:
                upload.content = content

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        n = next(self._ids)
        if method in _HISTORY_METHODS:
            return self._history_answer(method, args)
        if method == "auth.test":
            return {
                **ok,
                "url": "https://knalle.slack.invalid/",
                "team": "Knalle",
                "user": "knalle",
                "team_id": "T0KNALLE",
                "user_id": "U0KNALLE",
                "bot_id": "B0KNALLE",
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = str(args.get("channel", ""))
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            return {
                **ok,
                "channel": channel,
                "ts": f"{int(time.time())}.{n:06d}",
                "message_ts": f"{int(time.time())}.{n:06d}",
            }
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            given = args.get("view")
            view: dict[str, Any] = given if isinstance(given, dict) else {}
            return {**ok, "view": {**view, "id": f"V{n:08d}", "hash": f"h{n}"}}
        if method == "apps.connections.open":
            return {**ok, "url": self.socket_mode.url()}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            if not users:
                return {"ok": False, "error": "users_list_not_supplied"}
            return {**ok, "channel": {"id": "D" + users.split(",")[0]}}
        if method == "users.list":
            return {**ok, "members": self.users, "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            user = next((u for u in self.users if u.get("id") == args.get("user")), None)
            return {**ok, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{n:08d}"
            with self._lock:
                self._uploads[file_id] = UploadedFile(file_id, str(args.get("filename", "")), b"")
            return {**ok, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        return ok

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel_id") or "")
        # Slack's files API takes conversation ids only; a user id here is the classic mistake.
        if channel and channel[0] not in "CGD":
            return {"ok": False, "error": "invalid_channel"}
        completed = []
        with self._lock:
            for item in args.get("files") or []:
                upload = self._uploads.get(str(item.get("id")))
                if upload is None:
                    return {"ok": False, "error": "file_not_found"}
                upload.title = str(item.get("title") or upload.filename)
                upload.channel_id = channel or "(none)"
                completed.append(
                    {"id": upload.file_id, "name": upload.filename, "title": upload.title}
                )
        return {"ok": True, "files": completed}

    # -- channel history and message events ------------------------------------------------
    # Messages live per channel, keyed by ts. `conversations.history` pages them newest first
    # with a cursor (at most `history_page_cap` a page, however many were asked for), within
    # oldest/latest (inclusive or not); `conversations.replies` gives a thread; a 429 with
    # Retry-After comes from `fail("conversations.history", …)`. `message_event` and
    # `edit_event` store the message and give the event Slack would deliver for it.

    def add_message(
        self, channel: str, ts: str, text: str, user: str | None = "UPIA", **extra: Any
    ) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "message", "ts": ts, "text": text, **extra}
        if user:
            message["user"] = user
        with self._lock:
            self._history.setdefault(channel, {})[ts] = message
        return message

    def message_event(
        self, channel: str, ts: str, text: str, user: str | None = "UPIA", **extra: Any
    ) -> dict[str, Any]:
        """Store the message and give the `message` event Slack sends for it."""
        message = self.add_message(channel, ts, text, user, **extra)
        return {**message, "channel": channel, "channel_type": "channel", "event_ts": ts}

    def edit_event(self, channel: str, ts: str, text: str) -> dict[str, Any]:
        """Edit a stored message; the `message_changed` event Slack sends for the edit."""
        with self._lock:
            previous = dict(self._history[channel][ts])
            current = {**previous, "text": text, "edited": {"user": previous.get("user")}}
            self._history[channel][ts] = current
        return {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "hidden": True,
            "ts": f"{float(ts) + 1:.6f}",
            "event_ts": f"{float(ts) + 1:.6f}",
            "message": current,
            "previous_message": previous,
        }

    def _history_answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        with self._lock:
            known = self._history.get(channel)
            messages = sorted((known or {}).values(), key=lambda m: float(m["ts"]), reverse=True)
        if known is None:
            return {"ok": False, "error": "channel_not_found"}
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts") or "")
            if ts not in known:
                return {"ok": False, "error": "message_not_found"}
            link = f"https://knalle.slack.invalid/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        if method == "conversations.replies":
            ts = str(args.get("ts") or "")
            thread = [m for m in messages if m.get("thread_ts", m["ts"]) == ts]
            return {"ok": True, "messages": thread[::-1], "has_more": False}
        inclusive = str(args.get("inclusive") or "").lower() in ("1", "true")
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")

        def within(m: dict[str, Any]) -> bool:
            ts = float(m["ts"])
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        # Slack's history holds thread parents (and broadcasts), not the replies.
        shown = [m for m in messages if within(m) and m.get("thread_ts", m["ts"]) == m["ts"]]
        start = int(str(args.get("cursor") or "0").removeprefix("page-") or 0)
        size = min(int(args.get("limit") or 100), self.history_page_cap)
        page = shown[start : start + size]
        more = start + size < len(shown)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": f"page-{start + size}" if more else ""},
        }

    @staticmethod
    def _send_json(
        request: BaseHTTPRequestHandler,
        status: int,
        data: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        SlackStandIn._send(request, status, json.dumps(data), "application/json", headers)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        payload = body.encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", f"{content_type}; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(payload)


def _missing_view_target(method: str, args: dict[str, Any]) -> Refusal | None:
    """views.open/push need a trigger, views.update a view, views.publish a user."""
    needed = {
        "views.open": ("trigger_id", "interactivity_pointer"),
        "views.push": ("trigger_id", "interactivity_pointer"),
        "views.update": ("view_id", "external_id"),
        "views.publish": ("user_id",),
    }[method]
    if any(args.get(name) for name in needed):
        return None
    return Refusal("invalid_arguments", (f"[ERROR] missing required field: {needed[0]}",))


_HISTORY_METHODS = ("conversations.history", "conversations.replies", "chat.getPermalink")


def _decode_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw.decode("utf-8")
    if "json" in content_type or text.lstrip().startswith("{"):
        data = json.loads(text)
        args: dict[str, Any] = data if isinstance(data, dict) else {"_body": data}
    else:
        args = dict(parse_qsl(text, keep_blank_values=True))
    for name in _JSON_FIELDS:
        value = args.get(name)
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                args[name] = json.loads(value)
    return args
