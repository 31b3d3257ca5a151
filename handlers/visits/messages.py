"""Visits from Slack messages: the message shortcut "Spara som besök", and the question Knalle
asks the author of a visit message in KNALLE_VISIT_CHANNEL (Spara / Ändra / Inte ett besök).

The shortcut opens the modal at once (trigger_id lasts 3 s) and fills it with views.update. The
listener ignores bots, joins and other subtypes, thread replies and messages that do not read as
a visit; an edit (message_changed) before the question is answered asks again with the new
reading. Slack's retries are dropped by event_id in handlers/middleware.py.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import today as today_of
from bot.context import Knalle
from bot.core.companies.register import UnsureCompany
from bot.core.visits import actions as core
from bot.core.visits.message_reader import read_message
from bot.errors import UserError
from handlers.blocks import escape
from handlers.errors import answers_errors, message_for
from handlers.ids import VisitMessageAction, VisitShortcut, VisitView
from handlers.visits import texts
from handlers.visits.blocks import (
    MessagePrefill,
    confirmation_message,
    edit_unsure_message,
    from_message_loading_modal,
    notice_modal,
    parse_message_value,
    question_message,
    safe_text,
    saved_modal,
    visit_modal,
)
from handlers.visits.channel_history import is_human_parent
from handlers.visits.command import fill_edit_modal

logger = logging.getLogger(__name__)


def permalink_of(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "")
    except SlackApiError:
        logger.info("no permalink for %s/%s", channel, ts)
        return None


def current_message(client: WebClient, channel: str, ts: str) -> dict[str, Any] | None:
    """The message as it reads now (after any edit), or None when it is gone."""
    try:
        page = client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
    except SlackApiError:
        logger.info("could not read %s/%s", channel, ts)
        return None
    found = [m for m in page.get("messages") or [] if m.get("ts") == ts]
    return found[0] if found else None


def _prefill(draft: core.MessageDraft, author: str | None) -> MessagePrefill:
    reading = draft.reading
    notices = []
    if author:
        notices.append(
            texts.FROM_MESSAGE_CONTEXT.format(
                author=author, date=texts.plain_date(draft.draft.visit_date)
            )
        )
    if reading.visit is None:
        notices.append(escape(texts.FROM_MESSAGE_NOT_READ.format(reason=reading.reason)))
    elif reading.unsure:
        notices.append(escape(texts.FROM_MESSAGE_UNSURE.format(reason=reading.reason)))
    return MessagePrefill(draft.draft, draft.company_id, tuple(notices))


def _fill_from_message(
    knalle: Knalle,
    client: WebClient,
    view: dict[str, Any],
    *,
    user_id: str,
    channel: str,
    message: dict[str, Any],
    kind: str,
) -> None:
    ts = str(message.get("ts") or "")
    author = str(message.get("user") or "") or None
    draft = _draft(knalle, message, ts, author, user_id)
    metadata = {
        "channel": channel,
        "message": {
            "channel": channel,
            "ts": ts,
            "permalink": permalink_of(client, channel, ts),
            "kind": kind,
        },
    }
    client.views_update(
        view_id=view["id"],
        hash=view.get("hash"),
        view=visit_modal(
            today_of(knalle.clock), metadata=metadata, prefill=_prefill(draft, author)
        ),
    )


def _draft(
    knalle: Knalle, message: dict[str, Any], ts: str, author: str | None, user_id: str
) -> core.MessageDraft:
    with knalle.db.read() as session:
        return core.draft_from_message(
            session,
            str(message.get("text") or ""),
            ts,
            author,
            user_id,
            today=today_of(knalle.clock),
            zone=knalle.settings.zone,
        )


def _saved(knalle: Knalle, channel: str, ts: str) -> core.VisitRecord | None:
    with knalle.db.read() as session:
        return core.saved_from_message(session, channel, ts)


# -- the message shortcut ---------------------------------------------------------------------


def handle_shortcut(knalle: Knalle, body: dict[str, Any], client: WebClient) -> None:
    """Open first, then: the visit already saved from this message, or the form filled in."""
    opened = client.views_open(trigger_id=body["trigger_id"], view=from_message_loading_modal())
    view = opened["view"]
    channel = str((body.get("channel") or {}).get("id") or "")
    message = body.get("message") or {}
    saved = _saved(knalle, channel, str(message.get("ts") or ""))
    if saved is not None:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=saved_modal(saved))
        return
    _fill_from_message(
        knalle,
        client,
        view,
        user_id=str(body["user"]["id"]),
        channel=channel,
        message=message,
        kind=core.SOURCE_SHORTCUT,
    )


def handle_edit_saved(knalle: Knalle, body: dict[str, Any], client: WebClient) -> None:
    """Ändra in the "already saved" modal: that modal becomes the edit form."""
    view = body.get("view") or {}
    fill_edit_modal(knalle, body, client, view, int(body["actions"][0]["value"]))


# -- the visit channel ------------------------------------------------------------------------


def handle_message_event(knalle: Knalle, event: dict[str, Any], client: WebClient) -> None:
    channel = knalle.settings.visit_channel
    if not channel or event.get("channel") != channel:
        return
    subtype = event.get("subtype")
    updated = subtype == "message_changed"
    if updated:
        message = event.get("message") or {}
        if message.get("text") == (event.get("previous_message") or {}).get("text"):
            return  # a link preview came in, nothing the author wrote
    elif subtype:
        return  # joins, bots, topic changes, deletions …
    else:
        message = event
    if not is_human_parent(message):
        return
    ts, user = str(message["ts"]), str(message["user"])
    with knalle.db.read() as session:
        if core.saved_from_message(session, channel, ts) or core.message_dismissed(
            session, channel, ts
        ):
            return
    reading = read_message(
        str(message.get("text") or ""), core.posted_day(ts, knalle.settings.zone)
    )
    if not reading.is_visit:
        return
    client.chat_postEphemeral(
        channel=channel, user=user, **question_message(reading, user, channel, ts, updated=updated)
    )


@answers_errors
def handle_save(knalle: Knalle, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    user_id = str(body["user"]["id"])
    channel, ts = parse_message_value(str(body["actions"][0].get("value") or ""))
    message = current_message(client, channel, ts)
    if message is None:
        respond(text=texts.MESSAGE_GONE, replace_original=True)
        return
    draft = _draft(knalle, message, ts, str(message.get("user") or ""), user_id)
    if draft.reading.visit is None:
        text = texts.MESSAGE_NOT_A_VISIT_NOW.format(reason=draft.reading.reason)
        respond(text=safe_text(text), replace_original=True)
        return
    source = core.VisitSource(core.SOURCE_CHANNEL, channel, ts, permalink_of(client, channel, ts))
    try:
        with knalle.db.write() as session:
            visit = core.record(
                session,
                draft.draft,
                user_id,
                now=knalle.clock.now(),
                surface=knalle.surface,
                themes_file=knalle.settings.themes_file,
                company=draft.company_id,
                source=source,
            )
    except UnsureCompany as error:
        respond(**edit_unsure_message(error.name, channel, ts), replace_original=True)
        return
    respond(**confirmation_message(visit), replace_original=True)


def handle_edit(knalle: Knalle, body: dict[str, Any], client: WebClient) -> None:
    """Ändra on the question: open first, then the form filled from the message as it is now."""
    opened = client.views_open(trigger_id=body["trigger_id"], view=from_message_loading_modal())
    view = opened["view"]
    try:
        channel, ts = parse_message_value(str(body["actions"][0].get("value") or ""))
    except UserError as error:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=notice_modal(message_for(error))
        )
        return
    saved = _saved(knalle, channel, ts)
    if saved is not None:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=saved_modal(saved))
        return
    message = current_message(client, channel, ts)
    if message is None:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=notice_modal(texts.MESSAGE_GONE)
        )
        return
    _fill_from_message(
        knalle,
        client,
        view,
        user_id=str(body["user"]["id"]),
        channel=channel,
        message=message,
        kind=core.SOURCE_CHANNEL,
    )


@answers_errors
def handle_dismiss(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    channel, ts = parse_message_value(str(body["actions"][0].get("value") or ""))
    with knalle.db.write() as session:
        core.dismiss_message(session, channel, ts, now=knalle.clock.now())
    respond(text=texts.DISMISSED, replace_original=True)


def register(app: App, knalle: Knalle) -> None:
    @app.shortcut(VisitShortcut.FROM_MESSAGE)
    def from_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_shortcut(knalle, body, client)

    @app.action(VisitMessageAction.EDIT_SAVED)
    def edit_saved(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_edit_saved(knalle, body, client)

    @app.action(VisitMessageAction.SAVE)
    def save(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        handle_save(knalle, body, client, respond)

    @app.action(VisitMessageAction.EDIT)
    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_edit(knalle, body, client)

    @app.action(VisitMessageAction.DISMISS)
    def dismiss(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_dismiss(knalle, body, respond)

    @app.view(VisitView.SAVED)
    def saved_closed(ack: Ack) -> None:
        ack()

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        handle_message_event(knalle, event, client)
