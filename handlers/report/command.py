"""`/aktivitet rapport [period]`: the follow-up report as xlsx, sent to the requester by DM.

Registered before the catch-all `/aktivitet` module (see handlers/__init__.py SURFACES), so
Bolt picks this listener when the command's first word is "rapport".
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.context import Knalle
from bot.core.followup.periods import Period
from bot.core.staff.people import is_admin
from bot.core.text.sv import sv_date
from bot.errors import NotAllowed, UserError
from handlers.blocks import escape, message, section, unescape
from handlers.commands import rest_after_first_word, subcommand
from handlers.errors import answers_errors, error_reply
from handlers.intake import intake_for
from handlers.report import texts

logger = logging.getLogger(__name__)

COMMAND = "/aktivitet"
WORDS = ("rapport", "rapporten", "report")
FORMAT = "xlsx"


def allowed_period(knalle: Knalle, user_id: str, label: str | None) -> Period:
    """The period asked for; anyone may have the current one, only admins any other."""
    from bot.core.report import resolve_period  # the report's code is loaded when one is asked

    with knalle.db.read() as session:
        followup_dates = knalle.settings_in(session).followup_dates
        current = resolve_period(None, knalle.clock, followup_dates)
        period = resolve_period(label, knalle.clock, followup_dates)
        admin = period == current or is_admin(session, user_id, knalle.settings.admins)
    if not admin:
        raise NotAllowed(texts.ONLY_CURRENT.format(current=current.label, asked=period.label))
    return period


def send_report(knalle: Knalle, client: WebClient, user_id: str, period: Period) -> Period:
    """Build the xlsx and upload it into the user's DM with Knalle (files need a channel id)."""
    from bot.files.report import default_filename, report_file

    period, content = report_file(knalle, period.label, FORMAT)
    opened = client.conversations_open(users=user_id)
    channel = str(opened["channel"]["id"])
    client.files_upload_v2(
        channel=channel,
        content=content,
        filename=default_filename(period, FORMAT),
        title=texts.FILE_TITLE.format(period=period.label),
        initial_comment=texts.FILE_COMMENT.format(period=period.label, day=sv_date(period.end)),
    )
    return period


def _reply(text: str) -> dict[str, Any]:
    return message(text, [section(escape(text))])


@answers_errors
def answer_report(
    knalle: Knalle, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """The work after the ack: build the xlsx, upload it to the DM, say so."""
    user_id = str(command["user_id"])
    label = rest_after_first_word(unescape(str(command.get("text") or ""))) or None
    try:
        asked = allowed_period(knalle, user_id, label)
        period = send_report(knalle, client, user_id, asked)
    except SlackApiError as error:
        logger.warning("could not send the report (%s)", error.response.get("error"))
        reason = str(error.response.get("error") or texts.UNKNOWN_ERROR)
        respond(**_reply(texts.UPLOAD_FAILED.format(error=reason)), response_type="ephemeral")
        return
    respond(**_reply(texts.SENT.format(period=period.label)), response_type="ephemeral")


def register(app: App, knalle: Knalle) -> None:
    def precheck(command: dict[str, Any]) -> dict[str, Any] | None:
        """Cheap checks answer in the ack itself, so "working on it" is never followed by "no"."""
        label = rest_after_first_word(unescape(str(command.get("text") or ""))) or None
        try:
            allowed_period(knalle, str(command["user_id"]), label)
        except UserError as error:  # answered in the ack itself, before anything is saved
            return error_reply(error)
        return None

    # Durable like every command (handlers/intake.py): a kill while the report is being made
    # leaves it pending, and a running process makes and sends it. It counts as finished when
    # the handler returns, not at the ack's "working on it".
    intake_for(app, knalle).register(
        [COMMAND],
        answer_report,
        matchers=[subcommand(*WORDS)],
        finish_on_reply=False,
        precheck=precheck,
        ack_reply={"text": texts.WORKING},
    )
