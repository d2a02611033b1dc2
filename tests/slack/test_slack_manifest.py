"""The app manifest an admin pastes asks for what the bot uses, and nothing it does not."""

from __future__ import annotations

import yaml

from assistant.settings import PACKAGE_ROOT

MANIFEST = PACKAGE_ROOT / "slack-app-manifest.yaml"


def test_manifest_declares_the_events_command_scopes_and_interactivity_the_bot_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.channels", "message.groups", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/ask"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "channels:history", "groups:history", "im:history", "chat:write", "commands"}
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # people can DM the bot
