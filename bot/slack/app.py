"""Builds the Bolt app around a Knalle: the Web API client, middleware and every handler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener_matcher import ListenerMatcher
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.listener_matcher.custom_listener_matcher import CustomListenerMatcher
from slack_sdk import WebClient

from bot.context import Knalle
from bot.slack.client import make_web_client
from bot.upkeep import ACTIVITY

logger = logging.getLogger(__name__)

# Bolt's default pool of 5 threads queues the sixth simultaneous command behind slow work.
LISTENER_THREADS = 32


# Their DEBUG lines carry whole request bodies and response URLs (users' text): never below
# INFO, so no log level an operator picks can make Knalle write them.
PAYLOAD_LOGGERS = ("slack_sdk", "slack_bolt", "knalle.bolt", "urllib3")


def keep_payloads_out_of_logs() -> None:
    for name in PAYLOAD_LOGGERS:
        payload_logger = logging.getLogger(name)
        if payload_logger.getEffectiveLevel() < logging.INFO or payload_logger.level == 0:
            payload_logger.setLevel(logging.INFO)


class KnalleApp(App):
    """Bolt's App, counting each request it handles as the process's activity: the upkeep
    (bot/upkeep.py) waits for a quiet moment, on every surface (HTTP, Socket Mode)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with ACTIVITY.running():
            return super().dispatch(req)


def build_slack_app(
    knalle: Knalle,
    *,
    client: WebClient | None = None,
    process_before_response: bool = False,
) -> App:
    """The app every surface runs: HTTP, Socket Mode and the console.

    `process_before_response=True` is for the console, which wants the listener finished before
    it prints; Slack itself gets the ack first and the work after.
    """
    settings = knalle.settings
    keep_payloads_out_of_logs()
    token = settings.slack_bot_token or "xoxb-knalle-console"
    if client is None:
        client = make_web_client(token, settings.slack_api_url)
    app = KnalleApp(
        # Without a name Bolt reads it from inspect.stack(): ~0.1 s of every start.
        name="knalle",
        # The client carries the token; Bolt warns when given both.
        signing_secret=settings.slack_signing_secret or "knalle-console-secret",
        client=client,
        process_before_response=process_before_response,
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="knalle-listener"
        ),
        logger=logging.getLogger("knalle.bolt"),
    )
    for surface in surfaces():
        surface.register(app, knalle)
    read_only_the_body(app)
    return app


class BodyMatcher(ListenerMatcher):
    """A listener matcher whose function reads only the body, called with the body alone."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        return bool(self.func(body=req.body))


def read_only_the_body(app: App) -> None:
    """Bolt asks each listener registered before the one that answers whether it matches,
    and for each of its matchers builds every argument a listener could take (some thirty,
    with five views of the payload), about 20 µs, though the matchers read only `body`:
    a dozen such calls before every /besök's ack. A matcher that takes only `body` now gets
    only `body`; what it answers is the same. (A body on which building those arguments
    raises never reaches a listener: the global middleware (handlers/middleware.py) has them
    built first and raises there, as before.)"""
    for listener in app._listeners:
        listener.matchers = [
            BodyMatcher(matcher.func)
            if isinstance(matcher, BuiltinListenerMatcher | CustomListenerMatcher)
            and list(matcher.arg_names) == ["body"]
            else matcher
            for matcher in listener.matchers
        ]


def surfaces() -> list[ModuleType]:
    """Every handler module, in the order Bolt must see them: middleware and the error
    handler first, each `/aktivitet` sub-command before the catch-all. Imported here, not at
    the top, so a process that only sends scheduled messages does not load them."""
    from handlers import errors, middleware
    from handlers.activity import command as activity
    from handlers.activity import home
    from handlers.report import command as report_command
    from handlers.visits import command as visits
    from handlers.visits import messages as visit_messages

    return [
        middleware,
        errors,
        report_command,  # `/aktivitet rapport`: must come before the catch-all `activity`
        activity,  # `/aktivitet` catch-all: after every `/aktivitet` sub-command module
        home,
        visits,
        visit_messages,  # the shortcut "Spara som besök" and the visit channel's question
    ]
