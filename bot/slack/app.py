"""Builds the Bolt app around a Knalle: the Web API client, middleware and every handler."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.error import URLError

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import metrics
from bot.app import Knalle

logger = logging.getLogger(__name__)

# Bolt's default pool of 5 threads queues the sixth simultaneous command behind slow work.
LISTENER_THREADS = 32


class CountingWebClient(WebClient):
    """A WebClient that counts the calls failing after its retries, by method and error code
    (for /metrics); the error is raised as before."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            code = error.response.get("error") if error.response is not None else None
            metrics.slack_api_error(api_method, str(code or "unknown"))
            raise
        except (OSError, URLError) as error:
            metrics.slack_api_error(api_method, type(error).__name__)
            raise


# Their DEBUG lines carry whole request bodies and response URLs (users' text): never below
# INFO, so no log level an operator picks can make Knalle write them.
PAYLOAD_LOGGERS = ("slack_sdk", "slack_bolt", "knalle.bolt", "urllib3")


def keep_payloads_out_of_logs() -> None:
    for name in PAYLOAD_LOGGERS:
        payload_logger = logging.getLogger(name)
        if payload_logger.getEffectiveLevel() < logging.INFO or payload_logger.level == 0:
            payload_logger.setLevel(logging.INFO)


def make_web_client(token: str, base_url: str) -> WebClient:
    """A client that retries 429 (honouring Retry-After), 5xx and dropped connections."""
    client = CountingWebClient(token=token, base_url=base_url)
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
    keep_payloads_out_of_logs()
    token = settings.slack_bot_token or "xoxb-knalle-console"
    if client is None:
        client = make_web_client(token, settings.slack_api_url)
    app = App(
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
    from handlers import register_all

    register_all(app, knalle)
    return app
