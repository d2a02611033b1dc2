"""How well one sentence of a passage answers the question.

BM25 of the sentence over the question's words (glossary words included), plus a share of
its paragraph's score (the sentence may say "it" for the amendment the paragraph names),
more when it states the kind of fact asked ("how many" → a number), less when it is long.
Used to choose the sentences of an extractive answer and, as a signal, to rerank passages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Iterator

from assistant.answers.asked import states
from assistant.corpus.sentences import split_sentences
from assistant.index.keyword import query_terms, tokenize

if TYPE_CHECKING:
    from assistant.corpus.chunks import Chunk

# Chosen on evals/tune.jsonl (grid over these with the passage decay; see the README).
TYPE_BONUS = 1.0  # a sentence that states the kind of fact asked weighs this much more
CONTEXT_WEIGHT = 0.6  # share of the paragraph's score a sentence inherits
LENGTH_PENALTY = 0.5  # each extra typical sentence length divides the score by this much more
BM25_K1, BM25_B, TYPICAL_SENTENCE_WORDS = 1.2, 0.75, 20


def term_weights(text: str, idf: Callable[[str], float]) -> dict[str, float]:
    """The question's terms, each weighted by its rarity in the knowledge base."""
    return {t: idf(t) for t in query_terms(text)}


def scored_sentences(chunk: Chunk, terms: dict[str, float], kind: str | None,
                     ) -> Iterator[tuple[float, list[str], int]]:
    """(score, its paragraph's sentences, its index there) for each sentence of ``chunk``."""
    for paragraph in paragraphs(chunk.text):
        context = bm25(terms, tokenize(" ".join(paragraph), chunk.lang), len(paragraph))
        for index, sentence in enumerate(paragraph):
            score = bm25(terms, tokenize(sentence, chunk.lang)) + CONTEXT_WEIGHT * context
            yield score * (1 + TYPE_BONUS * states(kind, sentence)) / length_penalty(sentence), paragraph, index


def weighted_share(words: list[set[str]], idf: Callable[[str], float], holds: Callable[[set[str]], bool],
                   empty: float = 0.0) -> float:
    """Share of the question's ``words`` (each its stems, weighted by its rarest stem's rarity)
    for which ``holds`` is true; ``empty`` when the question has no content word."""
    weights = [(max((idf(s) for s in stems), default=0.0), holds(stems)) for stems in words]
    total = sum(w for w, _ in weights)
    return sum(w for w, ok in weights if ok) / total if total else empty


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (blank-line separated), each as its sentences."""
    return [split_sentences(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def length_penalty(sentence: str) -> float:
    """Long sentences (lists of duties…) match many words by accident; a direct one is the answer."""
    return 1 + LENGTH_PENALTY * max(0, len(sentence.split()) - TYPICAL_SENTENCE_WORDS) / TYPICAL_SENTENCE_WORDS


def bm25(terms: dict[str, float], words: list[str], sentences: int = 1) -> float:
    """BM25 of a sentence (or a paragraph of ``sentences``): question terms weighted by rarity,
    long texts damped."""
    length_norm = 1 - BM25_B + BM25_B * len(words) / (TYPICAL_SENTENCE_WORDS * sentences)
    score = 0.0
    for term, weight in terms.items():
        tf = words.count(term)
        score += weight * tf * (BM25_K1 + 1) / (tf + BM25_K1 * length_norm) if tf else 0.0
    return score
