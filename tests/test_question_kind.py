"""The kind of fact a question asks, and whether it asks two things, read as staff type."""

from __future__ import annotations

import pytest

from assistant.answers.asked import asked
from assistant.answers.question_kind import asked_kind, asks_two_things
from assistant.answers.understand import Understanding


@pytest.mark.parametrize("question, kind", [
    ("CP12 c'etait quelles dates deja ?", "date"),
    ("COP8 dates?", "date"),
    ("la derniere session de la CEP c'etait ou ?", "place"),
    ("et la prochaine, elle est prevue ou ?", "place"),
    ("ou en est le mecanisme d'examen", None),  # « où en est » asks no place
    ("quick one - when the RoP say 'States Parties' does that cover the EU too", None),  # a circumstance
    ("When the Conference decides in a closed meeting, does it have to announce it?", "permission"),
    ("quand la CP a-t-elle adopté la résolution 9/1 ?", "date"),
    ("depuis quand les GT ont un point permanent sur l'examen ?", "date"),
    ("Can you remind me when the eleventh session was held?", "date"),  # an indirect question still asks
    ("quelles règles pour la tenue de la session ?", None),  # « tenue » is no obligation
    ("le vote, c'est ou non obligatoire ?", None),
    ("trafic de migrants vs traite : c quoi exactement le trafic illicite ?", "definition"),
    ("prot armes a feu en vigueur depuis qd", "date"),  # shorthand question words
    ("l ue vote avec cb de voix sur un amendement", "count"),
    ("cp9 c etait ou et qd exactement", "place"),
    ("cop7 prez who", "actor"),  # the question word last
    ("cosp9 venue pls", "place"),
    ("Could you confirm in which languages the decisions are published?", None),  # courtesy, not permission
    ("Could you confirm whether NGOs can attend?", "permission"),
    ("Can you explain your vote after the vote?", "permission"),  # "you" in general: no courtesy
    ("que doit faire un État signataire avant de participer à la CP ?", "condition"),  # what is required first
    ("what does an NGO need to do to attend?", "permission"),  # (only what is done first is a condition)
    ("What must a State Party attach when it proposes a new item for the agenda?", None),  # asked before "when"
    ("who presides when the President is absent?", "actor"),
    ("Est-ce que tu sais quand la CP se réunit ?", "date"),  # (a question word that asks nothing yet)
    ("How do I find out when the COP meets next?", "date"),
    ("qui sait quand la CP se réunit ?", "date"),
    ("creds for a session where amendments are on the table - is our PR's signature enough?", None),  # relative
    ("pouvoirs pour une session où se vote un amendement : le PR suffit ?", None),
    ("tell me the city where COP10 met", "place"),
    ("the next session where?", "place"),  # a question word, not a relative
    ("Et la CP13 où se tiendra-t-elle ?", "place"),
])
def test_the_kind_of_fact_is_read_as_staff_type_it(question: str, kind: str | None) -> None:
    from assistant.answers.glossary import Glossary
    from assistant.answers.understand import understand
    from assistant.corpus.language import question_language
    from assistant.settings import PACKAGE_ROOT

    glossary = Glossary.load(PACKAGE_ROOT / "knowledge")  # its chat shorthand: « qd » is « quand »
    assert asked_kind(understand(question, question_language(question), glossary, None).text) == kind


@pytest.mark.parametrize("question, two", [
    ("How many members does the Board have, and which body elects them?", True),
    ("who chairs the WG and what is its role", True),
    ("Under rule 22, who elects the Bureau?", False),  # a lead-in, then one question
    ("only ~40 of 120 SPs in the room. can the Pres open the mtg? can we adopt anything?", True),  # yes/no twice
    ("on peut ouvrir la séance ? est-ce qu'on peut adopter quelque chose ?", True),
    ("rule 41: can the President open the meeting?", False),
    ("what majority is needed for the budget? is it two-thirds?", False),  # a confirmation asked
    ("qui préside le Bureau ? est-ce bien le Président ?", False),
])
def test_a_question_asking_two_things_is_recognised(question: str, two: bool) -> None:
    assert asks_two_things(question) is two


@pytest.mark.parametrize("question, relative", [
    ("what date did the Convention enter into force?", False),
    ("if we ratify now, when is the Convention in force for us?", True),
])
def test_when_means_a_date_or_a_day_after_an_event(question: str, relative: bool) -> None:
    on_a_date = asked(question).states("The Convention entered into force on 29 September 2003.")
    after_an_event = asked(question).states("It enters into force on the thirtieth day after the deposit.")
    assert (after_an_event > on_a_date) is relative


@pytest.mark.parametrize("sentence", [
    "Any decision taken at a private meeting must be announced at its next public meeting.",
    "Constructive dialogues are held after the meetings of the COP working groups.",
    "Les dialogues constructifs se tiennent après les réunions des groupes de travail de la CP.",
])
def test_when_is_answered_by_an_event_as_well_as_by_a_date(sentence: str) -> None:
    wanted = asked("when are they held?")
    assert 0 < wanted.states(sentence) < wanted.states("They were held on 15 July 2024.")
    assert wanted.states("They take part through constructive dialogues.") == 0
    assert wanted.states("The Bureau convenes a meeting of experts.") == 0  # "a": an article, not « à »


@pytest.mark.parametrize("question", [
    "Is the Bureau the same as the General Committee?",  # an identity asked
    "les ONG peuvent-elles parler comme le prévoit l'article 17 ?",  # « comme le prévoit »: no comparison
])
def test_a_question_that_compares_nothing_keeps_all_its_words(question: str) -> None:
    assert Understanding(question, "en").compared == frozenset()
