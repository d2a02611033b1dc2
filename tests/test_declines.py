"""Declining what is not covered: the closest sources, the guides' own notes, the refusal model."""

from __future__ import annotations

import json

import pytest

from assistant.answers import models
from assistant.answers.decision import FEATURES, RefusalModel, Verdict, signals
from assistant.answers.extractive import choose, compose
from assistant.answers.retrieve import Retrieval
from assistant.answers.understand import Understanding
from tests.passages import hit


@pytest.mark.parametrize("question", [
    "UNCAC COSP quorom?", "CND how many members", "quel est le quorum du Conseil de sécurité",
    "What is the capital of Peru?",
    "unfccc cop - deadline for ngo observer admission",  # another treaty's COP, not ours
    "CDB : la COP vote à quelle majorité ?",
    "mail du chef de delegation du mexique a la cp12",  # the session is known, the fact is not
    "who chaired cop12?", "Qui a présidé la huitième session de la CP ?",  # not "Ghada Waly closed COP12"
    "Qui présidait la cinquième session de la CP ?",  # not « le Président du Groupe de travail … la CP5 »
    "Selon l'article 42 du règlement intérieur de la Conférence des Parties à la CCNUCC, quelle majorité ?",
    "whos chairing the firearms WG these days?",  # "whos" asks for an officer too
    "if no consensus on a budget decision at the cop what majority do we need to pass it?",  # rule 56 states none
])
def test_what_is_not_covered_is_declined(shipped_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    assert not shipped_assistant.ask(question).answered


@pytest.mark.parametrize("question, note", [
    ("what majority does rule 58 require when there is no consensus?", "not given in the sources used for this guide"),
    ("Par quelle résolution la CP a-t-elle créé le groupe de travail sur les armes à feu ?",
     "n'a pas été trouvée dans les sources"),
    ("If a representative raises a point of order at the COP, how is it ruled on?",
     "does not cover the rest of rule 44"),  # "ruled on": what the note calls "decided"
    ("une motion d'ordre est soulevée : comment le président doit-il trancher ?", "n'est pas traitée dans ce guide"),
    # rules the guide says it leaves out (its last section)
    ("What is the time limit on speeches at the COP?", "does not cover rules 45 to 53"),
    ("who is the acting President when the President is absent?", "does not cover rules 24 to 29"),
])
def test_a_fact_the_guide_says_it_lacks_is_declined_with_its_note(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                                 note: str) -> None:
    answer = shipped_assistant.ask(question)
    assert not answer.answered and note in answer.answer and "[1]" in answer.answer


@pytest.mark.parametrize("question, says", [
    ("la CP13 c'est prévu quand et où ?", "ne contient rien sur la CP13"),  # a session that has not met
    ("Where will the thirteenth session of the Conference be held?", "nothing on COP13"),  # named in words
    ("what does rule 99 say about the quorum?", "nothing on rule 99"),  # there are 81 rules
    ("GRETA : combien de membres ?", "le Conseil de l'Europe"),
    ("l'AG elle a combien de VP deja ?", "l'Assemblée générale"),  # the GA's passage names a « Président », no VP
    ("UNCAC implementation review: how many reviewers per State?", "Convention against Corruption"),
    ("Rome Statute ASP - what majority to elect the judges?", "International Criminal Court"),
    ("comité des ONG de l'ECOSOC : délai pour demander le statut consultatif ?",
     "Comité chargé des organisations non gouvernementales"),  # not rule 17's ECOSOC status
    # bodies the glossary does not list, named by a word the documents never use
    ("What is the quorum for the Executive Board of UNOPS?", "the Executive Board of UNOPS"),
    ("how many VPs does the unitar governing council elect", "the unitar governing council"),
    ("Combien de vice-présidents élit l'Assemblée de l'OMT ?", "« Assemblée de l'OMT »"),
    ("how does an NGO get ECOSOC consultative status?", "how ECOSOC grants consultative status"),  # not rule 17
    ("Comment une ONG obtient-elle le statut consultatif auprès de l'ECOSOC ?", "l'octroi du statut consultatif"),
    # the COP named only to be set aside: the question is about the other body
    ("Unlike the COP, what majority does the General Assembly need on important questions?", "the General Assembly"),
    ("Contrairement à la CP, comment la Commission des stupéfiants admet-elle les ONG ?",
     "la Commission des stupéfiants"),
    # the COP of another treaty, named as that treaty's
    ("À quelle fréquence la Conférence des Parties à la Convention-cadre de l'OMS se réunit-elle ?",
     "l'Organisation mondiale de la Santé"),
    ("how often does the COP to the WHO tobacco treaty meet?", "the World Health Organization"),
    ("How many members of the Bundestag make a quorum?", "a national parliament"),  # a parliament named
    ("sec council - can a non-member state speak in an open debate?", "the Security Council"),  # typed short
    ("att csp quorum - how many states parties needed to take decisions?", "the Arms Trade Treaty"),
    ("Combien de jours avant une session du Conseil exécutif de l'Union africaine l'ordre du jour est-il distribué ?",
     "organisation régionale"),
    # the COP named only as a time: "before next CoP" does not make the question about ours
    ("how long does the ECOSOC NGO committee take to approve consultative status? we want it before next CoP",
     "the ECOSOC Committee on Non-Governmental Organizations"),
    # a fact the knowledge base gives only for other sessions or years
    ("Combien d'États étaient parties au Protocole relatif aux armes à feu lors de la onzième session de la CP ?",
     "ne donne pas ce fait pour la CP11"),
    ("how many parties does the firearms protocol have in 2024?", "does not give this for 2024"),
    # the guide's note that it does not cover the rule is all there is: neither thing asked is answered
    ("the right of reply: how long can we speak, and how many times per item?",
     "Its source says: This guide does not cover rules 45 to 53"),
])
def test_what_the_knowledge_base_lacks_is_named_when_declining(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                               says: str) -> None:
    answer = shipped_assistant.ask(question)
    assert not answer.answered and says in answer.answer and answer.citations


def test_a_declined_answer_is_the_closest_sources_not_an_answer() -> None:
    found = Retrieval(Understanding("x", "fr"), [hit("Under rule 99, something.")])
    answer = compose("x", "fr", found, Verdict(False, 0.1), idf=lambda term: 1.0)
    assert not answer.answered and answer.answer.startswith("La base de connaissances ne couvre pas")
    assert [c.locator for c in answer.citations] == ["rule-99"]


def test_the_shipped_refusal_model_reads_the_signals_the_code_computes() -> None:
    """A change of signals without `assistant calibrate --write` would silently misweigh them."""
    data = json.loads(models.MODEL_FILE.read_text(encoding="utf-8"))
    for embedding in data:
        model = RefusalModel.from_dict(models.load(embedding, "refusal"))
        assert model.features == FEATURES and len(model.weights) == len(FEATURES)
        assert 0 < model.threshold < 1


def test_the_refusal_model_answers_more_surely_with_better_evidence() -> None:
    model = RefusalModel.from_dict(models.load("e5", "refusal"))
    weak = {name: 0.0 for name in FEATURES} | {"dense_top": 0.80, "unknown": 1.0}
    strong = {name: 0.0 for name in FEATURES} | {"dense_top": 0.92, "coverage": 1.0, "coverage_top1": 1.0,
                                                 "keyword_top": 3.0, "agreement": 1.0, "named": 1.0,
                                                 "coverage_answer": 1.0}
    assert model.probability(weak) < model.threshold < model.probability(strong)
    assert model.probability(strong | {"coverage_answer": 0.0}) < model.probability(strong)


def test_the_decision_sees_what_the_sentence_it_would_quote_leaves_out() -> None:
    """"One vote" is near "can the President vote?" but says nothing of the President."""
    found = Retrieval(Understanding("Can the President vote?", "en"),
                      [hit("Each State Party has one vote."),
                       hit("The President is elected at the opening of each session.", "rule-22")])
    values = signals(found, choose(found, idf=lambda term: 1.0), idf=lambda term: 1.0, known=lambda stem: True)
    assert values["coverage"] == 1.0 and values["coverage_answer"] == 0.5


def test_a_missing_model_says_how_to_make_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="run: assistant calibrate --write"):
        models.load("e5", "refusal", tmp_path / "models.json")
