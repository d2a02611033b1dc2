"""The extractive answer: the asked fact and sentences that stand alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answers.asked import asked
from assistant.answers.extractive import choose
from assistant.answers.retrieve import Hit, Retrieval
from assistant.answers.understand import Understanding
from tests.passages import answer_to, hit


def test_a_sentence_that_leans_on_the_one_before_is_never_shown_alone() -> None:
    text = ("Under rule 99(1), the Bureau examines the credentials of delegations. "
            "It reports on them to the Conference within two days.")
    answer = answer_to("within how many days is the report on credentials due", hit(text))
    assert "within two days" in answer and answer.startswith("Under rule 99(1), the Bureau examines")


def test_a_sentence_that_refers_back_with_en_is_shown_with_the_one_before(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("la rés 7/1 a rendu permanent quel groupe de travail ?")
    assert "en a fait un élément permanent" in answer.answer  # « en »: the group the sentence before names
    assert "trafic illicite de migrants" in answer.answer


def test_an_aspect_the_heading_lists_still_tells_its_sentence_apart() -> None:
    text = "The Test Protocol was adopted by the Assembly on 1 May 2001.\n\nEntry into force came on 3 July 2005."
    answer = answer_to("Test Protocol: date of entry into force?",
                       hit(text, "protocol-test", "Test Protocol — adoption, entry into force, content"))
    assert "3 July 2005" in answer and "1 May 2001" not in answer


def test_a_count_question_gets_the_sentence_with_the_number() -> None:
    text = ("Under rule 99(1), the officers of the Conference are elected at each session. "
            "The Conference elects eight Vice-Presidents and a Rapporteur.")
    assert "eight Vice-Presidents" in answer_to("how many officers are elected", hit(text))


def test_a_count_question_wants_the_number_of_the_things_counted_not_any_number() -> None:
    wanted = asked("how many members does the Board have")
    assert wanted.states("It has thirteen (13) members elected by the Council.") == 1.0
    assert 0 < wanted.states("The Board meets three times a year.") < 1.0
    assert wanted.states("It was set up under rule 12(2) and resolution 9/1.") == 0.0  # references count nothing


@pytest.mark.parametrize("question, sentence", [
    ("how often do the WGs meet?", "The working groups usually meet once a year."),
    ("les GT se réunissent tous les combien ?", "Les groupes de travail se réunissent en général une fois par an."),
    ("c'est quoi une infraction transnationale ?", "Une infraction est transnationale si elle est commise dans "
                                                   "plus d'un État."),
    ("what is a transnational offence?", "An offence is transnational in nature if it is committed in more "
                                         "than one State."),
])
def test_a_sentence_states_a_frequency_or_a_definition_as_the_guides_word_them(question: str, sentence: str) -> None:
    assert asked(question).states(sentence) == 1.0


def test_a_condition_is_no_definition() -> None:
    assert asked("what is a roll-call vote?").states("A roll-call vote is taken if any representative asks.") == 0.0


def test_a_named_resolution_that_states_no_asked_fact_leaves_the_answer_to_another_passage() -> None:
    resolution = replace(hit("Resolution 9/1 annexes the procedures and rules for the functioning of the Mechanism.",
                             "res-9-1", "Resolution 9/1"), pinned=True)
    reviews = hit("Each State is reviewed by two (2) other reviewing States, drawn by lot.", "country-reviews",
                  "Country reviews")
    answer = answer_to("res 9/1 procedures: how many reviewing States per review?", resolution, reviews,
                       references=[("symbol", "9/1")])
    assert "two (2) other reviewing States" in answer


def test_a_year_counts_nothing() -> None:
    wanted = asked("how many thematic clusters does the review mechanism have?")
    assert wanted.states("In 2023, an NGO said that no review of the first thematic cluster was complete.") == 0.0
    assert wanted.states("The articles are grouped into four (4) thematic clusters.") == 1.0


def test_the_asked_kind_of_fact_stated_in_another_passage_is_quoted() -> None:
    progress = hit("In 2023, an NGO said that no review of the first thematic cluster was complete.", "progress",
                   "Progress")
    clusters = hit("The articles of the Convention and the Protocols are grouped into four (4) thematic clusters.",
                   "country-reviews", "Country reviews")
    answer = answer_to("how many thematic clusters does the review mechanism have?", progress, clusters)
    assert "four (4) thematic clusters" in answer and "2023" not in answer


def test_a_number_in_another_clause_counts_nothing() -> None:
    wanted = asked("combien d'examens comptait le groupe 1")
    assert wanted.states("Le groupe 1 a commencé en 2020 (62 examens).") == 1.0
    assert wanted.states("L'examen compte quatre (4) phases de deux ans ; un examen dure huit ans.") < 1.0


def test_a_symbol_asked_of_a_named_decision_is_not_the_decisions_own_number() -> None:
    text = ("Under COP decision 4/4 (2008), the Working Group on Trafficking in Persons was created. "
            "The group first met in Vienna in January 2010.\n\nIts documents carry the symbol CTOC/COP/WG.4.")
    answer = answer_to("Decision 4/4 set up the TIP WG: what symbol do its documents carry?", hit(text, "wg-tip"),
                       references=[("symbol", "4/4")])
    assert "CTOC/COP/WG.4" in answer


def test_a_question_that_asks_two_things_gets_both() -> None:
    text = ("The Board has thirteen (13) members serving five-year terms. "
            "The Economic and Social Council elects the members from lists of candidates. "
            "The Board meets three times a year in Vienna.")
    answer = answer_to("How many members does the Board have, and which body elects them?", hit(text))
    assert "thirteen (13) members" in answer and "Economic and Social Council elects" in answer


def test_a_where_question_is_answered_by_a_city() -> None:
    wanted = asked("la derniere session de la CEP c'etait ou ?")
    assert wanted.states("Ses sessions récentes ont eu lieu à Abou Dhabi, à Charm el-Cheikh et à Atlanta.") == 1.0
    assert wanted.states("Elle a pris des décisions sur la traite des personnes en 2022.") == 0.0
    assert wanted.states("The report is available in English and French.") == 0.0  # a language, no place
    assert asked("where was it adopted?").states("It was adopted in October 2000 by a State Party.") == 0.0


def test_a_how_long_question_is_not_answered_by_at_least_a_count() -> None:
    wanted = asked("how long do the officers stay in office")
    assert wanted.states("The officers serve a term of two (2) years.") == 1.0
    assert wanted.states("The Bureau must include at least two representatives.") == 0.0


def test_the_passage_closest_in_meaning_wins_over_one_that_shares_more_words() -> None:
    words = Hit(hit("NGOs may take part in the review, an NGO reported in 2023.", "progress").chunk,
                similarity=0.70, score=1.0)
    meaning = Hit(hit("Under paragraph 53, stakeholders, including NGOs, take part in constructive dialogues.",
                      "dialogues").chunk, similarity=0.86, score=1.0)
    found = Retrieval(Understanding("can NGOs take part in the review", "en"), [words, meaning],
                      dense=[0.86, 0.85, 0.85, 0.84, 0.84, 0.83, 0.83, 0.83, 0.82, 0.82, 0.78, 0.74, 0.70])
    assert "constructive dialogues" in " ".join(text for _, text in choose(found, idf=lambda term: 1.0))


def test_within_a_passage_its_heading_words_do_not_choose_the_sentence() -> None:
    incb = hit("The International Narcotics Control Board (INCB) was created by the 1961 Single Convention as an "
               "independent, quasi-judicial International Narcotics Control Board. The INCB has 13 members.",
               "incb", "International Narcotics Control Board")
    answer = answer_to("How many members does the International Narcotics Control Board have?", incb)
    assert answer.endswith("The INCB has 13 members.")


def test_what_must_be_done_first_is_answered_by_the_condition(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    """Not rule 14(2), on what signatory observers may do once there."""
    answer = shipped_assistant.ask("What must a signatory State do before attending the COP as an observer?")
    assert answer.answered and "after notifying the Secretary-General" in answer.answer


def test_a_named_paragraph_is_what_is_quoted() -> None:
    text = ("Under article 99(2), a dispute may go to arbitration and then to the International Court of Justice.\n\n"
            "Under article 99(3), a State may declare that it is not bound by paragraph 2.")
    answer = answer_to("art 99(3) - arbitration and the Court: can a State opt out?", hit(text, "art-99"),
                       references=[("article", "99", "3")])
    assert answer.startswith("Under article 99(3)")


def test_a_named_decision_is_quoted_from_the_sentence_that_names_it() -> None:
    text = ("The fourth session met in Vienna from 8 to 17 October 2008 and adopted seven decisions. "
            "Decision 4/4 created a working group; decision 4/6 concerned the Firearms Protocol.")
    answer = answer_to("decision 4/6 of the fourth session - what was it about?", hit(text, "cop-4"),
                       references=[("symbol", "4/6")])
    assert "decision 4/6 concerned the Firearms Protocol" in answer


@pytest.mark.parametrize("question, lang, theirs, ours", [
    ("can NGO observers send written views to the COP, same as the intergovernmental organizations?", "en",
     "Intergovernmental organizations may send written views.",
     "NGO observers may send written views only through the Bureau."),
    ("une ONG observatrice peut envoyer des vues écrites à la CP comme les organisations intergouvernementales ?", "fr",
     "Les organisations intergouvernementales peuvent envoyer des vues écrites.",
     "Une ONG observatrice peut envoyer des vues écrites par l'intermédiaire du Bureau."),
])
def test_what_the_question_compares_with_is_not_what_it_asks_about(question: str, lang: str, theirs: str,
                                                                   ours: str) -> None:
    answer = answer_to(question, hit(theirs, "rule-16", "Rule 16"), hit(ours, "rule-17", "Rule 17"), lang=lang)
    assert answer == ours


def test_a_who_question_gets_the_sentence_whose_subject_is_an_actor() -> None:
    duties = ("Under rule 33, besides its duties under the Convention, the secretariat receives, translates, "
              "prints and distributes documents, interprets speeches, keeps the archives and assists the "
              "President and the Bureau in all matters of the session, including its records.")
    short = "UNODC provides the secretariat of the COP and of its working groups."
    answer = answer_to("who provides the secretariat of the COP", hit(duties), hit(short, "para-11", ""))
    assert answer.startswith("UNODC provides the secretariat")


@pytest.mark.parametrize("question, fact", [
    ("le protocole traite il avait combien de parties au moment de la cp10 ?", "178"),  # « à la dixième (…) »
    ("How many parties did the TIP Protocol have at COP9 (2018)?", "173"),
    ("What did resolution 7/1 (COP7, 2014) decide about the working group on smuggling of migrants?", "2014"),
])
def test_a_fact_of_the_session_or_year_asked_is_answered(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                        fact: str) -> None:
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer


def test_which_resolution_is_answered_by_its_number_not_a_document_symbol(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    """The Working Group on Firearms' passage gives a document symbol (CTOC/COP/WG.6/…), not the decision
    that set it up."""
    assert not shipped_assistant.ask("Which COP decision or resolution set up the Working Group on Firearms?").answered
    answer = shipped_assistant.ask("which GA resolution adopted the firearms protocol?")
    assert answer.answered and "55/255" in answer.answer
    for question in ("What decisions can the COP take by vote?", "What decision-making procedure does the COP use?"):
        assert shipped_assistant.ask(question).answered  # no resolution asked for


@pytest.mark.parametrize("question, fact, named", [
    ("on a fait la declaration prevue a l'art. 35 par. 3 de la CTO, on peut revenir dessus ?", "à tout moment",
     "l'article 35, paragraphes 3"),
    ("we made the art 35(3) declaration - can we take it back later?", "at any time", "article 35(3)"),
    ("rule 22(3) - what about Bureau members from States party to all the instruments in force?",
     "at least two representatives", "rule 22(3)"),  # the paragraph's next sentence, which does not name it again
])
def test_a_sentence_continuing_the_named_paragraph_is_quoted_with_it(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                                    fact: str, named: str) -> None:
    """"That reservation can be withdrawn…" follows the sentence on article 35(3) without naming it again:
    it is quoted, and so is the sentence that names the paragraph."""
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer and named in answer.answer


@pytest.mark.parametrize("question, fact", [
    ("rule 44 - who is allowed to raise a point of order?", "representative of a State Party"),
    ("Could you confirm in which languages the recommendations and decisions of the COP are published?",
     "official languages"),  # the note beside it ("does not cover rules 34 to 37") holds nothing else asked
    ("How often does the COP meet under paragraph 1 of rule 3?", "two (2) years"),  # "paragraph" is the note's word
    ("Who may raise a point of order, and how is it decided?", "representative of a State Party"),  # two things
    ("What's the rule on points of order?", "representative of a State Party"),  # "rule on" is no ruling
    ("amendment to untoc and no consensus – what majority to adopt it?", "two-thirds (2/3) majority"),
])
def test_a_fact_stated_beside_a_note_is_answered(shipped_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer


@pytest.mark.parametrize("question, facts", [
    ("Who makes up the COP Bureau?", ("Vice-Presidents", "Rapporteur")),
    ("le Bureau de la CP est composé de qui ?", ("vice-présidents", "Rapporteur")),
    ("can a bureau member other than the president ask for a Bureau meeting?", ("at the request of any other member",)),
])
def test_who_is_on_the_bureau_and_who_may_call_a_meeting_of_it(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                              facts: tuple[str, ...]) -> None:
    answer = shipped_assistant.ask(question)
    assert answer.answered and all(fact in answer.answer for fact in facts)


@pytest.mark.parametrize("question, locator, fact", [
    ("res 9/1: which countries co-sponsored it?", "background", "Costa Rica"),
    ("dec 4/4: at which session was the COP to decide on the future of the TIP WG?", "cop-6", "and future"),
])
def test_a_named_decision_is_also_answered_from_another_passage_that_names_it(
        shipped_assistant, question: str, locator: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    """The section on resolution 9/1 does not say who sponsored it; the history of the mechanism does."""
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer
    assert [c.locator for c in answer.citations] == [locator]


def test_beside_a_named_provision_another_passage_answers_only_by_naming_its_decision() -> None:
    """"res 9/1 co-sponsors?" may be answered from the history that names 9/1; "art 32(3)" not from a
    passage that names some paragraph (3), nor from one that does not name the resolution at all."""
    named = replace(hit("Resolution 9/1 set up the Review Mechanism.", "res-9-1", "Resolution 9/1"), pinned=True)
    history = hit("Italy and Costa Rica co-sponsored resolution 9/1.", "background", "Background")
    other = hit("Italy and Costa Rica co-sponsored many texts.", "other", "Other")
    assert "Costa Rica" in answer_to("res 9/1 co-sponsors?", named, history, references=[("symbol", "9/1")])
    assert "Costa Rica" not in answer_to("res 9/1 co-sponsors?", named, other, references=[("symbol", "9/1")])
    article = replace(hit("Article 32(3) lists the mechanisms of the COP.", "art-32", "Article 32"), pinned=True)
    overview = hit("Under paragraph (3), co-sponsors are listed.", "para-2", "Overview")
    assert "Article 32(3)" in answer_to("art 32(3) co-sponsors?", article, overview,
                                        references=[("article", "32", "3")])


def test_the_rules_asked_about_are_not_the_article_they_are_set_up_under(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    """Article 32 is named as the basis of the mechanisms; rule 2(2) is what answers."""
    answer = shipped_assistant.ask("Do the rules of procedure apply to mechanisms established under article 32?")
    assert answer.answered and answer.citations[0].locator.startswith("rule-2")
