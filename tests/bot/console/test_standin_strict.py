"""The stand-in refuses what Slack refuses (handlers/limits.py), with Slack's error names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.console.standin import SlackStandIn
from bot.slack.client import make_web_client
from handlers import limits

pytest_plugins = ["pytester"]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def md(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def pt(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str = "hej", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": md(text), **extra}


def button(label: str = "Knapp", action_id: str = "a", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": pt(label), "action_id": action_id, **extra}


def option(text: str = "val", value: str = "v", **extra: Any) -> dict[str, Any]:
    return {"text": pt(text), "value": value, **extra}


def select(options: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "s", "options": options, **extra}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def confirm(title: str = "Säker?", text: str = "Verkligen?", yes: str = "Ja") -> dict[str, Any]:
    return {"title": pt(title), "text": md(text), "confirm": pt(yes), "deny": pt("Nej")}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": pt("Titel"), "blocks": blocks, **extra}


def text_input() -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "in",
        "label": pt("Etikett"),
        "element": {"type": "plain_text_input", "action_id": "in"},
    }


# Each rule: blocks that break it, and Slack's error name for a message.
MESSAGE_RULES: dict[str, tuple[list[dict[str, Any]], str]] = {
    "same action_id twice in a block": (
        [actions(button("Ett", "pick"), button("Två", "pick"))],
        "invalid_blocks",
    ),
    "same block_id twice in a message": (
        [section(block_id="b"), section(block_id="b")],
        "invalid_blocks",
    ),
    "51 blocks": ([section(f"{i}") for i in range(51)], "invalid_blocks"),
    "section text over 3000": ([section("x" * 3001)], "invalid_blocks"),
    "empty section text": ([section("")], "invalid_blocks"),
    "section without text or fields": ([{"type": "section"}], "invalid_blocks"),
    "11 fields": ([{"type": "section", "fields": [md("f")] * 11}], "invalid_blocks"),
    "a field over 2000": ([{"type": "section", "fields": [md("f" * 2001)]}], "invalid_blocks"),
    "header over 150": ([{"type": "header", "text": pt("h" * 151)}], "invalid_blocks"),
    "header in mrkdwn": ([{"type": "header", "text": md("h")}], "invalid_blocks"),
    "11 context elements": ([{"type": "context", "elements": [md("c")] * 11}], "invalid_blocks"),
    "26 elements in actions": (
        [actions(*[button(action_id=f"a{i}") for i in range(26)])],
        "invalid_blocks",
    ),
    "button text over 75": ([actions(button("b" * 76))], "invalid_blocks"),
    "button text in mrkdwn": (
        [actions({"type": "button", "text": md("b"), "action_id": "a"})],
        "invalid_blocks",
    ),
    "button value over 2000": ([actions(button(value="v" * 2001))], "invalid_blocks"),
    "button url over 3000": ([actions(button(url="https://x/" + "u" * 3000))], "invalid_blocks"),
    "button style other than primary/danger": (
        [actions(button(style="green"))],
        "invalid_blocks",
    ),
    "action_id over 255": ([actions(button(action_id="a" * 256))], "invalid_blocks"),
    "block_id over 255": ([section(block_id="b" * 256)], "invalid_blocks"),
    "confirm title over 100": (
        [actions(button(confirm=confirm(title="t" * 101)))],
        "invalid_blocks",
    ),
    "confirm text over 300": ([actions(button(confirm=confirm(text="t" * 301)))], "invalid_blocks"),
    "confirm button over 30": ([actions(button(confirm=confirm(yes="j" * 31)))], "invalid_blocks"),
    "101 options": (
        [actions(select([option(value=f"{i}") for i in range(101)]))],
        "invalid_blocks",
    ),
    "option text over 75": ([actions(select([option("o" * 76)]))], "invalid_blocks"),
    "option value over 150": ([actions(select([option(value="v" * 151)]))], "invalid_blocks"),
    "initial option not among the options": (
        [actions(select([option()], initial_option=option("annat", "x")))],
        "invalid_blocks",
    ),
    "6 overflow options": (
        [
            actions(
                {
                    "type": "overflow",
                    "action_id": "o",
                    "options": [option(value=f"{i}") for i in range(6)],
                }
            )
        ],
        "invalid_blocks",
    ),
    "11 checkboxes": (
        [
            actions(
                {
                    "type": "checkboxes",
                    "action_id": "c",
                    "options": [option(value=f"{i}") for i in range(11)],
                }
            )
        ],
        "invalid_blocks",
    ),
    "11 radio buttons": (
        [
            actions(
                {
                    "type": "radio_buttons",
                    "action_id": "r",
                    "options": [option(value=f"{i}") for i in range(11)],
                }
            )
        ],
        "invalid_blocks",
    ),
    "placeholder over 150": (
        [actions(select([option()], placeholder=pt("p" * 151)))],
        "invalid_blocks",
    ),
    "unknown block type": ([{"type": "sektion", "text": md("x")}], "invalid_blocks"),
    "more than 10,000 characters of block text": (
        [section("x" * 2900) for _ in range(4)],
        "msg_blocks_too_long",
    ),
}


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.postEphemeral", "chat.update"])
@pytest.mark.parametrize("rule", sorted(MESSAGE_RULES))
def test_a_message_breaking_a_rule_is_refused(
    standin: SlackStandIn, rule: str, method: str
) -> None:
    blocks, error = MESSAGE_RULES[rule]
    client = make_web_client("xoxb-test", standin.api_url)
    args: dict[str, Any] = {"channel": "C1", "text": "reserv", "blocks": blocks}
    if method == "chat.postEphemeral":
        args["user"] = "UPIA"
    if method == "chat.update":
        args["ts"] = "1.000001"
    with pytest.raises(SlackApiError) as refused:
        client.api_call(method, json=args)
    assert refused.value.response["error"] == error
    assert refused.value.response["response_metadata"]["messages"]
    (taken,) = standin.take_refusals()
    assert taken.method == method and taken.refusal.error == error


@pytest.mark.parametrize("rule", sorted(MESSAGE_RULES))
def test_a_response_url_post_breaking_a_rule_is_refused(standin: SlackStandIn, rule: str) -> None:
    blocks, error = MESSAGE_RULES[rule]
    answer = WebhookClient(standin.response_url("r")).send(text="reserv", blocks=blocks)
    # A response_url answers like an incoming webhook: 400 and the error, and nothing shown.
    assert answer.status_code == 400 and answer.body == error
    (taken,) = standin.take_refusals()
    assert taken.method == "response_url"


def test_every_rule_passes_once_mended(standin: SlackStandIn) -> None:
    """The rules' counter-examples: what sits exactly at each limit is taken."""
    client = make_web_client("xoxb-test", standin.api_url)
    at_the_limits = [
        {"type": "header", "text": pt("h" * 150)},
        section("x" * 3000, block_id="b" * 255),
        {"type": "section", "fields": [md("f" * 200)] * 10},
        {"type": "context", "elements": [md("c")] * 10},
        actions(
            *[button("b" * 75, f"a:{i}", value="v" * 2000) for i in range(24)],
            button(confirm=confirm("t" * 100, "t" * 300, "j" * 30), action_id="c" * 255),
        ),
        *[section(f"{i}") for i in range(45)],
    ]
    assert len(at_the_limits) == 50
    assert limits.block_text_length(at_the_limits) <= limits.MESSAGE_BLOCK_TEXT
    client.chat_postMessage(channel="C1", text="ok", blocks=at_the_limits)
    assert standin.refusals() == []


def test_a_message_without_text_or_blocks_and_one_too_long(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    with pytest.raises(SlackApiError) as empty:
        client.api_call("chat.postMessage", json={"channel": "C1", "text": ""})
    assert empty.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as long:
        client.chat_postMessage(channel="C1", text="x" * (limits.MESSAGE_TEXT + 1))
    assert long.value.response["error"] == "msg_too_long"
    assert [r.refusal.error for r in standin.take_refusals()] == ["no_text", "msg_too_long"]


VIEW_RULES: dict[str, dict[str, Any]] = {
    "title over 24": modal([section()], title=pt("t" * 25)),
    "title missing": {"type": "modal", "blocks": [section()]},
    "title in mrkdwn": modal([section()], title=md("Titel")),
    "submit over 24": modal([section()], submit=pt("s" * 25)),
    "close over 24": modal([section()], close=pt("c" * 25)),
    "an input without submit": modal([text_input()]),
    "private_metadata over 3000": modal([section()], private_metadata="m" * 3001),
    "callback_id over 255": modal([section()], callback_id="c" * 256),
    "101 blocks": modal([section(f"{i}") for i in range(101)]),
    "same block_id twice": modal([section(block_id="b"), section(block_id="b")]),
    "input label over 2000": modal([{**text_input(), "label": pt("l" * 2001)}], submit=pt("Spara")),
    "input max_length over 3000": modal(
        [
            {
                **text_input(),
                "element": {"type": "plain_text_input", "action_id": "in", "max_length": 3001},
            }
        ],
        submit=pt("Spara"),
    ),
    "a bad date": modal(
        [
            {
                **text_input(),
                "element": {"type": "datepicker", "action_id": "d", "initial_date": "1/12"},
            }
        ],
        submit=pt("Spara"),
    ),
}


@pytest.mark.parametrize("rule", sorted(VIEW_RULES))
@pytest.mark.parametrize("method", ["views.open", "views.update", "views.push"])
def test_a_modal_breaking_a_rule_is_refused(standin: SlackStandIn, rule: str, method: str) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    target = {"view_id": "V1"} if method == "views.update" else {"trigger_id": "t.1"}
    with pytest.raises(SlackApiError) as refused:
        client.api_call(method, json={**target, "view": VIEW_RULES[rule]})
    assert refused.value.response["error"] == "invalid_arguments"
    (taken,) = standin.take_refusals()
    assert taken.method == method


def test_the_home_tab_holds_100_blocks_not_101(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    blocks = [section(f"{i}") for i in range(100)]
    client.views_publish(user_id="UPIA", view={"type": "home", "blocks": blocks})
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(user_id="UPIA", view={"type": "home", "blocks": [*blocks, section()]})
    assert refused.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="UPIA", view=modal([section()]))  # a modal is no Home tab
    assert len(standin.take_refusals()) == 2


def test_a_view_call_needs_its_target(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    for method in ("views.open", "views.update", "views.publish"):
        view = {"type": "home", "blocks": []} if method == "views.publish" else modal([section()])
        with pytest.raises(SlackApiError) as refused:
            client.api_call(method, json={"view": view})
        assert refused.value.response["error"] == "invalid_arguments"
    assert len(standin.take_refusals()) == 3


def test_suggestion_answers_are_checked_too() -> None:
    assert limits.check_options({"options": [option()]}) is None
    too_many = {"options": [option(value=f"{i}") for i in range(101)]}
    assert limits.check_options(too_many) is not None
    assert limits.check_options({"options": [option("o" * 76)]}) is not None


def test_a_refusal_left_behind_fails_the_test(pytester: pytest.Pytester) -> None:
    """The autouse fixture in tests/conftest.py turns a swallowed refusal into a failure."""
    pytester.makeconftest("from tests.conftest import slack_refusals_fail_the_test  # noqa\n")
    pytester.makepyfile(
        """
        from slack_sdk.webhook import WebhookClient
        from bot.console.standin import SlackStandIn

        def test_swallowed():
            with SlackStandIn() as standin:
                blocks = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
                WebhookClient(standin.response_url("r")).send(text="x", blocks=blocks)
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*Slack would refuse what the bot sent*", "*invalid_blocks*"])
