"""Block Kit layout within Slack's limits: 3,000 characters a section, 50 blocks a message."""

from __future__ import annotations

import re

import pytest

from assistant.answers.answer import Answer
from assistant.slack.blocks import (
    BLOCK_LIMIT,
    SECTION_LIMIT,
    answer_pages,
    sources_text,
    split_text,
    with_feedback_note,
)
from assistant.slack.carry import unpack
from tests.slack_api_server import block_text, citation

BALANCED_LINKS = re.compile(r"^[^<>]*(?:<[^<>]*>[^<>]*)*$")


@pytest.mark.parametrize("text", [
    " ".join(f"word{n}" for n in range(1200)),                           # plain words
    "\n\n".join("A sentence of the rules. " * 30 for _ in range(8)),      # paragraphs
    "x" * 7000,                                                           # no break at all
    " ".join(f"<https://unodc.org/{n}|rule {n} text>" for n in range(300)),  # links everywhere
    "Fish &amp; chips " * 400,                                            # entities
])
def test_split_text_keeps_everything_within_the_limit(text: str) -> None:
    pieces = split_text(text, SECTION_LIMIT)
    assert all(0 < len(piece) <= SECTION_LIMIT for piece in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    if "<" in text:
        assert all(BALANCED_LINKS.match(piece) for piece in pieces)
    if "&amp;" in text:
        assert all(piece.count("&") == piece.count("&amp;") for piece in pieces)


def test_a_5000_character_answer_becomes_two_sections_then_sources_then_buttons() -> None:
    text = ("The Conference shall adopt rules of procedure. " * 120)[:5000]
    [page] = answer_pages(Answer("q", "en", True, text, [citation()]), "id1")
    assert [b["type"] for b in page] == ["section", "section", "section", "actions"]
    assert " ".join(b["text"]["text"] for b in page[:2]).split() == text.split()


def test_past_50_blocks_the_rest_goes_to_further_messages_with_buttons_on_the_last() -> None:
    many = [citation(n, title=f"Document {n} " + "long title " * 30) for n in range(1, 400)]
    pages = answer_pages(Answer("q", "en", True, "Short answer. [1]", many), "id2")
    assert len(pages) >= 2 and all(len(page) < BLOCK_LIMIT for page in pages)
    assert [b["type"] for page in pages for b in page].count("actions") == 1
    assert pages[-1][-1]["type"] == "actions"
    shown = "\n".join(block_text(page) for page in pages)
    assert all(f"[{n}] Document {n} " in shown for n in range(1, 400))


@pytest.mark.parametrize("lang, marker", [("en", "(summary)"), ("fr", "(résumé)")])
def test_sources_are_numbered_links_and_guides_are_marked_as_summaries(lang: str, marker: str) -> None:
    text = sources_text([citation(1, kind="guide", url="https://www.unodc.org/rules?a=1&b=2"),
                         citation(2, kind="rules", url=None, heading="Rule 9")], lang)
    lines = text.splitlines()
    assert lines[0] == "*Sources*"
    assert lines[1] == ("[1] <https://www.unodc.org/rules?a=1&amp;b=2|"
                        f"Guide to the rules — Rule 41 — Quorum {marker}>")
    assert lines[2] == "[2] Guide to the rules — Rule 9 · `guide-rules#rule-42`"


def test_an_ask_answer_restates_the_question_and_offers_to_post_it() -> None:
    [page] = answer_pages(Answer("q", "fr", True, "La majorité. [1]", [citation()]), "id3",
                          header="*Votre question :* quorum ?", post_button=True)
    assert page[0]["text"]["text"] == "*Votre question :* quorum ?"
    labels = [e["text"]["text"] for e in page[-1]["elements"]]
    assert labels == ["Publier dans le canal", "👍 Utile", "👎 Pas utile"]
    [value] = {e["value"] for e in page[-1]["elements"]}
    assert unpack(value).answer_id == "id3"


def test_the_vote_tally_replaces_the_previous_one() -> None:
    [page] = answer_pages(Answer("q", "en", True, "A majority. [1]", [citation()]), "id4")
    once = with_feedback_note(page, 1, 0, "en")
    twice = with_feedback_note(once, 1, 1, "en")
    assert len(twice) == len(page) + 1
    assert block_text(twice[-1:]) == "Thanks for the feedback: 👍 1 · 👎 1"


def test_a_button_carries_the_question_and_sources_within_2000_characters() -> None:
    question = "Quel est le « quorum » ? " * 200
    answer = Answer(question, "fr", True, "La majorité. [1]", [citation(n) for n in range(1, 30)])
    [page] = answer_pages(answer, "id5")
    value = page[-1]["elements"][0]["value"]
    carried = unpack(value)
    assert len(value) <= 2000 and question.startswith(carried.question or "-")
    assert carried.lang == "fr" and carried.answered and carried.sources[0] == "guide-rules#rule-41"
    assert unpack("bare-id").answer_id == "bare-id" and unpack("bare-id").answer("x") is None
