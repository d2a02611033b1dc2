"""Secrets from the environment never show: in ``assistant doctor``, in errors, in reasons."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.masking import Secret, env_secrets, redact, safe_reason
from assistant.settings import Settings
from tests.conftest import free_port
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server  # noqa: F401 (fixtures)

SECRETS = {"SLACK_BOT_TOKEN": "xoxb-1-2-doctortoken", "SLACK_APP_TOKEN": "xapp-1-A0-3-doctorapp",
           "SLACK_SIGNING_SECRET": "doctor-signing-secret-42", "CHROMA_AUTH_TOKEN": "doctor-chroma-token-7",
           "OPENAI_API_KEY": "sk-doctor-key-31337"}
PROXY_PASSWORD = "proxy-pass-1234"


def test_the_environment_gives_the_secrets_to_mask() -> None:
    env = {"OPENAI_API_KEY": "sk-abcdef", "CHROMA_AUTH_TOKEN": "", "PATH": "/bin"}
    assert env_secrets(env) == (Secret("sk-abcdef"),)
    text = "key sk-abcdef at https://me:hunter22@proxy.example/v1, token xoxp-9-9-abc"
    assert redact(text, env_secrets(env)) == "key *** at https://***@proxy.example/v1, token xoxp-***"
    assert redact("a 1 b", (Secret("1"),)) == "a 1 b"  # too short to be a secret worth hiding


def test_a_reason_names_the_error_code_or_the_type_never_the_message() -> None:
    class Refused(Exception):
        response = {"error": "ratelimited"}

    assert safe_reason(Refused(f"token {SECRETS['SLACK_BOT_TOKEN']}")) == "API error 'ratelimited'"
    assert safe_reason(RuntimeError(SECRETS["OPENAI_API_KEY"])) == "RuntimeError"


def test_doctor_lists_the_secrets_masked_and_never_prints_one(
        shipped_index: Settings, llm_env: ScriptedOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    base = llm_env.base_url.replace("http://", f"http://proxy:{PROXY_PASSWORD}@")
    monkeypatch.setenv("OPENAI_BASE_URL", base)
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(free_port()))  # nobody there: the error names the server
    llm_env.script(Reply(f"Incorrect API key provided: {SECRETS['OPENAI_API_KEY']}", status=401))
    result = CliRunner().invoke(cli, ["--data-dir", str(shipped_index.data_dir), "doctor"])
    shown = result.output
    assert result.exit_code == 1, shown
    assert ("secrets:    SLACK_BOT_TOKEN xoxb-***, SLACK_APP_TOKEN xapp-***, SLACK_SIGNING_SECRET ***, "
            "CHROMA_AUTH_TOKEN ***, OPENAI_API_KEY ***") in shown
    assert "Incorrect API key provided: ***" in shown and "cannot reach the Chroma server" in shown
    for name, value in [*SECRETS.items(), ("proxy password", PROXY_PASSWORD)]:
        assert value not in shown, f"{name} shown"
