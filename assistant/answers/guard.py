"""The citation guard: a generated sentence survives only if its sources back it.

A sentence is dropped when it cites nothing, cites a passage number that was not
given, or states a fact — a number, fraction, date, time limit, rule / article /
paragraph number, resolution or decision number, document symbol — that none of the
passages it cites contains. Facts are compared in normal form (``assistant.answers.facts``), so
"thirty days", "30 days" and "trente jours" match, while "one half" does not match "one third".

Pure and dependency-free (no model, no I/O): ``assistant eval`` calls ``faithfulness``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from assistant.answers.facts import evidence, facts
from assistant.corpus.sentences import ABBREVIATIONS

CITE = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_CITE_SRC = r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]"
END = re.compile(rf"[.!?…]+[\"»”’)*_]*(?:\s*{_CITE_SRC})*(?=\s|$)")
NEXT_STARTS = re.compile(r"\s+[\"«“(*\[]?[A-ZÀ-ÖØ-Þ0-9]")
LINE_PREFIX = re.compile(r"^\s*(?:#+\s+|[-*•]\s+|\d+[.)]\s+)?")


@dataclass(frozen=True)
class Verdict:
    """What the guard decided about one sentence; ``reason`` is empty when it is kept."""

    sentence: str
    cited: tuple[int, ...]
    kept: bool
    reason: str = ""


@dataclass(frozen=True)
class Checked:
    """A generated answer after the guard: the surviving text and a verdict per sentence."""

    text: str
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def kept(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.kept]

    @property
    def dropped(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.kept]

    @property
    def cited(self) -> list[int]:
        """Passage numbers cited by surviving sentences, ascending."""
        return sorted({n for v in self.kept for n in v.cited})


def check(answer: str, passages: Sequence[str]) -> Checked:
    """Run the guard over ``answer``; ``passages[n - 1]`` is the passage cited as ``[n]``.

    The returned text is ``answer`` unchanged (but stripped) when every sentence is
    kept; otherwise the dropped sentences are cut out and the rest keeps its layout.
    """
    supports = [evidence(p) for p in passages]
    verdicts: list[Verdict] = []
    lines: list[str] = []
    for line in answer.strip().splitlines():
        prefix, spans = _line_sentences(line)
        line_verdicts = [_verdict(line[a:b], supports) for a, b in spans]
        verdicts += line_verdicts
        if all(v.kept for v in line_verdicts):
            lines.append(line)
        elif any(v.kept for v in line_verdicts):
            lines.append(prefix + " ".join(v.sentence for v in line_verdicts if v.kept))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return Checked(text, verdicts)


def check_sentence(sentence: str, passages: Sequence[str]) -> Verdict:
    """The guard's verdict on one sentence (with its ``[n]`` markers)."""
    return _verdict(sentence, [evidence(p) for p in passages])


def faithfulness(sentences: Sequence[str], passages: Sequence[str]) -> tuple[float, list[float]]:
    """Share of ``sentences`` the guard would keep, and 1.0 / 0.0 per sentence.

    ``sentences`` carry their ``[n]`` citations; ``passages[n - 1]`` is passage ``[n]``.
    A sentence scores 1.0 when it cites at least one given passage and every number,
    date, time limit, provision reference and symbol in it appears in a passage it
    cites. Deterministic; no judge model. No sentences: ``(1.0, [])`` (nothing claimed).
    """
    supports = [evidence(p) for p in passages]
    per_sentence = [1.0 if _verdict(s, supports).kept else 0.0 for s in sentences]
    score = sum(per_sentence) / len(per_sentence) if per_sentence else 1.0
    return score, per_sentence


def split_answer(text: str) -> list[str]:
    """The sentences of a generated answer, each with the citations that follow it."""
    sentences = []
    for line in text.strip().splitlines():
        _, spans = _line_sentences(line)
        sentences += [line[a:b] for a, b in spans]
    return sentences


def citations(sentence: str) -> tuple[int, ...]:
    """The passage numbers a sentence cites, in order of first mention."""
    numbers: dict[int, None] = {}
    for match in CITE.finditer(sentence):
        for part in re.split(r"[,;]", match.group(1)):
            numbers.setdefault(int(part), None)
    return tuple(numbers)


def renumber(text: str, given: int = 0) -> tuple[str, list[int]]:
    """``text`` with its citations numbered 1, 2… in order of first mention, and the passage
    numbers in that order, then those of ``1..given`` it never cites (to list them too).

    ``"… [3]. … [1][3]."`` becomes ``"… [1]. … [2][1]."`` with ``[3, 1]``.
    """
    order = citations(text)
    new = {old: n for n, old in enumerate(order, 1)}
    text = CITE.sub(lambda m: re.sub(r"\d+", lambda d: str(new[int(d.group())]), m.group(0)), text)
    return text, list(order) + [n for n in range(1, given + 1) if n not in new]


def claims(text: str) -> set[str]:
    """The checkable facts a sentence states, in normal form (``rule:41``, ``frac:1/3``…)."""
    return facts(CITE.sub(" ", text))


def _verdict(sentence: str, supports: list[set[str]]) -> Verdict:
    cited = citations(sentence)
    if not cited:
        return Verdict(sentence, cited, False, "cites no passage")
    unknown = [n for n in cited if not 1 <= n <= len(supports)]
    if unknown:
        return Verdict(sentence, cited, False, f"cites [{', '.join(map(str, unknown))}], "
                       f"but only [1]–[{len(supports)}] were given")
    backed = set().union(*(supports[n - 1] for n in cited))
    missing = sorted(claims(sentence) - backed)
    if missing:
        return Verdict(sentence, cited, False, f"{', '.join(missing)} not in the cited passage(s)")
    return Verdict(sentence, cited, True)


def _line_sentences(line: str) -> tuple[str, list[tuple[int, int]]]:
    """A line's list or heading marker, and the (start, end) span of each sentence."""
    prefix = LINE_PREFIX.match(line).group(0)  # type: ignore[union-attr]
    spans, start = [], len(prefix)
    for match in END.finditer(line, start):
        before = line[start:match.start()].rstrip()
        last_word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        if match.end() < len(line.rstrip()) and not NEXT_STARTS.match(line, match.end()):
            continue
        spans.append((start, match.end()))
        start = match.end() + len(line[match.end():]) - len(line[match.end():].lstrip())
    if line[start:].strip():
        spans.append((start, len(line.rstrip())))
    return prefix, [(a, b) for a, b in spans if line[a:b].strip()]
