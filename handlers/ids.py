"""Every action, block and view id, in one place: wiring, builders and tests share them."""

from __future__ import annotations

import re
from enum import StrEnum


def nth(action: StrEnum, index: int) -> str:
    """The action id of the `index`th button of one kind in a block: Slack refuses a block
    whose buttons share an action_id (`invalid_blocks`), so each gets `kind:N`."""
    return f"{action}:{index}"


def any_nth(action: StrEnum) -> re.Pattern[str]:
    """What a listener matches for `nth` ids (and the bare id, as older messages carry)."""
    return re.compile(rf"^{re.escape(str(action))}(:\d+)?$")


def kind_of(action_id: str) -> str:
    """The kind of an action id, without its `:N`."""
    return action_id.split(":", 1)[0]


class VisitAction(StrEnum):
    EDIT = "visit.edit"  # value: visit id
    UNDO = "visit.undo"  # value: visit id
    # value: a choice when the company match is unsure; one per button: `nth(PICK_COMPANY, i)`
    PICK_COMPANY = "visit.pick_company"
    # Questions before anything is stored; several buttons in one block get ":N" after the id.
    PICK_DAY = "visit.pick_day"  # value: "today|day|phrase|line"; a week or an unclear date
    SAVE_EACH = "visit.save_each"  # value: "today|line"; one visit per company on the line
    UPDATE_EARLIER = "visit.update_earlier"  # value: "visit id|today|line"; a corrected resend
    SAVE_AS_NEW = "visit.save_as_new"  # value: "today|line"; the resend is another visit
    SAVE_LINE = "visit.save_line"  # value: "today|line"; a line that looked like a command
    RUN_COMMAND = "visit.run_command"  # value: the sub-command meant ("lista"), run as typed
    # An admin's care of the register, under `/besök företag NAMN`; value: the company id.
    COMPANY_RENAME = "visit.company_rename"  # opens a modal for the new name
    COMPANY_MERGE = "visit.company_merge"  # opens a modal for the company that stays
    COMPANY_REMOVE = "visit.company_remove"  # removes, after Slack's confirmation dialog


class VisitView(StrEnum):
    NEW = "visit.new"
    EDIT = "visit.edit"
    COMPANY_RENAME = "visit.company_rename"  # private_metadata: {"company": id}
    COMPANY_MERGE = "visit.company_merge"
    SAVED = "visit.saved"  # the shortcut on a message already saved: the visit, with Ändra


class CompanyField(StrEnum):
    NAME = "company.field.name"  # the new name, or the company that stays


class VisitShortcut(StrEnum):
    FROM_MESSAGE = "visit_from_message"  # the message shortcut "Spara som besök" (manifest)


class VisitMessageAction(StrEnum):
    # The question to the author of a visit message in KNALLE_VISIT_CHANNEL; value "channel|ts".
    SAVE = "visit.message.save"
    EDIT = "visit.message.edit"
    DISMISS = "visit.message.dismiss"
    EDIT_SAVED = "visit.message.edit_saved"  # value: visit id; in the "already saved" modal


class VisitField(StrEnum):
    # Block and action ids of the visit modal's inputs (each block holds one element).
    COMPANY = "visit.field.company"  # external_select; options from the register
    DATE = "visit.field.date"
    COLLEAGUES = "visit.field.colleagues"
    OTHERS = "visit.field.others"
    FORM = "visit.field.form"
    NOTES = "visit.field.notes"
    FOLLOW_UP = "visit.field.follow_up"
    THEMES = "visit.field.themes"  # multi_static_select, in the edit modal only
    HISTORY = "visit.history"  # the edit modal's history section (admins only), not an input


class ActivityAction(StrEnum):
    # Used by the /aktivitet replies, the Home tab and the reminder DMs alike.
    UPDATE = "activity.update"  # value: activity id; opens the update modal
    # Both sit several to a block, so each button is `nth(PICK, i)` / `nth(SHOW, i)`.
    PICK = "activity.pick"  # value: "id|light|comment"; chosen among ambiguous matches
    SHOW = "activity.show"  # value: activity id; `/aktivitet visa` among ambiguous matches
    RUN_COMMAND = "activity.run_command"  # value: the sub-command meant ("mina"), run as typed


class ActivityView(StrEnum):
    UPDATE = "activity.update"


class ActivityField(StrEnum):
    # Block and action ids of the update modal's inputs (each block holds one element).
    ACTIVITY = "activity.field.activity"
    LIGHT = "activity.field.light"
    COMMENT = "activity.field.comment"


class HomeAction(StrEnum):
    PAUSE_DMS = "home.pause_dms"
    RESUME_DMS = "home.resume_dms"


class HomeView(StrEnum):
    PAUSE = "home.pause"


class HomeField(StrEnum):
    PAUSE_UNTIL = "home.field.pause_until"  # the pause modal's datepicker
