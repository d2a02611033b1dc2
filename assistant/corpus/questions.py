"""Sample questions: what staff ask that each section answers, written by the knowledge owners.

``knowledge/questions/<document id>.toml`` holds one table per locator of that document, with
``en`` and ``fr`` lists of questions. They are embedded at ingest beside the sections; a
question typed much like one of them finds its section (``answers.retrieve``); their words are
keyword-indexed with the section (``index.keyword.keyword_texts``). A file that
cannot be read, or names no indexed document, is reported and left out, as is a table whose
locator no section has: the documents are indexed all the same.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FOLDER = "questions"
LANGUAGES = {"ar", "en", "es", "fr", "ru", "zh"}


@dataclass(frozen=True)
class SampleQuestion:
    provision: str  # "guide-rules#rule-10": the document id and the locator it answers from
    lang: str
    text: str


def load_questions(knowledge_dir: Path, documents: set[str]) -> tuple[list[SampleQuestion], list[tuple[str, str]]]:
    """The sample questions of ``documents`` (their ids), and (file, reason) for what is left out."""
    questions: list[SampleQuestion] = []
    failures: list[tuple[str, str]] = []
    for path in sorted((knowledge_dir / FOLDER).glob("*.toml")):
        if path.stem not in documents:
            failures.append((str(path), f"names no indexed document ({path.stem!r}); its questions are left out"))
            continue
        try:
            questions += _read(path)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
            failures.append((str(path), f"sample questions left out: {exc}; fix the file and ingest again"))
    return list(dict.fromkeys(questions)), failures  # one of each: as a replica reads them back


def _read(path: Path) -> list[SampleQuestion]:
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for locator, table in tables.items():
        if not isinstance(table, dict):
            raise ValueError(f"{locator!r} is not a table of en/fr question lists")
        for lang, texts in table.items():
            if lang not in LANGUAGES:
                raise ValueError(f"[{locator}] {lang!r} is not a language ({', '.join(sorted(LANGUAGES))})")
            if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
                raise ValueError(f"[{locator}] {lang} is not a list of questions")
            found += [SampleQuestion(f"{path.stem}#{locator}", lang, text.strip()) for text in texts]
    return found
