"""Slack's room: one module per command or surface, each with `register(app, knalle)`."""

from __future__ import annotations

from slack_bolt import App

from bot.app import Knalle
from handlers import errors, middleware
from handlers.activity import command as activity
from handlers.home import tab as home
from handlers.report import command as report_command
from handlers.visits import command as visits
from handlers.visits import messages as visit_messages

# Order matters only for middleware and the error handler, which must come first.
SURFACES = [
    middleware,
    errors,
    report_command,  # `/aktivitet rapport`: must come before the catch-all `activity`
    activity,  # `/aktivitet` catch-all: after every `/aktivitet` sub-command module
    home,
    visits,
    visit_messages,  # the shortcut "Spara som besök" and the visit channel's question
]


def register_all(app: App, knalle: Knalle) -> None:
    for surface in SURFACES:
        surface.register(app, knalle)
