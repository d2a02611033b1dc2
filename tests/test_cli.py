"""The CLI as a user runs it: a real process, real index, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import Settings

CITATION_FIELDS = {"n", "doc_id", "title", "locator", "heading", "lang", "url", "snippet"}


def run(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def ask_json(question: str, settings: Settings) -> dict:
    result = run("ask", question, "--json", data_dir=settings.data_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # exactly one JSON object on stdout


def test_french_question_about_the_secretariat_names_unodc(shipped_index: Settings) -> None:
    answer = ask_json("Qui assure le secrétariat de la CP ?", shipped_index)
    assert answer["answered"] and answer["language"] == "fr"
    assert "ONUDC" in answer["answer"]
    assert any(c["doc_id"] == "cop-overview" for c in answer["citations"])
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}
    assert all(CITATION_FIELDS <= set(c) for c in answer["citations"])


def test_english_question_finds_resolution_9_1(shipped_index: Settings) -> None:
    answer = ask_json("Which resolution established the review mechanism?", shipped_index)
    assert answer["answered"] and answer["language"] == "en"
    assert "9/1" in answer["answer"]
    cited = {(c["doc_id"], c["locator"]) for c in answer["citations"]}
    assert cited & {("cop-overview", "para-10"), ("guide-review-mechanism", "res-9-1")}


def test_out_of_scope_question_is_declined_with_closest_sources(shipped_index: Settings) -> None:
    answer = ask_json("What is the capital of Peru?", shipped_index)
    assert answer["answered"] is False
    assert "does not cover" in answer["answer"]
    assert answer["citations"]


def test_text_output_numbers_sources_and_marks_guides_as_summaries(shipped_index: Settings) -> None:
    result = run("ask", "Quel est le quorum requis pour prendre une décision ?",
                 data_dir=shipped_index.data_dir)
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "(résumé)" in result.stdout


@pytest.mark.parametrize("args", [("ask", ""), ("ask", "   \n "), ("ask", "quorum", "--nope"), ("frobnicate",)])
def test_bad_usage_exits_2_with_one_line(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run(*args, data_dir=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error:")
    assert not (tmp_path / "state.json").exists()  # no index work for a bad question


def test_unreadable_index_exits_1_and_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")
    result = run("ask", "Quel est le quorum ?", data_dir=tmp_path)
    assert result.returncode == 1
    assert "assistant ingest --rebuild" in result.stderr


def test_sources_lists_documents_with_chunks_per_language(shipped_index: Settings) -> None:
    result = run("sources", data_dir=shipped_index.data_dir)
    assert result.returncode == 0
    rules = next(line for line in result.stdout.splitlines() if line.startswith("guide-rules"))
    assert "en " in rules and "fr " in rules
    assert "cop-overview" in result.stdout


def test_doctor_reports_backend_and_index(shipped_index: Settings, tmp_path: Path) -> None:
    good = run("doctor", data_dir=shipped_index.data_dir)
    assert good.returncode == 0 and "e5" in good.stdout and "chunks" in good.stdout
    empty = run("doctor", data_dir=tmp_path)
    assert empty.returncode == 1 and "assistant ingest" in empty.stdout


def test_a_broken_word_list_install_is_named_by_doctor_and_answers_go_on(shipped_index: Settings,
                                                                        tmp_path: Path) -> None:
    broken = tmp_path / "site" / "spellchecker"
    (broken / "resources").mkdir(parents=True)
    (broken / "__init__.py").write_text("", encoding="utf-8")  # pyspellchecker without its word lists
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shipped_index.data_dir), "PYTHONPATH": str(broken.parent)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                              env=env, timeout=120)

    doctor = cli("doctor")
    assert doctor.returncode == 1 and "word lists: ERROR" in doctor.stdout and "--force-reinstall" in doctor.stdout
    asked = cli("ask", "how many vice-presidnets does the COP elect?", "--json")  # a typo to correct
    assert asked.returncode == 0 and "eight (8) Vice-Presidents" in json.loads(asked.stdout)["answer"]
    assert "pyspellchecker" in asked.stderr  # said once, not silently


def test_help_and_import_load_no_heavy_library() -> None:
    code = ("import sys, assistant, assistant.cli\n"
            "from click.testing import CliRunner\n"
            "CliRunner().invoke(assistant.cli.cli, ['--help'])\n"
            "CliRunner().invoke(assistant.cli.cli, ['ask', '--help'])\n"
            "heavy = {'torch', 'sentence_transformers', 'chromadb', 'slack_bolt', 'langchain_core', 'pydantic'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_an_extractive_ask_does_not_load_langchain(shipped_index: Settings) -> None:
    """LangChain costs a cold `ask` about a third of a second; only LLM mode and eval need it."""
    code = ("import sys\n"
            "from assistant.answers.service import Assistant\n"
            "from assistant.settings import Settings\n"
            "answer = Assistant(Settings.from_env()).ask('Quel est le quorum ?')\n"
            "print(answer.answered, sorted(m for m in sys.modules if m.startswith('langchain')))")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shipped_index.data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.stdout.strip() == "True []", result.stderr


def test_first_ask_on_a_fresh_checkout_builds_the_index_then_answers(tmp_path: Path) -> None:
    # Building the index takes ~20 s on a quiet machine, minutes on a busy one: a generous limit.
    result = run("ask", "Qui assure le secrétariat de la CP ?", "--json", data_dir=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "building it" in result.stderr
    assert json.loads(result.stdout)["answered"] is True


def test_chat_follow_up_uses_the_previous_question(shipped_index: Settings) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shipped_index.data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "chat"], input="How early must the provisional agenda be circulated?\n"
        "and for a special session?\n\n", capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    second = result.stdout.split("? ")[2]
    assert "Rule 9" in second and "thirty" in second


def test_show_prints_a_provision_whole_and_names_what_it_cannot_find(shipped_index: Settings) -> None:
    shown = run("show", "guide-rules#rule-41", "--lang", "fr", data_dir=shipped_index.data_dir)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Article 41 — Quorum (résumé)") and "Source: guide-rules#rule-41" in shown.stdout
    missing = run("show", "rule-99", data_dir=shipped_index.data_dir)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "no provision 'rule-99'" in missing.stderr
