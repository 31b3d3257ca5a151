"""Every action, block and view id, in one place: wiring, builders and tests share them."""

from __future__ import annotations

from enum import StrEnum


class VisitAction(StrEnum):
    EDIT = "visit.edit"  # value: visit id
    UNDO = "visit.undo"  # value: visit id
    PICK_COMPANY = "visit.pick_company"  # value: a choice when the company match is unsure


class VisitView(StrEnum):
    NEW = "visit.new"
    EDIT = "visit.edit"


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
    PICK = "activity.pick"  # value: "id|light|comment"; chosen among ambiguous matches
    SHOW = "activity.show"  # value: activity id; `/aktivitet visa` among ambiguous matches


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
