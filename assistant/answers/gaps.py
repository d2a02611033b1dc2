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
NOT_GIVEN = {
    "en": "The knowledge base does not give this. Its source says: {note}",
    "fr": "La base de connaissances ne le précise pas. Sa source indique : {note}",
}


def lacked_note(understood: Understanding, chosen: list[tuple[Hit, str]]) -> tuple[Hit, str] | None:
    """The guide's note that it lacks a point, when the note holds a word of the question that no
    chosen fact holds ("what majority does rule 58 require?": "The majority that rule 58 then requires
    … is not given in the sources used for this guide"), not beside a fact that answers ("rule 38:
    in which languages?": "This guide does not cover rules 34 to 37, which deal with languages")."""
    words = {term for term in query_terms(understood.sentence_text()) if not any(ch.isdigit() for ch in term)}
    sentences = [(hit, sentence) for hit, text in chosen for paragraph in paragraphs(text) for sentence in paragraph]
    notes = [(hit, sentence) for hit, sentence in sentences if GAP_NOTE.search(fold(sentence))]
    stated = set().union(*(tokenize(sentence, hit.chunk.lang) for hit, sentence in sentences
                           if (hit, sentence) not in notes))
    for hit, note in notes:
        if (words & set(tokenize(note, hit.chunk.lang))) - stated:
            return hit, note
    return None
