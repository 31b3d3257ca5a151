"""The manifests create the app the code expects, within slackapi/manifest-schema's rules.

`slack/manifest.yaml` certainly imports (ASCII command names only); the second manifest adds
`/besök`, which Slack documents nothing about. The rules below are the schema's (version 1:
names, lengths, patterns), and the code's own needs: every scope it uses, every event it
listens to, every shortcut it registers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAFE = ROOT / "slack" / "manifest.yaml"
WITH_UMLAUT = ROOT / "slack" / "manifest-with-besok-umlaut.yaml"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


MANIFEST = load(SAFE)
BOTH = pytest.mark.parametrize("path", [SAFE, WITH_UMLAUT], ids=["safe", "with-besök"])

# Web API methods the code calls → the bot scope each needs (none for views.* and auth.test).
SCOPE_OF = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "users_list": "users:read",
    "users_info": "users:read",
    "files_upload_v2": "files:write",
    "conversations_history": "channels:history",
}
NO_SCOPE = {"views_open", "views_update", "views_push", "views_publish", "auth_test"}


def code() -> str:
    return "\n".join(
        p.read_text("utf-8")
        for folder in ("bot", "handlers")
        for p in (ROOT / folder).rglob("*.py")
    )


def test_the_safe_manifest_has_only_ascii_command_names() -> None:
    commands = [c["command"] for c in MANIFEST["features"]["slash_commands"]]
    assert commands == ["/besok", "/aktivitet"]
    assert all(re.fullmatch(r"/[a-z0-9_-]{1,31}", c) for c in commands)


def test_the_second_manifest_is_the_first_plus_besok() -> None:
    safe, umlaut = load(SAFE), load(WITH_UMLAUT)
    extra = [c for c in umlaut["features"]["slash_commands"] if c["command"] == "/besök"]
    assert len(extra) == 1
    umlaut["features"]["slash_commands"].remove(extra[0])
    for data in (safe, umlaut):
        data["display_information"].pop("long_description")
        for command in data["features"]["slash_commands"]:
            command.pop("description")
    assert umlaut == safe


@BOTH
def test_the_manifest_keeps_the_schema_rules(path: Path) -> None:
    data = load(path)
    assert set(data) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}
    info = data["display_information"]
    assert 1 <= len(info["name"]) <= 35 and 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", info["background_color"])
    features = data["features"]
    assert 1 <= len(features["bot_user"]["display_name"]) <= 80
    assert 1 <= len(features["slash_commands"]) <= 50
    for command in features["slash_commands"]:
        assert set(command) <= {"command", "url", "description", "usage_hint", "should_escape"}
        assert 2 <= len(command["command"]) <= 32 and command["command"].startswith("/")
        assert 1 <= len(command["description"]) <= 2000
        assert 1 <= len(command["usage_hint"]) <= 1000
        assert re.match(r"https?://", command["url"]) and len(command["url"]) <= 3000
        # Slack applies &, <, > entities and turns @mentions into <@U…> only when escaping is on.
        assert command["should_escape"] is True
    assert len({c["command"].lower() for c in features["slash_commands"]}) == len(
        features["slash_commands"]
    )
    for shortcut in features["shortcuts"]:
        assert set(shortcut) == {"name", "type", "callback_id", "description"}
        assert 1 <= len(shortcut["name"]) <= 24 and shortcut["type"] in ("message", "global")
        assert 1 <= len(shortcut["callback_id"]) <= 255
        assert 1 <= len(shortcut["description"]) <= 150
    scopes = data["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)) and all(len(s) <= 50 for s in scopes)
    events = data["settings"]["event_subscriptions"]
    assert len(events["bot_events"]) == len(set(events["bot_events"])) <= 100
    for url in (events["request_url"], data["settings"]["interactivity"]["request_url"]):
        assert re.match(r"https?://", url)


def test_manifest_asks_for_exactly_the_scopes_the_code_uses() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    called = set(re.findall(r"\.(\w+)\(", code())) & (set(SCOPE_OF) | NO_SCOPE)
    needed = {SCOPE_OF[m] for m in called if m in SCOPE_OF} | {"commands"}
    assert needed <= scopes, f"missing: {needed - scopes}"
    # Beyond what the code calls: posting in a channel Knalle has not joined (the digest), and
    # reading a private visit channel.
    assert scopes - needed <= {"chat:write.public", "groups:history"}
    assert not {"admin", "users:read.email", "im:history"} & scopes


def test_manifest_subscribes_every_event_the_code_listens_to() -> None:
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    listened = set(re.findall(r"app\.event\(\s*\"(\w+)\"", code()))
    assert "app_home_opened" in listened
    for event in listened:
        if event == "message":
            assert {"message.channels", "message.groups"} <= events
        else:
            assert event in events
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_has_every_shortcut_the_code_registers() -> None:
    from handlers.ids import VisitShortcut

    registered = {str(s) for s in VisitShortcut}
    assert {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]} == registered
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["name"] == "Spara som besök"


def test_the_code_answers_every_command_of_both_manifests() -> None:
    from handlers.activity.command import COMMAND
    from handlers.visits.command import COMMANDS

    for path in (SAFE, WITH_UMLAUT):
        for command in load(path)["features"]["slash_commands"]:
            assert command["command"] in (*COMMANDS, COMMAND)
