"""Slack's Web API client as Knalle uses it: retries on 429, 5xx and dropped connections,
and every call that still fails counted for /metrics."""

from __future__ import annotations

from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import metrics


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


def make_web_client(token: str, base_url: str) -> WebClient:
    """A client that retries 429 (honouring Retry-After), 5xx and dropped connections."""
    client = CountingWebClient(token=token, base_url=base_url)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client
