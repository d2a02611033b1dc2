"""Answers as terminal text or as the stable JSON that other tools read."""

from __future__ import annotations

import json

from assistant.answers.answer import Answer, Citation

SUMMARY = {"en": "summary", "fr": "résumé"}
SOURCES = {"en": "Sources", "fr": "Sources"}


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
