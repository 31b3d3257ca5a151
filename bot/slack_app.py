"""Builds the Bolt app around a Knalle: the Web API client, middleware and every handler."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.app import Knalle

logger = logging.getLogger(__name__)

# Bolt's default pool of 5 threads queues the sixth simultaneous command behind slow work.
LISTENER_THREADS = 32


def make_web_client(token: str, base_url: str) -> WebClient:
    """A client that retries 429 (honouring Retry-After), 5xx and dropped connections."""
    client = WebClient(token=token, base_url=base_url)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


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
    token = settings.slack_bot_token or "xoxb-knalle-console"
    if client is None:
        client = make_web_client(token, settings.slack_api_url)
    app = App(
        # The client carries the token; Bolt warns when given both.
        signing_secret=settings.slack_signing_secret or "knalle-console-secret",
        client=client,
        process_before_response=process_before_response,
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="knalle-listener"
        ),
        logger=logging.getLogger("knalle.bolt"),
    )
    from handlers import register_all

    register_all(app, knalle)
    return app
