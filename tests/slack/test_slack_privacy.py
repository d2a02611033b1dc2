"""Secrets and privacy: the logs of a whole Slack run, at DEBUG, hold no token, and no question
unless ASSISTANT_LOG_QUESTIONS=1 (then the question, still no token)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server  # noqa: F401 (fixtures)
from tests.slack_api_server import (
    BOT_TOKEN,
    SIGNING_SECRET,
    BotProcess,
    SlackApiServer,
    SlackSender,
    block_text,
    bot_env,
    message_event,
)

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

SECRETS = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_APP_TOKEN": "xapp-1-A0TEST-1-privacyapptoken",
           "CHROMA_AUTH_TOKEN": "chroma-privacy-token-5150", "OPENAI_API_KEY": "sk-privacy-key-8675309"}
QUESTIONS = ["How early must the provisional agenda be circulated?",
             "Qui assure le secrétariat de la Conférence des Parties ?",
             "Who can attend the sessions as an observer?"]
GOOD = "The secretariat of the Conference circulates it in advance [1]."


def run_conversation(bot: BotProcess, api: SlackApiServer) -> None:
    """A mention, a direct message, an /ask and a vote, each waited for."""
    slack = SlackSender(bot.url, api)
    slack.mention(QUESTIONS[0])
    api.wait_for(lambda: _final_updates(api) == 1)
    slack.event(message_event(QUESTIONS[1], "D0ALICE", "U0ALICE", api.next_ts()))
    api.wait_for(lambda: _final_updates(api) == 2)
    slack.command(QUESTIONS[2])
    [private] = api.wait_calls("response_url")
    answer = next(m for m in api.messages["C0GENERAL"] if "feedback" in json.dumps(m.get("blocks")))
    vote = next(e["value"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"])
    slack.click("feedback_up", vote, message=answer)
    api.wait_for(lambda: "Thanks for the feedback" in block_text(api.calls_to("chat.update")[-1].params["blocks"]))
    assert "*Sources*" in block_text(private.params["blocks"])


def _final_updates(api: SlackApiServer) -> int:
    return sum(1 for call in api.calls_to("chat.update") if "*Sources*" in block_text(call.params["blocks"]))


@pytest.mark.parametrize("log_questions", [False, True], ids=["questions-off", "questions-on"])
def test_debug_logs_of_a_whole_conversation_hold_no_token(
        slack_api: SlackApiServer, shipped_index: Settings, llm_env: ScriptedOpenAI, tmp_path: Path,
        log_questions: bool) -> None:
    env = bot_env(slack_api, shipped_index.data_dir, **SECRETS, ASSISTANT_LOG_LEVEL="DEBUG",
                  ASSISTANT_FEEDBACK_DB=str(tmp_path / "f.sqlite3"),
                  **({"ASSISTANT_LOG_QUESTIONS": "1"} if log_questions else {}))
    with BotProcess(env) as bot:
        # A server that echoes the key in its refusal, as some proxies do; then good answers.
        llm_env.script(Reply(f"Incorrect API key provided: {SECRETS['OPENAI_API_KEY']}", status=401),
                       Reply(GOOD, token_delay=0.05), GOOD)
        run_conversation(bot, slack_api)
    logs = bot.log()
    assert "DEBUG assistant.slack" in logs
    assert "Incorrect API key provided: ***" in logs  # the echoed key, masked
    for name, value in SECRETS.items():
        assert value not in logs, f"{name} leaked"
    for question in QUESTIONS:
        assert (question in logs) == log_questions
    assert ("DEBUG slack_sdk" in logs) == log_questions  # libraries' debug lines carry message text
