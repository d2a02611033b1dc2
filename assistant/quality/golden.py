"""The golden set: questions with the evidence and words a good answer must show."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import UsageError
from assistant.quality.keywords import keyword_in

FIELDS = {"id": str, "question": str, "lang": str, "answerable": bool,
          "expected_sources": list, "expected_keywords": list}
# How a question was asked: "formal", "colloquial" (as staff type in Slack), "explicit-reference"
# ("rule 41", "res 9/1"), "near-miss" (another body's procedure), "off-topic", "injection".
CLASSES = ("formal", "colloquial", "explicit-reference", "near-miss", "off-topic", "injection", "out-of-scope")


@dataclass(frozen=True)
class GoldenQuestion:
    id: str
    question: str
    lang: str
    answerable: bool
    expected_sources: tuple[str, ...]
    expected_keywords: tuple[str, ...]
    kind: str = "formal"  # the question's class (the "class" field of the file)

    def is_expected(self, doc_id: str, locator: str) -> bool:
        """Whether a chunk is acceptable evidence (``doc#art-32`` matches ``art-32-para-3``)."""
        return any(source_matches(expected, doc_id, locator) for expected in self.expected_sources)

    def keyword_found(self, answer: str) -> bool:
        """Any expected keyword in the answer, however case, accents and numbers are written."""
        return any(keyword_in(keyword, answer) for keyword in self.expected_keywords)


def source_matches(expected: str, doc_id: str, locator: str) -> bool:
    """``doc`` matches any chunk of doc; ``doc#loc`` matches ``loc`` and ``loc-…``, never ``loc0``."""
    want_doc, _, want_loc = expected.partition("#")
    if want_doc != doc_id:
        return False
    return not want_loc or locator == want_loc or locator.startswith(want_loc + "-")


def load_golden(path: Path) -> list[GoldenQuestion]:
    """Read a JSON Lines golden set; a malformed line is named with what is wrong."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read questions file {path}: {exc.strerror}") from None
    questions, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        question = _parse(line, f"{path}, line {number}")
        if question.id in seen:
            raise UsageError(f"{path}, line {number}: id {question.id!r} is used twice")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise UsageError(f"{path} holds no questions")
    return questions


def _parse(line: str, where: str) -> GoldenQuestion:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a JSON object")
    for name, kind in FIELDS.items():
        if name not in raw:
            raise UsageError(f"{where}: missing field {name!r}")
        if not isinstance(raw[name], kind):
            raise UsageError(f"{where}: field {name!r} must be a {kind.__name__}")
    if raw["answerable"] and not raw["expected_sources"]:
        raise UsageError(f"{where}: an answerable question needs expected_sources")
    kind = raw.get("class", "formal" if raw["answerable"] else "out-of-scope")
    if kind not in CLASSES:
        raise UsageError(f"{where}: class {kind!r} is not one of {', '.join(CLASSES)}")
    return GoldenQuestion(raw["id"], raw["question"], raw["lang"], raw["answerable"],
                          tuple(raw["expected_sources"]), tuple(raw["expected_keywords"]), kind)
