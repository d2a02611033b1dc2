"""``assistant slack`` as an admin runs it: a real process, configured by the environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.answer import Answer
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.slack.config import SlackConfig
from assistant.slack.masking import Secret
from tests.slack_api_server import (BOT_TOKEN, SIGNING_SECRET, Scripted, SlackApiServer, SlackSender,
                                    block_text)

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/slack/events")


def test_http_mode_serves_signed_events_and_answers_through_slack_api_url(
        slack_api: SlackApiServer, shipped_index: Settings, tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
           "ASSISTANT_DATA_DIR": str(shipped_index.data_dir), "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api.url,
           "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3")}
    process = subprocess.Popen([sys.executable, "-m", "assistant", "slack", "--http", "--port", "0",
                                "--host", "127.0.0.1"], env=env, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        port = _wait_for_port(process, lines)
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", slack_api)
        assert sender.mention("Qui assure le secrétariat de la CP ?")[1].status == 200
        [update] = slack_api.wait_calls("chat.update")
        assert update.params["text"] != "Je cherche…" and "*Sources*" in block_text(update.params["blocks"])
    finally:
        process.terminate()
        process.wait(timeout=20)
    logs = "".join(lines) + (process.stderr.read() if process.stderr else "")
    assert BOT_TOKEN not in logs and SIGNING_SECRET not in logs
    assert "secrétariat" not in logs  # no question text unless ASSISTANT_LOG_QUESTIONS=1


def test_socket_mode_opens_its_connection_through_slack_api_url(slack_api: SlackApiServer,
                                                                tmp_path: Path) -> None:
    from assistant.slack.app import build_app, run_socket_mode

    slack_api.failures["apps.connections.open"] = "invalid_auth"
    config = SlackConfig(bot_token=Secret(BOT_TOKEN), app_token=Secret("xapp-1-A0TEST-1-secretpart"),
                         api_url=slack_api.url, feedback_db=tmp_path / "f.sqlite3")
    app, responder = build_app(config, Scripted(lambda q, h: Answer(q, "en", False, "", [])), http=False)
    try:
        with pytest.raises(AssistantError, match="invalid_auth.*SLACK_APP_TOKEN") as error:
            run_socket_mode(app, config)
    finally:
        responder.shutdown()
    [call] = slack_api.calls_to("apps.connections.open")
    assert call.authorization == "Bearer xapp-1-A0TEST-1-secretpart"
    assert "secretpart" not in str(error.value)


def _wait_for_port(process: subprocess.Popen[str], lines: list[str], timeout: float = 90) -> int:
    """Read the bot's log until it says where it listens."""
    found: list[int] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if match := LISTENING.search(line):
                found.append(int(match.group(1)))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        raise AssertionError("the bot did not start:\n" + "".join(lines))
    return found[0]


