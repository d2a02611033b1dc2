"""How well one sentence of a passage answers the question.

BM25 of the sentence over the question's words (glossary words included), plus a share of
its paragraph's score (the sentence may say "it" for the amendment the paragraph names),
more when it states the kind of fact asked ("how many" → a number), less when it is long.
Used to choose the sentences of an extractive answer and, as a signal, to rerank passages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Iterator

from assistant.answers.asked import Asked
from assistant.corpus.sentences import split_sentences
from assistant.index.keyword import query_terms, tokenize

if TYPE_CHECKING:
    from assistant.corpus.chunks import Chunk

# Chosen on evals/tune.jsonl (grid over these with the passage decay; see the README).
TYPE_BONUS = 1.0  # a sentence that states the kind of fact asked weighs this much more
EXCEPTION_BONUS = 1.0  # …and one that departs from the rule, when the question asks about the exception
HOLDERS_WEIGHT = 0.5  # a sentence on those who have what the subject lacks ("NGO without ECOSOC status?")
OTHER_INSTRUMENT = 0.5  # a sentence on the Convention, asked about a Protocol (or the reverse): this much
HEADING_DISCOUNT = 0.3  # within a passage, the words of its heading (its topic) weigh this much
CONTEXT_WEIGHT = 0.6  # share of the paragraph's score a sentence inherits
LENGTH_PENALTY = 0.5  # each extra typical sentence length divides the score by this much more
BM25_K1, BM25_B, TYPICAL_SENTENCE_WORDS = 1.2, 0.75, 20


def term_weights(text: str, idf: Callable[[str], float]) -> dict[str, float]:
    """The question's terms, each weighted by its rarity in the knowledge base."""
    return {t: idf(t) for t in query_terms(text)}


def scored_sentences(chunk: Chunk, terms: dict[str, float], asked: Asked,
                     ) -> Iterator[tuple[float, float, list[str], int]]:
    """(score, score within its passage, its paragraph's sentences, its index there) for each
    sentence of ``chunk``. The first compares passages; the second chooses among the passage's
    own sentences, where the words of its heading tell nothing ("How many INCB members?": every
    sentence of the INCB section is about the INCB; the one that answers has the number)."""
    topic = _topic_words(chunk.heading, chunk.lang)
    local = {t: w * HEADING_DISCOUNT if t in topic else w for t, w in terms.items()}
    for paragraph in paragraphs(chunk.text):
        words = _tokens(" ".join(paragraph), chunk.lang, asked)
        context, local_context = bm25(terms, words, len(paragraph)), bm25(local, words, len(paragraph))
        for index, sentence in enumerate(paragraph):
            tokens = _tokens(sentence, chunk.lang, asked)
            weight = _asked_weight(asked, sentence, chunk.heading) / length_penalty(sentence)
            yield ((bm25(terms, tokens) + CONTEXT_WEIGHT * context) * weight,
                   (bm25(local, tokens) + CONTEXT_WEIGHT * local_context) * weight, paragraph, index)


def _topic_words(heading: str, lang: str) -> set[str]:
    """The words of a passage's heading that every sentence of it is about: not those of a list of
    aspects ("Firearms Protocol — adoption, entry into force, content": each is one sentence's)."""
    words = set(tokenize(heading, lang))
    _, dash, title = re.sub(r"\([^)]*\)", " ", heading).partition("—")
    if dash and "," in title:
        words -= set(tokenize(title.rpartition(":")[2], lang))
    return words


def _tokens(text: str, lang: str, asked: Asked) -> list[str]:
    """The text's terms; a text on every Protocol also names the ones asked about."""
    return tokenize(f"{text} {asked.protocols_meant(text, lang)}", lang)


def _asked_weight(asked: Asked, sentence: str, heading: str) -> float:
    """More for a sentence that states the asked kind of fact, or the exception asked about; less
    for one on those who have what the subject lacks, or that states its fact of another instrument
    than the one asked about, or of none."""
    exception = HOLDERS_WEIGHT if asked.of_the_holders(sentence) else 1 + EXCEPTION_BONUS * asked.departs(sentence)
    weight = (1 + TYPE_BONUS * asked.states(sentence)) * exception
    elsewhere = asked.of_another_instrument(sentence) or asked.silent_on_protocol(sentence, heading)
    return weight * OTHER_INSTRUMENT if elsewhere else weight


def weighted_share(words: list[set[str]], idf: Callable[[str], float], holds: Callable[[set[str]], bool],
                   empty: float = 0.0) -> float:
    """Share of the question's ``words`` (each its stems, weighted by its rarest stem's rarity)
    for which ``holds`` is true; ``empty`` when the question has no content word."""
    return share_held([(stems, holds(stems)) for stems in words], idf, empty)


def share_held(words: list[tuple[set[str], bool]], idf: Callable[[str], float], empty: float = 0.0,
               rarity: Callable[[list[float]], float] = max) -> float:
    """``weighted_share`` of (stems, held) pairs; ``rarity=min`` weighs a word by its commoner stem."""
    weights = [(rarity([idf(s) for s in stems]) if stems else 0.0, held) for stems, held in words]
    total = sum(w for w, _ in weights)
    return sum(w for w, held in weights if held) / total if total else empty


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
