"""Exceptions and what is lacking: the answer gives the one asked about, not the general rule."""

from __future__ import annotations

import pytest

from assistant.answers.asked import asked
from assistant.answers.extractive import choose
from assistant.answers.retrieve import Retrieval
from assistant.answers.understand import Understanding
from tests.passages import answer_to, hit


def test_a_negation_is_not_a_permission() -> None:
    wanted = asked("can civil society take part in the review mech at all?")
    assert wanted.states("In 2023, an NGO reported that no review had yet been completed.") == 0.0
    assert wanted.states("Under paragraph 53, NGOs may take part in constructive dialogues.") == 1.0
    assert asked("les ONG peuvent-elles voter ?").states("Les ONG ne peuvent pas voter.") == 1.0
    assert asked("les ONG peuvent-elles voter ?").states("Les ONG n'ont pas le droit de vote.") == 1.0


@pytest.mark.parametrize("question", [
    "can NGOs without ECOSOC consultative status attend?",
    "NGOs that do not have consultative status with ECOSOC - can they attend?",
])
def test_a_question_on_the_exception_gets_the_exception_not_the_rule(question: str) -> None:
    text = ("Under rule 99(1), NGOs in consultative status with ECOSOC may ask the Bureau for observer status.\n\n"
            "Under rule 99(2), other relevant NGOs may also apply; the secretariat circulates their list "
            "thirty (30) days before the session.")
    answer = answer_to(question, hit(text))
    assert "other relevant NGOs" in answer and "in consultative status" not in answer


def test_a_french_question_on_the_exception_gets_the_exception_not_the_rule() -> None:
    text = ("Selon l'article 99, paragraphe 1, les ONG dotées du statut consultatif auprès de l'ECOSOC peuvent "
            "demander au Bureau le statut d'observateur.\n\n"
            "Selon l'article 99, paragraphe 2, les autres ONG peuvent aussi s'adresser au Bureau ; leur liste est "
            "diffusée trente (30) jours avant la session.")
    found = Retrieval(Understanding("une ONG qui ne jouit pas du statut consultatif auprès de l'ECOSOC, elle "
                                    "peut venir ?", "fr"), [hit(text)])
    answer = " ".join(text for _, text in choose(found, idf=lambda term: 1.0))
    assert "les autres ONG" in answer and "dotées du statut" not in answer


def test_a_yes_no_question_favours_the_qualification() -> None:
    qualification = "COP11 was held in a hybrid format, not fully in person."
    assert asked("was COP11 fully in person?").departs(qualification)
    assert not asked("in what format was COP11 held?").departs(qualification)


@pytest.mark.parametrize("question, first, fact", [
    ("An NGO without ECOSOC consultative status wants observer status at the COP: what is the procedure?",
     "Under rule 17(2)", "if there is an objection, the COP decides"),
    ("une ONG sans statut consultatif aupres de l'ECOSOC veut etre observatrice a la CP, ca se passe comment ?",
     "Selon l'article 17, paragraphe 2", "en cas d'objection, la CP tranche"),
])
def test_a_subject_lacking_something_gets_the_rule_for_it_and_the_rest_of_its_paragraph(
        shipped_assistant, question: str, first: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    """Not rule 17(1) on NGOs that have the status (though it says "unless the COP decides otherwise"),
    and the paragraph on the others goes on to what happens on an objection."""
    answer = shipped_assistant.ask(question)
    assert answer.answered and answer.answer.startswith(first) and fact in answer.answer


def test_a_sentence_on_those_who_have_what_is_lacked_is_told_apart() -> None:
    wanted = asked("NGO without ECOSOC status: can it observe?")
    assert wanted.of_the_holders("NGOs in consultative status with ECOSOC may apply, unless the COP decides otherwise.")
    assert not wanted.of_the_holders("Other NGOs, without such status, may also apply.")
    assert not wanted.of_the_holders("NGOs not in consultative status with ECOSOC may also apply.")
    assert asked("an NGO with no ECOSOC status?").of_the_holders("NGOs in consultative status with ECOSOC may apply.")
    assert not wanted.of_the_holders("An NGO must hold ECOSOC status to apply.")  # what it lacks, required
    no_consensus = asked("what happens when there is no consensus?")  # a situation: nobody lacks it
    assert not no_consensus.of_the_holders("All resolutions have been adopted by consensus.")
