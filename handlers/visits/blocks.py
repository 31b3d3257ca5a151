"""Block Kit for `/besök`: the replies, lists, statistics, help and the visit modal.

Pure functions from the core's records to Slack messages and views; user text is escaped here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.core.audit import AuditRow
from bot.core.companies.register import UnsureCompany
from bot.core.visits import actions as core
from bot.core.visits.feedback import Compilation
from bot.core.visits.message_reader import MessageReading
from bot.core.visits.parser import (
    FORM_DIGITAL,
    FORM_ON_SITE,
    DateQuestion,
    ParsedVisit,
    SeveralCompanies,
    day_label,
)
from bot.errors import InvalidInput, UserError
from handlers import limits
from handlers.blocks import (
    LIST_TEXT_BUDGET,
    Block,
    actions,
    button,
    clip,
    confirm_dialog,
    context,
    divider,
    escape,
    header,
    meant_command_blocks,
    message,
    modal,
    plain,
    section,
    unescape,
)
from handlers.blocks import (
    safe_text as safe_text,  # re-exported: the /besök surfaces escape core messages with it
)
from handlers.fields import record_id
from handlers.ids import (
    CompanyField,
    VisitAction,
    VisitField,
    VisitMessageAction,
    VisitView,
    nth,
)
from handlers.visits import texts

OPTION_TEXT_LIMIT = limits.OPTION_TEXT
OPTION_VALUE_LIMIT = limits.OPTION_VALUE
BUTTON_VALUE_LIMIT = limits.BUTTON_VALUE
CONFIRM_COMPANY = 120  # of a company's name in the "Ångra?" dialog (300 characters in all)
LINES_PER_SECTION_CHARS = 2800
NOTE_IN_LIST = 90
OTHERS_IN_LIST = 120
NEW_PREFIX = "new:"
ID_PREFIX = "id:"
NEW_CHOICE = "ny"


# -- small renderers --------------------------------------------------------------------------


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
    if visit.themes:
        rows.append((texts.LABEL_THEMES, escape(", ".join(visit.themes))))
    if visit.source.permalink:
        rows.append((texts.LABEL_SOURCE, message_link(visit.source.permalink)))
    return "\n".join(f"*{label}:* {value}" for label, value in rows)


def visit_buttons(visit: core.VisitRecord) -> Block:
    undo_confirm = confirm_dialog(
        texts.UNDO_CONFIRM_TITLE,
        texts.UNDO_CONFIRM_TEXT.format(
            company=escape(clip(visit.company, CONFIRM_COMPANY)),
            date=texts.plain_date(visit.visit_date),
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
    if visit.duplicate and visit.source.message is not None:
        intro = texts.ALREADY_FROM_MESSAGE
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
        parsed_choice: int | str = NEW_CHOICE if choice == NEW_CHOICE else record_id(choice)
        return parsed_choice, dt.date.fromisoformat(day), text
    except (ValueError, UserError) as error:
        raise InvalidInput(texts.PENDING_EXPIRED) from error


def unsure_message(error: UnsureCompany, day: dt.date, text: str) -> dict[str, Any]:
    buttons = [
        button(
            candidate.name,
            nth(VisitAction.PICK_COMPANY, index),
            pick_value(candidate.company_id, day, text),
        )
        for index, candidate in enumerate(error.choices)
    ]
    buttons.append(
        button(
            texts.BUTTON_NEW_COMPANY.format(name=error.name),
            nth(VisitAction.PICK_COMPANY, len(buttons)),
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


# -- questions: nothing is stored until the user answers -----------------------------------------


def line_value(*parts: str) -> str:
    """A button's value: `part|part|…|line as Slack sent it` (the line last, it may hold |)."""
    return "|".join(parts)[:BUTTON_VALUE_LIMIT]


def split_value(value: str, fields: int) -> list[str]:
    """`fields` parts of a line_value; the last is the line. InvalidInput when garbled."""
    parts = value.split("|", fields - 1)
    if len(parts) != fields:
        raise InvalidInput(texts.PENDING_EXPIRED)
    return parts


def _question(text: str, *elements: Block) -> dict[str, Any]:
    return message(
        texts.QUESTION_FALLBACK,
        [section(safe_text(text)), actions(*elements), context(texts.UNSURE_NOTHING_SAVED)],
    )


def date_question_message(question: DateQuestion, today: dt.date, text: str) -> dict[str, Any]:
    """One button per day to choose among (the working days of a week, or two readings)."""
    buttons = [
        button(
            day_label(day, today),
            nth(VisitAction.PICK_DAY, index),
            line_value(today.isoformat(), day.isoformat(), question.phrase, text),
        )
        for index, day in enumerate(question.choices)
    ]
    if not buttons:
        return {"text": safe_text(question.message), "response_type": "ephemeral"}
    return _question(question.message, *buttons)


def several_message(several: SeveralCompanies, today: dt.date, text: str) -> dict[str, Any]:
    label = texts.SAVE_EACH.format(count=len(several.visits))
    return _question(
        several.message,
        button(label, nth(VisitAction.SAVE_EACH, 0), line_value(today.isoformat(), text)),
    )


def saved_each_message(result: core.EachResult) -> dict[str, Any]:
    blocks: list[Block] = []
    if result.saved:
        names = ", ".join(escape(v.company) for v in result.saved)
        blocks.append(section(texts.SAVED_EACH.format(count=len(result.saved), names=names)))
        for visit in result.saved[:10]:
            blocks.append(context(f"*{escape(visit.company)}* {texts.long_date(visit.visit_date)}"))
            blocks.append(visit_buttons(visit))
    if result.unsure:
        blocks.append(
            section(
                texts.UNSURE_IN_EACH.format(
                    names=escape(", ".join(result.unsure)), first=escape(result.unsure[0])
                )
            )
        )
    fallback = texts.SAVED_EACH.format(
        count=len(result.saved), names=", ".join(escape(v.company) for v in result.saved)
    )
    return message(fallback, blocks)


def resend_message(resend: core.ChangedResend, today: dt.date, text: str) -> dict[str, Any]:
    earlier = resend.earlier
    return _question(
        resend.message,
        button(
            texts.BUTTON_UPDATE_EARLIER,
            nth(VisitAction.UPDATE_EARLIER, 0),
            line_value(str(earlier.id), today.isoformat(), text),
            style="primary",
        ),
        button(
            texts.BUTTON_SAVE_AS_NEW,
            nth(VisitAction.SAVE_AS_NEW, 1),
            line_value(today.isoformat(), text),
        ),
    )


def meant_command_message(command: str, today: dt.date, text: str) -> dict[str, Any]:
    """ "Menade du `/besök lista`?" with a button for it, and one to log the line as typed."""
    name = clip(" ".join(text.split()), 40)
    blocks = meant_command_blocks(
        texts.MEANT_COMMAND.format(command=escape(command)),
        texts.BUTTON_RUN_COMMAND.format(command=command),
        nth(VisitAction.RUN_COMMAND, 0),
        command,
        button(
            texts.BUTTON_SAVE_LINE.format(name=unescape(name)),
            nth(VisitAction.SAVE_LINE, 1),
            line_value(today.isoformat(), text),
        ),
    )
    return message(
        texts.MEANT_FALLBACK.format(command=escape(command)),
        [*blocks, context(texts.UNSURE_NOTHING_SAVED)],
    )


def visit_line(visit: core.VisitRecord, today: dt.date) -> str:
    parts = [
        f"*{texts.short_date(visit.visit_date, today)}*",
        f"*{escape(visit.company)}*",
        ", ".join(mention(u) for u in visit.participants),
    ]
    if visit.others:
        parts.append(escape(clip(", ".join(visit.others), OTHERS_IN_LIST)))
    if visit.form == FORM_DIGITAL:
        parts.append(FORM_DIGITAL)
    line = " · ".join(parts)
    if visit.notes:
        line += " — " + escape(clip(" ".join(visit.notes.split()), NOTE_IN_LIST))
    if visit.follow_up_on:
        line += " · " + texts.FOLLOW_UP_SHORT.format(date=texts.short_date(visit.follow_up_on))
    if visit.source.permalink:
        line += " · " + message_link(visit.source.permalink)
    return "• " + line


def message_link(permalink: str) -> str:
    """A link to the Slack message a visit was read from (Slack's own URL: only <>| escaped)."""
    url = permalink.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{url}|{texts.MESSAGE_LINK}>"


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


def within_budget(lines: list[str]) -> list[str]:
    """As many lines, from the first, as one message's text budget holds (the rest counted)."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if kept and used + len(line) + 1 > LIST_TEXT_BUDGET:
            break
        kept.append(line)
        used += len(line) + 1
    return kept


def visits_message(
    title: str, rows: tuple[core.VisitRecord, ...], today: dt.date, *, empty: str, total: int
) -> dict[str, Any]:
    fallback = escape(title)  # the notification text is mrkdwn; the header is plain text
    if not rows:
        return message(fallback, [header(title), section(empty)])
    lines = within_budget([visit_line(v, today) for v in rows])
    blocks = [header(title), *_lines_to_sections(lines)]
    if total > len(lines):
        blocks.append(context(texts.LIST_MORE.format(count=total - len(lines))))
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


def care_buttons(history: core.CompanyHistory) -> Block:
    """An admin's buttons under a company: rename, merge, remove (confirmed by Slack)."""
    count = len(history.visits)
    visits = texts.REMOVE_CONFIRM_VISITS.format(count=count) if count else ""
    confirm = confirm_dialog(
        texts.REMOVE_CONFIRM_TITLE,
        texts.REMOVE_CONFIRM_TEXT.format(name=escape(history.name), visits=visits),
        texts.REMOVE_CONFIRM_YES,
    )
    value = str(history.company_id)
    return actions(
        button(texts.BUTTON_COMPANY_RENAME, VisitAction.COMPANY_RENAME, value),
        button(texts.BUTTON_COMPANY_MERGE, VisitAction.COMPANY_MERGE, value),
        button(
            texts.BUTTON_COMPANY_REMOVE,
            VisitAction.COMPANY_REMOVE,
            value,
            style="danger",
            confirm=confirm,
        ),
        block_id=f"company.{history.company_id}",
    )


def care_modal(kind: str, company_id: int, name: str) -> Block:
    """The rename or merge modal: one text field."""
    rename = kind == VisitView.COMPANY_RENAME
    label = (texts.RENAME_LABEL if rename else texts.MERGE_LABEL).format(name=name)
    hint = texts.RENAME_HINT if rename else texts.MERGE_HINT.format(name=name)
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": 200}
    if rename:
        element["initial_value"] = name[:200]
    return modal(
        texts.RENAME_TITLE if rename else texts.MERGE_TITLE,
        [_input(CompanyField.NAME, clip(label, 2000), element, hint=hint)],
        callback_id=kind,
        submit=texts.CARE_SAVE,
        private_metadata=json.dumps({"company": company_id}),
    )


def history_message(
    history: core.CompanyHistory, today: dt.date, *, admin: bool = False
) -> dict[str, Any]:
    details = texts.HISTORY_DETAILS.format(
        cluster=escape(history.cluster or texts.UNKNOWN), org=history.org_number or texts.UNKNOWN
    )
    care = [care_buttons(history)] if admin else []
    if not history.visits:
        text = texts.HISTORY_NONE.format(name=escape(history.name))
        return message(text, [header(history.name), section(text), context(details), *care])
    summary = texts.HISTORY_COUNT.format(
        count=len(history.visits), last=texts.plain_date(history.visits[0].visit_date)
    )
    lines = within_budget([visit_line(v, today) for v in history.visits[: core.LIST_LIMIT]])
    blocks = [header(history.name), context(summary, details), *_lines_to_sections(lines)]
    if len(history.visits) > len(lines):
        blocks.append(context(texts.LIST_MORE.format(count=len(history.visits) - len(lines))))
    return message(f"{escape(history.name)}: {summary}", [*blocks, *care])


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
        f"{texts.MONTHS[m - 1]:<5}{'█' * round(20 * stats.by_month[m] / widest):<20} "
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
    if stats.campaigns:
        listed = "\n".join(f"• {escape(line)}" for line in stats.campaigns)
        blocks.append(section(f"{texts.STATS_CAMPAIGNS}\n{listed}"))
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


def new_company_option(name: str) -> dict[str, Any]:
    """Always offered, however long the typed name: the label is clipped to Slack's 75, the
    value carries as much of the name as Slack's 150 allow."""
    value = f"{NEW_PREFIX}{name}"[:OPTION_VALUE_LIMIT]
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
    theme_names: tuple[str, ...] = (),
    history: list[AuditRow] | None = None,
    zone: dt.tzinfo = dt.UTC,
    prefill: MessagePrefill | None = None,
) -> Block:
    """The new-visit modal, or the edit modal prefilled with a stored visit (and its themes,
    chosen among `theme_names`, the list's themes); `history` (the visit's audit rows, given
    to admins) adds a section under the fields."""
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
    intro: list[Block] = []
    if prefill is not None:
        _fill_from_message(prefill, company, date, colleagues, others, form, notes)
        intro = [context(*prefill.notices)] if prefill.notices else []
    blocks = [
        *intro,
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
    if visit is not None and theme_names:
        blocks.append(themes_input(theme_names, visit.themes))
    if visit is not None and history is not None:
        blocks += history_blocks(visit.id, history, zone)
    editing = visit is not None
    title = texts.MODAL_EDIT_TITLE if editing else texts.MODAL_NEW_TITLE
    if prefill is not None:
        title = texts.MODAL_FROM_MESSAGE_TITLE
    return modal(
        title,
        blocks,
        callback_id=VisitView.EDIT if editing else VisitView.NEW,
        submit=texts.MODAL_SAVE,
        private_metadata=json.dumps(metadata),
    )


HISTORY_SHOWN = 12


def history_blocks(visit_id: int, rows: list[AuditRow], zone: dt.tzinfo) -> list[Block]:
    """A divider and one section: the newest changes first, within a section's 3000 characters."""
    lines = []
    for row in reversed(rows[-HISTORY_SHOWN:]):
        what = row.label
        if row.action == "visit.edit" and row.changed_labels:
            what += texts.HISTORY_CHANGED.format(fields=", ".join(row.changed_labels))
        lines.append(
            texts.HISTORY_LINE.format(
                when=row.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                who=escape(clip(row.actor_name, 60)),
                surface=texts.SURFACES.get(row.surface, escape(row.surface)),
                what=what,
            )
        )
    if len(rows) > HISTORY_SHOWN:
        lines.append(texts.HISTORY_OLDER.format(count=len(rows) - HISTORY_SHOWN, visit=visit_id))
    if not lines:
        lines.append(texts.HISTORY_EMPTY)
    body = clip("\n".join([texts.HISTORY_TITLE, *lines]), LINES_PER_SECTION_CHARS)
    block = section(body)
    block["block_id"] = VisitField.HISTORY
    return [divider(), block]


def loading_modal() -> Block:
    return modal(
        texts.MODAL_EDIT_TITLE,
        [section(texts.MODAL_LOADING)],
        callback_id=VisitView.EDIT,
        submit=None,
    )


def notice_modal(text: str) -> Block:
    return modal(texts.MODAL_EDIT_TITLE, [section(text)], callback_id=VisitView.EDIT, submit=None)


# -- themes -----------------------------------------------------------------------------------


def _theme_option(name: str) -> dict[str, Any]:
    return {"text": plain(name, OPTION_TEXT_LIMIT), "value": name[:OPTION_VALUE_LIMIT]}


def themes_input(names: tuple[str, ...], chosen: tuple[str, ...]) -> Block:
    """The edit modal's multi-select of the list's themes (Slack: at most 100 options)."""
    listed = names[:100]
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": plain(texts.FIELD_THEMES_PLACEHOLDER, 150),
        "options": [_theme_option(name) for name in listed],
    }
    initial = [_theme_option(name) for name in chosen if name in listed]
    if initial:  # Slack refuses an empty initial_options
        element["initial_options"] = initial
    return _input(
        VisitField.THEMES, texts.FIELD_THEMES, element, optional=True, hint=texts.FIELD_THEMES_HINT
    )


def synpunkter_message(result: Compilation, *, detail: int = 3) -> dict[str, Any]:
    """`/besök synpunkter`: every theme's count; for the largest the cluster split and quotes."""
    title = texts.SYNPUNKTER_TITLE.format(year=result.year)
    blocks = [header(title)]
    blocks.append(
        section(
            texts.SYNPUNKTER_SUMMARY.format(
                visits=result.visits,
                date=texts.plain_date(result.through),
                tagged=result.tagged,
            )
        )
    )
    if not result.ranked:
        blocks.append(section(texts.SYNPUNKTER_NONE.format(year=result.year)))
    else:
        counts = [f"• {escape(t.name)}: {t.count}" for t in result.themes]
        blocks.append(section(texts.SYNPUNKTER_COUNTS + "\n" + "\n".join(counts)))
        for theme in result.ranked[:detail]:
            clusters = ", ".join(f"{escape(k)} {v}" for k, v in theme.by_cluster.items())
            lines = [
                texts.SYNPUNKTER_THEME.format(name=escape(theme.name), count=theme.count),
                texts.SYNPUNKTER_BY_CLUSTER.format(clusters=clusters),
            ]
            lines += [
                texts.SYNPUNKTER_QUOTE.format(
                    company=escape(quote.company),
                    date=texts.plain_date(quote.visit_date),
                    excerpt=escape(" ".join(quote.excerpt.split())),
                )
                for quote in theme.quotes
            ]
            blocks.append(section("\n".join(lines)))
        blocks.append(context(texts.SYNPUNKTER_MORE.format(year=result.year)))
    fallback = texts.SYNPUNKTER_FALLBACK.format(
        year=result.year, tagged=result.tagged, visits=result.visits
    )
    return message(fallback, blocks)


# -- visits from messages: the shortcut and the question in the visit channel -----------------


@dataclass(frozen=True)
class MessagePrefill:
    """The visit form's fields as read from a Slack message (the shortcut, Ändra)."""

    draft: core.VisitDraft
    company_id: int | None  # the register's company when the name surely is one
    notices: tuple[str, ...] = ()  # context lines above the fields (mrkdwn, escaped)


def _fill_from_message(
    prefill: MessagePrefill,
    company: dict[str, Any],
    date: dict[str, Any],
    colleagues: dict[str, Any],
    others: dict[str, Any],
    form: dict[str, Any],
    notes: dict[str, Any],
) -> None:
    draft = prefill.draft
    if draft.company:
        option = (
            company_option(prefill.company_id, draft.company)
            if prefill.company_id is not None
            else new_company_option(draft.company)
        )
        if option is not None:
            company["initial_option"] = option
    date["initial_date"] = draft.visit_date.isoformat()
    if draft.colleagues:
        colleagues["initial_users"] = list(draft.colleagues)
    if draft.others:
        others["initial_value"] = ", ".join(draft.others)[:2000]
    form["initial_option"] = _form_option(draft.form)
    if draft.notes:
        notes["initial_value"] = draft.notes[: core.NOTES_LIMIT]


def from_message_loading_modal() -> Block:
    return modal(
        texts.MODAL_FROM_MESSAGE_TITLE,
        [section(texts.MODAL_FROM_MESSAGE_LOADING)],
        callback_id=VisitView.NEW,
        submit=None,
    )


def saved_modal(visit: core.VisitRecord) -> Block:
    """The shortcut on a message already saved: that visit, and Ändra."""
    return modal(
        texts.MODAL_SAVED_TITLE,
        [
            section(texts.ALREADY_FROM_MESSAGE),
            section(visit_summary(visit)),
            actions(
                button(texts.BUTTON_EDIT, VisitMessageAction.EDIT_SAVED, str(visit.id)),
                block_id=f"visit.saved.{visit.id}",
            ),
        ],
        callback_id=VisitView.SAVED,
        submit=None,
    )


def message_value(channel: str, ts: str) -> str:
    return f"{channel}|{ts}"


def parse_message_value(value: str) -> tuple[str, str]:
    channel, _, ts = value.partition("|")
    if not channel or not ts:
        raise InvalidInput(texts.PENDING_EXPIRED)
    return channel, ts


def parsed_summary(parsed: ParsedVisit, author: str) -> str:
    people = [author, *(u for u in parsed.mentioned_user_ids if u != author)]
    staff = ", ".join(
        [*(mention(u) for u in people), *(escape("@" + n) for n in parsed.mentioned_names)]
    )
    rows = [
        (texts.LABEL_COMPANY, escape(parsed.company)),
        (texts.LABEL_DATE, texts.long_date(parsed.visit_date)),
        (texts.LABEL_STAFF, staff),
        (texts.LABEL_OTHERS, escape(", ".join(parsed.others)) if parsed.others else texts.NONE),
        (texts.LABEL_FORM, parsed.form),
        (texts.LABEL_NOTES, escape(parsed.notes) if parsed.notes else texts.NONE),
    ]
    return clip("\n".join(f"*{label}:* {value}" for label, value in rows), 3000)


def question_message(
    reading: MessageReading, author: str, channel: str, ts: str, *, updated: bool = False
) -> dict[str, Any]:
    """The ephemeral question to the author of a visit message: the parse, Spara / Ändra / Inte
    ett besök. Every button its own action id, in one actions block."""
    assert reading.visit is not None
    value = message_value(channel, ts)
    blocks = [
        section(texts.QUESTION_UPDATED if updated else texts.QUESTION),
        section(parsed_summary(reading.visit, author)),
    ]
    if reading.unsure:
        blocks.append(context(escape(texts.QUESTION_UNSURE.format(reason=reading.reason))))
    blocks.append(
        actions(
            button(texts.BUTTON_SAVE, VisitMessageAction.SAVE, value, style="primary"),
            button(texts.BUTTON_EDIT, VisitMessageAction.EDIT, value),
            button(texts.BUTTON_NOT_A_VISIT, VisitMessageAction.DISMISS, value),
            block_id=f"visit.message.{ts}",
        )
    )
    fallback = texts.QUESTION_FALLBACK.format(company=escape(reading.visit.company))
    return message(fallback, blocks)


def edit_unsure_message(name: str, channel: str, ts: str) -> dict[str, Any]:
    text = texts.MESSAGE_UNSURE_COMPANY.format(name=escape(name))
    return message(
        text,
        [
            section(text),
            actions(
                button(texts.BUTTON_EDIT, VisitMessageAction.EDIT, message_value(channel, ts)),
                button(
                    texts.BUTTON_NOT_A_VISIT,
                    VisitMessageAction.DISMISS,
                    message_value(channel, ts),
                ),
                block_id=f"visit.message.{ts}",
            ),
        ],
    )
