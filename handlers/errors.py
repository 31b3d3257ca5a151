"""The one error path: user errors become a Swedish reply where the user is; the rest apologise."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from bot.app import Knalle
from bot.errors import UserError
from handlers import texts
from handlers.blocks import escape

logger = logging.getLogger(__name__)


def message_for(error: Exception) -> str:
    """Escaped: a user error may quote what the user typed, `<!channel>` included."""
    if isinstance(error, UserError):
        return escape(error.message)
    return texts.UNEXPECTED_ERROR


def register(app: App, knalle: Knalle) -> None:
    @app.error
    def show_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
        if not isinstance(error, UserError):
            logger.exception(
                "unexpected error handling %s",
                body.get("type") or body.get("command"),
                exc_info=error,
            )
        if respond is not None:
            try:
                respond(text=message_for(error), response_type="ephemeral", replace_original=False)
            except Exception:  # the user is gone or the URL expired; the log already has it
                logger.warning("could not show error to the user", exc_info=True)
