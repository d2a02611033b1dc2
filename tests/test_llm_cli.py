"""The CLI with ASSISTANT_LLM set: streamed tokens, then the checked answer and sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from click.testing import CliRunner

from assistant.cli import cli
from assistant.settings import Settings
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server, passage_number  # noqa: F401 (fixtures)

QUESTION = "How early must the provisional agenda be circulated?"


def agenda(body: dict) -> str:
    n = passage_number(body, "thirty (30) days")
    return (f"The secretariat circulates the provisional agenda at least sixty days before a regular "
            f"session [{n}]. For a special session, the limit is thirty days [{n}].")


def invoke(settings: Settings, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args], input=input)


def test_ask_prints_tokens_as_they_arrive_then_the_sources(shipped_index: Settings,
                                                           llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply(agenda, token_delay=0.1))
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shipped_index.data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "assistant", "ask", QUESTION], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.read(1)  # type: ignore[union-attr]
    first_seen = time.monotonic()
    rest = process.stdout.read()  # type: ignore[union-attr]
    errors = process.stderr.read()  # type: ignore[union-attr]
    assert process.wait(timeout=120) == 0, errors.decode()
    assert first_seen < llm_env.sent_at[-1]  # shown before the model had finished
    answer, sources = (first + rest).decode().split("\n\nSources:\n")
    assert answer.startswith("The secretariat circulates") and answer.endswith("thirty days [1].")
    assert sources.startswith("[1] Guide to the rules of procedure") and "Rule 9" in sources
    assert "As checked" not in answer  # nothing dropped: the stream stands


def test_a_dropped_sentence_is_replaced_by_the_checked_answer(shipped_index: Settings,
                                                              llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply(lambda body: f"{agenda(body)} Late documents are refused under rule 99 [1]."))
    result = invoke(shipped_index, "ask", QUESTION)
    assert result.exit_code == 0, result.output
    streamed, checked = result.stdout.split("\n\n[Checked against the sources: 1 unsupported "
                                            "sentence(s) removed. As checked:]\n")
    assert streamed.endswith("under rule 99 [1].")
    assert checked.startswith("The secretariat circulates") and "rule 99" not in checked
    assert "\n\nSources:\n[1] " in checked


def test_ask_json_reports_the_mode_and_what_was_dropped(shipped_index: Settings,
                                                         llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply(lambda body: f"{agenda(body)} It is also posted online [9]."))
    result = invoke(shipped_index, "ask", QUESTION, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["mode"] == "llm" and answer["dropped"] == ["It is also posted online [9]."]
    assert not llm_env.requests[0].get("stream")  # --json prints one object: nothing to stream


def test_ask_json_says_why_the_extractive_answer_was_given(shipped_index: Settings,
                                                           llm_env: ScriptedOpenAI) -> None:
    llm_env.script("NOT IN THE KNOWLEDGE BASE")
    result = invoke(shipped_index, "ask", QUESTION, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert (answer["mode"], answer["fallback"], answer["answered"]) == ("extractive-fallback",
                                                                        "model-declined", True)
    assert "sixty (60) days" in answer["answer"] and answer["citations"][0]["n"] == 1


def test_chat_streams_and_rewrites_follow_ups(shipped_index: Settings, llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply(agenda), "How early must the provisional agenda be circulated before a "
                   "special session?", Reply(agenda))
    result = invoke(shipped_index, "chat", input=f"{QUESTION}\nand for a special session?\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Sources:") == 2
    assert "Follow-up question: and for a special session?" in llm_env.messages(1)["user"]


def test_doctor_shows_the_model_and_whether_it_answers(shipped_index: Settings,
                                                       llm_env: ScriptedOpenAI) -> None:
    llm_env.script("OK", Reply("down", status=500), Reply("down", status=500))
    good = invoke(shipped_index, "doctor")
    assert good.exit_code == 0, good.output
    assert f"llm:        openai:test-model at {llm_env.base_url}" in good.stdout
    assert "answers ('OK'" in good.stdout
    bad = invoke(shipped_index, "doctor")
    assert bad.exit_code == 1 and "ERROR the language model failed" in bad.stdout
    assert "Error code: 500" in bad.stdout


def test_help_loads_no_langchain_even_with_an_llm_configured() -> None:
    code = ("import sys, assistant, assistant.cli\n"
            "from click.testing import CliRunner\n"
            "CliRunner().invoke(assistant.cli.cli, ['--help'])\n"
            "CliRunner().invoke(assistant.cli.cli, ['ask', '--help'])\n"
            "from assistant.settings import Settings; Settings.from_env()\n"
            "heavy = {'langchain', 'langchain_core', 'langchain_openai', 'openai'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    env = {**os.environ, "ASSISTANT_LLM": "openai:gpt-4o-mini"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_malformed_llm_setting_is_a_usage_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "ASSISTANT_LLM": "gpt-4o-mini", "ASSISTANT_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "quorum?"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "ASSISTANT_LLM must look like provider:model" in result.stderr
