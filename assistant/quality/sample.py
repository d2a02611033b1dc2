"""``assistant eval --sample N``: a small, stratified, repeatable subset of the golden set.

Questions are grouped by language and answerability; each group gets its share of ``n``
(largest remainders, at least one per group while ``n`` allows), and within a group the
questions whose id hashes lowest are taken. The same file and ``n`` always give the same
subset, in file order, so runs against a slow model can be compared.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from assistant.quality.golden import GoldenQuestion


def stratified_sample(questions: list[GoldenQuestion], n: int) -> list[GoldenQuestion]:
    """``n`` of ``questions`` (all of them if ``n`` is not smaller), spread over strata."""
    if n >= len(questions):
        return list(questions)
    groups: dict[tuple[str, bool], list[GoldenQuestion]] = defaultdict(list)
    for question in questions:
        groups[(question.lang, question.answerable)].append(question)
    chosen: set[str] = set()
    for key, size in _shares(groups, n).items():
        chosen.update(q.id for q in sorted(groups[key], key=_rank)[:size])
    return [q for q in questions if q.id in chosen]


def _shares(groups: dict[tuple[str, bool], list[GoldenQuestion]], n: int) -> dict[tuple[str, bool], int]:
    """How many questions each group gives: proportional, largest remainders first."""
    total = sum(len(g) for g in groups.values())
    exact = {key: n * len(g) / total for key, g in groups.items()}
    shares = {key: int(value) for key, value in exact.items()}
    if n >= len(groups):  # every stratum is seen, however small
        shares = {key: max(1, share) for key, share in shares.items()}
    order = sorted(groups, key=lambda key: (-(exact[key] - int(exact[key])), key))
    while sum(shares.values()) < n:
        key = next(k for k in order if shares[k] < len(groups[k]))
        shares[key] += 1
        order.remove(key)
        order.append(key)
    while sum(shares.values()) > n:  # the minimum of one overshot: trim the largest groups
        key = max(shares, key=lambda k: (shares[k], k))
        shares[key] -= 1
    return shares


def _rank(question: GoldenQuestion) -> str:
    return hashlib.sha256(question.id.encode("utf-8")).hexdigest()
