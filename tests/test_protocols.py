"""The Protocols: their own facts and articles, not the Convention's."""

from __future__ import annotations

import pytest

from assistant.answers.asked import asked
from tests.passages import answer_to, hit


def test_a_fact_of_the_convention_or_of_no_instrument_does_not_answer_for_a_protocol() -> None:
    wanted = asked("how many parties did the FM protocol have at COP9", expansions="Firearms Protocol")
    assert wanted.of_another_instrument("The Convention had 189 parties at COP9.")
    assert not wanted.of_another_instrument("The Firearms Protocol had 115 parties at COP9.")
    assert not asked("how many parties at COP9").of_another_instrument("The Convention had 189 parties at COP9.")

    protocol = asked("le protocole traite il avait combien de parties a la CP10",
                     expansions="Protocole relatif à la traite des personnes")
    assert protocol.silent_on_protocol("Le discours de clôture fait état de 121 États Parties.",
                                       "CP10 — Dixième session")
    assert not protocol.silent_on_protocol("Il comptait 178 Parties à la CP10.",
                                           "Protocole relatif à la traite des personnes")
    assert not protocol.silent_on_protocol(  # "all the instruments" names this one too
        "If a reviewer is not party to all the instruments concerned, a further lot picks another.", "Country reviews")


def test_a_provision_on_every_protocol_answers_for_the_one_named() -> None:
    named = hit("The Trafficking in Persons Protocol was adopted in 2000. The TIP Protocol aims to protect victims; "
                "it is open to States.", locator="protocol-tip", heading="Trafficking in Persons Protocol")
    every = hit("A State must first be a party to the Convention to become a party to a protocol.",
                locator="art-37", heading="Article 37 — Relation with protocols")
    question = "can a state join the trafficking in persons protocol without joining the convention itself"
    assert "must first be a party to the Convention" in answer_to(question, named, every)
    assert asked(question).protocols_meant("the TIP Protocol aims to protect victims", "en") == ""


@pytest.mark.parametrize("question, fact", [
    ("FM protocol party count at the time of cop9?", "115"),
    ("protocole traite : combien de parties a l'epoque de la CP9 ?", "173"),
    ("le protocole traite il avait combien de parties au moment de la cp10 ?", "178"),
])
def test_a_protocols_count_is_answered_with_the_protocols_not_the_conventions(
        shipped_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer


@pytest.mark.parametrize("question", [
    "Can a State become a party to a protocol without being a party to the Convention?",
    "Can a State that has not become a party to the Convention join a protocol?",
    "Is it correct that a State may join a protocol without first being a party to the Convention itself?",
])
def test_joining_without_what_is_required_gets_the_requirement(question: str) -> None:
    text = ("Under article 99(2), a State must be a party to the Convention to become a party to a protocol. "
            "Under article 99(3), a State Party is bound by a protocol only once it becomes a party to that protocol.")
    assert "must be a party to the Convention" in answer_to(question, hit(text, "art-99", "Article 99 — Protocols"))


@pytest.mark.parametrize("question, sentence", [
    ("can a State join the Firearms Protocol without joining the Convention?",
     "The Firearms Protocol is described as the first, and only, legally binding instrument on small arms."),
    ("Un État peut-il adhérer au Protocole relatif aux armes à feu sans être partie à la Convention ?",
     "Le Protocole relatif aux armes à feu est présenté comme le premier et le seul instrument juridiquement "
     "contraignant sur les armes légères."),
])
def test_the_only_instrument_of_its_kind_is_no_restriction(question: str, sentence: str) -> None:
    """"The only legally binding instrument" describes: it permits nothing and is no exception."""
    wanted = asked(question)
    assert wanted.states(sentence) == 0.0 and not wanted.departs(sentence)


@pytest.mark.parametrize("question, restricted, plain", [
    ("can observers vote?", "Only States Parties vote.", "States Parties vote."),
    ("les observateurs peuvent-ils voter ?", "Seuls les États Parties votent.", "Les États Parties votent."),
    ("un État peut-il être examiné sur tous les instruments ?",
     "Le tirage a lieu pour les seuls instruments manquants.", "Le tirage a lieu pour les instruments manquants."),
])
def test_only_still_restricts(question: str, restricted: str, plain: str) -> None:
    wanted = asked(question)
    assert wanted.states(restricted) == 1.0 and wanted.states(plain) == 0.0


def test_joining_a_protocol_without_the_convention_is_answered_by_the_requirement(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("Un État peut-il adhérer au Protocole relatif aux armes à feu sans être partie "
                                   "à la Convention ?")
    assert answer.answered and "doit être partie à la Convention" in answer.answer


def test_an_article_of_a_protocol_is_answered_from_that_protocol(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("SOM protocol art 3(a): does smuggling cover a permanent resident?")
    assert answer.answered and "permanent resident" in answer.answer  # not the Convention's article 3
    assert [c.locator for c in answer.citations] == ["protocol-som"]
