"""Typos in common words must not change the result: "quorom" is read as "quorum".

A question word the knowledge base never uses is replaced by the one vocabulary word
within one edit (two for words of ten letters or more), when there is exactly one best and
the word is not one of common English or French: "shared" is no typo of "shaped", nor
« puisse » of « Suisse ». Candidates come from deletion neighbourhoods (the SymSpell idea),
built on first use.
"""

from __future__ import annotations

import gzip
import logging
import re
from functools import cache
from importlib import resources
from typing import Callable, Iterable

from assistant.corpus.text import fold

log = logging.getLogger(__name__)

WORD = re.compile(r"[^\W\d_]{4,}")
MIN_LENGTH = 6  # shorter words have too many neighbours ("aside" is one edit from "aide")
LONG_WORD = 10  # two edits only for long words: "supposed" is not a typo of "supported"
# A letter as the word lists may write it (the question's words come without accents).
ACCENTED = {"a": "aàâä", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "c": "cç", "y": "yÿ"}


class Speller:
    """Corrects words against the vocabulary of one index version."""

    def __init__(self, texts: Iterable[str], known: Iterable[str] = (),
                 known_stem: Callable[[str], bool] = lambda word: False) -> None:
        self.words: set[str] = {w.lower() for text in texts for w in re.findall(r"\w+", fold(text))}
        self.vocabulary = {w for w in self.words if len(w) >= 4}
        self.known = self.vocabulary | {fold(w).lower() for w in known}
        self.known_stem = known_stem  # "elect" is no typo when the documents say "elects"
        self._deletions: dict[str, set[str]] | None = None

    def in_documents(self, phrase: str) -> bool:
        """Whether the documents use every word of ``phrase`` (or a word of the same stem)."""
        words = [w.lower() for w in re.findall(r"\w+", fold(phrase))]
        return all(w in self.words or self.known_stem(w) for w in words)

    def corrections(self, question: str) -> dict[str, str]:
        """``{typed word: vocabulary word}`` for the words it corrects."""
        fixed = {}
        for word in WORD.findall(fold(question)):
            lower = word.lower()
            if len(lower) >= MIN_LENGTH and lower not in self.known and not self.known_stem(lower):
                best = self._best(lower)
                if best and not is_common_word(lower):
                    fixed[word] = best
        return fixed

    def _best(self, word: str) -> str | None:
        limit = 2 if len(word) >= LONG_WORD else 1
        candidates = set()
        for variant in _deletions(word, limit):
            candidates |= self._neighbourhood().get(variant, set())
        scored = sorted((distance(word, c), c) for c in candidates if abs(len(c) - len(word)) <= limit)
        scored = [(d, c) for d, c in scored if d <= limit]
        if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None  # nothing close, or two equally close: leave the word alone
        return scored[0][1]

    def _neighbourhood(self) -> dict[str, set[str]]:
        if self._deletions is None:
            self._deletions = {}
            for word in self.vocabulary:
                if len(word) >= MIN_LENGTH - 1:
                    for variant in _deletions(word, 2 if len(word) >= LONG_WORD - 1 else 1):
                        self._deletions.setdefault(variant, set()).add(word)
        return self._deletions


class WordListsMissing(Exception):
    """pyspellchecker's English or French word list cannot be read."""


def is_common_word(word: str) -> bool:
    """Whether ``word`` (lower case, accents removed) is in pyspellchecker's English or French
    frequency list, with or without accents: the lists' text is searched for it as a key, which
    is faster than reading them (the first call decompresses them: about 0.04 s)."""
    letters = "".join(f"[{ACCENTED[ch]}]" if ch in ACCENTED else re.escape(ch) for ch in word)
    key = re.compile(f'"{letters}":')
    return any(key.search(text) for text in _word_lists())


@cache
def _word_lists() -> tuple[str, ...]:
    """The lists' text; none when they cannot be read (a broken install): every word the documents
    never use may then be corrected, and ``assistant doctor`` says what to do."""
    try:
        return read_word_lists()
    except WordListsMissing as exc:
        log.warning("%s", exc)
        return ()


def read_word_lists() -> tuple[str, ...]:
    """pyspellchecker's English and French frequency lists, as text."""
    try:
        lists = resources.files("spellchecker") / "resources"
        return tuple(gzip.decompress((lists / f"{name}.json.gz").read_bytes()).decode("utf-8")
                     for name in ("en", "fr"))
    except (ImportError, OSError, EOFError, UnicodeDecodeError) as exc:
        raise WordListsMissing(f"the common-word lists of pyspellchecker cannot be read ({type(exc).__name__}: "
                               f"{exc}); typos may be corrected in common words. Reinstall it: "
                               "pip install --force-reinstall 'pyspellchecker>=0.8'") from None


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
