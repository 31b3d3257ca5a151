"""Global middleware: drop Slack's event retries (they would store things twice)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.app import Knalle
from storage.claims import claim_event

logger = logging.getLogger(__name__)


def register(app: App, knalle: Knalle) -> None:
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
