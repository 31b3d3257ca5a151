"""Global middleware: drop Slack's event retries (they would store things twice)."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.context import Knalle
from bot.core.text import safe as safe_text
from handlers import texts
from handlers.blocks import notice_home
from storage import staff
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
    if kind == "event_callback":
        event = body.get("event")
        user = event.get("user") if isinstance(event, dict) else None
        if user is not None and (
            not isinstance(user, str) or SLACK_USER_ID.fullmatch(user) is None
        ):
            logger.info("dropped an event with a malformed user id")
            return BoltResponse(status=200, body="")
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


class StaffList:
    """Who may use Knalle under KNALLE_OPEN_TO=staff, read at most every few seconds: the
    check runs before every ack, and `knalle staff link` in another process shows up soon."""

    TTL = 10.0

    def __init__(self, knalle: Knalle) -> None:
        self.knalle = knalle
        self._read_at = -self.TTL
        self._members: set[str] = set()
        self._admins: set[str] = set()
        self._lock = threading.Lock()

    def _fresh(self) -> None:
        with self._lock:
            if time.monotonic() - self._read_at < self.TTL:
                return
            with self.knalle.db.read() as session:
                self._members, self._admins = staff.member_ids(session)
            self._read_at = time.monotonic()

    def allows(self, user_id: str) -> bool:
        if self.knalle.settings.open_to == "workspace" or self.knalle.is_admin_id(user_id):
            return True
        self._fresh()
        return user_id in self._members

    def whom_to_ask(self) -> str:
        self._fresh()
        admins = sorted(set(self.knalle.settings.admins) | self._admins)
        return ", ".join(f"<@{admin}>" for admin in admins) or texts.NO_ADMIN_NAMED


def refuse_outsider(
    body: dict[str, Any], staff_list: StaffList, respond: Any, client: Any
) -> BoltResponse:
    """A Swedish answer where the person is; nothing is stored or shown."""
    message = texts.NOT_STAFF.format(admins=staff_list.whom_to_ask())
    kind = kind_of(body)
    logger.info("refused a %s from someone outside the staff list", kind)
    if kind == "command":
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers={"content-type": "application/json; charset=utf-8"},
        )
    if kind == "block_suggestion":
        return BoltResponse(
            status=200,
            body=json.dumps({"options": []}),
            headers={"content-type": "application/json"},
        )
    try:
        if respond is not None and getattr(respond, "response_url", None):
            respond(text=message, response_type="ephemeral", replace_original=False)
        elif client is not None:
            client.chat_postMessage(channel=str(user_of(body)), text=message)
    except Exception as error:  # the answer is a courtesy; the refusal stands
        logger.warning("could not tell an outsider why (%s)", type(error).__name__)
    return BoltResponse(status=200, body="")


def register(app: App, knalle: Knalle) -> None:
    staff_list = StaffList(knalle)
    # The console is run by whoever has the database at hand: no one to keep out there.
    console = app.process_before_response

    def safe_input(body: dict[str, Any]) -> BoltResponse | None:
        return check_input(body)

    def only_staff(body: dict[str, Any], context: BoltContext) -> BoltResponse | None:
        event = body.get("event") if kind_of(body) == "event_callback" else None
        if isinstance(event, dict) and event.get("type") == "app_home_opened" and not console:
            # The Home tab shows the unit's visits and figures: the same rule as reading them.
            user = str(event.get("user") or "")
            if user and not staff_list.allows(user):
                message = texts.NOT_STAFF.format(admins=staff_list.whom_to_ask())
                try:
                    context.client.views_publish(user_id=user, view=notice_home(message))
                except Exception as error:
                    logger.warning(
                        "could not show an outsider's Home tab (%s)", type(error).__name__
                    )
                return BoltResponse(status=200, body="")
        if console or kind_of(body) not in FROM_A_PERSON:
            return None
        user = str(user_of(body))
        if staff_list.allows(user):
            return None
        return refuse_outsider(body, staff_list, context.respond, context.client)

    def drop_event_retries(body: dict[str, Any]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with knalle.db.write() as session:
                first = claim_event(session, str(event_id), knalle.clock.now())
            if not first:
                logger.info("event %s already handled; a retry from Slack", event_id)
                return BoltResponse(status=200, body="")
        return None

    # One Bolt middleware for the three checks, in this order: Bolt builds every argument a
    # middleware could take for each one it calls (~20 µs), before every ack.
    @app.middleware
    def boundary(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> Any:
        refusal = safe_input(body)
        if refusal is None:
            refusal = only_staff(body, context)
        if refusal is None:
            refusal = drop_event_retries(body)
        return refusal if refusal is not None else next()
