"""`/aktivitet`: typed updates, the update modal, `mina`, `visa`, `hjälp`, DM pauses, and the
"Uppdatera" button wherever it appears (replies, the Home tab, reminder DMs)."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.app import Knalle
from bot.core import activity_updates as core
from bot.core import pauses
from bot.core.dates import parse_future_date
from bot.core.lights import LEGEND, SYMBOL, Light, stored_light
from bot.core.sv import sv_date
from bot.errors import InvalidDate, InvalidInput, UserError
from handlers import activity_texts as texts
from handlers.blocks import (
    Block,
    actions,
    button,
    clip,
    context,
    divider,
    escape,
    header,
    message,
    modal,
    plain,
    section,
    unescape,
)
from handlers.commands import first_word, rest_after_first_word
from handlers.ids import ActivityAction, ActivityField, ActivityView
from handlers.intake import intake_for

logger = logging.getLogger(__name__)

COMMAND = "/aktivitet"
HELP_WORDS = {"hjälp", "help", "?", "hjalp"}
MINE_WORDS = {"mina", "mitt", "mine"}
SHOW_WORDS = {"visa", "show"}
PAUSE_WORDS = {"paus", "pausa"}
RESUME_WORDS = {"fortsätt", "fortsatt", "återuppta", "starta"}
OPTION_TEXT_LIMIT = 75
OPTIONS_PER_GROUP = 100
MINE_MAX_ACTIVITIES = 45  # 50 blocks a message, less header, context and a note


# -- Block Kit --------------------------------------------------------------------------------


def legend_line() -> str:
    return "; ".join(f"{SYMBOL[light]} {light.value} = {LEGEND[light]}" for light in Light)


def help_message() -> dict[str, Any]:
    text = texts.HELP.format(legend=legend_line())
    return message(texts.HELP_FALLBACK, [section(text)])


def _author(update: core.UpdateInfo) -> str:
    if update.source == "import" and not (update.author_name or update.author_slack_id):
        return texts.AUTHOR_PLAN_FILE
    return escape(update.author_name or update.author_slack_id or texts.AUTHOR_UNKNOWN)


def _owners(owners: tuple[str, ...]) -> str:
    return escape(", ".join(owners)) if owners else texts.NO_OWNERS


def receipt_message(receipt: core.Receipt, user_id: str) -> dict[str, Any]:
    update = receipt.update
    template = texts.SAVED if receipt.stored else texts.ALREADY_SAVED
    light = update.light or Light.GRA
    headline = template.format(
        symbol=SYMBOL[light], activity=escape(receipt.activity.label), light=light.value
    )
    author = "dig" if update.author_slack_id == user_id else _author(update)
    blocks = [
        section(f"{headline}\n>{escape(update.comment)}"),
        context(
            texts.SAVED_CONTEXT.format(
                period=receipt.period.label, owners=_owners(receipt.owners), author=author
            )
        ),
    ]
    fallback = texts.SAVED_FALLBACK.format(activity=receipt.activity.label, light=light.value)
    return message(escape(fallback), blocks)


def owner_message(receipt: core.Receipt) -> dict[str, Any]:
    update = receipt.update
    light = update.light or Light.GRA
    text = texts.OWNER_TOLD.format(
        author=_author(update),
        symbol=SYMBOL[light],
        activity=escape(receipt.activity.label),
        light=light.value,
    )
    blocks = [
        section(f"{text}\n>{escape(update.comment)}"),
        actions(
            button(texts.UPDATE_BUTTON, ActivityAction.UPDATE, str(receipt.activity.id)),
        ),
    ]
    fallback = texts.OWNER_TOLD_FALLBACK.format(
        author=update.author_name or "", activity=receipt.activity.label
    )
    return message(escape(fallback), blocks)


def pick_value(activity_id: int, light: Light, comment: str) -> str:
    """The pending update rides in the button: "id|light|comment" (no escaping needed)."""
    return f"{activity_id}|{light.value}|{comment}"


def parse_pick_value(value: str) -> tuple[int, Light, str]:
    activity_id, light, comment = value.split("|", 2)
    return int(activity_id), Light(light), comment


def candidates_message(pending: core.PendingUpdate) -> dict[str, Any]:
    question = core.AMBIGUOUS_ACTIVITY.format(name=escape(pending.name))
    prompt = texts.PICK_PROMPT.format(
        question=question, symbol=SYMBOL[pending.light], light=pending.light.value
    )
    buttons = [
        button(
            clip(ref.label, 75),
            ActivityAction.PICK,
            pick_value(ref.id, pending.light, pending.comment),
        )
        for ref in pending.candidates
    ]
    blocks = [section(prompt), actions(*buttons)]
    return message(texts.PICK_FALLBACK, blocks)


def show_candidates_message(error: core.AmbiguousActivity) -> dict[str, Any]:
    buttons = [
        button(clip(ref.label, 75), ActivityAction.SHOW, str(ref.id)) for ref in error.activities
    ]
    return message(texts.PICK_FALLBACK, [section(escape(error.message)), actions(*buttons)])


def last_update_line(status: core.ActivityStatus) -> str:
    update = status.latest
    if update is None:
        return texts.NO_UPDATE
    return texts.LAST_UPDATE.format(
        light=texts.light_label(update.light),
        comment=escape(clip(update.comment, 300)),
        author=_author(update),
        date=sv_date(update.recorded_at.date()),
    )


def status_line(status: core.ActivityStatus) -> str:
    light = status.current.light if status.current else None
    return texts.HOME_ACTIVITY.format(
        symbol=texts.light_label(light),
        activity=escape(status.ref.label),
        last=last_update_line(status),
    )


def mine_message(mine: core.MyActivities, user_id: str) -> dict[str, Any]:
    if mine.staff_name is None:
        return message(
            texts.NOT_LINKED_FALLBACK,
            [section(texts.NOT_LINKED.format(user_id=escape(user_id)))],
        )
    title = texts.MINE_HEADER.format(name=mine.staff_name, period=mine.period.label)
    if not mine.activities:
        return message(
            escape(title),
            [header(title), section(texts.MINE_EMPTY.format(name=escape(mine.staff_name)))],
        )
    blocks: list[Block] = [header(title)]
    shown = mine.activities[:MINE_MAX_ACTIVITIES]
    for status in shown:
        blocks.append(
            section(
                status_line(status),
                accessory=button(texts.UPDATE_BUTTON, ActivityAction.UPDATE, str(status.ref.id)),
            )
        )
    if len(mine.activities) > len(shown):
        blocks.append(context(texts.TRUNCATED.format(count=len(mine.activities) - len(shown))))
    return message(escape(title), blocks)


def detail_message(detail: core.ActivityDetail) -> dict[str, Any]:
    status = detail.status
    title = status.ref.label
    actions_text = "\n".join(f"• {escape(item)}" for item in detail.actions) or texts.NOTHING
    blocks: list[Block] = [
        header(title),
        context(escape(f"{detail.chapter} › {detail.section}")),
        section(texts.SHOW_FIELDS[0].format(purpose=escape(detail.purpose) or texts.NOTHING)),
        section(texts.SHOW_FIELDS[1].format(goal=escape(detail.goal) or texts.NOTHING)),
        section(texts.SHOW_ACTIONS.format(actions=actions_text)),
        section(
            texts.SHOW_META.format(
                owners=_owners(status.owners),
                priority=escape(status.priority or texts.NOTHING),
                years=", ".join(str(year) for year in detail.years) or texts.NOTHING,
                rule=escape(detail.follow_up_rule),
            ),
            accessory=button(texts.UPDATE_BUTTON, ActivityAction.UPDATE, str(status.ref.id)),
        ),
        divider(),
    ]
    if not detail.history:
        blocks.append(section(texts.SHOW_NO_HISTORY))
    else:
        blocks.append(section(texts.SHOW_HISTORY.format(count=len(detail.history))))
        # Newest last; when they do not all fit, the oldest give way.
        room = 50 - len(blocks) - 1
        shown = detail.history[-room:] if len(detail.history) > room else detail.history
        if len(shown) < len(detail.history):
            blocks.append(
                context(texts.HISTORY_TRUNCATED.format(count=len(detail.history) - len(shown)))
            )
        for update in shown:
            blocks.append(
                section(
                    texts.HISTORY_LINE.format(
                        date=sv_date(update.recorded_at.date()),
                        period=update.period,
                        light=texts.light_label(update.light),
                        author=_author(update),
                        comment=escape(update.comment) or texts.NOTHING,
                    )
                )
            )
    return message(escape(title), blocks)


def _option(ref: core.ActivityRef) -> dict[str, Any]:
    return {
        "text": plain(clip(ref.label, OPTION_TEXT_LIMIT), OPTION_TEXT_LIMIT),
        "value": str(ref.id),
    }


def loading_modal() -> Block:
    return modal(
        texts.MODAL_LOADING_TITLE,
        [section(texts.MODAL_LOADING)],
        callback_id=ActivityView.UPDATE,
        submit=None,
    )


def no_plan_modal(text: str) -> Block:
    return modal(
        texts.MODAL_NO_PLAN_TITLE,
        [section(escape(text))],
        callback_id=ActivityView.UPDATE,
        submit=None,
    )


def update_modal(
    mine: list[core.ActivityRef],
    everything: list[core.ActivityRef],
    *,
    period: str,
    selected: int | None = None,
    metadata: str = "",
) -> Block:
    """The user's own activities first, the light as radio buttons with the legend, a comment."""
    mine_ids = {ref.id for ref in mine}
    others = [ref for ref in everything if ref.id not in mine_ids]
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": ActivityField.ACTIVITY,
        "placeholder": plain(texts.ACTIVITY_PLACEHOLDER, 150),
    }
    shown_mine, shown_others = mine[:OPTIONS_PER_GROUP], others[:OPTIONS_PER_GROUP]
    if shown_mine and shown_others:
        select["option_groups"] = [
            {"label": plain(texts.GROUP_MINE, 75), "options": [_option(r) for r in shown_mine]},
            {"label": plain(texts.GROUP_ALL, 75), "options": [_option(r) for r in shown_others]},
        ]
    else:
        select["options"] = [_option(ref) for ref in shown_mine or shown_others]
    # Slack rejects an initial option that is not among the options.
    chosen = next((ref for ref in [*shown_mine, *shown_others] if ref.id == selected), None)
    if chosen is not None:
        select["initial_option"] = _option(chosen)
    radios = {
        "type": "radio_buttons",
        "action_id": ActivityField.LIGHT,
        "options": [
            {
                "text": plain(f"{SYMBOL[light]} {light.value}", 75),
                "description": plain(LEGEND[light], 75),
                "value": light.value,
            }
            for light in Light
        ],
    }
    comment = {
        "type": "plain_text_input",
        "action_id": ActivityField.COMMENT,
        "multiline": True,
        "max_length": core.COMMENT_LIMIT,
        "placeholder": plain(texts.COMMENT_PLACEHOLDER, 150),
    }
    blocks: list[Block] = [
        _input(ActivityField.ACTIVITY, texts.ACTIVITY_LABEL, select),
        _input(ActivityField.LIGHT, texts.LIGHT_LABEL, radios),
        _input(ActivityField.COMMENT, texts.COMMENT_LABEL, comment),
        context(texts.MODAL_HINT.format(period=period)),
    ]
    return modal(
        texts.MODAL_TITLE,
        blocks,
        callback_id=ActivityView.UPDATE,
        submit=texts.MODAL_SUBMIT,
        private_metadata=metadata,
    )


def _input(block_id: str, label: str, element: dict[str, Any]) -> Block:
    return {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element}


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
    from handlers.home import publish_home

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
            mine = core.my_activities(session, user_id, today, knalle.settings.followup_dates)
            everything = core.all_activities(session, today)
        view = update_modal(
            [status.ref for status in mine.activities],
            everything,
            period=mine.period.label,
            selected=selected,
            metadata=metadata,
        )
    except UserError as error:
        view = no_plan_modal(error.message)
    client.views_update(view_id=view_id, hash=view_hash, view=view)


# -- the command ------------------------------------------------------------------------------

# Slack's own tokens in command text (real angle brackets; typed ones arrive as entities).
_TOKEN = re.compile(r"<([@#!][^<>|]*|https?://[^<>|]+|mailto:[^<>|]+)(?:\|([^<>]*))?>")


def slack_text(raw: str) -> str:
    """Command text as a person reads it: "<@U1|pia>" → "@pia", "<https://x|x.se>" → "x.se",
    "<!channel>" → "@channel"; then the entities undone. Comments are stored this way."""

    def readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("!"):
            name = label or target[1:].split("^")[0]
            return name if name.startswith("@") else f"@{name}"
        if target[0] in "@#":
            return f"{target[0]}{label}" if label else target
        return label or target

    return unescape(_TOKEN.sub(readable, raw))


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
            mine = core.my_activities(session, user_id, today, knalle.settings.followup_dates)
        respond(**mine_message(mine, user_id), response_type="ephemeral")
    elif word in SHOW_WORDS:
        show(knalle, rest, respond)
    elif word in PAUSE_WORDS:
        pause(knalle, user_id, rest, respond)
    elif word in RESUME_WORDS and not rest:
        resume(knalle, user_id, respond)
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
        detail = core.activity_detail(session, ref.id, today, knalle.settings.followup_dates)
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
                followup_dates=knalle.settings.followup_dates,
                source=_source(knalle),
            )
    if receipt is None:
        respond(**candidates_message(pending), response_type="ephemeral")
        return
    respond(**receipt_message(receipt, user_id), response_type="ephemeral")
    _tell_owners(client, knalle, receipt, user_id)


def _source(knalle: Knalle) -> str:
    """Updates typed in `knalle console` are recorded as such."""
    from bot.console import CONSOLE_USER

    return "console" if CONSOLE_USER in knalle.settings.admins else "slack"


def pause(knalle: Knalle, user_id: str, rest: str, respond: Respond) -> None:
    phrase = rest.strip()
    if phrase.lower().startswith("till "):
        phrase = phrase[5:].strip()
    if not phrase or phrase.lower() == "till":
        raise InvalidDate(texts.PAUSE_USAGE)
    today = knalle.clock.now().date()
    until = parse_future_date(phrase, today)
    if until is None:
        raise InvalidDate(texts.PAUSE_UNREADABLE.format(phrase=escape(clip(phrase, 60))))
    with knalle.db.write() as session:
        pauses.pause_dms(session, user_id, until, today=today)
    respond(text=texts.PAUSED.format(date=sv_date(until)), response_type="ephemeral")


def resume(knalle: Knalle, user_id: str, respond: Respond) -> None:
    today = knalle.clock.now().date()
    with knalle.db.write() as session:
        was = pauses.paused_until(session, user_id, today)
        pauses.resume_dms(session, user_id)
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
            followup_dates=knalle.settings.followup_dates,
            source=_source(knalle),
            submission_key=submission_key,
        )


def handle_show(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    activity_id = int(body["actions"][0]["value"])
    with knalle.db.read() as session:
        detail = core.activity_detail(
            session, activity_id, knalle.clock.now().date(), knalle.settings.followup_dates
        )
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
        reply = error_message(error)
    if channel:
        client.chat_postEphemeral(channel=channel, user=user_id, **reply)
    else:
        dm(client, user_id, reply)
    if receipt is not None:
        _tell_owners(client, knalle, receipt, user_id)
    _refresh_home(client, knalle, user_id)


def error_message(error: UserError) -> dict[str, Any]:
    """A user error as a reply; its message may quote what the user typed, so it is escaped."""
    return message(escape(error.message), [section(escape(error.message))])


def answer_command(
    knalle: Knalle, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """After the ack: the command, with user errors answered where the user is."""
    try:
        handle_command(knalle, client, command, respond)
    except UserError as error:
        respond(**error_message(error), response_type="ephemeral")


def register(app: App, knalle: Knalle) -> None:
    # Committed before the ack, handled after it: see handlers/intake.py.
    intake_for(app, knalle).register(app, [COMMAND], answer_command)

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

    @app.action(ActivityAction.PICK)
    def pick_button(ack: Ack, client: WebClient, body: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            handle_pick(knalle, client, body, respond)
        except UserError as error:
            respond(**error_message(error), response_type="ephemeral", replace_original=False)

    @app.action(ActivityAction.SHOW)
    def show_button(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            handle_show(knalle, body, respond)
        except UserError as error:
            respond(**error_message(error), response_type="ephemeral", replace_original=False)

    @app.view(ActivityView.UPDATE)
    def update_submitted(
        ack: Ack, client: WebClient, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        handle_submission(knalle, ack, client, body, view)
