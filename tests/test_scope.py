"""Questions about other bodies: declined unless the knowledge base covers them; COP questions kept to the COP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answers.retrieve import Hit
from assistant.answers.understand import Understanding
from tests.passages import answer_to, hit


def test_a_session_of_another_body_that_a_passage_names_is_not_out_of_scope() -> None:
    from assistant.answers.glossary import Glossary
    from assistant.answers.scope import names_session, other_body
    from assistant.settings import PACKAGE_ROOT

    glossary = Glossary.load(PACKAGE_ROOT / "knowledge")
    cosp = hit("The COSP meets every two years; COSP10 was held in Atlanta in December 2023.", "cosp", "COSP")

    def about(question: str):  # type: ignore[no-untyped-def]
        understood = Understanding(question, "en", bodies=glossary.bodies_in(question))
        return other_body(understood, [cosp], idf=lambda term: 1.0)

    assert about("COSP10 - which city hosted it?") is None  # the passage names that very session
    assert about("where did UNCAC COSP10 take place?") is None  # whichever of its names comes first
    assert "Corruption" in about("COSP12 - which city hosted it?").en
    assert about("Where was the tenth session of the COSP held?") is None  # the session by its ordinal
    assert "Corruption" in about("Where was the twelfth session of the COSP held?").en
    cosp_fr = hit("La CEP se réunit tous les deux ans ; ses sessions récentes ont eu lieu à Charm el-Cheikh (neuvième, "
                  "décembre 2021) et à Atlanta (dixième, décembre 2023).", "cosp", "CEP")
    (_, body), = glossary.bodies_in("où s'est tenue la dixième session de la CEP ?")
    for ordinal, named in (("dixième", True), ("douzième", False)):
        question = f"où s'est tenue la {ordinal} session de la CEP ?"
        assert names_session(cosp_fr, body, Understanding(question, "fr")) is named  # « (dixième, …) »
    economic = hit("It has 54 members, elected by the General Assembly for three-year terms.", "ecosoc",
                   "Economic and Social Council")
    understood = Understanding("how many members does ECOSOC have?", "en",
                               bodies=glossary.bodies_in("how many members does ECOSOC have?"))
    assert other_body(understood, [economic], idf=lambda term: 1.0) is None  # named in its heading only


@pytest.mark.parametrize("question", [
    "ECOSOC: how many member States sit on it, and for how long are they elected?",
    "l'ECOSOC compte combien de membres ?",
])
def test_a_body_named_only_as_electing_others_is_not_what_the_passage_covers(
        shipped_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask(question)  # the INCB section: "13 members elected by ECOSOC"
    assert not answer.answered and answer.expanded["other_bodies"] == ["the Economic and Social Council (ECOSOC)"]


@pytest.mark.parametrize("question, lang, passage, own", [
    ("UNGA plenary - what's the quorum to take a decision?", "en",
     "Observers with a General Assembly standing invitation may attend plenary meetings and take no part in decisions.",
     "The General Assembly decided that a quorum of one third applies to its plenary meetings."),
    ("quel quorum pour une séance plénière de l'Assemblée générale ?", "fr",
     "Les séances plénières sont ouvertes aux entités ayant une invitation permanente de l'Assemblée générale.",
     "Un quorum d'un tiers s'applique aux séances plénières de l'Assemblée générale."),
])
def test_a_body_named_only_as_the_author_of_an_instrument_is_not_what_the_passage_covers(
        question: str, lang: str, passage: str, own: str) -> None:
    from assistant.answers.glossary import Glossary
    from assistant.answers.scope import other_body
    from assistant.settings import PACKAGE_ROOT

    def in_lang(text: str, heading: str) -> Hit:
        return Hit(replace(hit(text, heading=heading).chunk, lang=lang), similarity=0.9, score=1.0)

    understood = Understanding(question, lang, bodies=Glossary.load(PACKAGE_ROOT / "knowledge").bodies_in(question))
    assert other_body(understood, [in_lang(passage, "Rule 16")], idf=lambda term: 1.0).en == "the General Assembly"
    assert other_body(understood, [in_lang(own, "Rule 99")], idf=lambda term: 1.0) is None  # on its own procedure


def test_a_question_naming_a_body_only_as_an_instruments_author_is_not_about_it() -> None:
    from assistant.answers.glossary import Glossary
    from assistant.answers.scope import asked_about
    from assistant.settings import PACKAGE_ROOT

    glossary = Glossary.load(PACKAGE_ROOT / "knowledge")
    for question, about in (("with a General Assembly standing invitation, can our organization vote?", []),
                            ("what is the General Assembly's quorum?", ["the General Assembly"])):
        understood = Understanding(question, "en", bodies=glossary.bodies_in(question))
        assert [body.en for body in asked_about(understood)] == about


def test_the_section_on_the_other_body_named_is_searched(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("la CEP9 c'etait où ?")  # not the COP's ninth session, nor declined
    assert answer.answered and "Charm el-Cheikh" in answer.answer
    assert [c.locator for c in answer.citations] == ["cosp"]


def test_a_question_about_another_body_is_declined_and_names_it(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("Quel est le quorum de l'Assemblée générale ?")
    assert not answer.answered and "l'Assemblée générale" in answer.answer
    assert answer.citations  # the closest COP sources are still listed
    assert answer.expanded["other_bodies"] == ["the General Assembly"]


@pytest.mark.parametrize("question, fact", [
    ("Quel est le quorum de la CP ?", "un tiers"),
    ("is the cop quorum the same as in the GA?", "one third"),  # a comparison with the COP
    ("Is the COP's quorum the same as the quorum of the World Health Assembly?", "one third"),  # COP "of" nothing
    ("If our parliament ratifies in March, when does the Convention enter into force for us?",
     "article 38"),  # a parliament unnamed is no other body
    ("which GA res adopted the palermo convention", "55/25"),  # the knowledge base speaks of it
    ("NGOs in consultative status with ECOSOC: can they observe?", "ECOSOC"),
    ("ngo w/o ecosoc status wants to attend, how far ahead does the list go out", "30"),  # ECOSOC qualifies
    ("art 35(3) - can a state opt out of the arbitration / ICJ clause?", "not bound"),  # our article names the ICJ
    ("In a dispute over the interpretation of the Convention, how long after a request for arbitration may a "
     "party go to the International Court of Justice?", "six (6) months"),  # « interpretation » is one word to find
    ("la CEP de la convention contre la corruption elle se reunit tous les combien ?",
     "tous les deux ans"),  # from the passage that names the CEP and states a period
    ("COSP9 - host city?", "Sharm el-Sheikh"),  # the passage names that very session: evidence enough
    ("how often does the COSP meet and where was its tenth session held?", "Atlanta"),  # …or by its ordinal
    ("INCB - how many members are picked from the WHO list?", "three (3)"),  # the WHO acts on what is asked
    ("who may attend meetings of the Committee of the Whole?", "signatories"),  # a body of ours, by its name
    ("if we get ECOSOC status, are we admitted by the CoP automatically?", "rule 17"),  # "by the CoP": not a time
    ("Can intergovernmental organizations such as the OSCE be observers?", "rule 16"),  # the OSCE at the COP
])
def test_a_question_naming_another_body_stays_answerable_when_the_kb_covers_it(
        shipped_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer


@pytest.mark.parametrize("question, about", [
    ("Does the COP of UNTOC follow the General Assembly's rules on quorum?", []),  # our COP, named so
    ("La CP a-t-elle déjà invité l'OMS comme observateur ?", []),  # « a-t-elle » is no « à »
    ("Is the quorum of the COP to UNTOC the same as at the WHA?", []),
    ("how often does the COP to the WHO tobacco treaty meet?", ["the World Health Organization and its Assembly"]),
])
def test_the_cop_is_another_treatys_only_when_named_as_its_own(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                                about: list[str]) -> None:
    from assistant.answers.scope import asked_about

    understood = shipped_assistant.searcher.understand(question, "en")
    assert [body.en for body in asked_about(understood)] == about


def test_a_cop_question_is_not_answered_from_another_bodys_section() -> None:
    about_cosp = hit("The Conference of the States Parties meets every two years.", "cosp", "UNCAC — COSP")
    cosp = Hit(about_cosp.chunk, 0.9, 1.0, elsewhere=True)
    cop = hit("Under rule 3(1), the Conference meets in regular session at least every two (2) years.", "sessions")
    assert answer_to("how often does the Conference meet?", cosp, cop).startswith("Under rule 3(1)")


@pytest.mark.parametrize("question, fact", [
    ("does the SOM WG meet every year or only around COP sessions?", "meets every year"),
    ("le GT migrants se réunit-il chaque année en pratique ?", "se réunit chaque année"),
    ("GT migrants, 7e session : c'était quand ?", "8-9 septembre 2020"),  # the group's session, not COP7
])
def test_a_question_on_a_working_group_is_answered_from_a_passage_on_that_group(
        shipped_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    """Not "UNODC describes the COP as meeting every two years", nor the seventh session of the COP."""
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer
    assert [c.locator for c in answer.citations] == ["wg-som"]
