"""Requests exactly as Slack sends them: form or JSON bodies, signed with the signing secret.

The console, the tests and the benchmark all speak to the real Bolt app through these, so the
signature check and Bolt's body parsing are exercised on every path, never bypassed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T0KNALLE"
APP_ID = "A0KNALLE"
FORM = "application/x-www-form-urlencoded"


def sign_request(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with `body`: v0 HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{stamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    content_type = "application/json" if body.lstrip().startswith("{") else FORM
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def slash_command_body(
    command: str,
    text: str,
    user_id: str,
    *,
    channel_id: str = "C0TEST",
    response_url: str = "https://hooks.slack.invalid/commands/T0KNALLE/1/x",
    trigger_id: str | None = None,
    user_name: str | None = None,
) -> str:
    """The form body of a slash command; `text` as Slack delivers it (entities already applied).

    Every command gets its own trigger_id unless one is given, as from Slack: Knalle takes a
    repeated trigger_id for a resend of the same command."""
    fields = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "knalle",
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else "general",
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or f"trig.{uuid.uuid4().hex[:16]}",
    }
    return urlencode(fields)


def _payload_form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})


def block_actions_body(payload: dict[str, Any]) -> str:
    """Interactivity (buttons, selects): Slack posts `payload=<json>` as a form."""
    return _payload_form(payload)


def view_submission_body(payload: dict[str, Any]) -> str:
    """A modal's submit: the same `payload=<json>` form as a button."""
    return _payload_form(payload)


def event_body(event: dict[str, Any], event_id: str, *, event_time: int | None = None) -> str:
    """An Events API delivery (`event_callback`) as JSON."""
    envelope = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time or int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": "U0KNALLE", "is_bot": True}],
    }
    return json.dumps(envelope, ensure_ascii=False)
