"""The evaluation harness: golden-set format, metrics, thresholds and the CLI gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import UsageError
from assistant.quality import metrics
from assistant.quality.golden import load_golden, source_matches
from assistant.settings import PACKAGE_ROOT, Settings
from tests.conftest import make_knowledge

EVALS = PACKAGE_ROOT / "evals"
TUNE, TEST = EVALS / "tune.jsonl", EVALS / "test.jsonl"
GOOD = {"id": "q1", "question": "Quel est le quorum ?", "lang": "fr", "answerable": True,
        "expected_sources": ["guide-rules#rule-41"], "expected_keywords": ["tiers"]}


@pytest.mark.parametrize(
    ("expected", "doc_id", "locator", "ok"),
    [
        ("guide-rules#art-32", "guide-rules", "art-32", True),
        ("guide-rules#art-32", "guide-rules", "art-32-para-3", True),
        ("guide-rules#art-32", "guide-rules", "art-320", False),
        ("guide-rules#art-32", "guide-convention", "art-32", False),
        ("cop-overview", "cop-overview", "para-9", True),
    ],
)
def test_expected_sources_match_by_prefix_at_dash_boundaries(expected: str, doc_id: str,
                                                             locator: str, ok: bool) -> None:
    assert source_matches(expected, doc_id, locator) is ok


@pytest.mark.parametrize("path", [TUNE, TEST], ids=["tune", "test"])
def test_each_question_set_has_the_promised_coverage(path: Path) -> None:
    questions = load_golden(path)
    answerable = [q for q in questions if q.answerable]
    assert len(questions) >= 100
    assert sum(q.lang == "en" for q in answerable) >= 40 and sum(q.lang == "fr" for q in answerable) >= 40
    for lang in ("en", "fr"):
        assert sum(q.kind == "colloquial" and q.lang == lang for q in questions) >= 15
        assert sum(q.kind == "near-miss" and q.lang == lang for q in questions) >= 10
    shipped = {"cop-overview", "guide-rules", "guide-convention", "guide-review-mechanism", "guide-bodies"}
    assert shipped <= {s.split("#")[0] for q in answerable for s in q.expected_sources}


def test_tuning_and_test_questions_never_overlap() -> None:
    tune, test = load_golden(TUNE), load_golden(TEST)
    assert not {q.id for q in tune} & {q.id for q in test}
    assert not {q.question.lower() for q in tune} & {q.question.lower() for q in test}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ", line 2: not valid JSON"),
        (json.dumps({**GOOD, "id": "q2", "answerable": "yes"}), ", line 2: field 'answerable' must be a bool"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "question"} | {"id": "q2"}),
         ", line 2: missing field 'question'"),
        (json.dumps(GOOD), ", line 2: id 'q1' is used twice"),
        (json.dumps({**GOOD, "id": "q2", "expected_sources": []}), ", line 2: an answerable question needs"),
        (json.dumps({**GOOD, "id": "q2", "class": "slang"}), ", line 2: class 'slang' is not one of formal"),
    ],
)
def test_malformed_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_golden(path)


def test_metrics_are_computed_over_parallel_lists() -> None:
    assert metrics.hit_at(1, [1, 2, None])[0] == pytest.approx(1 / 3)
    assert metrics.mrr([1, 2, None])[0] == pytest.approx(0.5)
    assert metrics.refusal_accuracy([True, False, False], [True, False, True])[0] == 0.5
    assert metrics.false_refusal_rate([True, True, False], [False, True, False])[0] == 0.5
    assert metrics.citation_precision([[True, False], [True]])[0] == pytest.approx(2 / 3)
    assert metrics.percentile([5, 1, 3, 2, 4], 50) == 3
    with pytest.raises(ValueError, match="differ in length"):
        metrics.refusal_accuracy([True], [True, False])


def run_eval(*args: str, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([sys.executable, "-m", "assistant", "eval", *args], capture_output=True,
                          text=True, env=full_env, timeout=600)


def test_eval_json_reports_metrics_per_language_and_the_baseline(shipped_index: Settings, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    lines = [line for line in TEST.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions.write_text("\n".join(lines[:6] + lines[-4:]) + "\n", encoding="utf-8")
    report = tmp_path / "report.md"
    result = run_eval("--questions", str(questions), "--json", "--baseline", "--report", str(report),
                      data_dir=shipped_index.data_dir)
    data = json.loads(result.stdout)
    assert data["n"] == 10 and set(data["by_lang"]) <= {"en", "fr"}
    for name in ("hit_at_1", "hit_at_5", "mrr", "citation_precision", "keyword_recall",
                 "refusal_accuracy", "false_refusal_rate", "latency_ms_p50", "latency_ms_p95"):
        assert name in data["metrics"] and name in data["baseline"]["metrics"]
    assert data["baseline"]["metrics"]["refusal_accuracy"] == 0.0  # the baseline never declines
    assert data["gated"] == "q" and set(data["sets"]) == {"q"}
    assert {"near-miss", "near-miss/en"} <= set(data["by_class"])
    text = report.read_text(encoding="utf-8")
    assert "| metric | assistant | baseline |" in text and "## Failures" in text and "By class" in text


def test_a_gate_on_one_language_or_class_names_it(shipped_index: Settings, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    near_misses = [line for line in TEST.read_text(encoding="utf-8").splitlines() if '"near-miss"' in line]
    picked = [line for line in near_misses if '"lang": "en"' in line][:2]
    picked += [line for line in near_misses if '"lang": "fr"' in line][:2]
    questions.write_text("\n".join(picked) + "\n", encoding="utf-8")
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text('[class."near-miss/fr".min]\nrefusal_accuracy = 1.01\n'
                          '[lang.en.max]\nfalse_refusal_rate = 0.05\n', encoding="utf-8")
    result = run_eval("--questions", str(questions), "--thresholds", str(thresholds), data_dir=shipped_index.data_dir)
    assert result.returncode == 1
    assert "threshold: refusal_accuracy (near-miss/fr) = " in result.stderr
    assert "false_refusal_rate (en) = n/a" in result.stderr  # no English answerable question: not passed


def test_a_broken_retriever_fails_the_gate_and_names_the_metric(tmp_path: Path) -> None:
    """An index that lost the guides (only an unrelated note left) must not pass CI."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "note.md").write_text("## Lunch {#lunch}\n\nThe canteen opens at noon on weekdays.\n",
                                       encoding="utf-8")
    make_knowledge(knowledge, {"note.md": ("note", "en", "guide")})
    result = run_eval(data_dir=tmp_path / "data", env={"ASSISTANT_KNOWLEDGE_DIR": str(knowledge)})
    assert result.returncode == 1
    assert "threshold: hit_at_1" in result.stderr


def test_eval_with_a_malformed_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{oops\n", encoding="utf-8")
    result = run_eval("--questions", str(path), data_dir=tmp_path)
    assert result.returncode == 2
    assert "bad.jsonl, line 2: not valid JSON" in result.stderr


def test_the_refusal_model_is_not_fitted_on_what_a_guides_note_decides(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.quality.calibrate import collect
    from assistant.quality.golden import GoldenQuestion

    lacking = GoldenQuestion("lacks", "What majority does rule 58 require when there is no consensus?", "en",
                             False, (), ())
    answered = GoldenQuestion("quorum", "What is the quorum of the COP?", "en", True, ("guide-rules#rule-41",), ())
    assert [sample.question.id for sample in collect(shipped_assistant, [lacking, answered])] == ["quorum"]
