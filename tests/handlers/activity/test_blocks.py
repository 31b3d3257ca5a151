"""The /aktivitet and Home Block Kit builders stay inside Slack's limits and escape user text."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from unittest.mock import MagicMock

from bot.context import Knalle
from bot.core.activities import updates as core
from bot.core.followup.periods import make_period, steady_pace
from bot.core.home import HomeData, KeyFigureLine, VisitLine
from bot.core.plan.lights import Light
from handlers.activity import blocks as activity_blocks
from handlers.activity import command as activity
from handlers.activity import home
from handlers.ids import ActivityAction, ActivityField
from handlers.limits import check_message, check_view

PERIOD = make_period(2026, 2)
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def ref(n: int) -> core.ActivityRef:
    return core.ActivityRef(n, f"1.{n // 10}.{n % 10}", f"Aktivitet nummer {n} " + "x" * 90)


def status(n: int, light: Light | None = None, comment: str = "Klart") -> core.ActivityStatus:
    update = (
        core.UpdateInfo(n, light, comment, PERIOD.label, NOW, "UPIA", "Pia", "slack")
        if light
        else None
    )
    return core.ActivityStatus(ref(n), ("Pia",), "Medel", update, update)


def all_texts(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found += all_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += all_texts(item)
    return found


def home_data(count: int, **changes: Any) -> HomeData:
    values: dict[str, Any] = {
        "user_id": "UPIA",
        "staff_name": "Pia",
        "today": NOW.date(),
        "period": PERIOD,
        "activities": tuple(status(n, Light.GUL if n % 2 else None) for n in range(count)),
        "recent_visits": (VisitLine(dt.date(2026, 11, 23), "<!channel> AB", "på plats"),),
        "team_visits": 40,
        "visit_target": 150,
        "pace_now": steady_pace(150, NOW.date()),
        "key_figures": (KeyFigureLine("NKI", "75", "", None),),
        "paused_until": None,
    }
    values.update(changes)
    return HomeData(**values)


def test_home_with_many_activities_stays_under_100_blocks_and_names_them_all() -> None:
    view = home.home_view(home_data(150))
    assert len(view["blocks"]) <= 100
    assert check_view(view, method="views.publish") is None
    texts = "\n".join(all_texts(view))
    # Too many for a button each: a line each, and one button opening the form with them all.
    assert all(f"*{ref(n).number} " in texts for n in range(150))
    update_buttons = [b for b in buttons_of(view) if b["action_id"] == ActivityAction.UPDATE]
    assert [b["value"] for b in update_buttons] == [""]


def test_home_with_60_activities_gives_each_its_button() -> None:
    view = home.home_view(home_data(60))
    assert check_view(view, method="views.publish") is None
    values = {b["value"] for b in buttons_of(view) if b["action_id"] == ActivityAction.UPDATE}
    assert values == {str(n) for n in range(60)}


def buttons_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        found += [e for e in block.get("elements") or [] if e.get("type") == "button"]
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def test_home_with_few_activities_has_no_note_and_escapes_companies() -> None:
    view = home.home_view(home_data(3))
    texts = "\n".join(all_texts(view))
    assert "inte får plats" not in texts
    assert "<!channel>" not in texts and "&lt;!channel&gt; AB" in texts
    assert "NKI: mål 75, utfall –" in texts


def test_steady_pace_reaches_the_target_on_new_years_eve() -> None:
    assert steady_pace(150, dt.date(2026, 12, 31)) == 150
    assert steady_pace(150, dt.date(2026, 1, 1)) == 0
    assert steady_pace(150, dt.date(2026, 7, 2)) == 75


def test_mine_message_stays_within_slack_and_names_every_activity() -> None:
    long = "Läget: " + "arbetet fortsätter enligt plan. " * 43  # 1,400 characters
    mine = core.MyActivities("Pia", PERIOD, tuple(status(n, Light.GUL, long) for n in range(70)))
    reply = activity_blocks.mine_message(mine, "UPIA")
    assert check_message(reply) is None
    texts = "\n".join(all_texts(reply))
    assert all(f"*{ref(n).number} " in texts for n in range(70))


def test_mine_message_with_few_long_comments_keeps_a_button_each() -> None:
    long = "x" * 1400
    mine = core.MyActivities("Pia", PERIOD, tuple(status(n, Light.GUL, long) for n in range(20)))
    reply = activity_blocks.mine_message(mine, "UPIA")
    assert check_message(reply) is None  # 20 × 300-character previews was over 10,000
    assert len([b for b in reply["blocks"] if b.get("accessory")]) == 20


def test_modal_groups_hold_at_most_100_options_of_75_characters() -> None:
    everything = [
        core.ActivityRef(n, f"{n // 100 + 1}.{n % 10}.{n}", f"Aktivitet {n} " + "x" * 90)
        for n in range(500)
    ]
    view = activity_blocks.update_modal(everything[:120], everything, period="2026-H2", selected=5)
    assert check_view(view) is None
    select = view["blocks"][0]["element"]
    groups = select["option_groups"]
    assert all(len(group["options"]) <= 100 for group in groups)
    # Every one of the 500 can be chosen: mine first (in two parts), the rest by chapter.
    values = [o["value"] for g in groups for o in g["options"]]
    assert sorted(values, key=int) == [str(n) for n in range(500)]
    assert [g["label"]["text"] for g in groups][:3] == [
        "Mina aktiviteter (1/2)",
        "Mina aktiviteter (2/2)",
        "Kapitel 2",
    ]
    assert all(len(o["text"]["text"]) <= 75 for g in groups for o in g["options"])
    assert select["initial_option"] == groups[0]["options"][5]
    assert len(view["title"]["text"]) <= 24


def test_modal_without_own_activities_has_one_flat_list() -> None:
    view = activity_blocks.update_modal([], [ref(1), ref(2)], period="2026-H2")
    assert "option_groups" not in view["blocks"][0]["element"]
    assert len(view["blocks"][0]["element"]["options"]) == 2


def test_pending_update_survives_the_button_value_even_with_pipes() -> None:
    comment = "Klart | nästan & <b>"
    value = activity_blocks.pick_value(12, Light.GUL, comment)
    assert activity_blocks.parse_pick_value(value) == (12, Light.GUL, comment)
    longest = activity_blocks.pick_value(10**6, Light.GRON, "x" * core.COMMENT_LIMIT)
    assert len(longest) <= 2000  # Slack's limit on a button value


def test_long_history_keeps_the_newest_under_50_blocks() -> None:
    history = tuple(
        core.UpdateInfo(n, Light.GRON, f"kommentar {n}", "2026-H2", NOW, "UPIA", "Pia", "slack")
        for n in range(80)
    )
    detail = core.ActivityDetail(
        status=status(1),
        chapter="1 Samverkan",
        section="1.2 Företagsbesök",
        purpose="Syfte <x>",
        goal="",
        actions=("Göra & låta",),
        years=(2026,),
        follow_up_rule="Två gånger per år",
        history=history,
    )
    reply = activity_blocks.detail_message(detail)
    texts = "\n".join(all_texts(reply))
    assert len(reply["blocks"]) <= 50
    assert "kommentar 79" in texts and "kommentar 0\n" not in texts
    assert "äldre uppdateringar" in texts
    assert "Syfte &lt;x&gt;" in texts and "Göra &amp; låta" in texts


def test_submission_validation_names_each_missing_field() -> None:
    view: dict[str, Any] = {"state": {"values": {}}}
    errors, _ = activity.validate_submission(view)
    assert set(errors) == {ActivityField.ACTIVITY, ActivityField.LIGHT, ActivityField.COMMENT}
    long_view = {
        "state": {
            "values": {
                ActivityField.ACTIVITY: {
                    ActivityField.ACTIVITY: {"selected_option": {"value": "3"}}
                },
                ActivityField.LIGHT: {ActivityField.LIGHT: {"selected_option": {"value": "röd"}}},
                ActivityField.COMMENT: {ActivityField.COMMENT: {"value": "x" * 1501}},
            }
        }
    }
    errors, _ = activity.validate_submission(long_view)
    assert list(errors) == [ActivityField.COMMENT] and "1500" in errors[ActivityField.COMMENT]


def test_slack_tokens_in_command_text_become_readable_words() -> None:
    raw = (
        "Företagsamt gul med <@U123|pia> i <#C9|nyheter>, se <https://x.se/a|artikeln> "
        "&amp; <!here> och &lt;!channel&gt;"
    )
    assert activity.slack_text(raw) == (
        "Företagsamt gul med @pia i #nyheter, se artikeln & @here och <!channel>"
    )
    assert activity.slack_text("<@U123> <https://x.se>") == "@U123 https://x.se"


def test_an_unreadable_pause_date_is_quoted_escaped_once(sqlite_knalle: Knalle) -> None:
    # The error path escapes the message; escaping the phrase before that showed "&amp;lt;".
    respond = MagicMock()
    activity.answer_command(
        sqlite_knalle,
        {"command": "/aktivitet", "text": "paus till <x> & sånt", "user_id": "UPIA"},
        respond,
        MagicMock(),
    )
    text = respond.call_args.kwargs["text"]
    assert "\u201d&lt;x&gt; &amp; sånt\u201d kan jag inte läsa som ett datum" in text
    assert "&amp;lt;" not in text and "&amp;amp;" not in text


def test_an_activity_past_the_first_100_can_be_chosen_and_preselected() -> None:
    everything = [ref(n) for n in range(150)]
    view = activity_blocks.update_modal([], everything, period="2026-H2", selected=140)
    assert check_view(view) is None
    select = view["blocks"][0]["element"]
    assert [len(g["options"]) for g in select["option_groups"]] == [100, 50]
    assert select["initial_option"]["value"] == "140"


def test_home_without_own_activities_says_so_and_lists_nothing_due() -> None:
    texts = "\n".join(all_texts(home.home_view(home_data(0))))
    assert "Du äger inga aktiviteter" in texts and "Att rapportera" not in texts


def test_home_says_when_everything_is_reported() -> None:
    data = home_data(1, activities=(status(1, Light.GRON),))
    texts = "\n".join(all_texts(home.home_view(data)))
    assert "allt är rapporterat för 2026-H2" in texts


def test_an_update_from_the_plan_file_says_so_instead_of_an_unknown_author() -> None:
    imported = core.UpdateInfo(
        1, Light.GUL, "Årets kommentar", "2022-H2", NOW, None, None, "import"
    )
    detail = core.ActivityDetail(
        status=core.ActivityStatus(ref(1), ("Pia",), "Medel", None, imported),
        chapter="1 Samverkan",
        section="1.2 Företagsbesök",
        purpose="",
        goal="",
        actions=(),
        years=(2022,),
        follow_up_rule="",
        history=(imported,),
    )
    mine = core.MyActivities("Pia", PERIOD, (detail.status,))
    for reply in (
        activity_blocks.detail_message(detail),
        activity_blocks.mine_message(mine, "UPIA"),
    ):
        texts = "\n".join(all_texts(reply))
        assert "planfilen" in texts
        assert "okänd" not in texts


def test_home_of_an_unlinked_user_has_no_empty_stretch_between_dividers() -> None:
    for data in (home_data(0, staff_name=None, activities=()), home_data(3), home_data(0)):
        kinds = [block["type"] for block in home.home_view(data)["blocks"]]
        pairs = list(itertools.pairwise(kinds))
        assert ("divider", "divider") not in pairs, kinds
        assert kinds[-1] != "divider"
