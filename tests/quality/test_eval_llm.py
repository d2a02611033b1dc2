"""`assistant eval` in LLM mode, against the scripted OpenAI-compatible server: faithfulness."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli
from assistant.settings import Settings
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server, passage_number  # noqa: F401 (fixtures)

QUESTION = "How early must the provisional agenda be circulated?"


def faithful(body: dict) -> str:
    n = passage_number(body, "thirty (30) days")
    return (f"The provisional agenda goes out at least sixty days before a regular session [{n}]. "
            f"For a special session, the limit is thirty days [{n}].")


def one_invented(body: dict) -> str:
    n = passage_number(body, "thirty (30) days")
    return f"{faithful(body)} Late items need 45 days of notice [{n}]."


def test_eval_in_llm_mode_reports_faithfulness_and_counts_dropped_sentences(
        shipped_index: Settings, llm_env: ScriptedOpenAI, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    line = {"question": QUESTION, "lang": "en", "answerable": True,
            "expected_sources": ["guide-rules#rule-9"], "expected_keywords": ["sixty"]}
    questions.write_text("\n".join(json.dumps({**line, "id": f"agenda-{n}"}) for n in (1, 2)) + "\n",
                         encoding="utf-8")
    llm_env.script(Reply(faithful), Reply(faithful), Reply(one_invented))  # the first: warm-up
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[min]\nfaithfulness = 0.9\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data-dir", str(shipped_index.data_dir), "eval", "--json",
                                      "--questions", str(questions), "--thresholds", str(thresholds)])
    data = json.loads(result.stdout)
    # 4 sentences kept, all faithful; 1 invented one dropped by the guard: 4 of 5.
    assert data["metrics"]["faithfulness"] == 0.8
    assert data["metrics"]["keyword_recall"] == 1.0
    assert result.exit_code == 1 and "faithfulness = 0.800 is below its threshold 0.9" in result.stderr


def test_eval_reports_the_share_of_answers_that_fell_back_and_why(
        shipped_index: Settings, llm_env: ScriptedOpenAI, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    line = {"question": QUESTION, "lang": "en", "answerable": True,
            "expected_sources": ["guide-rules#rule-9"], "expected_keywords": ["sixty"]}
    questions.write_text("\n".join(json.dumps({**line, "id": f"agenda-{n}"}) for n in (1, 2, 3))
                         + "\n", encoding="utf-8")
    llm_env.script(Reply(faithful), Reply(faithful), "NOT IN THE KNOWLEDGE BASE")  # warm-up first
    result = CliRunner().invoke(cli, ["--data-dir", str(shipped_index.data_dir), "eval", "--json",
                                      "--questions", str(questions), "--sample", "2"])
    data = json.loads(result.stdout)
    assert data["n"] == 2 and data["metrics"]["fallback_share"] == 0.5
    assert data["fallbacks"] == {"model-declined": 1}
    assert data["metrics"]["false_refusal_rate"] == 0.0  # the extractive answer was shown
