"""Block Kit for `/aktivitet`: receipts, lists, one activity's history, candidates and the
update modal. Pure functions from the core's records; user text is escaped here."""

from __future__ import annotations

from typing import Any

from bot.core.activities import updates as core
from bot.core.plan.lights import LEGEND, SYMBOL, Light
from bot.core.text.sv import sv_date
from bot.errors import InvalidInput
from handlers import texts as handler_texts
from handlers.activity import texts
from handlers.blocks import (
    COMPACT_PREVIEW_MIN,
    LIST_TEXT_BUDGET,
    MESSAGE_BLOCK_LIMIT,
    SHORT_TITLE,
    Block,
    ListItem,
    actions,
    button,
    clip,
    context,
    divider,
    escape,
    header,
    item_list,
    meant_command_blocks,
    message,
    modal,
    plain,
    section,
    text_length,
)
from handlers.fields import record_id
from handlers.ids import ActivityAction, ActivityField, ActivityView, nth

OPTION_TEXT_LIMIT = 75
OPTIONS_PER_GROUP = 100
MINE_MAX_ACTIVITIES = 45  # 50 blocks a message, less header, context and a note
COMMENT_PREVIEW = 300  # of the latest comment, in lists


# -- Block Kit --------------------------------------------------------------------------------


def legend_line() -> str:
    return "; ".join(f"{SYMBOL[light]} {light.value} = {LEGEND[light]}" for light in Light)


def meant_command_message(command: str) -> dict[str, Any]:
    """ "Menade du `/aktivitet mina`?" with a button that runs it."""
    return message(
        texts.MEANT_FALLBACK.format(command=escape(command)),
        meant_command_blocks(
            texts.MEANT_COMMAND.format(command=escape(command)),
            texts.BUTTON_RUN_COMMAND.format(command=command),
            nth(ActivityAction.RUN_COMMAND, 0),
            command,
        ),
    )


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
    try:
        activity_id, light, comment = value.split("|", 2)
        return record_id(activity_id), Light(light), comment
    except ValueError as error:
        raise InvalidInput(handler_texts.BAD_ID) from error


def candidates_message(pending: core.PendingUpdate) -> dict[str, Any]:
    question = core.AMBIGUOUS_ACTIVITY.format(name=escape(pending.name))
    prompt = texts.PICK_PROMPT.format(
        question=question, symbol=SYMBOL[pending.light], light=pending.light.value
    )
    buttons = [
        button(
            clip(ref.label, 75),
            nth(ActivityAction.PICK, index),
            pick_value(ref.id, pending.light, pending.comment),
        )
        for index, ref in enumerate(pending.candidates)
    ]
    blocks = [section(prompt), actions(*buttons)]
    return message(texts.PICK_FALLBACK, blocks)


def show_candidates_message(error: core.AmbiguousActivity) -> dict[str, Any]:
    buttons = [
        button(clip(ref.label, 75), nth(ActivityAction.SHOW, index), str(ref.id))
        for index, ref in enumerate(error.activities)
    ]
    return message(texts.PICK_FALLBACK, [section(escape(error.message)), actions(*buttons)])


def last_update_line(status: core.ActivityStatus, preview: int = COMMENT_PREVIEW) -> str:
    update = status.latest
    if update is None:
        return texts.NO_UPDATE
    comment = " ".join(update.comment.split())
    return texts.LAST_UPDATE.format(
        light=texts.light_label(update.light),
        comment=escape(clip(comment, preview)) if preview >= COMPACT_PREVIEW_MIN else "…",
        author=_author(update),
        date=sv_date(update.recorded_at.date()),
    )


def status_heading(status: core.ActivityStatus) -> str:
    light = status.current.light if status.current else None
    return f"{texts.light_label(light)} *{escape(status.ref.label)}*"


def status_short(status: core.ActivityStatus) -> str:
    light = status.current.light if status.current else None
    title = clip(status.ref.title, SHORT_TITLE)
    return f"{texts.light_label(light)} *{escape(status.ref.number)} {escape(title)}*"


def status_line(status: core.ActivityStatus, preview: int = COMMENT_PREVIEW) -> str:
    return f"{status_heading(status)}\n{last_update_line(status, preview)}"


def status_items(
    activities: list[core.ActivityStatus] | tuple[core.ActivityStatus, ...],
    *,
    max_blocks: int,
    budget: int = LIST_TEXT_BUDGET,
    more: str = texts.TRUNCATED,
) -> list[Block]:
    """Each activity with its Uppdatera button, or a line each when they do not all fit."""

    def row(status: core.ActivityStatus) -> ListItem:
        return ListItem(
            heading=status_heading(status),
            detail=lambda preview: last_update_line(status, preview),
            button=button(texts.UPDATE_BUTTON, ActivityAction.UPDATE, str(status.ref.id)),
            short=status_short(status),
        )

    return item_list(
        [row(status) for status in activities],
        max_blocks=max_blocks,
        budget=budget,
        shared_button=button(texts.UPDATE_ANY_BUTTON, ActivityAction.UPDATE, "", style="primary"),
        more=lambda count: more.format(count=count),
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
    blocks += status_items(mine.activities, max_blocks=MINE_MAX_ACTIVITIES)
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
        # Newest last; when they do not all fit (50 blocks, the text budget), the oldest give
        # way, and the note says how many.
        room = MESSAGE_BLOCK_LIMIT - len(blocks) - 1
        budget = LIST_TEXT_BUDGET + 1000 - text_length(blocks)
        lines: list[Block] = []
        for update in reversed(detail.history):
            line = section(
                texts.HISTORY_LINE.format(
                    date=sv_date(update.recorded_at.date()),
                    period=update.period,
                    light=texts.light_label(update.light),
                    author=_author(update),
                    comment=escape(update.comment) or texts.NOTHING,
                )
            )
            if len(lines) >= room or text_length([*lines, line]) > budget:
                break
            lines.insert(0, line)
        if len(lines) < len(detail.history):
            blocks.append(
                context(texts.HISTORY_TRUNCATED.format(count=len(detail.history) - len(lines)))
            )
        blocks += lines
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
    """`text` is mrkdwn, escaped already (handlers.errors.message_for)."""
    return modal(
        texts.MODAL_NO_PLAN_TITLE,
        [section(text)],
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
    # Every activity is offered: Slack takes 100 options a group and 100 groups, so a long
    # list is split into groups by chapter, and a chapter past 100 into parts.
    groups = _groups(texts.GROUP_MINE, mine) + _chapter_groups(others)
    offered = [ref for _, refs in groups for ref in refs]
    if len(groups) > 1:
        select["option_groups"] = [
            {"label": plain(label, OPTION_TEXT_LIMIT), "options": [_option(r) for r in refs]}
            for label, refs in groups[:OPTIONS_PER_GROUP]
        ]
    else:
        select["options"] = [_option(ref) for ref in offered[:OPTIONS_PER_GROUP]]
    # Slack rejects an initial option that is not among the options.
    chosen = next((ref for ref in offered if ref.id == selected), None)
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


def _groups(label: str, refs: list[core.ActivityRef]) -> list[tuple[str, list[core.ActivityRef]]]:
    chunks = [refs[i : i + OPTIONS_PER_GROUP] for i in range(0, len(refs), OPTIONS_PER_GROUP)]
    if len(chunks) <= 1:
        return [(label, chunks[0])] if chunks else []
    return [(f"{label} ({n}/{len(chunks)})", chunk) for n, chunk in enumerate(chunks, start=1)]


def _chapter_groups(refs: list[core.ActivityRef]) -> list[tuple[str, list[core.ActivityRef]]]:
    """The other activities: one group while they fit, else one per chapter (1.x.y → 1)."""
    if len(refs) <= OPTIONS_PER_GROUP:
        return _groups(texts.GROUP_ALL, refs)
    chapters: dict[str, list[core.ActivityRef]] = {}
    for ref in refs:
        chapters.setdefault(ref.number.split(".", 1)[0], []).append(ref)
    found: list[tuple[str, list[core.ActivityRef]]] = []
    for chapter, members in chapters.items():
        found += _groups(texts.GROUP_CHAPTER.format(chapter=chapter), members)
    return found


def _input(block_id: str, label: str, element: dict[str, Any]) -> Block:
    return {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element}
