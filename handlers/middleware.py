"""Global middleware: drop Slack's event retries (they would store things twice)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.app import Knalle
from bot.core import safe_text
from handlers import texts
from storage.claims import claim_event

logger = logging.getLogger(__name__)


# Slack's member ids: U… or W… (Enterprise Grid), capitals and digits only.
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")
# What a person sends (commands, clicks, modals, shortcuts); each must carry a valid member id.
FROM_A_PERSON = {
    "command",
    "block_actions",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "block_suggestion",
}


def user_of(body: dict[str, Any]) -> object:
    if "command" in body:
        return body.get("user_id")
    user = body.get("user")
    return user.get("id") if isinstance(user, dict) else user


def kind_of(body: dict[str, Any]) -> str:
    return "command" if "command" in body and "type" not in body else str(body.get("type") or "")


def check_input(body: dict[str, Any]) -> BoltResponse | None:
    """The boundary every surface shares (HTTP, Socket Mode, the console all dispatch here):
    a refusal with a Swedish answer, or None after the body's text was made safe in place."""
    kind = kind_of(body)
    if kind in FROM_A_PERSON:
        user = user_of(body)
        if not isinstance(user, str) or SLACK_USER_ID.fullmatch(user) is None:
            logger.warning("refused a %s without a valid user id", kind or "request")
            return BoltResponse(status=400, body=texts.BAD_USER_ID)
    if kind == "command":
        text = body.get("text")
        reason = safe_text.problem(text) if isinstance(text, str) else texts.BAD_FIELD_TYPE
        if reason is not None:
            logger.info("refused a command with unsafe text")
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": reason}),
                headers={"content-type": "application/json; charset=utf-8"},
            )
    clean = safe_text.scrub_all(body)
    if clean is not body:
        body.clear()
        body.update(clean)
    return None


def register(app: App, knalle: Knalle) -> None:
    @app.middleware
    def safe_input(body: dict[str, Any], next: Callable[[], BoltResponse]) -> Any:
        refusal = check_input(body)
        return refusal if refusal is not None else next()

    @app.middleware
    def drop_event_retries(body: dict[str, Any], next: Callable[[], BoltResponse]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with knalle.db.write() as session:
                first = claim_event(session, str(event_id), knalle.clock.now())
            if not first:
                logger.info("event %s already handled; a retry from Slack", event_id)
                return BoltResponse(status=200, body="")
        return next()
