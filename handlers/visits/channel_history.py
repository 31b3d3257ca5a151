"""A channel's history from Slack's Web API, one page at a time: the messages backfill reads.

`conversations.history` pages are followed by their cursor; the client retries a 429 after its
Retry-After (see `history_client`). Only human thread parents come through: bots, joins and other
subtypes, and thread replies are left out. Permalinks are built from the workspace URL that
`auth.test` gives (Slack's own format), not fetched per message: one call instead of thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

if TYPE_CHECKING:
    from bot.core.visits.history_import import ChannelMessage

PAGE_SIZE = 200  # Slack recommends no more than 200 a page
HUMAN_SUBTYPES = {None, "", "file_share", "me_message"}  # a person wrote these


def history_client(token: str, base_url: str) -> WebClient:
    """A client for long reads: many 429s may come (Tier 3 history), each waited out."""
    client = WebClient(token=token, base_url=base_url, timeout=30)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=3),
        RateLimitErrorRetryHandler(max_retry_count=20),
        ServerErrorRetryHandler(max_retry_count=3),
    ]
    return client


def is_human_parent(message: dict[str, Any]) -> bool:
    """A person's own message, not in a thread (or the thread's first message)."""
    if message.get("subtype") not in HUMAN_SUBTYPES or message.get("bot_id"):
        return False
    if not message.get("user"):
        return False
    thread = message.get("thread_ts")
    return not thread or thread == message.get("ts")


def permalink(workspace_url: str, channel: str, ts: str) -> str:
    """Slack's message link: https://WORKSPACE.slack.com/archives/CHANNEL/pTS-WITHOUT-DOT."""
    return f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def channel_messages(
    client: WebClient,
    channel: str,
    *,
    oldest: float | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[ChannelMessage]:
    """Every human thread parent in `channel` (newest first), since `oldest` (epoch seconds)."""
    # The backfill's core is loaded by the backfill, not by every start (handlers/visits/messages
    # imports this module for `is_human_parent`).
    from bot.core.visits.history_import import ChannelMessage

    workspace = str(client.auth_test().get("url") or "https://slack.com/")
    cursor: str | None = None
    while True:
        args: dict[str, Any] = {"channel": channel, "limit": page_size}
        if cursor:
            args["cursor"] = cursor
        if oldest is not None:
            args["oldest"] = f"{oldest:.6f}"
        page = client.conversations_history(**args)
        for message in page.get("messages") or []:
            if is_human_parent(message):
                ts = str(message["ts"])
                yield ChannelMessage(
                    channel=channel,
                    ts=ts,
                    user=str(message["user"]),
                    text=str(message.get("text") or ""),
                    permalink=permalink(workspace, channel, ts),
                )
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor or not page.get("has_more", True):
            return
