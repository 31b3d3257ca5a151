"""The manifest creates the app the code expects: its commands, events, scopes and modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "slack" / "manifest.yaml").read_text("utf-8")
)


def test_manifest_has_the_contract_commands() -> None:
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert commands == {"/besök", "/besok", "/aktivitet"}
    for command in MANIFEST["features"]["slash_commands"]:
        # Slack applies &, <, > entities and turns @mentions into <@U…> only when escaping is on.
        assert command["should_escape"] is True
        assert len(command["command"]) <= 32 and command["description"]


def test_manifest_subscribes_the_home_tab_and_interactivity() -> None:
    settings = MANIFEST["settings"]
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_asks_for_exactly_the_scopes_the_bot_uses() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "files:write"} <= scopes
    # The visit channel and `knalle backfill` read messages; nothing reads e-mail or admins.
    assert {"channels:history", "groups:history"} <= scopes
    assert not {"admin", "users:read.email", "im:history"} & scopes


def test_manifest_has_the_message_shortcut_and_message_events() -> None:
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == "visit_from_message"
    assert shortcut["name"] == "Spara som besök" and len(shortcut["description"]) <= 80
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert {"message.channels", "message.groups"} <= events
