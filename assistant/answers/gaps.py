"""What the guides say they lack: "The majority that rule 58 then requires … is not given in the
sources used for this guide". When such a note is what answers the question, the knowledge base does
not hold the fact: the answer declines, quoting the note with its source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answers.scoring import paragraphs
from assistant.corpus.text import fold
from assistant.index.keyword import query_terms, tokenize

if TYPE_CHECKING:
    from assistant.answers.retrieve import Hit
    from assistant.answers.understand import Understanding

GAP_NOTE = re.compile(r"not given in the sources|not found in the sources|this guide does not cover|"
                      r"ne figure pas dans les sources|n'a pas ete trouvee dans les sources|"
                      r"n'est pas traitee dans ce guide|ne sont pas traites dans ce guide", re.IGNORECASE)
SECOND_QUESTION = re.compile(r"(?:\?|;|\b(?:and|et)\b)\s*(?:what|which|who|when|where|how|why|quel\w*|qui|quand|"
                             r"ou|comment|combien|pourquoi)\b", re.IGNORECASE)
NOTE_WORDS = re.compile(r"\b(?:guide|sources?|used|utilisees?|cover|rest|later|paragraphs?|paragraphes?|suite|"
                        r"suivants|check|official|text|verifier|texte|officiel|convient|rules?|articles?)\b",
                        re.IGNORECASE)
NOT_GIVEN = {
    "en": "The knowledge base does not give this. Its source says: {note}",
    "fr": "La base de connaissances ne le précise pas. Sa source indique : {note}",
}


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
