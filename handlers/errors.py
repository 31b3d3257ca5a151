"""The one error path: user errors become a Swedish reply where the user clicked or typed;
anything else is logged with its traceback and the user gets a short apology.

Where the user is decides how: a command or a click in a message carries a `response_url`
(answered ephemerally); a click in a modal updates that modal; a click on the Home tab, or
anything else without a way back, gets a DM. Errors in a modal's *submission* are shown before
the ack as field errors (`ack(response_action="errors")`) by the surfaces themselves.

Two doors lead here: the app's error handler (`register`) for any listener, and `answers_errors`
around a surface's own entry function (a command's handler, a click's), so the same answer comes
whether Bolt, the durable command intake or a test calls it.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, Literal, ParamSpec

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.context import Knalle
from bot.errors import UserError
from handlers import texts
from handlers.blocks import Block, message, modal, safe_text, section

logger = logging.getLogger(__name__)

Place = Literal["respond", "modal", "dm", "nowhere"]
P = ParamSpec("P")


def message_for(error: BaseException) -> str:
    """Escaped: a user error may quote what the user typed, `<!channel>` included."""
    if isinstance(error, UserError):
        return safe_text(error.message)
    return texts.UNEXPECTED_ERROR


def error_reply(error: BaseException) -> dict[str, Any]:
    """The reply for any surface that takes a message: text and one section."""
    text = message_for(error)
    return {**message(text, [section(text)]), "response_type": "ephemeral"}


def error_modal(error: BaseException, view: dict[str, Any]) -> Block:
    """The clicked modal, replaced by the error under the same title, with a close button."""
    title = str((view.get("title") or {}).get("text") or texts.ERROR_TITLE)
    return modal(
        title,
        [section(message_for(error))],
        callback_id=str(view.get("callback_id") or "knalle.error"),
        submit=None,
        close=texts.ERROR_CLOSE,
    )


def place_of(body: dict[str, Any]) -> Place:
    """Where the user who caused `body` can be answered."""
    if body.get("response_url"):
        return "respond"
    view = body.get("view") or {}
    if body.get("type") == "block_actions" and view.get("type") == "modal" and view.get("id"):
        return "modal"
    if _user_of(body):
        return "dm"  # the Home tab, a submitted (closed) modal, a shortcut without a channel
    return "nowhere"


def _user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or user or "")


def show(
    error: BaseException,
    *,
    body: dict[str, Any],
    client: WebClient | None,
    respond: Respond | None,
    place: Place | None = None,
) -> Place:
    """Tell the user about `error` where they are (or at `place`); returns where it went (for
    tests and logs)."""
    if not isinstance(error, UserError):
        logger.error(
            "unexpected error handling %s",
            body.get("type") or body.get("command"),
            exc_info=error,
        )
    place = place_of(body) if place is None else place
    if body.get("type") == "event_callback":
        place = "nowhere"  # nobody clicked: an event's failure is only logged
    try:
        if place == "respond" and respond is not None:
            respond(**error_reply(error), replace_original=False)
        elif place == "modal" and client is not None:
            view = body["view"]
            client.views_update(
                view_id=view["id"], hash=view.get("hash"), view=error_modal(error, view)
            )
        elif place in ("dm", "respond") and client is not None:
            client.chat_postMessage(channel=_user_of(body), **error_reply(error))
            place = "dm"
        elif respond is not None and place != "nowhere":
            respond(**error_reply(error), replace_original=False)  # the caller's only way back
            place = "respond"
        else:
            place = "nowhere"
    except Exception:  # the user is gone or the URL expired; the log has it
        logger.warning("could not show an error to the user", exc_info=True)
        return "nowhere"
    return place


def answers_errors(handler: Callable[P, None]) -> Callable[P, None]:
    """`handler`, with a UserError it raises told to the user by `show`, where they are.

    The handler's own parameters say where: `body` (or `command`), `respond` and `client`.
    Anything else is not caught here; it reaches the app's error handler or the intake.
    """
    signature = inspect.signature(handler)
    if "respond" not in signature.parameters:
        raise TypeError(f"{handler.__qualname__} has no respond to answer with")

    @functools.wraps(handler)
    def answering(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            handler(*args, **kwargs)
        except UserError as error:
            given = signature.bind(*args, **kwargs).arguments
            command = given.get("command")
            body = given.get("body", command)
            show(
                error,
                body=body if isinstance(body, dict) else {},
                client=given.get("client"),
                respond=given.get("respond"),
                # A command's respond is its way back: its response_url, the DM of a command
                # replayed after that expired, or the button of "Ja, /besök lista".
                place="respond" if command is not None else None,
            )

    return answering


def register(app: App, knalle: Knalle) -> None:
    @app.error
    def show_error(
        error: Exception,
        body: dict[str, Any],
        respond: Respond | None,
        client: WebClient,
    ) -> None:
        show(error, body=body, client=client, respond=respond)
