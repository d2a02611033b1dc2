"""Questions as staff type them: glossary terms, typos, missing accents, explicit references."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.glossary import Glossary
from assistant.answers.references import is_bare_reference, protocol_articles, question_references
from assistant.answers.spelling import Speller
from assistant.settings import PACKAGE_ROOT

KNOWLEDGE = PACKAGE_ROOT / "knowledge"


def cited(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{c.doc_id}#{c.locator}" for c in answer.citations]


@pytest.mark.parametrize("question, form, words", [
    ("how many VPs does the cop elect", "VPs", "Vice-President"),
    ("creds deadline for delegations?", "creds", "credentials"),
    ("combien de VP élit la CP ?", "VP", "vice-président"),
    ("delai pour les pouvoirs des delegations", "pouvoirs", "pouvoirs"),
    ("can an REIO vote", "REIO", "regional economic integration organization"),
    ("if a state pulls out of UNTOC, what about the protocols", "pulls out", "denunciation"),  # inflected
    ("les membres du Bureau restent-ils en fonctions après la session ?", "restent-ils en fonctions",
     "mandat"),  # the inverted subject between the words of a form
    ("cop10 was it in person or virtual?", "in person", "hybrid format"),
    ("cote des docs du gt tip c quoi deja ?", "gt", "groupes de travail"),  # abbreviations typed in lower case
    ("l'odj provisoire part quand ?", "odj", "ordre du jour provisoire"),
    ("till when was UNTOC open for sig at HQ in NY?", "open for sig", "signature"),  # the treaty desk's shorthand
    ("till when was UNTOC open for sig at HQ in NY?", "HQ", "United Nations Headquarters"),
    ("till when was UNTOC open for sig at HQ in NY?", "NY", "New York"),
    ("date d'EEV du protocole traite ?", "EEV", "entrée en vigueur"),
])
def test_glossary_terms_are_found_in_english_and_french(question: str, form: str, words: str) -> None:
    found = {typed.lower(): term for typed, term in Glossary.load(KNOWLEDGE).terms_in(question)}
    assert form.lower() in found and words in (found[form.lower()].en, found[form.lower()].fr)


def test_a_term_inside_a_longer_one_is_not_read_on_its_own() -> None:
    glossary = Glossary.load(KNOWLEDGE)
    assert {typed for typed, _ in glossary.terms_in("FM protocol: how many parties?")} == {"FM protocol", "parties"}
    assert "FM" in {typed for typed, _ in glossary.terms_in("can the FM sign the creds?")}  # the Foreign Minister


def test_short_capitals_match_only_with_their_case(tmp_path: Path) -> None:
    (tmp_path / "glossary.toml").write_text(
        '[[body]]\nforms = ["WHO", "World Health Organization"]\nen = "the WHO"\nfr = "l\'OMS"\n', encoding="utf-8")
    glossary = Glossary.load(tmp_path)
    assert glossary.bodies_in("What is the WHO quorum?") and not glossary.bodies_in("who chairs the COP?")


def test_chat_shorthand_is_read_as_the_words_it_stands_for_in_the_questions_language() -> None:
    from assistant.answers.understand import understand

    glossary = Glossary.load(KNOWLEDGE)

    def read(question: str, lang: str) -> str:
        return understand(question, lang, glossary, None).text

    understood = understand("les obs ont droit a qqch stp ?", "fr", glossary, None)
    assert understood.expanded()["corrected"] == {"obs": "observateur", "qqch": "quelque chose", "stp": ""}
    assert understood.text == "les observateur ont droit a quelque chose ?"  # a dropped word leaves no gap
    assert read("le PR peut signer les pouvoirs pr sa delegation ?", "fr") == (
        "le PR peut signer les pouvoirs pour sa delegation ?")  # "PR": the Permanent Representative
    assert read("prop on the agenda, deadline pls", "en") == "proposal on the agenda, deadline"  # not French
    assert read("words ds a prop", "en") == "words ds a proposal"  # « ds » is French shorthand only
    assert read("COP10 qd ?", "en") == "COP10 quand ?" and read("Qd ?", "fr") == "quand ?"  # in any language
    assert read("is the u.s. a party? d'ac", "fr") == "is the u.s. a party? d'ac"  # not words alone


def test_a_broken_glossary_is_named_with_what_each_entry_needs(tmp_path: Path) -> None:
    from assistant.errors import UsageError

    (tmp_path / "glossary.toml").write_text('[[term]]\nforms = ["VP"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"glossary\.toml is not a valid glossary.*forms = \[\.\.\.\], en"):
        Glossary.load(tmp_path)
    for shorthand in ('[shorthand.fr]\nQD = "quand"\n', '[shorthand]\nfr = "quand"\n', '[shorthand.fr]\nqd = 1\n'):
        (tmp_path / "glossary.toml").write_text(shorthand, encoding="utf-8")
        with pytest.raises(UsageError, match=r"\[shorthand\.<language>\] holds typed = \"meant\" pairs"):
            Glossary.load(tmp_path)  # keys in lower case, one table per language, words for values


def test_typos_are_corrected_only_towards_words_the_documents_use() -> None:
    speller = Speller(["The quorum is one third of the States Parties; observers may attend."],
                      known_stem=lambda word: word == "attended")
    assert speller.corrections("quorom for observors?") == {"quorom": "quorum", "observors": "observers"}
    assert speller.corrections("the quorum attended, is that even possible") == {}
    supported = Speller(["Decisions are supported by the secretariat."])
    assert supported.corrections("where is it supposed to be held") == {}  # a word, not a typo two edits away


def test_a_word_of_the_language_is_no_typo_even_when_the_documents_never_use_it() -> None:
    speller = Speller(["Posts are shaped by the regional groups.", "Le siège est en Suisse."])
    assert speller.corrections("how are the posts shared out among the regionnal groups") == {"regionnal": "regional"}
    assert speller.corrections("faut-il qu'il puisse voter") == {}


@pytest.mark.parametrize("question, references", [
    ("rule 41?", [("rule", "41")]),
    ("article 41 du reglement interieur", [("rule", "41")]),
    ("que dit l'art 35", [("article", "35")]),
    ("art. 32(3)", [("article", "32", "3")]),
    ("la déclaration de l'art. 35 par. 3, on peut la retirer ?", [("article", "35", "3")]),
    ("res 9/1 what did it do", [("symbol", "9/1")]),
    ("decision 4/4", [("symbol", "4/4")]),
    ("COP10 where/when", [("session", "10")]),
    ("CP11 c'etait quand", [("session", "11")]),
    ("who chaired the eleventh session", [("session", "11")]),
    ("la onzième session", [("session", "11")]),
    ("how many VPs", []),
    ("RI art 55 – quelle majorite", [("rule", "55")]),  # the rules named before the article
    ("RoP art. 41?", [("rule", "41")]),
    ("what majority for a budgetary decision (r. 58)?", [("rule", "58")]),
    ("Mr. 5 votes", []),
    ("règlement intérieur : art 18 de la Convention ?", [("article", "18")]),
    # the legal basis of what is asked about: not the provision asked about
    ("do the rules govern mechanisms the COP establishes under article 32?", []),
    ("le RI vaut-il pour les mécanismes créés en vertu de l'article 32 de la Convention ?", []),
    ("under art 32(3), what mechanisms?", [("article", "32", "3")]),
    # the session asked for, described: no session named
    ("which was the first COP done hybrid and why? dates?", []),
    ("quelle a été la première session de la CP tenue en format hybride ?", []),
    ("who chaired the first COP?", [("session", "1")]),
    ("what was the first session of the COP about?", [("session", "1")]),
    ("which was the first session of the Conference of the Parties held in hybrid format?", []),
    ("doc A/AC.254/R.1 - what is it?", []),  # a document symbol, not rule 1
])
def test_explicit_references_are_read_as_staff_write_them(question: str, references: list) -> None:
    assert question_references(question) == references


@pytest.mark.parametrize("question, protocol, theirs", [
    ("SOM protocol art 3(a): does it cover a permanent resident?", "SOM protocol", {("article", "3")}),
    ("la déf du trafic illicite de migrants (art 3 a) couvre un résident ?", "trafic illicite de migrants",
     {("article", "3")}),
    ("art 5 of the TIP Protocol: what must be criminalized?", "TIP Protocol", {("article", "5")}),
    ("art 3 a) du protocole, ça couvre quoi ?", "", {("article", "3")}),
    ("art 37 - can a State join the SOM protocol alone?", "SOM protocol", set()),  # the Convention's article 37
    ("art 32 of the Convention and the TIP Protocol", "TIP Protocol", set()),
    ("art 37 of the Convention and the Protocols?", "", set()),
    ("human trafficking: art 16 extradition?", "human trafficking", set()),  # the topic, not the Protocol
])
def test_an_article_given_as_a_protocols_is_not_the_conventions(question: str, protocol: str, theirs: set) -> None:
    assert protocol_articles(question, [protocol] if protocol else []) == theirs


@pytest.mark.parametrize("question, bare", [
    ("rule 41", True), ("res 9/1?", True), ("que dit l'art 35", True),
    ("what does rule 17 say abt NGOs", False), ("art 22 du reglement interieur, election du bureau", False),
])
def test_a_question_that_only_names_a_provision_is_recognised(question: str, bare: bool) -> None:
    assert is_bare_reference(question) is bare


@pytest.mark.parametrize("question, first", [
    ("rule 41", "guide-rules#rule-41"),
    ("que dit l'article 41 du règlement intérieur ?", "guide-rules#rule-41"),
    ("art. 32(3) what mechanisms", "guide-convention#art-32"),
    ("res 9/1 what did it do", "guide-review-mechanism#res-9-1"),
    ("decision 4/4", "guide-bodies#wg-tip"),
    ("COP10 where/when", "guide-bodies#cop-10"),
    ("CP11 c'etait quand", "guide-bodies#cop-11"),
    ("art 22 du reglement interieur, election du bureau", "guide-rules#rule-22"),
    ("art. 55 : quelle majorité pour rouvrir une proposition rejetée ?", "guide-rules#rule-55"),  # no article 55
])
def test_a_named_provision_comes_first_and_is_what_is_cited(shipped_assistant, question: str,  # type: ignore[no-untyped-def]
                                                             first: str) -> None:
    answer = shipped_assistant.ask(question)
    assert answer.answered and cited(answer)[0] == first


def test_a_bare_reference_gets_the_provision_whole(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("rule 41")
    assert "one third (1/3)" in answer.answer and "majority of the States Parties" in answer.answer
    assert answer.expanded["references"] == ["rule 41"]


@pytest.mark.parametrize("staff, formal", [
    ("how many VPs does the cop elect", "How many Vice-Presidents does the COP elect?"),
    ("creds deadline?", "What is the deadline for submitting credentials?"),
    ("combien de VP elit la CP", "Combien de vice-présidents la CP élit-elle ?"),
])
def test_staff_wording_gets_the_answer_formal_wording_gets(shipped_assistant, staff: str,  # type: ignore[no-untyped-def]
                                                            formal: str) -> None:
    typed, written = shipped_assistant.ask(staff), shipped_assistant.ask(formal)
    assert typed.answered and written.answered
    assert cited(typed)[0] == cited(written)[0]


@pytest.mark.parametrize("typo, right", [
    ("What is the quorom for opening a meeting?", "What is the quorum for opening a meeting?"),
    ("Qui assure le secretariat de la CP ?", "Qui assure le secrétariat de la CP ?"),
    ("Quel delai pour la communication de l'ordre du jour provisoire ?",
     "Quel délai pour la communication de l'ordre du jour provisoire ?"),
])
def test_typos_and_missing_accents_do_not_change_the_answer(shipped_assistant, typo: str,  # type: ignore[no-untyped-def]
                                                             right: str) -> None:
    first, second = shipped_assistant.ask(typo), shipped_assistant.ask(right)
    assert (first.answered, cited(first), first.answer) == (second.answered, cited(second), second.answer)


def test_json_shows_what_the_question_was_understood_as(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("how many VPs does the cop elect, observors aside")
    assert answer.expanded["corrected"] == {"observors": "observers"}
    assert "Vice-President" in answer.expanded["terms"]["VPs"]
    assert "eight (8) Vice-Presidents" in answer.answer


@pytest.mark.parametrize("question, references", [
    ("la CEP de la convention contre la corruption, sa 11e session c'est ou ?", []),  # the COSP's session
    ("la CP11 et la CEP, c'etait ou ?", [("session", "11")]),
    ("the 11th session, where was it?", [("session", "11")]),
    ("UNCAC: the 9th session of the Conference of the States Parties, where?", []),  # the COSP, in words
    ("WG SOM 11th session: when was it?", []),  # the working group's
    ("GT migrants : sa 7e session et la CP7, c'etait quand ?", [("session", "7")]),  # the COP's named too
])
def test_a_session_is_the_cops_unless_the_question_names_another_body_or_a_working_group(
        shipped_assistant, question: str, references: list) -> None:  # type: ignore[no-untyped-def]
    assert shipped_assistant.searcher.understand(question, "fr").references == references


def test_the_corruption_convention_is_another_body_by_its_full_name_too(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    understood = shipped_assistant.searcher.understand(
        "Par quelle résolution la Convention des Nations Unies contre la corruption a-t-elle été adoptée ?", "fr")
    cosp = "the Conference of the States Parties to the Convention against Corruption"
    assert cosp in understood.expanded()["other_bodies"]


def test_a_single_glossary_word_is_not_inflected() -> None:
    found = [term.en for _, term in Glossary.load(KNOWLEDGE).terms_in("delegations coping with the agenda")]
    assert "Conference of the Parties" not in found  # "coping" is not "COP"


def test_a_cop_session_named_in_words_is_matched_as_the_documents_write_it(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    understood = shipped_assistant.searcher.understand("who chaired the tenth session of the Conference?", "en")
    assert "COP10" in understood.sentence_text()
    other = shipped_assistant.searcher.understand("GT assistance technique : sa 7e session ?", "fr")
    assert "CP7" not in other.sentence_text()  # the working group's session, not the COP's


@pytest.mark.parametrize("text, sessions, years", [
    ("115 Parties à la neuvième session de la CP (octobre 2018) et 119 à la dixième (octobre 2020)",
     {"9", "10"}, {"2018", "2020"}),
    ("The Convention had 190 parties at COP10.", {"10"}, set()),
    ("It was the first COP held in hybrid format.", set(), set()),  # "first" describes
    ("The Ad Hoc Committee approved them at its 13th session in 2004.", set(), {"2004"}),  # not the COP's
    ("The working group met at the eighth, and at the tenth.", set(), set()),  # no session of the COP named
    ("Its report is CTOC/COP/2020/10.", set(), set()),  # a symbol, not a year
])
def test_the_sessions_and_years_a_text_names(text: str, sessions: set[str], years: set[str]) -> None:
    from assistant.answers.references import times_named

    assert times_named(text) == (sessions, years)


@pytest.mark.parametrize("question, text, other", [
    ("parties au protocole armes à feu à la CP11 ?", "115 Parties à la neuvième session de la CP (octobre 2018)",
     ("session", "11")),
    ("how many parties in 2024?", "178 at the tenth (October 2020)", ("year", "2024")),
    ("how many parties at COP10 (2020)?", "190 parties at COP10.", None),
    ("what did res 7/1 (COP7, 2014) decide?", "It goes back to COP4 (2008) and was made permanent in 2014.", None),
    ("how long had States discussed it before 2018?", "Discussions began in 2010.", None),  # a bound, not the time
    ("how many parties at COP10?", "The Convention has 190 parties.", None),  # the text names no time
    ("jusqu’en 2018, combien de parties ?", "En 2010, 150 parties.", None),  # a bound, typographic apostrophe
    ("between 2015 and 2020, how many reviews?", "In 2010, none.", None),
])
def test_a_text_on_another_session_or_year_than_asked_is_told(question: str, text: str,
                                                             other: tuple[str, str] | None) -> None:
    from assistant.answers.references import another_time

    assert another_time(question, [text]) == other


def test_ordinals_are_one_term_however_they_are_written() -> None:
    from assistant.index.keyword import tokenize

    assert tokenize("the 7th session", "en") == tokenize("the seventh session", "en") == ["7e", "session"]
    assert tokenize("sa 7e session", "fr") == tokenize("sa septième session", "fr") == ["7e", "session"]


@pytest.mark.parametrize("question, fact", [
    ("GT assistance technique : quand s'est close sa septième session ?", "30 octobre 2013"),
    ("Could you kindly confirm which General Assembly resolution set up the ad hoc committee that drafted the "
     "Convention?", "53/111"),  # courtesy words are not what is asked about the General Assembly
    ("cop7 prez who", "Istrate"),  # shorthand, the question word last
    ("qui présidait la CP7 ?", "Cristian Istrate"),  # an officer the knowledge base names
    ("A State deposited its instrument of ratification last month. From what point is the Convention in force "
     "for that State?", "thirtieth (30th) day"),  # a day after its own deposit, not the Convention's entry into force
    ("Un État vient de déposer son instrument d'adhésion : à compter de quelle date la Convention est-elle en "
     "vigueur à son égard ?", "trentième (30e) jour"),
    ("la CTO definit un groupe criminel organise avec combien de personnes ?",
     "trois (3) personnes"),  # « CTO » is the Convention, not the overview's paragraphs that spell out its title
    ("A delegate keeps drifting away from the agenda item. What is the presiding officer entitled to do?",
     "call a speaker to order"),  # staff words for rule 42's "not relevant to the subject"
    ("REVMOD c'est quoi ? c'est sur quelle plateforme", "portail SHERLOC"),  # the module, not the Mechanism
    ("on peut rouvrir une prop deja rejetee ds la meme session ? quelle majo", "deux tiers (2/3)"),  # shorthand
    ("can the TIP Protocol kick in before the Convention?", "never before the Convention"),  # "kick in": in force
    ("who can call for a Bureau meeting apart from the President?",
     "at the request of any other member"),  # "call for": what the rules call a request
    ("untoc open for sig at HQ in NY till when?", "12 December 2002"),  # "sig", "HQ", "NY"
])
def test_staff_phrasings_reach_the_fact(shipped_assistant, question: str, fact: str) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask(question)
    assert answer.answered and fact in answer.answer
