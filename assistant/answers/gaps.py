"""What the guides say they lack: "The majority that rule 58 then requires … is not given in the
sources used for this guide". When such a note is what answers the question, the knowledge base does
not hold the fact: the answer declines, quoting the note with its source. So does an answer from a
guide that lists the asked topic among those it does not treat ("This guide does not cover rules 24
to 29 (including the acting President …)": "who acts as President…?" is not answered by rule 30).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from assistant.answers.notes import GAP_NOTE
from assistant.answers.scoring import paragraphs, share_held
from assistant.corpus.text import fold
from assistant.index.keyword import query_terms, tokenize, word_stems

if TYPE_CHECKING:
    from assistant.answers.retrieve import Hit, Retrieval
    from assistant.answers.understand import Understanding
    from assistant.corpus.chunks import Chunk

SECOND_QUESTION = re.compile(r"(?:\?|;|\b(?:and|et)\b)\s*(?:what|which|who|when|where|how|why|quel\w*|qui|quand|"
                             r"ou|comment|combien|pourquoi)\b", re.IGNORECASE)
NOTE_WORDS = re.compile(r"\b(?:guide|sources?|used|utilisees?|cover|rest|later|paragraphs?|paragraphes?|suite|"
                        r"suivants|check|official|text|verifier|texte|officiel|convient|rules?|articles?)\b",
                        re.IGNORECASE)
# …and when its passages hold less than this share of the question's other words, each weighed by
# its commoner stem's rarity (English or French: "meeting" is a rare French word) (1.0 would
# decline "is there a time limit for NGO requests?" answered by rule 17 on NGOs, which does not say "request")
OTHER_WORDS_HELD = 0.5
NOT_GIVEN = {
    "en": "The knowledge base does not give this. Its source says: {note}",
    "fr": "La base de connaissances ne le précise pas. Sa source indique : {note}",
}


def declining_note(found: Retrieval, chosen: list[tuple[Hit, str]],
                   idf: Callable[[str], float]) -> tuple[Chunk, str] | None:
    """The guide's note that declines the answer (``lacked_note``, ``untreated_note``): its passage and sentence."""
    lacked = lacked_note(found.understanding, chosen)
    return (lacked[0].chunk, lacked[1]) if lacked is not None else untreated_note(found, chosen, idf)


def lacked_note(understood: Understanding, chosen: list[tuple[Hit, str]]) -> tuple[Hit, str] | None:
    """The guide's note that it lacks a point, when the note holds a word of the question that no
    chosen fact holds ("what majority does rule 58 require?": "The majority that rule 58 then requires
    … is not given in the sources used for this guide"), the note's own words aside; not beside a fact
    that answers ("rule 38: in which languages?": "This guide does not cover
    rules 34 to 37, which deal with languages"), nor for a question asking a second thing ("who may
    raise a point of order, and how is it decided?": what is there is answered) unless only notes
    were chosen ("right of reply: how many minutes, and how many times?": "This guide does not
    cover rules 45 to 53 (… the right of reply …)" answers neither)."""
    sentences = [(hit, sentence) for hit, text in chosen for paragraph in paragraphs(text) for sentence in paragraph]
    notes = [(hit, sentence) for hit, sentence in sentences if GAP_NOTE.search(fold(sentence))]
    facts = [(hit, sentence) for hit, sentence in sentences if (hit, sentence) not in notes]
    if not notes or (facts and SECOND_QUESTION.search(fold(understood.text))):
        return None
    words = {term for term in query_terms(understood.sentence_text()) if not any(ch.isdigit() for ch in term)}
    stated = set().union(*(tokenize(sentence, hit.chunk.lang) for hit, sentence in facts))
    for hit, note in notes:
        if (words & set(tokenize(_what_it_lacks(note), hit.chunk.lang))) - stated:
            return hit, note
    return None


def _what_it_lacks(note: str) -> str:
    """The note less its own words ("this guide does not cover the later paragraphs"): what it lacks."""
    return NOTE_WORDS.sub(" ", GAP_NOTE.sub(" ", fold(note)))


def untreated_note(found: Retrieval, chosen: list[tuple[Hit, str]],
                   idf: Callable[[str], float]) -> tuple[Chunk, str] | None:
    """The note listing a topic the question names, when the answer comes from the note's guide and its
    passages hold neither the topic's words nor most of the question's other words ("who acts as President
    when the President is absent?" answered by rule 30 on the Bureau; not "time limit for circulating the
    agenda?", answered by rule 9 on the agenda)."""
    if not chosen:
        return None
    held = set().union(*(tokenize(f"{hit.chunk.heading} {hit.chunk.text}", hit.chunk.lang) for hit, _ in chosen))
    words = [stems for stems in word_stems(found.understanding.text) if not any(ch.isdigit() for ch in stems)]
    for topic in sorted(found.untreated, key=lambda topic: topic.chunk.lang != found.understanding.lang):
        if chosen[0][0].chunk.doc_id != topic.chunk.doc_id or topic.stems <= held:
            continue
        others = [(stems, bool(stems & held)) for stems in words if not stems & topic.stems]
        if share_held(others, idf, empty=1.0, rarity=min) < OTHER_WORDS_HELD:
            return topic.chunk, topic.note
    return None
