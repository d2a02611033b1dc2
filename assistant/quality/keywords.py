"""Fair keyword matching: an expected keyword is found however the answer writes it.

Case, accents and typographic apostrophes are ignored, and numbers match whether they
are written in words, digits or both: "sixty (60) days", "60 days" and "sixty days" all
contain "60 days"; « trente (30) jours » contains « 30 jours ».
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.corpus.numbers import CARDINALS
from assistant.corpus.text import fold

WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
REPEATED_NUMBER = re.compile(r"\b(\d+) \(\1\)")


def keyword_in(keyword: str, answer: str) -> bool:
    """Whether ``keyword`` occurs in ``answer`` from a word start (plurals still match),
    numbers in any form and whole ("6" is not in "60")."""
    wanted = normalize(keyword)
    end = r"(?!\d)" if wanted[-1:].isdigit() else ""
    return bool(wanted) and re.search(rf"(?<!\w){re.escape(wanted)}{end}", normalize(answer)) is not None


def normalize(text: str) -> str:
    """Lowercase, accent-free, one kind of apostrophe, numbers as digits, spaces collapsed."""
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = fold(text.lower())
    text = WORD.sub(lambda match: _number(match.group()) or match.group(), text)
    text = REPEATED_NUMBER.sub(r"\1", " ".join(text.split()))
    return text


def _number(word: str) -> str | None:
    """``sixty`` → ``60``, ``twenty-five`` / ``vingt-cinq`` → ``25``; None for other words."""
    parts = [p for p in word.split("-") if p != "et"]
    values = [_cardinals().get(p) for p in parts]
    if not parts or any(v is None for v in values):
        return None
    return str(sum(v for v in values if v is not None))


@lru_cache(maxsize=1)
def _cardinals() -> dict[str, int]:
    return {fold(word): value for word, value in CARDINALS.items()}

