"""The guides' notes on what they lack, as written ("… is not given in the sources used for this guide",
« … ne sont pas traités dans ce guide »), and the topics a note lists as not treated, read from the index
("This guide does not cover rules 24 to 29 (including the acting President and the President's powers)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from assistant.answers.scoring import paragraphs
from assistant.corpus.text import fold
from assistant.index.keyword import tokenize, word_stems

if TYPE_CHECKING:
    from assistant.corpus.chunks import Chunk

GAP_NOTE = re.compile(r"not given in the sources|not found in the sources|this guide does not cover|"
                      r"ne figure pas dans les sources|n'a pas ete trouvee dans les sources|"
                      r"n'est pas traitee dans ce guide|ne sont pas traites dans ce guide", re.IGNORECASE)
# "… does not cover rules 45 to 53 (including time limits, the list of speakers, the right of reply …)"
TOPIC_LIST = re.compile(r"\b(?:rules|articles)\s+\d+\s+(?:to|à|a)\s+\d+\s*\((?:including|notamment)?\s*([^()]+)\)",
                        re.IGNORECASE)
TOPIC_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|et\s+|ainsi que\s+)?|\s+(?:and|et|ainsi que)\s+")
# A question names a topic when it holds its words in order (``named_topics``); a topic of one word ("elections",
# « les propositions ») names too much: the election of the Bureau is treated (on evals/tune.jsonl, one-word topics
# would decline 8 right answers for 2 near-misses; all words but one of longer topics, 28 right answers —
# « règlement intérieur » — for 1)
TOPIC_MIN_WORDS = 2


@dataclass(frozen=True)
class Untreated:
    """A topic a guide's note lists as not treated: the note's passage, its sentence, the topic's stemmed words."""

    chunk: Chunk
    note: str
    words: tuple[str, ...]

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(self.words)


def untreated_topics(chunks: Iterable[Chunk]) -> list[Untreated]:
    """The topics the guides' notes list in parentheses ("does not cover rules 24 to 29 (including the
    acting President and the President's powers)": "acting President", "President's powers")."""
    notes = [(chunk, note) for chunk in chunks if "guide" in chunk.text and "(" in chunk.text  # (a quick sift)
             for paragraph in paragraphs(chunk.text) for note in paragraph if GAP_NOTE.search(fold(note))]
    return [Untreated(chunk, note, stems) for chunk, note in notes for stems in _topics(note, chunk.lang)]


def _topics(note: str, lang: str) -> list[tuple[str, ...]]:
    """The stemmed words of each topic the note lists, of ``TOPIC_MIN_WORDS`` words or more."""
    listed = (topic for match in TOPIC_LIST.finditer(note) for topic in TOPIC_SEPARATOR.split(match.group(1)))
    return [words for words in (tuple(tokenize(topic, lang)) for topic in listed) if len(words) >= TOPIC_MIN_WORDS]


def named_topics(question: str, topics: list[Untreated]) -> list[Untreated]:
    """The untreated topics the question names: their words, in their order, one after the other (stop words
    aside: "who acts as President?" names "the acting President"; "how often do sessions take place?" does
    not name "place of sessions")."""
    words = word_stems(question)
    return [topic for topic in topics
            if any(all(stem in stems for stem, stems in zip(topic.words, words[start:]))
                   for start in range(len(words) - len(topic.words) + 1))]
