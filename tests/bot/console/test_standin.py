"""The pieces every Slack test stands on: signing as Slack signs, the stand-in, terminal text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.console.signing import sign_request, slash_command_body
from bot.console.standin import SlackStandIn
from bot.slack.client import make_web_client
from handlers.commands import subcommand
from handlers.terminal_text import render_blocks, render_view


def test_signature_is_the_one_slack_sdk_verifies() -> None:
    body = slash_command_body("/besök", "Ellos AB igår", "UPIA")
    headers = sign_request(body, "secret")
    verifier = SignatureVerifier("secret")
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    assert parse_qs(body)["text"] == ["Ellos AB igår"]
    assert parse_qs(body)["command"] == ["/besök"]


def test_stale_timestamp_is_not_valid() -> None:
    body = slash_command_body("/besök", "x", "UPIA")
    headers = sign_request(body, "secret", timestamp=int(time.time()) - 600)
    assert not SignatureVerifier("secret").is_valid_request(body, headers)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_standin_records_calls_with_decoded_blocks(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hej"}}]
    client.chat_postMessage(channel="C1", text="hej", blocks=blocks)
    (call,) = standin.calls("chat.postMessage")
    assert call.args["channel"] == "C1" and call.args["blocks"] == blocks


def test_standin_rate_limit_is_retried_by_our_client(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    standin.fail("chat.postMessage", status=429, retry_after=1)
    client.chat_postMessage(channel="C1", text="en gång")
    calls = standin.calls("chat.postMessage")
    assert [c.args.get("_failed") for c in calls] == ["ratelimited", None]


def test_standin_error_reaches_the_caller(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    standin.fail(
        "chat.postMessage", status=200, error="user_not_found", when=lambda a: a["channel"] == "UX"
    )
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="UX", text="x")
    assert raised.value.response["error"] == "user_not_found"
    client.chat_postMessage(channel="UY", text="x")  # only the matching call failed


def test_files_go_to_conversation_ids_only(standin: SlackStandIn) -> None:
    client = make_web_client("xoxb-test", standin.api_url)
    channel = client.conversations_open(users="UPIA")["channel"]["id"]
    client.files_upload_v2(channel=channel, content=b"PK\x03\x04", filename="r.xlsx", title="R")
    (uploaded,) = standin.uploaded_files()
    assert (uploaded.channel_id, uploaded.filename, uploaded.content) == (
        "DUPIA",
        "r.xlsx",
        b"PK\x03\x04",
    )
    with pytest.raises(SlackApiError):
        client.files_upload_v2(channel="UPIA", content=b"x", filename="r.xlsx")


def test_render_blocks_reads_like_slack() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Besök"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Med <@U1|pia> &amp; KSO: &lt;!channel&gt;"},
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Ångra"},
                    "action_id": "a",
                }
            ],
        },
    ]
    text = render_blocks(blocks)
    assert "BESÖK" in text and "Med @pia & KSO: <!channel>" in text and "[Ångra]" in text
    assert render_blocks([], "bara text") == "bara text"
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Nytt besök"},
        "blocks": blocks,
        "submit": {"type": "plain_text", "text": "Spara"},
    }
    assert render_view(view).startswith("┌ Nytt besök") and render_view(view).endswith("[Spara]")


def test_subcommand_matcher_reads_the_first_word() -> None:
    is_report = subcommand("rapport")
    assert is_report({"text": "Rapport 2026-H2"})
    assert not is_report({"text": "1.5.6 gul rapporten är sen"})
    assert not is_report({"text": ""})
