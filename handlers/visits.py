"""`/besök` (and `/besok`): log a visit in one line or in a modal, list, search, history,
statistics, undo, help; the "Ändra", "Ångra" and company-choice buttons; the company type-ahead.

Every listener acks first. User text is escaped on the way out (blocks.escape), stored unescaped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.app import Knalle
from bot.clock import today as today_of
from bot.core import visits as core
from bot.core.companies import CompanyChoice, UnsureCompany, match_key
from bot.core.visit_parser import FORM_DIGITAL, FORM_ON_SITE
from bot.errors import InvalidInput, UserError
from handlers import visit_texts as texts
from handlers.blocks import (
    Block,
    actions,
    button,
    clip,
    confirm_dialog,
    context,
    escape,
    header,
    message,
    modal,
    plain,
    section,
)
from handlers.commands import first_word, rest_after_first_word
from handlers.ids import VisitAction, VisitField, VisitView
from handlers.intake import intake_for

logger = logging.getLogger(__name__)

COMMANDS = ("/besök", "/besok")
HELP_WORDS = {"hjälp", "hjalp", "help", "?"}
LIST_WORDS = {"lista", "list"}
SEARCH_WORDS = {"sök", "sok"}
COMPANY_WORDS = {"företag", "foretag"}
STATS_WORDS = {"statistik", "stats"}
UNDO_WORDS = {"ångra", "angra"}
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
BUTTON_VALUE_LIMIT = 2000
LINES_PER_SECTION_CHARS = 2800
NOTE_IN_LIST = 90
NEW_PREFIX = "new:"
ID_PREFIX = "id:"
NEW_CHOICE = "ny"

FIELD_BLOCKS = {
    core.FIELD_COMPANY: VisitField.COMPANY,
    core.FIELD_DATE: VisitField.DATE,
    core.FIELD_COLLEAGUES: VisitField.COLLEAGUES,
    core.FIELD_OTHERS: VisitField.OTHERS,
    core.FIELD_FORM: VisitField.FORM,
    core.FIELD_NOTES: VisitField.NOTES,
    core.FIELD_FOLLOW_UP: VisitField.FOLLOW_UP,
}
_OUR_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)&gt;")


# -- small renderers --------------------------------------------------------------------------


def safe_text(text: str) -> str:
    """A core message for Slack: everything escaped, except the user mentions Knalle wrote.

    Error messages quote what the user typed; "<!channel>" in there must never ping.
    """
    return _OUR_MENTION.sub(r"<@\1>", escape(text))


def error_reply(error: UserError) -> dict[str, Any]:
    return {"text": safe_text(error.message), "response_type": "ephemeral"}


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def _lines_to_sections(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > LINES_PER_SECTION_CHARS:
            blocks.append(section("\n".join(chunk)))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def visit_summary(visit: core.VisitRecord) -> str:
    """Exactly what was understood, field by field; user text escaped."""
    others = escape(", ".join(visit.others)) if visit.others else texts.NONE
    notes = escape(visit.notes) if visit.notes else texts.NONE
    follow_up = (
        f"{texts.long_date(visit.follow_up_on)} {texts.FOLLOW_UP_NOTE}"
        if visit.follow_up_on
        else texts.NONE
    )
    rows = [
        (texts.LABEL_COMPANY, escape(visit.company)),
        (texts.LABEL_DATE, texts.long_date(visit.visit_date)),
        (texts.LABEL_STAFF, ", ".join(mention(u) for u in visit.participants)),
        (texts.LABEL_OTHERS, others),
        (texts.LABEL_FORM, visit.form),
        (texts.LABEL_NOTES, notes),
        (texts.LABEL_FOLLOW_UP, follow_up),
    ]
    return "\n".join(f"*{label}:* {value}" for label, value in rows)


def visit_buttons(visit: core.VisitRecord) -> Block:
    undo_confirm = confirm_dialog(
        texts.UNDO_CONFIRM_TITLE,
        texts.UNDO_CONFIRM_TEXT.format(
            company=escape(visit.company), date=texts.plain_date(visit.visit_date)
        ),
        texts.UNDO_CONFIRM_YES,
    )
    return actions(
        button(texts.BUTTON_EDIT, VisitAction.EDIT, str(visit.id)),
        button(
            texts.BUTTON_UNDO, VisitAction.UNDO, str(visit.id), style="danger", confirm=undo_confirm
        ),
        block_id=f"visit.{visit.id}",
    )


def confirmation_message(visit: core.VisitRecord, *, edited: bool = False) -> dict[str, Any]:
    intro = texts.ALREADY_SAVED if visit.duplicate else texts.SAVED
    if edited:
        intro = texts.EDITED
    fallback = texts.FALLBACK_SAVED.format(
        company=escape(visit.company), date=texts.plain_date(visit.visit_date)
    )
    return message(fallback, [section(intro), section(visit_summary(visit)), visit_buttons(visit)])


def undone_message(visit: core.VisitRecord) -> dict[str, Any]:
    text = texts.UNDONE.format(
        company=escape(visit.company), date=texts.plain_date(visit.visit_date)
    )
    return message(text, [section(text)])


def pick_value(choice: int | str, day: dt.date, text: str) -> str:
    """The pending line travels in the button: `choice|YYYY-MM-DD|text as Slack sent it`."""
    return f"{choice}|{day.isoformat()}|{text}"[:BUTTON_VALUE_LIMIT]


def parse_pick_value(value: str) -> tuple[int | str, dt.date, str]:
    try:
        choice, day, text = value.split("|", 2)
        parsed_choice: int | str = NEW_CHOICE if choice == NEW_CHOICE else int(choice)
        return parsed_choice, dt.date.fromisoformat(day), text
    except ValueError as error:
        raise InvalidInput(texts.PENDING_EXPIRED) from error


def unsure_message(error: UnsureCompany, day: dt.date, text: str) -> dict[str, Any]:
    buttons = [
        button(
            candidate.name, VisitAction.PICK_COMPANY, pick_value(candidate.company_id, day, text)
        )
        for candidate in error.choices
    ]
    buttons.append(
        button(
            texts.BUTTON_NEW_COMPANY.format(name=error.name),
            VisitAction.PICK_COMPANY,
            pick_value(NEW_CHOICE, day, text),
        )
    )
    return message(
        texts.UNSURE_FALLBACK.format(name=escape(error.name)),
        [
            section(texts.UNSURE.format(name=escape(error.name))),
            actions(*buttons, block_id="visit.pick"),
            context(texts.UNSURE_NOTHING_SAVED),
        ],
    )


def visit_line(visit: core.VisitRecord, today: dt.date) -> str:
    parts = [
        f"*{texts.short_date(visit.visit_date, today)}*",
        f"*{escape(visit.company)}*",
        ", ".join(mention(u) for u in visit.participants),
    ]
    if visit.others:
        parts.append(escape(", ".join(visit.others)))
    if visit.form == FORM_DIGITAL:
        parts.append(FORM_DIGITAL)
    line = " · ".join(parts)
    if visit.notes:
        line += " — " + escape(clip(" ".join(visit.notes.split()), NOTE_IN_LIST))
    if visit.follow_up_on:
        line += " · " + texts.FOLLOW_UP_SHORT.format(date=texts.short_date(visit.follow_up_on))
    return "• " + line


def list_title(listing: core.VisitList) -> str:
    if listing.scope == "vecka" and listing.start and listing.end:
        return texts.LIST_WEEK.format(
            week=listing.start.isocalendar().week,
            start=texts.short_date(listing.start),
            end=texts.short_date(listing.end),
        )
    if listing.scope == "månad" and listing.start:
        return texts.LIST_MONTH.format(
            month=texts.MONTH_NAMES[listing.start.month - 1], year=listing.start.year
        )
    if listing.scope == "år" and listing.start:
        return texts.LIST_YEAR.format(year=listing.start.year)
    return texts.LIST_MINE


def visits_message(
    title: str, rows: tuple[core.VisitRecord, ...], today: dt.date, *, empty: str, total: int
) -> dict[str, Any]:
    fallback = escape(title)  # the notification text is mrkdwn; the header is plain text
    if not rows:
        return message(fallback, [header(title), section(empty)])
    blocks = [header(title), *_lines_to_sections([visit_line(v, today) for v in rows])]
    if total > len(rows):
        blocks.append(context(texts.LIST_MORE.format(count=total - len(rows))))
    else:
        blocks.append(context(texts.LIST_COUNT.format(count=total)))
    return message(fallback, blocks)


def list_message(listing: core.VisitList, today: dt.date) -> dict[str, Any]:
    return visits_message(
        list_title(listing), listing.visits, today, empty=texts.LIST_EMPTY, total=listing.total
    )


def search_message(
    query: str, found: tuple[core.VisitRecord, ...], today: dt.date
) -> dict[str, Any]:
    shown = f"”{query}”"
    if not found:
        text = texts.SEARCH_EMPTY.format(query=escape(shown))
        return message(text, [section(text)])
    reply = visits_message(
        texts.SEARCH_TITLE.format(query=shown), found, today, empty="", total=len(found)
    )
    if len(found) >= core.SEARCH_LIMIT:
        reply["blocks"].append(context(texts.SEARCH_MAX.format(count=len(found))))
    return reply


def history_message(history: core.CompanyHistory, today: dt.date) -> dict[str, Any]:
    details = texts.HISTORY_DETAILS.format(
        cluster=escape(history.cluster or texts.UNKNOWN), org=history.org_number or texts.UNKNOWN
    )
    if not history.visits:
        text = texts.HISTORY_NONE.format(name=escape(history.name))
        return message(text, [header(history.name), section(text), context(details)])
    summary = texts.HISTORY_COUNT.format(
        count=len(history.visits), last=texts.plain_date(history.visits[0].visit_date)
    )
    lines = [visit_line(v, today) for v in history.visits[: core.LIST_LIMIT]]
    blocks = [header(history.name), context(summary, details), *_lines_to_sections(lines)]
    if len(history.visits) > core.LIST_LIMIT:
        blocks.append(context(texts.LIST_MORE.format(count=len(history.visits) - core.LIST_LIMIT)))
    return message(f"{escape(history.name)}: {summary}", blocks)


def stats_message(stats: core.VisitStats) -> dict[str, Any]:
    title = texts.STATS_TITLE.format(year=stats.year)
    percent = round(stats.total * 100 / stats.target) if stats.target else 0
    lines = [texts.STATS_SUMMARY.format(total=stats.total, target=stats.target, percent=percent)]
    if stats.total >= stats.target:
        lines.append(texts.STATS_PACE_DONE)
    elif stats.through == dt.date(stats.year, 12, 31):
        lines.append(texts.STATS_YEAR_MISSED.format(left=stats.target - stats.total))
    elif stats.total >= stats.expected:
        lines.append(
            texts.STATS_PACE_AHEAD.format(
                expected=stats.expected, date=texts.plain_date(stats.through)
            )
        )
    else:
        lines.append(
            texts.STATS_PACE_BEHIND.format(
                expected=stats.expected,
                date=texts.plain_date(stats.through),
                left=stats.target - stats.total,
            )
        )
    last_month = stats.through.month
    widest = max(stats.by_month.values()) or 1
    bars = [
        f"{texts.MONTHS[m - 1]:<4}{'█' * round(20 * stats.by_month[m] / widest):<20} "
        f"{stats.by_month[m]}"
        for m in range(1, last_month + 1)
    ]
    months = texts.STATS_BY_MONTH + "\n```\n" + "\n".join(bars) + "\n```"
    clusters = (
        "\n".join(f"• {escape(name)}: {count}" for name, count in stats.by_cluster.items())
        or texts.STATS_NO_CLUSTER
    )
    blocks = [
        header(title),
        section("\n".join(lines)),
        section(months),
        section(f"{texts.STATS_BY_CLUSTER}\n{clusters}"),
    ]
    return message(f"{title}: {stats.total} av {stats.target}", blocks)


def help_message() -> dict[str, Any]:
    return message(texts.HELP_FALLBACK, [section(texts.HELP)])


# -- the modal --------------------------------------------------------------------------------


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def company_option(company_id: int, name: str) -> dict[str, Any]:
    return {"text": plain(name, OPTION_TEXT_LIMIT), "value": f"{ID_PREFIX}{company_id}"}


def new_company_option(name: str) -> dict[str, Any] | None:
    value = f"{NEW_PREFIX}{name}"
    if len(value) > OPTION_VALUE_LIMIT:
        return None
    label = texts.NEW_COMPANY_OPTION.format(name=name)
    return {"text": plain(label, OPTION_TEXT_LIMIT), "value": value}


def _form_option(form: str) -> dict[str, Any]:
    label = texts.FORM_DIGITAL if form == FORM_DIGITAL else texts.FORM_ON_SITE
    return {"text": plain(label), "value": form}


def visit_modal(
    today: dt.date,
    *,
    metadata: dict[str, Any],
    visit: core.VisitRecord | None = None,
) -> Block:
    """The new-visit modal, or the edit modal prefilled with a stored visit."""
    company: dict[str, Any] = {
        "type": "external_select",
        "placeholder": plain(texts.FIELD_COMPANY_PLACEHOLDER, 150),
        "min_query_length": 1,
    }
    date: dict[str, Any] = {"type": "datepicker", "initial_date": today.isoformat()}
    colleagues: dict[str, Any] = {"type": "multi_users_select"}
    others: dict[str, Any] = {"type": "plain_text_input", "max_length": 2000}
    form: dict[str, Any] = {
        "type": "radio_buttons",
        "options": [_form_option(FORM_ON_SITE), _form_option(FORM_DIGITAL)],
        "initial_option": _form_option(FORM_ON_SITE),
    }
    notes: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": core.NOTES_LIMIT,
    }
    follow_up: dict[str, Any] = {"type": "datepicker"}
    if visit is not None:
        company["initial_option"] = company_option(visit.company_id, visit.company)
        date["initial_date"] = visit.visit_date.isoformat()
        present = [u for u in visit.participants if u != visit.author_id]
        if present:
            colleagues["initial_users"] = present
        if visit.others:
            others["initial_value"] = ", ".join(visit.others)
        form["initial_option"] = _form_option(visit.form)
        if visit.notes:
            notes["initial_value"] = visit.notes
        if visit.follow_up_on:
            follow_up["initial_date"] = visit.follow_up_on.isoformat()
    blocks = [
        _input(VisitField.COMPANY, texts.FIELD_COMPANY, company, hint=texts.FIELD_COMPANY_HINT),
        _input(VisitField.DATE, texts.FIELD_DATE, date),
        _input(
            VisitField.COLLEAGUES,
            texts.FIELD_COLLEAGUES,
            colleagues,
            optional=True,
            hint=texts.FIELD_COLLEAGUES_HINT,
        ),
        _input(
            VisitField.OTHERS,
            texts.FIELD_OTHERS,
            others,
            optional=True,
            hint=texts.FIELD_OTHERS_HINT,
        ),
        _input(VisitField.FORM, texts.FIELD_FORM, form),
        _input(
            VisitField.NOTES, texts.FIELD_NOTES, notes, optional=True, hint=texts.FIELD_NOTES_HINT
        ),
        _input(
            VisitField.FOLLOW_UP,
            texts.FIELD_FOLLOW_UP,
            follow_up,
            optional=True,
            hint=texts.FIELD_FOLLOW_UP_HINT,
        ),
    ]
    editing = visit is not None
    return modal(
        texts.MODAL_EDIT_TITLE if editing else texts.MODAL_NEW_TITLE,
        blocks,
        callback_id=VisitView.EDIT if editing else VisitView.NEW,
        submit=texts.MODAL_SAVE,
        private_metadata=json.dumps(metadata),
    )


def loading_modal() -> Block:
    return modal(
        texts.MODAL_EDIT_TITLE,
        [section(texts.MODAL_LOADING)],
        callback_id=VisitView.EDIT,
        submit=None,
    )


def notice_modal(text: str) -> Block:
    return modal(texts.MODAL_EDIT_TITLE, [section(text)], callback_id=VisitView.EDIT, submit=None)


def company_options(knalle: Knalle, typed: str) -> list[dict[str, Any]]:
    """Register entries for the type-ahead, and "Nytt företag: …" unless it is one of them."""
    typed = " ".join(typed.split())
    found = core.suggest_companies(knalle, typed)
    options = [company_option(c.company_id, c.name) for c in found]
    known = {match_key(c.name) for c in found}
    if typed and match_key(typed) not in known:
        new = new_company_option(typed)
        if new is not None:
            options.append(new)
    return options[:100]


def _state_value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = values.get(block_id) or {}
    element = block.get(block_id)
    if element is None and block:
        element = next(iter(block.values()))
    return element or {}


def draft_from_view(view: dict[str, Any]) -> tuple[core.VisitDraft, CompanyChoice]:
    """The modal's fields as a draft, and the company choice (an id, or "new")."""
    values = (view.get("state") or {}).get("values") or {}
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
        visit_date=dt.date.fromisoformat(date_text) if date_text else dt.date.min,
        colleagues=tuple(_state_value(values, VisitField.COLLEAGUES).get("selected_users") or ()),
        others=tuple(p.strip() for p in re.split(r"[,;\n]", others_text) if p.strip()),
        form=str(form_option.get("value") or FORM_ON_SITE),
        notes=str(_state_value(values, VisitField.NOTES).get("value") or "").strip(),
        follow_up_on=dt.date.fromisoformat(follow_text) if follow_text else None,
    )
    return draft, choice


def view_errors(problems: dict[str, str]) -> dict[str, str]:
    return {
        str(FIELD_BLOCKS.get(name, VisitField.COMPANY)): text for name, text in problems.items()
    }


# -- callbacks (module functions, so tests call them with mocks) --------------------------------


def handle_command(
    knalle: Knalle, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """After the ack: route `/besök …` to its sub-command, or log the line as a visit."""
    text = str(command.get("text") or "").strip()
    user_id = str(command.get("user_id") or "")
    word = first_word(text)
    rest = rest_after_first_word(text)
    today = today_of(knalle.clock)
    try:
        if not text:
            open_new_modal(knalle, client, command)
        elif word in HELP_WORDS:
            respond(**help_message(), response_type="ephemeral")
        elif word in LIST_WORDS:
            listing = core.list_visits(knalle, user_id, core.unescape(rest))
            respond(**list_message(listing, today), response_type="ephemeral")
        elif word in SEARCH_WORDS:
            query = core.unescape(rest)
            respond(
                **search_message(query, core.search(knalle, query), today),
                response_type="ephemeral",
            )
        elif word in COMPANY_WORDS:
            history = core.company_history(knalle, core.unescape(rest))
            respond(**history_message(history, today), response_type="ephemeral")
        elif word in STATS_WORDS:
            respond(**stats_message(core.statistics(knalle, rest)), response_type="ephemeral")
        elif word in UNDO_WORDS:
            respond(**undone_message(core.undo_latest(knalle, user_id)), response_type="ephemeral")
        else:
            record_line(knalle, text, user_id, respond)
    except UserError as error:
        respond(**error_reply(error))


def record_line(knalle: Knalle, text: str, user_id: str, respond: Respond) -> None:
    today = today_of(knalle.clock)
    try:
        visit = core.record_text(knalle, text, user_id, today=today)
    except UnsureCompany as error:
        respond(**unsure_message(error, today, text), response_type="ephemeral")
        return
    respond(**confirmation_message(visit), response_type="ephemeral")


def open_new_modal(knalle: Knalle, client: WebClient, command: dict[str, Any]) -> None:
    metadata = {"channel": command.get("channel_id", "")}
    client.views_open(
        trigger_id=command["trigger_id"],
        view=visit_modal(today_of(knalle.clock), metadata=metadata),
    )


def handle_pick(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    """A company chosen for a pending line: store it now, and replace the question."""
    user_id = str(body["user"]["id"])
    value = str(body["actions"][0].get("value") or "")
    try:
        choice, day, text = parse_pick_value(value)
        visit = core.record_text(
            knalle, text, user_id, company="new" if choice == NEW_CHOICE else int(choice), today=day
        )
    except UserError as error:
        respond(**error_reply(error), replace_original=False)
        return
    respond(**confirmation_message(visit), replace_original=True)


def handle_undo(knalle: Knalle, body: dict[str, Any], respond: Respond) -> None:
    user_id = str(body["user"]["id"])
    try:
        visit = core.undo(knalle, int(body["actions"][0]["value"]), user_id)
    except UserError as error:
        respond(**error_reply(error), replace_original=False)
        return
    respond(**undone_message(visit), replace_original=True)


def handle_edit(knalle: Knalle, body: dict[str, Any], client: WebClient) -> None:
    """Open the modal at once (trigger_id lasts 3 s), then fill it with the stored visit."""
    opened = client.views_open(trigger_id=body["trigger_id"], view=loading_modal())
    view = opened["view"]
    user_id = str(body["user"]["id"])
    try:
        visit = core.get_for_edit(knalle, int(body["actions"][0]["value"]), user_id)
    except UserError as error:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=notice_modal(safe_text(error.message))
        )
        return
    metadata = {
        "visit": visit.id,
        "channel": (body.get("channel") or {}).get("id", ""),
        "response_url": body.get("response_url", ""),
    }
    client.views_update(
        view_id=view["id"],
        hash=view.get("hash"),
        view=visit_modal(today_of(knalle.clock), metadata=metadata, visit=visit),
    )


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def handle_submission(
    knalle: Knalle, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Validate and store, then ack: Slack shows field errors only in the ack's response."""
    user_id = str(body["user"]["id"])
    metadata = _metadata(view)
    draft, choice = draft_from_view(view)
    problems = core.problems_with(knalle, draft, user_id)
    if draft.visit_date == dt.date.min:
        problems[core.FIELD_DATE] = texts.DATE_MISSING
    if problems:
        ack(response_action="errors", errors=view_errors(problems))
        return
    editing = view.get("callback_id") == VisitView.EDIT
    try:
        if editing:
            visit = core.edit(knalle, int(metadata.get("visit", 0)), user_id, draft, company=choice)
        else:
            visit = core.record(knalle, draft, user_id, company=choice)
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
    intake_for(app, knalle).register(app, COMMANDS, handle_command)

    @app.action(VisitAction.PICK_COMPANY)
    def pick_company(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_pick(knalle, body, respond)

    @app.action(VisitAction.UNDO)
    def undo_button(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        handle_undo(knalle, body, respond)

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
