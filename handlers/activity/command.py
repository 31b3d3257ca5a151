"""`/aktivitet`: typed updates, the update modal, `mina`, `visa`, `hjälp`, DM pauses, and the
"Uppdatera" button wherever it appears (replies, the Home tab, reminder DMs).

Listeners parse, call the core and send what handlers/activity/blocks.py renders."""

from __future__ import annotations

import json
import logging
import unicodedata
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.context import Knalle
from bot.core.activities import updates as core
from bot.core.followup import pauses
from bot.core.plan.lights import Light, stored_light
from bot.core.text import mrkdwn
from bot.core.text.dates import parse_future_date
from bot.core.text.sv import sv_date
from bot.errors import InvalidDate, InvalidInput, UserError
from handlers import fields
from handlers.activity import texts
from handlers.activity.blocks import (
    candidates_message,
    detail_message,
    help_message,
    loading_modal,
    meant_command_message,
    mine_message,
    no_plan_modal,
    owner_message,
    parse_pick_value,
    receipt_message,
    show_candidates_message,
    update_modal,
)
from handlers.blocks import (
    clip,
)
from handlers.commands import first_word, meant_word, rest_after_first_word
from handlers.errors import answers_errors, error_reply, message_for
from handlers.ids import ActivityAction, ActivityField, ActivityView, any_nth
from handlers.intake import intake_for

logger = logging.getLogger(__name__)

COMMAND = "/aktivitet"
HELP_WORDS = {"hjälp", "help", "?", "hjalp"}
MINE_WORDS = {"mina", "mitt", "mine"}
SHOW_WORDS = {"visa", "show"}
PAUSE_WORDS = {"paus", "pausa"}
RESUME_WORDS = {"fortsätt", "fortsatt", "återuppta", "starta"}
# Every sub-command's spellings → the word shown in "Menade du `/aktivitet mina`?".
SUBCOMMANDS = {
    **{w: "hjälp" for w in HELP_WORDS if len(w) > 2},
    **{w: "mina" for w in MINE_WORDS},
    **{w: "visa" for w in SHOW_WORDS},
    **{w: "paus" for w in PAUSE_WORDS},
    **{w: "fortsätt" for w in RESUME_WORDS},
}
MINE_TAILS = {"aktiviteter", "aktivitet", "uppdrag", "aktiviteterna"}


# -- helpers around Slack -----------------------------------------------------------------------


def dm(client: WebClient, user_id: str, reply: dict[str, Any]) -> None:
    opened = client.conversations_open(users=user_id)
    channel = opened["channel"]["id"]
    client.chat_postMessage(channel=channel, **reply)


def _display_name(body: dict[str, Any]) -> str | None:
    user = body.get("user") or {}
    return body.get("user_name") or user.get("username") or user.get("name")


def _channel_of(body: dict[str, Any]) -> str:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return str(channel or "")


def _tell_owners(client: WebClient, knalle: Knalle, receipt: core.Receipt, author: str) -> None:
    if not receipt.stored:
        return
    with knalle.db.read() as session:
        recipients = core.owners_to_tell(session, receipt.owners, author, knalle.clock.now().date())
    for owner in recipients:
        try:
            dm(client, owner, owner_message(receipt))
        except Exception:  # one owner Slack refuses must not hide the saved update
            logger.warning("could not tell owner %s about update", owner, exc_info=True)


def _refresh_home(client: WebClient, knalle: Knalle, user_id: str) -> None:
    from handlers.activity.home import publish_home

    try:
        publish_home(client, knalle, user_id)
    except Exception:
        logger.warning("could not refresh the Home tab of %s", user_id, exc_info=True)


def open_update_modal(
    client: WebClient,
    knalle: Knalle,
    *,
    trigger_id: str,
    user_id: str,
    channel_id: str = "",
    selected: int | None = None,
) -> None:
    """Open at once (the trigger expires in 3 s), then fill the modal from the database."""
    opened = client.views_open(trigger_id=trigger_id, view=loading_modal())
    view_id = opened["view"]["id"]
    view_hash = opened["view"].get("hash")
    today = knalle.clock.now().date()
    metadata = json.dumps({"channel": channel_id})
    try:
        with knalle.db.read() as session:
            core.plan_or_fail(session, today)
            dates = knalle.settings_in(session).followup_dates
            mine = core.my_activities(session, user_id, today, dates)
            everything = core.all_activities(session, today)
        view = update_modal(
            [status.ref for status in mine.activities],
            everything,
            period=mine.period.label,
            selected=selected,
            metadata=metadata,
        )
    except UserError as error:
        view = no_plan_modal(message_for(error))
    client.views_update(view_id=view_id, hash=view_hash, view=view)


# -- the command ------------------------------------------------------------------------------

# Command text as a person reads it: "<@U1|pia>" → "@pia", "<https://x|x.se>" → "x.se",
# "<!channel>" → "@channel"; then the entities undone. Comments are stored this way.
slack_text = mrkdwn.readable


def handle_command(
    knalle: Knalle, client: WebClient, command: dict[str, Any], respond: Respond
) -> None:
    text = unicodedata.normalize("NFC", slack_text(str(command.get("text") or ""))).strip()
    user_id = str(command["user_id"])
    word = first_word(text)
    rest = rest_after_first_word(text)
    if not text:
        open_update_modal(
            client,
            knalle,
            trigger_id=str(command["trigger_id"]),
            user_id=user_id,
            channel_id=str(command.get("channel_id") or ""),
        )
    elif word in HELP_WORDS:
        respond(**help_message(), response_type="ephemeral")
    elif word in MINE_WORDS and not rest:
        today = knalle.clock.now().date()
        with knalle.db.read() as session:
            core.plan_or_fail(session, today)
            dates = knalle.settings_in(session).followup_dates
            mine = core.my_activities(session, user_id, today, dates)
        respond(**mine_message(mine, user_id), response_type="ephemeral")
    elif word in SHOW_WORDS:
        show(knalle, rest, respond)
    elif word in PAUSE_WORDS:
        pause(knalle, user_id, rest, respond)
    elif word in RESUME_WORDS and not rest:
        resume(knalle, user_id, respond)
    elif word in MINE_WORDS and rest.casefold() in MINE_TAILS:
        respond(**meant_command_message("mina"), response_type="ephemeral")
    elif (meant := meant_word(text.split(maxsplit=1)[0], SUBCOMMANDS)) is not None:
        suggested = f"{meant} {rest}".strip()
        respond(**meant_command_message(suggested), response_type="ephemeral")
    else:
        record_typed(knalle, client, command, text, respond)


def show(knalle: Knalle, name: str, respond: Respond) -> None:
    if not name:
        raise InvalidInput(texts.SHOW_USAGE)
    today = knalle.clock.now().date()
    with knalle.db.read() as session:
        plan = core.plan_or_fail(session, today)
        try:
            ref = core.find_activity(session, plan.id, name)
        except core.AmbiguousActivity as error:
            respond(**show_candidates_message(error), response_type="ephemeral")
            return
        dates = knalle.settings_in(session).followup_dates
        detail = core.activity_detail(session, ref.id, today, dates)
    respond(**detail_message(detail), response_type="ephemeral")


def record_typed(
    knalle: Knalle, client: WebClient, command: dict[str, Any], text: str, respond: Respond
) -> None:
    user_id = str(command["user_id"])
    now = knalle.clock.now()
    with knalle.db.write() as session:
        plan = core.plan_or_fail(session, now.date())
        pending = core.parse_update(session, plan.id, text)
        if pending.activity is None:
            receipt = None
        else:
            receipt = core.record_update(
                session,
                activity_id=pending.activity.id,
                light=pending.light,
                comment=pending.comment,
                author_slack_id=user_id,
                author_name=_display_name(command),
                now=now,
                followup_dates=knalle.settings_in(session).followup_dates,
                source=_source(knalle),
            )
    if receipt is None:
        respond(**candidates_message(pending), response_type="ephemeral")
        return
    respond(**receipt_message(receipt, user_id), response_type="ephemeral")
    _tell_owners(client, knalle, receipt, user_id)


def _source(knalle: Knalle) -> str:
    """Updates typed in `knalle console` are recorded as such: the console hands the app a
    context whose surface says so."""
    return "console" if knalle.surface == "console" else "slack"


def pause(knalle: Knalle, user_id: str, rest: str, respond: Respond) -> None:
    phrase = rest.strip()
    if phrase.lower().startswith("till "):
        phrase = phrase[5:].strip()
    if not phrase or phrase.lower() == "till":
        raise InvalidDate(texts.PAUSE_USAGE)
    today = knalle.clock.now().date()
    until = parse_future_date(phrase, today)
    if until is None:
        raise InvalidDate(texts.PAUSE_UNREADABLE.format(phrase=clip(phrase, 60)))
    with knalle.db.write() as session:
        pauses.pause_dms(session, user_id, until, today=today, surface=knalle.surface)
    respond(text=texts.PAUSED.format(date=sv_date(until)), response_type="ephemeral")


def resume(knalle: Knalle, user_id: str, respond: Respond) -> None:
    today = knalle.clock.now().date()
    with knalle.db.write() as session:
        was = pauses.paused_until(session, user_id, today)
        pauses.resume_dms(session, user_id, surface=knalle.surface)
    respond(text=texts.RESUMED if was else texts.NOT_PAUSED, response_type="ephemeral")


# -- buttons and the modal --------------------------------------------------------------------


def handle_pick(knalle: Knalle, client: WebClient, body: dict[str, Any], respond: Respond) -> None:
    user_id = str(body["user"]["id"])
    activity_id, light, comment = parse_pick_value(str(body["actions"][0]["value"]))
    receipt = _record(knalle, body, activity_id, light, comment)
    respond(**receipt_message(receipt, user_id), replace_original=True)
    _tell_owners(client, knalle, receipt, user_id)


def _record(
    knalle: Knalle,
    body: dict[str, Any],
    activity_id: int,
    light: Light,
    comment: str,
    *,
    submission_key: str | None = None,
) -> core.Receipt:
    """Store the clicking or submitting user's update in one transaction."""
    with knalle.db.write() as session:
        return core.record_update(
            session,
            activity_id=activity_id,
            light=light,
            comment=comment,
            author_slack_id=str(body["user"]["id"]),
            author_name=_display_name(body),
            now=knalle.clock.now(),
            followup_dates=knalle.settings_in(session).followup_dates,
            source=_source(knalle),
            submission_key=submission_key,
        )


def handle_show(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    activity_id = fields.record_id(body["actions"][0].get("value"))
    with knalle.db.read() as session:
        dates = knalle.settings_in(session).followup_dates
        detail = core.activity_detail(session, activity_id, knalle.clock.now().date(), dates)
    respond(**detail_message(detail), replace_original=True)


def submitted_values(view: dict[str, Any]) -> tuple[int | None, Light | None, str]:
    state = (view.get("state") or {}).get("values") or {}

    def element(block_id: str) -> dict[str, Any]:
        return dict((state.get(block_id) or {}).get(block_id) or {})

    activity = (element(ActivityField.ACTIVITY).get("selected_option") or {}).get("value")
    light = (element(ActivityField.LIGHT).get("selected_option") or {}).get("value")
    comment = element(ActivityField.COMMENT).get("value") or ""
    activity_id = int(activity) if activity and str(activity).isdigit() else None
    return activity_id, stored_light(light), str(comment)


def validate_submission(view: dict[str, Any]) -> tuple[dict[str, str], tuple[int, Light, str]]:
    """Swedish errors per block (for `response_action: errors`), or the values to store."""
    activity_id, light, comment = submitted_values(view)
    errors: dict[str, str] = {}
    if activity_id is None:
        errors[ActivityField.ACTIVITY] = texts.ERROR_NO_ACTIVITY
    if light is None:
        errors[ActivityField.LIGHT] = texts.ERROR_NO_LIGHT
    try:
        comment = core.check_comment(comment)
    except InvalidInput as error:
        errors[ActivityField.COMMENT] = error.message
    if errors or activity_id is None or light is None:
        return errors, (0, Light.GRA, "")
    return {}, (activity_id, light, comment)


def handle_submission(
    knalle: Knalle, ack: Ack, client: WebClient, body: dict[str, Any], view: dict[str, Any]
) -> None:
    errors, (activity_id, light, comment) = validate_submission(view)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    user_id = str(body["user"]["id"])
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    channel = str(metadata.get("channel") or "")
    try:
        key = core.view_key(str(view.get("id") or ""))
        receipt = _record(knalle, body, activity_id, light, comment, submission_key=key)
        reply = receipt_message(receipt, user_id)
    except UserError as error:
        receipt = None
        reply = error_reply(error)
    if channel:
        client.chat_postEphemeral(channel=channel, user=user_id, **reply)
    else:
        dm(client, user_id, reply)
    if receipt is not None:
        _tell_owners(client, knalle, receipt, user_id)
    _refresh_home(client, knalle, user_id)


@answers_errors
def answer_command(
    knalle: Knalle, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """After the ack: the command, with user errors answered where the user is."""
    handle_command(knalle, client, command, respond)


def register(app: App, knalle: Knalle) -> None:
    # Committed before the ack, handled after it: see handlers/intake.py.
    intake_for(app, knalle).register([COMMAND], answer_command)

    @app.action(any_nth(ActivityAction.RUN_COMMAND))
    def run_command(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        command = {
            "text": str(body["actions"][0].get("value") or ""),
            "user_id": str(body["user"]["id"]),
            "channel_id": _channel_of(body),
            "trigger_id": str(body.get("trigger_id") or ""),
        }
        answer_command(knalle, command, respond, client)

    @app.action(ActivityAction.UPDATE)
    def update_button(ack: Ack, client: WebClient, body: dict[str, Any]) -> None:
        ack()
        value = str(body["actions"][0].get("value") or "")
        open_update_modal(
            client,
            knalle,
            trigger_id=str(body["trigger_id"]),
            user_id=str(body["user"]["id"]),
            channel_id=_channel_of(body),
            selected=int(value) if value.isdigit() else None,
        )

    # A user error raised here reaches the user through the app's one error path
    # (handlers/errors.py): in the message, the modal, or by DM from the Home tab.
    @app.action(any_nth(ActivityAction.PICK))
    def pick_button(ack: Ack, client: WebClient, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_pick(knalle, client, body, respond)

    @app.action(any_nth(ActivityAction.SHOW))
    def show_button(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_show(knalle, body, respond)

    @app.view(ActivityView.UPDATE)
    def update_submitted(
        ack: Ack, client: WebClient, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        handle_submission(knalle, ack, client, body, view)
