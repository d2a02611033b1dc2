"""Fit the refusal model on the tuning questions, choosing everything by cross-validation.

For each question the retrieval's signals are computed (``answers.decision.signals``) and
labelled answerable or not. A logistic regression (L2, Newton's method, NumPy only) is
fitted; its penalty is the one with the best out-of-fold log-loss over repeated stratified
5-fold splits, and the probability threshold is the highest whose out-of-fold false refusal
rate (scope-check refusals included) stays within ``MAX_FALSE_REFUSALS``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from assistant.answers.decision import FEATURES, RefusalModel
from assistant.quality.golden import GoldenQuestion

PENALTIES = (0.01, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS, REPEATS, SEED = 5, 10, 20261202
MAX_FALSE_REFUSALS = 0.03


@dataclass
class Sample:
    question: GoldenQuestion
    signals: dict[str, float]
    scope_declined: bool  # the scope check declines it whatever the model says


def collect(assistant, questions: list[GoldenQuestion]) -> list[Sample]:  # type: ignore[no-untyped-def]
    """Signals of each question's retrieval, from the service's own search; not of a question
    answered by a guide's note that it lacks the fact or does not treat the topic asked (declined
    whatever the model says)."""
    from assistant.answers.decision import signals
    from assistant.answers.extractive import choose, quoted
    from assistant.answers.gaps import declining_note
    from assistant.answers.scope import other_body
    from assistant.corpus.language import question_language

    searcher = assistant.searcher
    idf, known = searcher.reader.keyword.idf, searcher.reader.keyword.has_term
    samples = []
    for q in questions:
        found = searcher.search(q.question, question_language(q.question), assistant.settings.k)
        sentences = choose(found, idf)
        if declining_note(found, quoted(found, idf, assistant.settings.answer_unit, sentences), idf) is not None:
            continue  # the guide's own note that it lacks the fact decides, not the model
        scope = other_body(found.understanding, found.hits, idf, known)
        samples.append(Sample(q, signals(found, sentences, idf, known), scope is not None))
    return samples


def fit(samples: list[Sample], features: tuple[str, ...] = FEATURES) -> tuple[RefusalModel, dict]:
    """The model and its cross-validated measures (``penalty``, ``oof`` metrics…)."""
    x = np.array([[s.signals[f] for f in features] for s in samples])
    y = np.array([1.0 if s.question.answerable else 0.0 for s in samples])
    splits = _splits(y)
    losses = {penalty: _oof_loss(x, y, splits, penalty) for penalty in PENALTIES}
    penalty = min(losses, key=lambda p: losses[p])
    oof = _oof_probabilities(x, y, splits, penalty)
    scope = np.array([s.scope_declined for s in samples])
    threshold = _threshold(oof, y, scope)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights, bias = _logistic((x - mean) / scale, y, penalty)
    model = RefusalModel(features, mean.tolist(), scale.tolist(), weights.tolist(), float(bias), threshold)
    report = {"penalty": penalty, "log_loss": losses, "threshold": threshold,
              "cross_validated": _rates(oof >= threshold, y, scope)}
    return model, report


def _rates(answer: np.ndarray, y: np.ndarray, scope: np.ndarray) -> dict[str, float]:
    answered = answer & ~scope
    return {"false_refusal_rate": float(np.mean(~answered[y == 1])),
            "refusal_accuracy": float(np.mean(~answered[y == 0]))}


def _threshold(oof: np.ndarray, y: np.ndarray, scope: np.ndarray) -> float:
    """The highest cut (most refusals) whose false refusal rate stays within the limit."""
    best = 0.0
    for cut in sorted(set(np.round(oof, 4))):
        if _rates(oof >= cut, y, scope)["false_refusal_rate"] <= MAX_FALSE_REFUSALS:
            best = float(cut)
    return best


def _splits(y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = random.Random(SEED)
    splits = []
    for _ in range(REPEATS):
        folds: list[list[int]] = [[] for _ in range(FOLDS)]
        for label in (0.0, 1.0):
            members = [i for i in range(len(y)) if y[i] == label]
            rng.shuffle(members)
            for n, i in enumerate(members):
                folds[n % FOLDS].append(i)
        for fold in folds:
            test = np.array(sorted(fold))
            splits.append((np.setdiff1d(np.arange(len(y)), test), test))
    return splits


def _oof_probabilities(x: np.ndarray, y: np.ndarray, splits: list, penalty: float) -> np.ndarray:
    """Out-of-fold probability of each sample, averaged over the repeats."""
    total, count = np.zeros(len(y)), np.zeros(len(y))
    for train, test in splits:
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        weights, bias = _logistic((x[train] - mean) / scale, y[train], penalty)
        total[test] += _sigmoid((x[test] - mean) / scale @ weights + bias)
        count[test] += 1
    return total / count


def _oof_loss(x: np.ndarray, y: np.ndarray, splits: list, penalty: float) -> float:
    p = np.clip(_oof_probabilities(x, y, splits, penalty), 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _logistic(x: np.ndarray, y: np.ndarray, penalty: float, steps: int = 50) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method (the bias is not penalised)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    theta = np.zeros(design.shape[1])
    ridge = np.eye(design.shape[1]) * penalty
    ridge[-1, -1] = 0.0
    for _ in range(steps):
        p = _sigmoid(design @ theta)
        gradient = design.T @ (p - y) + ridge @ theta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + ridge + 1e-9 * np.eye(len(theta))
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


