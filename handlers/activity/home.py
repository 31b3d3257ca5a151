"""The App Home tab: my activities with "Uppdatera", what is due, my visits, the team's count,
key figures, and pausing DMs. `publish_home` lets any surface refresh it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.context import Knalle
from bot.core import home as core
from bot.core.followup import pauses
from bot.core.text.sv import sv_date, sv_day
from bot.errors import UserError
from handlers.activity import texts
from handlers.activity.blocks import status_items
from handlers.blocks import (
    SECTION_TEXT_LIMIT,
    VIEW_BLOCK_LIMIT,
    Block,
    button,
    clip,
    context,
    divider,
    escape,
    header,
    modal,
    plain,
    section,
)
from handlers.ids import HomeAction, HomeField, HomeView
from handlers.visits.blocks import message_link

logger = logging.getLogger(__name__)

PAUSE_DEFAULT_DAYS = 14


def _pause_block(data: core.HomeData) -> Block:
    if data.paused_until is not None:
        return section(
            texts.HOME_PAUSED.format(date=sv_date(data.paused_until)),
            accessory=button(texts.HOME_RESUME_BUTTON, HomeAction.RESUME_DMS, "resume"),
        )
    return section(
        texts.HOME_NOT_PAUSED,
        accessory=button(texts.HOME_PAUSE_BUTTON, HomeAction.PAUSE_DMS, "pause"),
    )


def _due_block(data: core.HomeData) -> Block:
    unreported = data.unreported
    if not unreported:
        return section(texts.HOME_DUE_NONE.format(period=data.period.label))
    days = (data.next_followup - data.today).days
    when = texts.HOME_DUE_TODAY if days <= 0 else texts.HOME_DUE_DAYS.format(days=days)
    title = texts.HOME_DUE.format(followup=sv_date(data.next_followup), days=when)
    lines = "\n".join(f"• {escape(status.ref.label)}" for status in unreported)
    return section(clip(f"{title}\n{lines}", 3000))


def _visits_block(data: core.HomeData) -> Block:
    if not data.recent_visits:
        return section(texts.HOME_NO_VISITS)
    lines = "\n".join(
        texts.HOME_VISIT.format(
            date=sv_day(visit.visit_date),
            company=escape(visit.company),
            form=escape(visit.form),
        )
        + (
            texts.HOME_VISIT_LINK.format(link=message_link(visit.permalink))
            if visit.permalink
            else ""
        )
        for visit in data.recent_visits
    )
    return section(f"{texts.HOME_VISITS}\n{lines}")


def _team_block(data: core.HomeData) -> Block:
    diff = data.team_visits - data.pace_now
    if diff > 0:
        verdict = texts.HOME_AHEAD.format(diff=diff)
    elif diff < 0:
        verdict = texts.HOME_BEHIND.format(diff=-diff)
    else:
        verdict = texts.HOME_ON_PACE
    text = texts.HOME_TEAM.format(
        year=data.today.year,
        count=data.team_visits,
        target=data.visit_target,
        pace=data.pace_now,
        verdict=verdict,
    )
    if data.campaigns:
        text += "\n" + texts.HOME_CAMPAIGNS + "\n"
        text += "\n".join(f"• {escape(line)}" for line in data.campaigns)
    return section(text)


def _key_figures_block(data: core.HomeData) -> Block | None:
    figures = [figure for figure in data.key_figures if figure.target or figure.outcome]
    if not figures:
        return None
    lines = "\n".join(
        texts.HOME_KEY_FIGURE.format(
            name=escape(figure.name),
            target=escape(figure.target) or texts.NOTHING,
            outcome=escape(figure.outcome) or texts.NOTHING,
            met=texts.HOME_MET
            if figure.met
            else (texts.HOME_NOT_MET if figure.met is False else ""),
        )
        for figure in figures
    )
    return section(clip(f"{texts.HOME_KEY_FIGURES.format(year=data.today.year)}\n{lines}", 3000))


def home_view(data: core.HomeData) -> Block:
    """The Home tab, never over Slack's 100 blocks: activities give way, with a note."""
    top: list[Block] = [header(texts.HOME_HEADER)]
    if data.staff_name is None:
        top.append(section(texts.HOME_NOT_LINKED.format(user_id=escape(data.user_id))))
    else:
        # Only a linked user has "Mina aktiviteter" below; else the visits' divider follows.
        top += [_pause_block(data), divider()]
    bottom: list[Block] = []
    if data.staff_name is not None and data.activities:
        bottom += [divider(), _due_block(data)]
    bottom += [divider(), _visits_block(data), _team_block(data)]
    figures = _key_figures_block(data)
    if figures is not None:
        bottom.append(figures)

    middle: list[Block] = []
    if data.staff_name is not None:
        middle.append(
            section(
                texts.HOME_MINE.format(
                    period=data.period.label, followup=sv_date(data.next_followup)
                )
            )
        )
        if not data.activities:
            middle.append(context(texts.HOME_NO_ACTIVITIES))
        room = VIEW_BLOCK_LIMIT - len(top) - len(bottom) - len(middle)
        if data.activities:
            # A view has no total-text limit, only 100 blocks; past them a line each.
            middle += status_items(
                data.activities,
                max_blocks=room,
                budget=room * SECTION_TEXT_LIMIT,
                more=texts.HOME_TRUNCATED,
            )
    blocks = top + middle + bottom
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}


def publish_home(client: WebClient, knalle: Knalle, user_id: str) -> None:
    """Rebuild and publish `user_id`'s Home tab (after an update, a pause, or when opened)."""
    with knalle.db.read() as session:
        data = core.home_data(
            session,
            user_id,
            knalle.clock.now().date(),
            followup_dates=knalle.settings_in(session).followup_dates,
            visit_target=knalle.settings.visit_target,
        )
    client.views_publish(user_id=user_id, view=home_view(data))


def pause_modal(today: dt.date) -> Block:
    picker = {
        "type": "datepicker",
        "action_id": HomeField.PAUSE_UNTIL,
        "initial_date": (today + dt.timedelta(days=PAUSE_DEFAULT_DAYS)).isoformat(),
        "placeholder": plain(texts.PAUSE_MODAL_NO_DATE, 150),
    }
    blocks: list[Block] = [
        section(texts.PAUSE_MODAL_TEXT),
        {
            "type": "input",
            "block_id": HomeField.PAUSE_UNTIL,
            "label": plain(texts.PAUSE_MODAL_LABEL, 2000),
            "element": picker,
        },
    ]
    return modal(
        texts.PAUSE_MODAL_TITLE, blocks, callback_id=HomeView.PAUSE, submit=texts.PAUSE_MODAL_SUBMIT
    )


def chosen_date(view: dict[str, Any]) -> dt.date | None:
    values = (view.get("state") or {}).get("values") or {}
    picked = ((values.get(HomeField.PAUSE_UNTIL) or {}).get(HomeField.PAUSE_UNTIL) or {}).get(
        "selected_date"
    )
    try:
        return dt.date.fromisoformat(str(picked)) if picked else None
    except ValueError:
        return None


def handle_pause_submission(
    knalle: Knalle, ack: Ack, client: WebClient, body: dict[str, Any], view: dict[str, Any]
) -> None:
    user_id = str(body["user"]["id"])
    today = knalle.clock.now().date()
    until = chosen_date(view)
    error: str | None = None
    if until is None or until <= today:
        error = texts.PAUSE_MODAL_NO_DATE
    else:
        with knalle.db.read() as session:
            if not pauses.in_directory(session, user_id):
                error = pauses.NOT_IN_DIRECTORY.format(user_id=user_id)
    if error is not None or until is None:
        ack(response_action="errors", errors={HomeField.PAUSE_UNTIL: error or ""})
        return
    ack()
    try:
        with knalle.db.write() as session:
            pauses.pause_dms(session, user_id, until, today=today, surface=knalle.surface)
    except UserError:
        logger.warning("pause of %s refused after validation", user_id, exc_info=True)
    publish_home(client, knalle, user_id)


def register(app: App, knalle: Knalle) -> None:
    @app.event("app_home_opened")
    def home_opened(client: WebClient, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, knalle, str(event["user"]))

    @app.action(HomeAction.PAUSE_DMS)
    def pause_button(ack: Ack, client: WebClient, body: dict[str, Any]) -> None:
        ack()
        client.views_open(
            trigger_id=str(body["trigger_id"]), view=pause_modal(knalle.clock.now().date())
        )

    @app.action(HomeAction.RESUME_DMS)
    def resume_button(ack: Ack, client: WebClient, body: dict[str, Any]) -> None:
        ack()
        user_id = str(body["user"]["id"])
        with knalle.db.write() as session:
            pauses.resume_dms(session, user_id, surface=knalle.surface)
        publish_home(client, knalle, user_id)

    @app.view(HomeView.PAUSE)
    def pause_submitted(
        ack: Ack, client: WebClient, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        handle_pause_submission(knalle, ack, client, body, view)
