"""Answers as terminal text or as the stable JSON that other tools read."""

from __future__ import annotations

import json

from assistant.answers.answer import Answer, Citation
from assistant.corpus.chunks import Chunk

SUMMARY = {"en": "summary", "fr": "résumé"}
SOURCES = {"en": "Sources", "fr": "Sources"}
SOURCE = {"en": "Source", "fr": "Source"}


def source_label(citation: Citation, lang: str) -> str:
    """"Guide to the rules … — Rule 41 — Quorum (summary)"; guides are marked as summaries."""
    label = citation.title + (f" — {citation.heading}" if citation.heading else "")
    if citation.kind == "guide":
        label += f" ({SUMMARY.get(lang, SUMMARY['en'])})"
    return label


def as_text(answer: Answer) -> str:
    lines = [answer.answer, "", f"{SOURCES.get(answer.language, 'Sources')}:"]
    for citation in answer.citations:
        lines.append(f"[{citation.n}] {source_label(citation, answer.language)}")
        lines.append(f"    {citation.url or citation.doc_id + '#' + citation.locator}")
    return "\n".join(lines)


def as_json(answer: Answer) -> str:
    return json.dumps(answer.to_dict(), ensure_ascii=False)


def provision_text(chunks: list[Chunk]) -> str:
    """A provision whole: heading, document, text, then where it comes from."""
    first = chunks[0]
    label = SUMMARY.get(first.lang, SUMMARY["en"])
    lines = [first.heading + (f" ({label})" if first.kind == "guide" else ""), first.title, ""]
    lines += [chunk.text for chunk in chunks]
    where = f"{first.doc_id}#{first.locator}"
    lines += ["", f"{SOURCE.get(first.lang, SOURCE['en'])}: " + (f"{first.url} ({where})" if first.url else where)]
    return "\n".join(lines)


def provision_json(chunks: list[Chunk]) -> str:
    first = chunks[0]
    return json.dumps({"doc_id": first.doc_id, "locator": first.locator, "lang": first.lang,
                       "heading": first.heading, "title": first.title, "kind": first.kind, "url": first.url,
                       "text": "\n\n".join(chunk.text for chunk in chunks)}, ensure_ascii=False)
