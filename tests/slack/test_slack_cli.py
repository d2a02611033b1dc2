"""``assistant slack`` as an admin runs it: a real process, configured by the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answers.answer import Answer
from assistant.errors import AssistantError
from assistant.masking import Secret
from assistant.settings import Settings
from assistant.slack.config import SlackConfig
from tests.slack_api_server import (
    BOT_TOKEN,
    SIGNING_SECRET,
    BotProcess,
    Scripted,
    SlackApiServer,
    SlackSender,
    block_text,
    bot_env,
)

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot


def test_http_mode_serves_signed_events_and_answers_through_slack_api_url(
        slack_api: SlackApiServer, shipped_index: Settings, tmp_path: Path) -> None:
    env = bot_env(slack_api, shipped_index.data_dir, ASSISTANT_FEEDBACK_DB=str(tmp_path / "f.sqlite3"))
    with BotProcess(env) as bot:
        sender = SlackSender(bot.url, slack_api)
        assert sender.mention("Qui assure le secrétariat de la CP ?")[1].status == 200
        [update] = slack_api.wait_calls("chat.update")
        assert update.params["text"] != "Je cherche…" and "*Sources*" in block_text(update.params["blocks"])
    logs = bot.log()
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



def test_import_and_help_load_no_server_library() -> None:
    code = ("import sys, assistant, assistant.cli\nfrom click.testing import CliRunner\n"
            "for args in (['--help'], ['slack', '--help']):\n"
            "    assert CliRunner().invoke(assistant.cli.cli, args).exit_code == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'slack_bolt', 'slack_sdk', 'uvicorn', 'h11', 'redis'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
