"""Evaluation metrics: small functions over parallel lists, each returning (score, per item).

Scores are None when no item qualifies (e.g. refusal accuracy with no out-of-scope question).
"""

from __future__ import annotations

from typing import Sequence


def _check(*lists: Sequence[object]) -> None:
    if len({len(items) for items in lists}) > 1:
        raise ValueError(f"parallel lists differ in length: {[len(items) for items in lists]}")


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def hit_at(k: int, ranks: Sequence[int | None]) -> tuple[float | None, list[float]]:
    """Share of questions whose first acceptable source is within the top ``k`` (ranks from 1)."""
    per = [1.0 if rank is not None and rank <= k else 0.0 for rank in ranks]
    return _mean(per), per


def mrr(ranks: Sequence[int | None]) -> tuple[float | None, list[float]]:
    per = [1.0 / rank if rank else 0.0 for rank in ranks]
    return _mean(per), per


def citation_precision(cited_ok: Sequence[list[bool]]) -> tuple[float | None, list[float]]:
    """Of all citations in answered responses, the share that point at acceptable evidence."""
    per = [sum(c) / len(c) for c in cited_ok if c]
    total = sum(len(c) for c in cited_ok)
    return (sum(sum(c) for c in cited_ok) / total if total else None), per


def keyword_recall(found: Sequence[bool]) -> tuple[float | None, list[float]]:
    per = [1.0 if ok else 0.0 for ok in found]
    return _mean(per), per


def refusal_accuracy(answerable: Sequence[bool], answered: Sequence[bool]) -> tuple[float | None, list[float]]:
    """Share of out-of-scope questions that were correctly not answered."""
    _check(answerable, answered)
    per = [0.0 if done else 1.0 for can, done in zip(answerable, answered) if not can]
    return _mean(per), per


def false_refusal_rate(answerable: Sequence[bool], answered: Sequence[bool]) -> tuple[float | None, list[float]]:
    """Share of answerable questions that were refused."""
    _check(answerable, answered)
    per = [0.0 if done else 1.0 for can, done in zip(answerable, answered) if can]
    return _mean(per), per


def mean_length(texts: Sequence[str]) -> float | None:
    """Mean length of answers in characters (citations included): what a reader has to read."""
    return sum(len(t) for t in texts) / len(texts) if texts else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
