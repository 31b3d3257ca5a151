"""`/besök` (and `/besok`): log a visit in one line or in a modal, list, search, history,
statistics, undo, help; the "Ändra", "Ångra" and company-choice buttons; the company type-ahead.

Listeners parse, call the core and send what handlers/visits/blocks.py renders. The command is
committed before its ack (handlers/intake.py); user text is stored unescaped, escaped when shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.clock import today as today_of
from bot.context import Knalle
from bot.core import audit
from bot.core.companies import care as company_care
from bot.core.companies.register import CompanyChoice, UnsureCompany, match_key
from bot.core.text.mrkdwn import unescape
from bot.core.visits import actions as core
from bot.core.visits import feedback
from bot.core.visits.parser import FORM_ON_SITE, DateQuestion, SeveralCompanies, answer_date
from bot.errors import UserError
from handlers import fields, limits
from handlers import texts as handler_texts
from handlers.commands import first_word, meant_word, rest_after_first_word
from handlers.errors import answers_errors, message_for
from handlers.ids import CompanyField, VisitAction, VisitField, VisitView, any_nth
from handlers.intake import intake_for
from handlers.visits import texts
from handlers.visits.blocks import (
    ID_PREFIX,
    NEW_CHOICE,
    NEW_PREFIX,
    care_modal,
    company_option,
    confirmation_message,
    date_question_message,
    help_message,
    history_message,
    list_message,
    loading_modal,
    meant_command_message,
    new_company_option,
    notice_modal,
    parse_pick_value,
    resend_message,
    safe_text,
    saved_each_message,
    search_message,
    several_message,
    split_value,
    stats_message,
    synpunkter_message,
    undone_message,
    unsure_message,
    visit_modal,
)

logger = logging.getLogger(__name__)

COMMANDS = ("/besök", "/besok")
HELP_WORDS = {"hjälp", "hjalp", "help", "?"}
LIST_WORDS = {"lista", "list"}
SEARCH_WORDS = {"sök", "sok"}
COMPANY_WORDS = {"företag", "foretag"}
STATS_WORDS = {"statistik", "stats"}
FEEDBACK_WORDS = {"synpunkter", "teman"}
UNDO_WORDS = {"ångra", "angra"}
# Every sub-command's spellings → the word shown in "Menade du `/besök lista`?".
SUBCOMMANDS = {
    **{w: "hjälp" for w in HELP_WORDS if len(w) > 2},
    **{w: "lista" for w in LIST_WORDS},
    **{w: "sök" for w in SEARCH_WORDS},
    **{w: "företag" for w in COMPANY_WORDS},
    **{w: "statistik" for w in STATS_WORDS},
    **{w: "synpunkter" for w in FEEDBACK_WORDS},
    **{w: "ångra" for w in UNDO_WORDS},
}

FIELD_BLOCKS = {
    core.FIELD_COMPANY: VisitField.COMPANY,
    core.FIELD_DATE: VisitField.DATE,
    core.FIELD_COLLEAGUES: VisitField.COLLEAGUES,
    core.FIELD_OTHERS: VisitField.OTHERS,
    core.FIELD_FORM: VisitField.FORM,
    core.FIELD_NOTES: VisitField.NOTES,
    core.FIELD_FOLLOW_UP: VisitField.FOLLOW_UP,
}


def company_options(knalle: Knalle, typed: str) -> list[dict[str, Any]]:
    """Register entries for the type-ahead, and "Nytt företag: …" unless it is one of them."""
    typed = " ".join(typed.split())
    with knalle.db.read() as session:
        found = core.suggest_companies(session, typed)
    options = [company_option(c.company_id, c.name) for c in found]
    known = {match_key(c.name) for c in found}
    if typed and match_key(typed) not in known:
        # Last, and always there: 99 register entries at most make room for it.
        options = [*options[: limits.SUGGESTION_OPTIONS - 1], new_company_option(typed)]
    return options[: limits.SUGGESTION_OPTIONS]


def _state_value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = values.get(block_id) or {}
    element = block.get(block_id)
    if element is None and block:
        element = next(iter(block.values()))
    return element or {}


# A follow-up date that could not be read: the submission gets a field error for it.
BAD_FOLLOW_UP = dt.date(1, 1, 2)


def _picked_day(value: object, invalid: dt.date = dt.date.min) -> dt.date | None:
    try:
        return fields.iso_day(value)
    except UserError:
        return invalid


def draft_from_view(view: dict[str, Any]) -> tuple[core.VisitDraft, CompanyChoice]:
    """The modal's fields as a draft, and the company choice (an id, or "new")."""
    values = (view.get("state") or {}).get("values") or {}
    themes: tuple[str, ...] | None = None
    if VisitField.THEMES in values:
        chosen = _state_value(values, VisitField.THEMES).get("selected_options") or []
        themes = tuple(str(option.get("value") or "") for option in chosen)
    shown = _metadata(view).get("themes") or []
    selected = _state_value(values, VisitField.COMPANY).get("selected_option") or {}
    value = str(selected.get("value") or "")
    choice: CompanyChoice = None
    company = ""
    if value.startswith(ID_PREFIX) and value[len(ID_PREFIX) :].isdigit():
        choice = int(value[len(ID_PREFIX) :])
        company = str((selected.get("text") or {}).get("text") or "")
    elif value.startswith(NEW_PREFIX):
        choice = "new"
        company = value[len(NEW_PREFIX) :]
    date_text = _state_value(values, VisitField.DATE).get("selected_date")
    follow_text = _state_value(values, VisitField.FOLLOW_UP).get("selected_date")
    others_text = str(_state_value(values, VisitField.OTHERS).get("value") or "")
    form_option = _state_value(values, VisitField.FORM).get("selected_option") or {}
    draft = core.VisitDraft(
        company=company,
        visit_date=_picked_day(date_text) or dt.date.min,
        colleagues=tuple(_state_value(values, VisitField.COLLEAGUES).get("selected_users") or ()),
        others=tuple(p.strip() for p in re.split(r"[,;\n]", others_text) if p.strip()),
        form=str(form_option.get("value") or FORM_ON_SITE),
        notes=str(_state_value(values, VisitField.NOTES).get("value") or "").strip(),
        follow_up_on=_picked_day(follow_text, invalid=BAD_FOLLOW_UP),
        themes=themes,
        themes_shown=tuple(str(t) for t in shown) if isinstance(shown, list) else (),
    )
    return draft, choice


def view_errors(problems: dict[str, str]) -> dict[str, str]:
    return {
        str(FIELD_BLOCKS.get(name, VisitField.COMPANY)): text for name, text in problems.items()
    }


# -- callbacks (module functions, so tests call them with mocks) --------------------------------


@answers_errors
def handle_command(
    knalle: Knalle, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """After the ack: route `/besök …` to its sub-command, or log the line as a visit."""
    text = str(command.get("text") or "").strip()
    user_id = str(command.get("user_id") or "")
    word = first_word(text)
    rest = rest_after_first_word(text)
    today = today_of(knalle.clock)
    if not text:
        open_new_modal(knalle, client, command)
    elif word in HELP_WORDS:
        respond(**help_message(), response_type="ephemeral")
    elif word in LIST_WORDS:
        with knalle.db.read() as session:
            listing = core.list_visits(session, user_id, unescape(rest), today=today)
        respond(**list_message(listing, today), response_type="ephemeral")
    elif word in SEARCH_WORDS:
        query = unescape(rest)
        with knalle.db.read() as session:
            found = core.search(session, query)
        respond(**search_message(query, found, today), response_type="ephemeral")
    elif word in COMPANY_WORDS:
        with knalle.db.read() as session:
            history = core.company_history(session, unescape(rest))
            admin = company_care.may_care(session, user_id, knalle.settings.admins)
        respond(**history_message(history, today, admin=admin), response_type="ephemeral")
    elif word in STATS_WORDS:
        with knalle.db.read() as session:
            stats = core.statistics(
                session, rest, today=today, visit_target=knalle.settings.visit_target
            )
        respond(**stats_message(stats), response_type="ephemeral")
    elif word in FEEDBACK_WORDS:
        with knalle.db.read() as session:
            summary = feedback.summary_for_slack(
                session, knalle.settings.themes_file, rest, today=today
            )
        respond(**synpunkter_message(summary), response_type="ephemeral")
    elif word in UNDO_WORDS:
        with knalle.db.write() as session:
            undone = core.undo_latest(
                session,
                user_id,
                now=knalle.clock.now(),
                surface=knalle.surface,
                admins=knalle.settings.admins,
            )
        respond(**undone_message(undone), response_type="ephemeral")
    elif (meant := meant_word(text.split(maxsplit=1)[0], SUBCOMMANDS)) is not None:
        # "lsita", "statsitik", "ångar": never a company called so without asking.
        suggested = f"{meant} {rest}".strip()
        respond(**meant_command_message(suggested, today, text), response_type="ephemeral")
    else:
        record_line(knalle, text, user_id, respond)


def record_line(
    knalle: Knalle,
    text: str,
    user_id: str,
    respond: Respond,
    *,
    today: dt.date | None = None,
    as_new: bool = False,
    replace: bool = False,
) -> None:
    """Store one line, or ask: the company, the day, several companies or a corrected resend.

    `replace` is for a button's answer: the reply replaces the question it answered.
    """
    today = today or today_of(knalle.clock)
    try:
        with knalle.db.write() as session:
            visit = core.record_text(
                session,
                text,
                user_id,
                now=knalle.clock.now(),
                surface=knalle.surface,
                themes_file=knalle.settings.themes_file,
                today=today,
                as_new=as_new,
            )
    except UnsureCompany as error:
        reply = unsure_message(error, today, text)
    except DateQuestion as question:
        reply = date_question_message(question, today, text)
    except SeveralCompanies as several:
        reply = several_message(several, today, text)
    except core.ChangedResend as resend:
        reply = resend_message(resend, today, text)
    else:
        reply = confirmation_message(visit)
    if replace:
        respond(**reply, replace_original=True)
    else:
        respond(**reply, response_type="ephemeral")


@answers_errors
def _answer(body: dict[str, Any], respond: Respond, work: Any) -> None:
    """Run a button's answer; a user error is told without replacing the question."""
    work(str(body["user"]["id"]), str(body["actions"][0].get("value") or ""))


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UserError(texts.PENDING_EXPIRED) from error


def handle_pick_day(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    """A day chosen for a week or an unclear date: the line with that day, stored or asked on."""

    def work(user_id: str, value: str) -> None:
        today, day, phrase, text = split_value(value, 4)
        answered = answer_date(text, phrase, _day(day))
        record_line(knalle, answered, user_id, respond, today=_day(today), replace=True)

    _answer(body, respond, work)


def handle_save_each(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    def work(user_id: str, value: str) -> None:
        today, text = split_value(value, 2)
        with knalle.db.write() as session:
            result = core.record_each(
                session,
                text,
                user_id,
                today=_day(today),
                now=knalle.clock.now(),
                surface=knalle.surface,
                themes_file=knalle.settings.themes_file,
            )
        respond(**saved_each_message(result), replace_original=True)

    _answer(body, respond, work)


def handle_update_earlier(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    def work(user_id: str, value: str) -> None:
        visit_id, today, text = split_value(value, 3)
        if not visit_id.isdigit():
            raise UserError(texts.PENDING_EXPIRED)
        with knalle.db.write() as session:
            visit = core.update_with_text(
                session,
                fields.record_id(visit_id),
                text,
                user_id,
                today=_day(today),
                now=knalle.clock.now(),
                surface=knalle.surface,
                themes_file=knalle.settings.themes_file,
                admins=knalle.settings.admins,
            )
        respond(**confirmation_message(visit, edited=True), replace_original=True)

    _answer(body, respond, work)


def handle_save_line(
    knalle: Knalle, body: dict[str, Any], respond: Respond, *, as_new: bool
) -> None:
    """ "Spara som ett nytt besök" (as_new), or "Nej, logga besök hos …" after "Menade du"."""

    def work(user_id: str, value: str) -> None:
        today, text = split_value(value, 2)
        record_line(knalle, text, user_id, respond, today=_day(today), as_new=as_new, replace=True)

    _answer(body, respond, work)


def _company_id(body: dict[str, Any]) -> int:
    value = str(body["actions"][0].get("value") or "")
    if not value.isdigit():
        raise UserError(texts.PENDING_EXPIRED)
    return int(value)


@answers_errors
def handle_care_button(
    knalle: Knalle, body: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """An admin's "Byt namn" / "Slå ihop med …" opens its modal; "Ta bort" (confirmed by
    Slack's dialog) removes at once."""
    user_id = str(body["user"]["id"])
    action = str(body["actions"][0].get("action_id") or "")
    company_id = _company_id(body)
    if action == VisitAction.COMPANY_REMOVE:
        with knalle.db.write() as session:
            line = company_care.remove(
                session,
                user_id,
                company_id,
                now=knalle.clock.now(),
                surface=knalle.surface,
                admins=knalle.settings.admins,
            )
        respond(text=texts.CARE_DONE.format(line=safe_text(line)), replace_original=True)
        return
    with knalle.db.read() as session:
        if not company_care.may_care(session, user_id, knalle.settings.admins):
            raise UserError(company_care.ADMINS_ONLY)
        name = core.company_by_id(session, company_id)
    rename = action == VisitAction.COMPANY_RENAME
    kind = VisitView.COMPANY_RENAME if rename else VisitView.COMPANY_MERGE
    client.views_open(trigger_id=body["trigger_id"], view=care_modal(kind, company_id, name))


def handle_care_submission(
    knalle: Knalle, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Rename or merge; a problem is shown under the field and nothing changes."""
    user_id = str(body["user"]["id"])
    company_id = int(_metadata(view).get("company") or 0)
    values = (view.get("state") or {}).get("values") or {}
    typed = str(_state_value(values, CompanyField.NAME).get("value") or "").strip()
    change = (
        company_care.rename
        if view.get("callback_id") == VisitView.COMPANY_RENAME
        else company_care.merge
    )
    try:
        with knalle.db.write() as session:
            line = change(
                session,
                user_id,
                company_id,
                typed,
                now=knalle.clock.now(),
                surface=knalle.surface,
                admins=knalle.settings.admins,
            )
    except UserError as error:
        ack(response_action="errors", errors={str(CompanyField.NAME): error.message})
        return
    ack()
    client.chat_postMessage(channel=user_id, text=texts.CARE_DONE.format(line=safe_text(line)))


def handle_run_command(
    knalle: Knalle, body: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """ "Ja, /besök lista": the sub-command meant, run as if typed."""
    command = {
        "text": str(body["actions"][0].get("value") or ""),
        "user_id": str(body["user"]["id"]),
        "channel_id": (body.get("channel") or {}).get("id", ""),
        "trigger_id": body.get("trigger_id", ""),
    }
    handle_command(knalle, command, respond, client)


def open_new_modal(knalle: Knalle, client: WebClient, command: dict[str, Any]) -> None:
    metadata = {"channel": command.get("channel_id", "")}
    client.views_open(
        trigger_id=command["trigger_id"],
        view=visit_modal(today_of(knalle.clock), metadata=metadata),
    )


@answers_errors
def handle_pick(
    knalle: Knalle, body: dict[str, Any], respond: Respond | None, client: WebClient | None = None
) -> None:
    """A company chosen for a pending line: store it now, and replace the question."""
    user_id = str(body["user"]["id"])
    value = str(body["actions"][0].get("value") or "")
    choice, day, text = parse_pick_value(value)
    with knalle.db.write() as session:
        visit = core.record_text(
            session,
            text,
            user_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
            company="new" if choice == NEW_CHOICE else int(choice),
            today=day,
        )
    _replace(body, client, respond, confirmation_message(visit))


@answers_errors
def handle_undo(
    knalle: Knalle, body: dict[str, Any], respond: Respond | None, client: WebClient | None = None
) -> None:
    user_id = str(body["user"]["id"])
    with knalle.db.write() as session:
        visit = core.undo(
            session,
            fields.record_id(body["actions"][0].get("value")),
            user_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )
    _replace(body, client, respond, undone_message(visit))


def _replace(
    body: dict[str, Any], client: WebClient | None, respond: Respond | None, reply: dict[str, Any]
) -> None:
    """The clicked message replaced; a DM where there is no message (a Home tab, a modal)."""
    if respond is not None and body.get("response_url"):
        respond(**reply, replace_original=True)
    elif client is not None:
        client.chat_postMessage(channel=str(body["user"]["id"]), **reply)


def handle_edit(knalle: Knalle, body: dict[str, Any], client: WebClient) -> None:
    """Open the modal at once (trigger_id lasts 3 s), then fill it with the stored visit."""
    opened = client.views_open(trigger_id=body["trigger_id"], view=loading_modal())
    fill_edit_modal(knalle, body, client, opened["view"], body["actions"][0].get("value"))


def fill_edit_modal(
    knalle: Knalle, body: dict[str, Any], client: WebClient, view: dict[str, Any], visit_id: object
) -> None:
    """Turn an open modal (`view`) into the edit form of a stored visit, or a notice why not."""
    user_id = str(body["user"]["id"])
    admins = knalle.settings.admins
    try:
        with knalle.db.read() as session:
            visit = core.get_for_edit(session, fields.record_id(visit_id), user_id, admins=admins)
            history = audit.visit_history_for(session, visit.id, user_id, admins)
    except UserError as error:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=notice_modal(message_for(error))
        )
        return
    names = feedback.theme_names(knalle.settings.themes_file)
    metadata = {
        "visit": visit.id,
        "channel": (body.get("channel") or {}).get("id", ""),
        "response_url": body.get("response_url", ""),
        "themes": [t for t in visit.themes if t in names],
    }
    client.views_update(
        view_id=view["id"],
        hash=view.get("hash"),
        view=visit_modal(
            today_of(knalle.clock),
            metadata=metadata,
            visit=visit,
            theme_names=names,
            history=history,
            zone=knalle.settings.zone,
        ),
    )


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def submission_key(view: dict[str, Any]) -> str | None:
    """Slack's identity of a submission: the view's id and hash. The same modal submitted
    again (a double click, a resend, however late) stores nothing twice; the key is only
    used by a submission that is stored, so one refused with field errors can be corrected."""
    view_id = str(view.get("id") or "")
    if not view_id:
        return None
    raw = f"{view_id}\x1f{view.get('hash') or ''}"
    return "view:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:58]


def _source_of(metadata: dict[str, Any], view: dict[str, Any] | None = None) -> core.VisitSource:
    """A modal opened from a message (the shortcut, or Ändra on the visit channel's question)
    carries that message in its metadata."""
    message = metadata.get("message")
    if isinstance(message, dict) and message.get("channel") and message.get("ts"):
        kind = message.get("kind")
        return core.VisitSource(
            kind if kind in (core.SOURCE_SHORTCUT, core.SOURCE_CHANNEL) else core.SOURCE_SHORTCUT,
            str(message["channel"]),
            str(message["ts"]),
            str(message.get("permalink") or "") or None,
        )
    return core.VisitSource(core.SOURCE_MODAL, key=submission_key(view or {}))


def handle_submission(
    knalle: Knalle, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Validate and store, then ack: Slack shows field errors only in the ack's response."""
    user_id = str(body["user"]["id"])
    metadata = _metadata(view)
    draft, choice = draft_from_view(view)
    with knalle.db.read() as session:
        problems = core.problems_with(session, draft, user_id, today=today_of(knalle.clock))
    if draft.visit_date == dt.date.min:
        problems[core.FIELD_DATE] = texts.DATE_MISSING
    if draft.follow_up_on == BAD_FOLLOW_UP:
        problems = {**problems, core.FIELD_FOLLOW_UP: handler_texts.BAD_DATE}
    if problems:
        ack(response_action="errors", errors=view_errors(problems))
        return
    editing = view.get("callback_id") == VisitView.EDIT
    now, themes_file = knalle.clock.now(), knalle.settings.themes_file
    try:
        with knalle.db.write() as session:
            if editing:
                visit = core.edit(
                    session,
                    fields.record_id(metadata.get("visit")),
                    user_id,
                    draft,
                    now=now,
                    surface=knalle.surface,
                    themes_file=themes_file,
                    admins=knalle.settings.admins,
                    company=choice,
                )
            else:
                visit = core.record(
                    session,
                    draft,
                    user_id,
                    now=now,
                    surface=knalle.surface,
                    themes_file=themes_file,
                    company=choice,
                    source=_source_of(metadata, view),
                )
    except core.VisitFieldError as error:
        # Field errors are shown as plain text under the field: no mrkdwn, nothing to escape.
        ack(response_action="errors", errors=view_errors({error.field: error.message}))
        return
    except UserError as error:
        ack(response_action="errors", errors={str(VisitField.COMPANY): error.message})
        return
    ack()
    reply = confirmation_message(visit, edited=editing)
    response_url = str(metadata.get("response_url") or "")
    if editing and response_url:
        WebhookClient(response_url).send(**reply, replace_original=True)
        return
    tell_user(client, user_id, str(metadata.get("channel") or ""), reply)


def tell_user(client: WebClient, user_id: str, channel: str, reply: dict[str, Any]) -> None:
    """Ephemeral where the command was typed; the app's DM when Knalle cannot post there."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, **reply)
            return
        except SlackApiError:
            logger.info("could not post ephemerally in %s; sending a DM instead", channel)
    client.chat_postMessage(channel=user_id, **reply)


def register(app: App, knalle: Knalle) -> None:
    # Committed before the ack, handled after it: see handlers/intake.py.
    intake_for(app, knalle).register(COMMANDS, handle_command)

    @app.action(any_nth(VisitAction.PICK_COMPANY))
    def pick_company(
        ack: Ack, body: dict[str, Any], respond: Respond | None, client: WebClient
    ) -> None:
        ack()
        handle_pick(knalle, body, respond, client)

    @app.action(any_nth(VisitAction.PICK_DAY))
    def pick_day(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_pick_day(knalle, body, respond)

    @app.action(any_nth(VisitAction.SAVE_EACH))
    def save_each(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_save_each(knalle, body, respond)

    @app.action(any_nth(VisitAction.UPDATE_EARLIER))
    def update_earlier(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_update_earlier(knalle, body, respond)

    @app.action(any_nth(VisitAction.SAVE_AS_NEW))
    def save_as_new(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_save_line(knalle, body, respond, as_new=True)

    @app.action(any_nth(VisitAction.SAVE_LINE))
    def save_line(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_save_line(knalle, body, respond, as_new=False)

    @app.action(any_nth(VisitAction.RUN_COMMAND))
    def run_command(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        handle_run_command(knalle, body, respond, client)

    @app.action(VisitAction.COMPANY_RENAME)
    @app.action(VisitAction.COMPANY_MERGE)
    @app.action(VisitAction.COMPANY_REMOVE)
    def care_button(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        handle_care_button(knalle, body, respond, client)

    @app.view(VisitView.COMPANY_RENAME)
    @app.view(VisitView.COMPANY_MERGE)
    def care_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        handle_care_submission(knalle, ack, body, view, client)

    @app.action(VisitAction.UNDO)
    def undo_button(
        ack: Ack, body: dict[str, Any], respond: Respond | None, client: WebClient
    ) -> None:
        ack()
        handle_undo(knalle, body, respond, client)

    @app.action(VisitAction.EDIT)
    def edit_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_edit(knalle, body, client)

    @app.options(VisitField.COMPANY)
    def company_suggestions(ack: Ack, payload: dict[str, Any]) -> None:
        ack(options=company_options(knalle, str(payload.get("value") or "")))

    @app.view(VisitView.NEW)
    def new_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        handle_submission(knalle, ack, body, view, client)

    @app.view(VisitView.EDIT)
    def edit_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        handle_submission(knalle, ack, body, view, client)
