"""The citation guard on its own: which generated sentences survive, and faithfulness."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.answers import guard
from assistant.answers.service import Assistant

PASSAGES = [
    "Guide to the rules of procedure — Rule 41 — Quorum\nUnder rule 41(1), the President may "
    "declare a meeting of the COP open and allow the debate to proceed when at least one third "
    "(1/3) of the States Parties participating in the session are present.",
    "Guide to the rules of procedure — Rule 9 — Communication of the provisional agenda\nUnder "
    "rule 9, the secretariat must circulate the provisional agenda at least sixty (60) days "
    "before a regular session and at least thirty (30) days before a special session. It is "
    "sent to the observers covered by rules 14 to 17.",
    "Guide to the Review Mechanism — Resolution 9/1\nCOP resolution 9/1 was adopted at the "
    "ninth session of the COP, held in Vienna from 15 to 19 October 2018. Its financial "
    "implications are in document CTOC/COP/2018/CRP.3.",
    "Guide du règlement intérieur — Article 41 — Quorum\nSelon l'article 41, paragraphe 1, du "
    "Règlement intérieur, le Président peut déclarer une séance ouverte lorsqu'au moins un tiers "
    "(1/3) des États Parties participant à la session sont présents.",
    "Guide to the rules of procedure — Rule 55\nReconsideration requires a two-thirds (2/3) "
    "majority of the States Parties present and voting.",
]


@pytest.mark.parametrize("sentence", [
    "A meeting can open when one third of the States Parties are present [1].",
    "Under rule 41(1), at least 1/3 of the participating States Parties must be present [1].",
    "The provisional agenda goes out 60 days before a regular session [2].",
    "For a special session, the agenda is circulated thirty days ahead [2].",
    "Observers under rule 15 receive it [2].",
    "Resolution 9/1 was adopted in Vienna on 19 October 2018 [3].",
    "Its cost is set out in CTOC/COP/2018/CRP.3 [3].",
    "Le quorum d'ouverture est d'un tiers des États Parties, selon l'article 41 [4].",
    "Under rule 41, a third of the States Parties suffices to open the debate [4].",
    "La séance peut être ouverte avec un tiers des États [1].",
    "Reconsidering a decision needs a two-thirds majority [5], while opening a meeting needs "
    "one third [1].",
    "The secretariat circulates the agenda [2][1].",
    "The Review Mechanism was set up by the COP. [3]",
])
def test_supported_sentences_are_kept(sentence: str) -> None:
    verdict = guard.check_sentence(sentence, PASSAGES)
    assert verdict.kept, verdict.reason


@pytest.mark.parametrize("sentence, reason", [
    ("The quorum is one third of the States Parties.", "cites no passage"),
    ("The quorum is one third of the States Parties [7].", "only [1]–[5]"),
    ("The quorum is one half of the States Parties [1].", "frac:1/2"),
    ("Le quorum est de la moitié des États Parties [4].", "frac:1/2"),
    ("Under rule 42, one third of the States Parties must be present [1].", "rule:42"),
    ("The agenda goes out sixty days before a special session [1].", "dur:60-day"),
    ("The agenda goes out six weeks before a regular session [2].", "dur:6-week"),
    ("Resolution 9/1 was adopted on 19 November 2018 [3].", "date:19-11"),
    ("Resolution 9/2 established the Review Mechanism [3].", "resolution:9/2"),
    ("See document CTOC/COP/2018/13 [3].", "sym:CTOC/COP/2018/13"),
    ("Resolution 9/1 was adopted in 2019 [3].", "num:2019"),
    ("Reconsideration requires a three-quarters majority [5].", "frac:3/4"),
    ("The COP met for the tenth time in Vienna [3].", "num:10"),
    ("One third of the States Parties must be present [2].", "frac:1/3"),  # right fact, wrong source
])
def test_unsupported_sentences_are_dropped_with_the_reason(sentence: str, reason: str) -> None:
    verdict = guard.check_sentence(sentence, PASSAGES)
    assert not verdict.kept
    assert reason in verdict.reason


def test_check_cuts_only_the_dropped_sentences_and_keeps_the_layout() -> None:
    answer = ("A meeting opens with one third of the States Parties [1]. Decisions need one half "
              "[1]. The agenda goes out 60 days ahead [2].\n\n- Special sessions: thirty days [2].\n"
              "- Observers get it under rule 99 [2].")
    checked = guard.check(answer, PASSAGES)
    assert checked.text == ("A meeting opens with one third of the States Parties [1]. The agenda "
                            "goes out 60 days ahead [2].\n\n- Special sessions: thirty days [2].")
    assert [v.sentence for v in checked.dropped] == ["Decisions need one half [1].",
                                                     "- Observers get it under rule 99 [2]."[2:]]
    assert checked.cited == [1, 2]


def test_an_answer_that_passes_is_returned_unchanged() -> None:
    answer = "A meeting opens with one third of the States Parties [1].\nIt needs a majority to decide [1]."
    assert guard.check(answer + "\n", PASSAGES).text == answer


def test_citation_after_the_full_stop_belongs_to_its_sentence() -> None:
    assert guard.split_answer("One third is needed. [1] Art. 41 applies [1][4]. No source here.") == [
        "One third is needed. [1]", "Art. 41 applies [1][4].", "No source here."]


@pytest.mark.parametrize("text, given, expected, order", [
    ("A [3]. B [1][3]. C [3, 1].", 0, "A [1]. B [2][1]. C [1, 2].", [3, 1]),
    ("Already in order [1]. Next [2].", 0, "Already in order [1]. Next [2].", [1, 2]),
    ("Related [2].", 3, "Related [1].", [2, 1, 3]),  # the uncited ones are listed after
    ("No citation.", 2, "No citation.", [1, 2]),
])
def test_renumber_numbers_citations_in_order_of_first_mention(text: str, given: int, expected: str,
                                                               order: list[int]) -> None:
    assert guard.renumber(text, given) == (expected, order)


def test_faithfulness_scores_each_sentence_and_the_share() -> None:
    score, per_sentence = guard.faithfulness(
        ["One third must be present [1].", "One half must be present [1].", "Uncited."], PASSAGES)
    assert per_sentence == [1.0, 0.0, 0.0]
    assert score == pytest.approx(1 / 3)
    assert guard.faithfulness([], PASSAGES) == (1.0, [])


def test_extractive_answers_of_the_golden_set_are_all_faithful(shipped_assistant: Assistant) -> None:
    """The extractive composer copies sentences from its sources: the guard must keep them all."""
    import json

    from assistant.answers.generate import passage_text
    from assistant.settings import PACKAGE_ROOT

    golden = [json.loads(line) for line in
              (PACKAGE_ROOT / "evals" / "tune.jsonl").read_text(encoding="utf-8").splitlines() if line]
    searcher = shipped_assistant.searcher
    checked = 0
    for item in golden[::6]:
        answer = shipped_assistant.ask(item["question"])
        if not answer.answered:
            continue
        hits = searcher.search(item["question"], item["lang"], 5).hits
        by_provision = {(h.chunk.doc_id, h.chunk.locator): h for h in hits}
        passages = [passage_text(by_provision[(c.doc_id, c.locator)]) for c in answer.citations]
        sentences = [s for s in guard.split_answer(answer.answer) if guard.citations(s)]
        score, per_sentence = guard.faithfulness(sentences, passages)
        assert score == 1.0, (item["question"], sentences, per_sentence)
        checked += 1
    assert checked >= 8


def test_importing_the_guard_loads_no_heavy_library() -> None:
    code = ("import sys, assistant.answers.guard\n"
            "print(sorted({'langchain_core', 'langchain', 'chromadb', 'numpy', 'click'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
