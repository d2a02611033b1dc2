"""Sentence boundaries that respect legal abbreviations ("art. 32", "para. 3")."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "art", "arts", "para", "paras", "no", "nos", "e.g", "i.e", "cf", "etc", "vol", "p", "pp",
    "al", "op", "res", "dr", "mr", "mrs", "ms", "st", "mm", "m", "mme", "n", "nº", "v", "vs",
}
BOUNDARY = re.compile(r"([.!?…][\"»”)]*)\s+(?=[\"«“(]?[A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; never cuts after a known abbreviation."""
    sentences: list[str] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        candidate = text[start:match.end(1)].strip()
        last_word = candidate.rsplit(None, 1)[-1].rstrip(".").lower() if candidate else ""
        if last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        sentences.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]
