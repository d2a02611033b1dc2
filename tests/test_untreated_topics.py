"""Topics a guide lists as not treated: a question on one is declined with the guide's note, not
answered from a neighbouring rule; a topic another guide treats is still answered."""

from __future__ import annotations

import pytest

from assistant.answers.decision import Verdict
from assistant.answers.extractive import compose
from assistant.answers.notes import named_topics, untreated_topics
from assistant.answers.retrieve import Hit, Retrieval
from assistant.answers.understand import Understanding
from assistant.corpus.chunks import Chunk

NOTES = ("This guide does not cover rules 24 to 29 (including the acting President and the President's powers).\n\n"
         "This guide does not cover rules 59 to 71 (including the majority required on procedural matters, "
         "the conduct of voting, elections and subsidiary bodies).")


def chunk(text: str, locator: str, doc_id: str = "guide-rules") -> Chunk:
    return Chunk(doc_id=doc_id, lang="en", kind="guide", title="Guide", locator=locator,
                 heading=locator, url=None, text=text, seq=0)


def answer(question: str, passage: Chunk) -> str:
    found = Retrieval(Understanding(question, "en"), [Hit(passage, similarity=0.9, score=1.0)],
                      untreated=named_topics(question, untreated_topics([chunk(NOTES, "not-covered")])))
    return compose(question, "en", found, Verdict(True, 0.9), idf=lambda term: 1.0).answer


def test_a_notes_topics_are_its_listed_phrases_of_two_words_or_more() -> None:
    topics = untreated_topics([chunk(NOTES, "not-covered")])
    assert {" ".join(sorted(t.stems)) for t in topics} == {
        "act presid", "power presid", "major matter procedur requir", "conduct vote", "bodi subsidiari"}
    # one word ("elections") names too much: the election of the Bureau is treated elsewhere
    assert named_topics("How are the Bureau elections held?", topics) == []
    assert [t.stems for t in named_topics("Who is the acting President?", topics)] == [frozenset({"act", "presid"})]


def test_a_topic_the_guide_leaves_out_is_not_answered_from_another_of_its_rules() -> None:
    bureau = chunk("Under rule 30, the Bureau assists the President in the general conduct of the work.", "rule-30")
    said = answer("Who acts as President when the President is absent?", bureau)
    assert said.startswith("The knowledge base does not give this") and "rules 24 to 29" in said


def test_a_passage_that_holds_the_topic_answers_and_so_does_another_guide() -> None:
    acting = chunk("Under rule 24, an acting President has the powers and duties of the President.", "rule-24")
    assert answer("Who is the acting President?", acting).startswith("Under rule 24")
    review = chunk("The acting President of the review meets the experts.", "steps", doc_id="guide-review-mechanism")
    assert answer("What does the acting President of the review do?", review).startswith("The acting President")


@pytest.mark.parametrize("question, note", [
    ("who takes the chair if the COP President is absent - acting President?", "does not cover rules 24 to 29"),
    ("qui tient la liste des orateurs à la CP ?", "Les articles 45 à 53"),
    ("le président par intérim de la CP, qui le désigne ?", "Les articles 24 à 29"),
])
def test_a_question_on_a_topic_the_rules_guide_leaves_out_is_declined(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                                     note: str) -> None:
    answered = shipped_assistant.ask(question)
    assert not answered.answered and note in answered.answer
    assert answered.citations[0].locator == "not-covered"


@pytest.mark.parametrize("question, fact", [
    ("How often do regular sessions take place?", "two (2) years"),  # "take place" is no "place of sessions"
    ("Is there a time limit for submitting credentials?", "twenty-four"),  # a time limit, not on speeches
    ("time limit for circulating the provisional agenda?", "sixty (60) days"),
])
def test_words_of_a_topic_the_guide_leaves_out_do_not_decline_what_it_treats(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                                            fact: str) -> None:
    answered = shipped_assistant.ask(question)
    assert answered.answered and fact in answered.answer


def test_time_limits_of_a_country_review_are_answered(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    """"Time limits" is a topic the rules guide leaves out; the Review Mechanism's guide gives its own."""
    answered = shipped_assistant.ask("within what time limits must a State name its focal points once its review "
                                     "starts?")
    assert answered.answered and "two (2) weeks" in answered.answer
