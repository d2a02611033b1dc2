"""The service in LLM mode: follow-ups rewritten by the model, the original wording kept."""

from __future__ import annotations

import copy

import pytest

from assistant.answers.service import Assistant
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server, passage_number  # noqa: F401 (fixtures)

FIRST = "How early must the provisional agenda be circulated?"
FOLLOW_UP = "and for a special session?"
REWRITTEN = "How early must the provisional agenda be circulated before a special session?"


def thirty_days(body: dict) -> str:
    return f"At least thirty days before a special session [{passage_number(body, 'thirty (30) days')}]."


@pytest.fixture
def llm_assistant(shipped_assistant: Assistant, llm_env: ScriptedOpenAI) -> Assistant:
    """The shipped assistant (same opened index) with the scripted model configured."""
    assistant = copy.copy(shipped_assistant)
    assistant.settings = shipped_assistant.settings.with_(llm="openai:test-model", llm_timeout=0.5)
    assistant._llm = None
    return assistant


def test_a_follow_up_is_rewritten_by_the_model_and_displayed_as_asked(
        llm_assistant: Assistant, llm_env: ScriptedOpenAI) -> None:
    llm_env.script(REWRITTEN, Reply(thirty_days))
    answer = llm_assistant.ask(FOLLOW_UP, history=[FIRST])
    condense, answering = (llm_env.messages(0)["user"], llm_env.messages(1)["user"])
    assert f"- {FIRST}" in condense and f"Follow-up question: {FOLLOW_UP}" in condense
    assert f"Question: {REWRITTEN}" in answering
    assert answer.question == FOLLOW_UP and answer.mode == "llm" and answer.answered
    assert [c.locator for c in answer.citations] == ["rule-9"]
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}


def test_when_the_rewrite_fails_the_previous_subject_is_carried(
        llm_assistant: Assistant, llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply("down", status=500), Reply("down", status=500), Reply(thirty_days))
    answer = llm_assistant.ask(FOLLOW_UP, history=[FIRST])
    assert f"Question: {FIRST} {FOLLOW_UP}" in llm_env.messages(2)["user"]
    assert answer.mode == "llm" and "thirty days" in answer.answer


def test_a_first_question_is_not_rewritten(llm_assistant: Assistant, llm_env: ScriptedOpenAI) -> None:
    llm_env.script(Reply(thirty_days))
    llm_assistant.ask("How early is the agenda of a special session circulated?")
    assert len(llm_env.requests) == 1


def test_without_an_llm_the_answer_is_extractive_as_before(shipped_assistant: Assistant,
                                                          openai_server: ScriptedOpenAI) -> None:
    answer = shipped_assistant.ask(FOLLOW_UP, history=[FIRST])
    assert (answer.mode, answer.dropped) == ("extractive", [])
    assert "thirty" in answer.answer and not openai_server.requests
