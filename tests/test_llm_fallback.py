"""The better answer is kept: the extractive one where the model's loses its key sentence,
the model's wording where the two agree; citations numbered from what is shown."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.language_models import BaseChatModel

from assistant.answers.answer import NOT_COVERED, Answer
from assistant.answers.fallback import NOTES, agrees, set_aside
from assistant.answers.guard import check
from assistant.answers.retrieve import Hit
from tests.openai_server import ScriptedOpenAI, llm_env, openai_server  # noqa: F401 (fixtures)
from tests.test_llm_generate import OPENING, ask, hits, make_extractive, model, rules  # noqa: F401

GENERAL = "The President opens the meetings of the COP [1]."


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "invoked"])
@pytest.mark.parametrize("key", [
    "The quorum for opening a meeting is one half of the States Parties present [1].",  # wrong fact
    "A meeting can open when at least one third of the States Parties are present [2].",  # wrong [n]
], ids=["wrong-fact", "wrong-passage"])
def test_when_the_guard_drops_the_key_sentence_the_extractive_answer_is_shown(
        model: BaseChatModel, hits: list[Hit], llm_env: ScriptedOpenAI, key: str, stream: bool) -> None:
    llm_env.script(f"{GENERAL} {key}")
    answer, streamed = ask(model, hits, stream)
    extractive = make_extractive(hits)
    assert (answer.mode, answer.fallback, answer.dropped) == ("extractive-fallback",
                                                              "key-fact-dropped", [key])
    assert answer.answer == f"{extractive.answer} {NOTES['en']['key-fact-dropped']}"
    assert answer.citations == extractive.citations and answer.answered
    if stream:
        assert streamed == f"{GENERAL} {key}"  # the CLI then shows the answer as set aside


def test_where_the_kept_sentences_agree_with_the_extractive_ones_the_model_wording_stays(
        model: BaseChatModel, hits: list[Hit], llm_env: ScriptedOpenAI) -> None:
    invented = "It was first applied in 1999 [1]."
    llm_env.script(f"{OPENING} {invented}")
    answer, _ = ask(model, hits, stream=False)
    assert (answer.mode, answer.fallback, answer.answer, answer.dropped) == ("llm", "", OPENING,
                                                                             [invented])


def test_citations_are_numbered_from_what_is_shown(
        model: BaseChatModel, hits: list[Hit], llm_env: ScriptedOpenAI) -> None:
    llm_env.script("Proposals can also be reconsidered [3]. A meeting can open when at least one "
                   "third of the States Parties participating in the session are present [1][3].")
    answer, _ = ask(model, hits, stream=False)
    assert answer.mode == "llm"
    assert answer.answer == ("Proposals can also be reconsidered [1]. A meeting can open when at "
                             "least one third of the States Parties participating in the session "
                             "are present [2][1].")
    assert [(c.n, c.locator) for c in answer.citations] == [(1, "rule-55"), (2, "rule-41")]


def test_a_reply_that_only_repeats_the_question_gives_way_to_the_extractive_answer(
        model: BaseChatModel, hits: list[Hit], llm_env: ScriptedOpenAI) -> None:
    echo = "What quorum is needed to open a meeting of the COP? [1][2]"
    llm_env.script(echo)
    answer, _ = ask(model, hits, stream=False)
    assert (answer.mode, answer.fallback, answer.dropped) == ("extractive-fallback", "unsupported",
                                                              [echo])


def test_related_topics_that_only_echo_the_instructions_leave_the_plain_not_covered_answer(
        model: BaseChatModel, hits: list[Hit], llm_env: ScriptedOpenAI) -> None:
    echo = ("In at most two short sentences in English, say which related topics the passages "
            "above do cover, so the user can rephrase [1].")
    llm_env.script(f"{echo} Quorum is covered [1].")
    weak = [replace(hit, similarity=0.3) for hit in hits]
    answer, _ = ask(model, weak, stream=False, question="Who chairs the 2031 session?")
    assert answer.answer == f"{NOT_COVERED['en']} Quorum is covered [1]." and answer.dropped == [echo]


def extractive(text: str, lang: str = "en") -> Answer:
    return Answer("q", lang, True, text, [])


@pytest.mark.parametrize("said, expected", [
    ("The agenda goes out sixty days ahead [1].", True),  # the same fact, in words
    ("The agenda goes out 45 days ahead [1].", False),
    ("The secretariat circulates the agenda [1].", False),  # none of its facts
])
def test_agreement_is_a_shared_fact_when_the_extractive_answer_states_one(said: str,
                                                                         expected: bool) -> None:
    kept = check(said, ["The agenda is circulated 60 (sixty) days ahead; late items 45 days."]).kept
    assert agrees(kept, extractive("The agenda is circulated at least sixty (60) days before [1].")) \
        is expected


@pytest.mark.parametrize("said, expected", [
    ("Le secrétariat de la Conférence est assuré par l’ONUDC [1].", True),
    ("La Conférence se réunit tous les deux ans [1].", False),
])
def test_without_facts_agreement_is_most_of_the_content_words(said: str, expected: bool) -> None:
    kept = check(said, ["Le secrétariat est assuré par l’ONUDC. La Conférence se réunit."]).kept
    answer = extractive("Le secrétariat de la Conférence est assuré par l’ONUDC [1].", "fr")
    assert agrees(kept, answer) is expected


def test_a_dropped_sentence_more_about_the_question_than_the_kept_ones_sets_the_model_aside() -> None:
    passage = "The Bureau is elected at the start of each session. The COP meets in Vienna."
    checked = check("The COP meets in Vienna [1]. The Bureau is elected for 3 years [1].", [passage])
    answer = extractive("The Bureau is elected at the start of each session [1].")
    assert set_aside(checked, answer, "When is the Bureau elected?") == "key-fact-dropped"
    assert set_aside(checked, answer, "Where does the COP meet?") is None
