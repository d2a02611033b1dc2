"""Passages and answers built by hand, for tests of how sentences are chosen."""

from __future__ import annotations

from dataclasses import replace

from assistant.answers.extractive import choose
from assistant.answers.retrieve import Hit, Retrieval
from assistant.answers.understand import Understanding
from assistant.corpus.chunks import Chunk


def hit(text: str, locator: str = "rule-99", heading: str = "Rule 99 — Test") -> Hit:
    chunk = Chunk(doc_id="guide-rules", lang="en", kind="guide", title="Guide", locator=locator,
                  heading=heading, url=None, text=text, seq=0)
    return Hit(chunk, similarity=0.9, score=1.0)


def answer_to(question: str, *hits: Hit, references: list | None = None, lang: str = "en") -> str:
    """The sentences chosen from ``hits`` for ``question`` (every word weighing the same)."""
    hits = tuple(Hit(replace(h.chunk, lang=lang), h.similarity, h.score) for h in hits) if lang != "en" else hits
    found = Retrieval(Understanding(question, lang, references=references or []), list(hits))
    return " ".join(text for _, text in choose(found, idf=lambda term: 1.0))
