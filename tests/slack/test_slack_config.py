"""Settings from the environment, with secrets that never show in reprs, errors or logs."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.answers.answer import Answer
from assistant.errors import AssistantError, UsageError
from assistant.masking import RedactingFilter, Secret, redact
from assistant.settings import Settings
from assistant.slack.config import DEFAULT_API_URL, SlackConfig
from tests.slack_api_server import BOT_TOKEN, SIGNING_SECRET, Scripted, SlackApiServer, citation

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot


def config(env: dict[str, str], tmp_path: Path) -> SlackConfig:
    return SlackConfig.from_env(Settings(data_dir=tmp_path), env)


def test_environment_is_read_with_defaults(tmp_path: Path) -> None:
    minimal = config({"SLACK_BOT_TOKEN": BOT_TOKEN}, tmp_path)
    assert minimal.api_url == DEFAULT_API_URL and minimal.feedback_db == tmp_path / "feedback.sqlite3"
    assert minimal.allows("C1") and minimal.follows_up_in("C1") and not minimal.log_questions
    full = config({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": "http://127.0.0.1:9/api",
                   "SLACK_ALLOWED_CHANNELS": "C1, C2", "SLACK_FOLLOWUPS_OFF": "C2",
                   "ASSISTANT_FEEDBACK_DB": str(tmp_path / "votes.db"), "ASSISTANT_LOG_QUESTIONS": "1"},
                  tmp_path)
    assert full.api_url == "http://127.0.0.1:9/api/" and full.feedback_db == tmp_path / "votes.db"
    assert full.allows("C2") and not full.allows("C3") and full.allows("D9")  # DMs always
    assert full.follows_up_in("C1") and not full.follows_up_in("C2") and full.log_questions


@pytest.mark.parametrize("env, http, missing", [
    ({}, False, "SLACK_BOT_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": "xapp-1-A1-secretvalue"}, False, "must be a bot token starting with xoxb-"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, False, "SLACK_APP_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, False, "starting with xapp-"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, True, "SLACK_SIGNING_SECRET is not set"),
])
def test_missing_settings_are_named_and_values_never_shown(env: dict[str, str], http: bool, missing: str,
                                                           tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=missing) as error:
        config(env, tmp_path).check(http=http)
    assert not any(value in str(error.value) for value in env.values())


def test_secrets_are_masked_in_reprs_and_text(tmp_path: Path) -> None:
    settings = config({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                       "SLACK_APP_TOKEN": "xapp-1-A0-123-abcdef"}, tmp_path)
    shown = repr(settings)
    assert BOT_TOKEN not in shown and SIGNING_SECRET not in shown and "xapp-1-A0" not in shown
    assert "xoxb-***" in shown and repr(Secret("plain")) == "Secret('***')"
    text = f"Bearer {BOT_TOKEN} then xoxe.xoxp-1-abc and {SIGNING_SECRET}"
    assert redact(text, settings.secrets()) == "Bearer xoxb-*** then xoxe-*** and ***"


def test_other_secrets_of_the_environment_are_masked_and_the_log_level_is_checked(tmp_path: Path) -> None:
    settings = config({"SLACK_BOT_TOKEN": BOT_TOKEN, "OPENAI_API_KEY": "sk-config-key-123",
                       "CHROMA_AUTH_TOKEN": "chroma-config-token", "ASSISTANT_LOG_LEVEL": "debug"}, tmp_path)
    assert settings.log_level == logging.DEBUG
    assert redact("sk-config-key-123 chroma-config-token", settings.secrets()) == "*** ***"
    with pytest.raises(UsageError, match="ASSISTANT_LOG_LEVEL must be one of DEBUG, INFO"):
        config({"SLACK_BOT_TOKEN": BOT_TOKEN, "ASSISTANT_LOG_LEVEL": "LOUD"}, tmp_path)


def test_the_log_filter_masks_tokens_in_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter((Secret(SIGNING_SECRET),)))
    log = logging.getLogger("test.slack.masking")
    log.addHandler(handler)
    try:
        log.warning("token %s and secret %s", BOT_TOKEN, SIGNING_SECRET)
        try:
            raise RuntimeError(f"refused {BOT_TOKEN}")
        except RuntimeError:
            log.exception("call failed")
    finally:
        log.removeHandler(handler)
    logs = stream.getvalue()
    assert "token xoxb-*** and secret ***" in logs and "RuntimeError: refused xoxb-***" in logs
    assert BOT_TOKEN not in logs and SIGNING_SECRET not in logs


def test_logs_from_a_whole_conversation_hold_no_secret_and_no_question(start_bot: Any) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter((Secret(BOT_TOKEN), Secret(SIGNING_SECRET))))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])))
        bot.slack.mention("What is the quorum for zanzibar?")
        bot.api.wait_calls("chat.update")
        bot.responder.shutdown()  # the "answered …" line is logged after the update
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    logs = stream.getvalue()
    assert "answered in C0GENERAL" in logs and "chat.update" in logs  # slack_sdk's debug lines too
    assert BOT_TOKEN not in logs and SIGNING_SECRET not in logs
    assert "zanzibar" not in logs.split("Sending a request")[0]  # our own lines, before slack_sdk's


def test_a_refused_token_is_reported_without_the_token(slack_api: SlackApiServer, tmp_path: Path) -> None:
    from assistant.slack.app import build_app

    slack_api.failures["auth.test"] = "invalid_auth"
    settings = SlackConfig(bot_token=Secret(BOT_TOKEN), signing_secret=Secret(SIGNING_SECRET),
                           api_url=slack_api.url, feedback_db=tmp_path / "f.sqlite3")
    with pytest.raises(AssistantError, match="invalid_auth") as error:
        build_app(settings, Scripted(lambda q, h: Answer(q, "en", False, "", [])), http=True)
    assert BOT_TOKEN not in str(error.value) and "SLACK_BOT_TOKEN" in str(error.value)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env={**clean, **env}, timeout=60)


def test_the_slack_command_names_what_is_missing(tmp_path: Path) -> None:
    result = run_cli("slack", "--http", env={"ASSISTANT_DATA_DIR": str(tmp_path),
                                             "SLACK_BOT_TOKEN": BOT_TOKEN})
    assert result.returncode == 2 and "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert BOT_TOKEN not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_help_of_the_slack_commands_imports_no_slack_bolt() -> None:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom assistant.cli import cli\n"
            "for args in (['slack', '--help'], ['feedback', 'export', '--help']):\n"
            "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith('slack')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_workers_queue_and_redis_come_from_the_environment_or_the_command(tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "ASSISTANT_SLACK_WORKERS": "3", "ASSISTANT_SLACK_QUEUE": "0",
           "ASSISTANT_REDIS_URL": "redis://bot:s3cr3tpass@redis.internal:6379/2"}
    settings = config(env, tmp_path)
    assert (settings.workers, settings.queue) == (3, 0)
    assert settings.redis_where() == "redis://bot:***@redis.internal:6379/2"
    assert "s3cr3tpass" not in repr(settings)
    assert redact("AUTH s3cr3tpass", settings.secrets()) == "AUTH ***"
    assert SlackConfig.from_env(Settings(data_dir=tmp_path), env, workers=5).workers == 5
    defaults = config({"SLACK_BOT_TOKEN": BOT_TOKEN}, tmp_path)
    assert defaults.workers >= 2 and defaults.queue == 256 and defaults.redis_url is None
    assert defaults.redis_where() == "none"


@pytest.mark.parametrize("name, value, complaint", [
    ("ASSISTANT_SLACK_WORKERS", "0", "at least 1"),
    ("ASSISTANT_SLACK_WORKERS", "many", "whole number"),
    ("ASSISTANT_SLACK_QUEUE", "-1", "whole number of at least 0"),
    ("ASSISTANT_REDIS_URL", "localhost:6379", "must start with redis://"),
])
def test_bad_workers_queue_or_redis_url_are_named(tmp_path: Path, name: str, value: str, complaint: str) -> None:
    with pytest.raises(UsageError, match=f"{name} must.*{complaint}|{name} {complaint}"):
        config({"SLACK_BOT_TOKEN": BOT_TOKEN, name: value}, tmp_path)
