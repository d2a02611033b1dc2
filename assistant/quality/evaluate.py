"""``assistant eval``: run a pipeline over the golden set and measure it.

A pipeline answers one question and reports what it retrieved, whether it answered,
its answer and what it cited; this module turns those into metrics, overall and
per language, and lists the failures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from assistant.quality import metrics
from assistant.quality.golden import GoldenQuestion

Source = tuple[str, str]  # (doc_id, locator)


@dataclass
class Response:
    """What a pipeline produced for one question."""

    retrieved: list[Source]
    answered: bool
    answer: str
    cited: list[Source]
    confidence: float = 0.0  # how sure the pipeline was that the question is covered
    extra: dict = field(default_factory=dict)


@dataclass
class Outcome:
    question: GoldenQuestion
    response: Response
    latency_ms: float

    @property
    def rank(self) -> int | None:
        """1-based rank of the first acceptable source among those retrieved."""
        for rank, (doc_id, locator) in enumerate(self.response.retrieved, 1):
            if self.question.is_expected(doc_id, locator):
                return rank
        return None


class Pipeline(Protocol):
    name: str

    def run(self, question: str, k: int) -> Response: ...


def run_pipeline(pipeline: Pipeline, questions: list[GoldenQuestion], k: int,
                 progress: bool = True) -> list[Outcome]:
    """Ask every question (after one warm-up) and time each answer."""
    from tqdm import tqdm

    pipeline.run(questions[0].question, k)  # warm: models and index loaded
    outcomes = []
    for question in tqdm(questions, desc=f"Evaluating {pipeline.name}", unit="q", disable=not progress):
        started = time.perf_counter()
        response = pipeline.run(question.question, k)
        outcomes.append(Outcome(question, response, (time.perf_counter() - started) * 1000))
    return outcomes


def summarize(outcomes: Iterable[Outcome]) -> dict[str, float | None]:
    """All metrics over ``outcomes``."""
    outcomes = list(outcomes)
    answerable = [o for o in outcomes if o.question.answerable]
    ranks = [o.rank for o in answerable]
    cited_ok = [[o.question.is_expected(*src) for src in o.response.cited]
                for o in answerable if o.response.answered]
    cited_ok += [[False] * len(o.response.cited) for o in outcomes
                 if not o.question.answerable and o.response.answered]
    latencies = [o.latency_ms for o in outcomes]
    flags = [o.question.answerable for o in outcomes]
    done = [o.response.answered for o in outcomes]
    return {
        "n": len(outcomes),
        "hit_at_1": metrics.hit_at(1, ranks)[0],
        "hit_at_3": metrics.hit_at(3, ranks)[0],
        "hit_at_5": metrics.hit_at(5, ranks)[0],
        "mrr": metrics.mrr(ranks)[0],
        "citation_precision": metrics.citation_precision(cited_ok)[0],
        "keyword_recall": metrics.keyword_recall(
            [o.response.answered and o.question.keyword_found(o.response.answer) for o in answerable])[0],
        "refusal_accuracy": metrics.refusal_accuracy(flags, done)[0],
        "false_refusal_rate": metrics.false_refusal_rate(flags, done)[0],
        "faithfulness": _faithfulness(outcomes),
        "answer_chars": metrics.mean_length([o.response.answer for o in answerable if o.response.answered]),
        "fallback_share": _fallback_share(outcomes),
        "latency_ms_p50": metrics.percentile(latencies, 50),
        "latency_ms_p95": metrics.percentile(latencies, 95),
    }


def _faithfulness(outcomes: list[Outcome]) -> float | None:
    """Share of generated answer sentences whose facts all appear in the passages they cite.

    Sentences the citation guard dropped count as unfaithful; answers without the
    measure (the baseline) are skipped.
    """
    counts = [o.response.extra["faithful"] for o in outcomes
              if o.response.answered and "faithful" in o.response.extra]
    total = sum(n for _, n in counts)
    return sum(ok for ok, _ in counts) / total if total else None


def _fallback_share(outcomes: list[Outcome]) -> float | None:
    """Share of the answers asked of a model that showed the extractive answer instead."""
    modes = [o.response.extra["mode"] for o in outcomes
             if o.response.extra.get("mode") in ("llm", "extractive-fallback")]
    return modes.count("extractive-fallback") / len(modes) if modes else None


def fallback_reasons(outcomes: list[Outcome]) -> dict[str, int]:
    """How often each reason sent a model answer back to the extractive one."""
    reasons = [o.response.extra.get("fallback") for o in outcomes]
    return {reason: reasons.count(reason) for reason in sorted({r for r in reasons if r})}


def by_language(outcomes: list[Outcome]) -> dict[str, dict[str, float | None]]:
    langs = sorted({o.question.lang for o in outcomes})
    return {lang: summarize(o for o in outcomes if o.question.lang == lang) for lang in langs}


def by_class(outcomes: list[Outcome]) -> dict[str, dict[str, float | None]]:
    """Metrics per question class, and per class and language (``near-miss/fr``)."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.question.kind, []).append(o)
        groups.setdefault(f"{o.question.kind}/{o.question.lang}", []).append(o)
    return {name: summarize(groups[name]) for name in sorted(groups)}


def failures(outcomes: list[Outcome]) -> list[dict[str, str]]:
    """Each question that went wrong, with why (one reason, the most basic first)."""
    found = []
    for outcome in outcomes:
        why = _why(outcome)
        if why:
            found.append({"id": outcome.question.id, "why": why})
    return found


def _why(outcome: Outcome) -> str | None:
    q, r = outcome.question, outcome.response
    if not q.answerable:
        return "answered an out-of-scope question" if r.answered else None
    if outcome.rank is None:
        got = ", ".join(f"{d}#{loc}" for d, loc in r.retrieved[:5])
        return f"expected source not retrieved (wanted {', '.join(q.expected_sources)}; got {got})"
    if not r.answered:
        return f"refused an answerable question (confidence {r.confidence:.3f})"
    wrong = [f"{d}#{loc}" for d, loc in r.cited if not q.is_expected(d, loc)]
    if wrong:
        return f"cites {', '.join(wrong)} (wanted {', '.join(q.expected_sources)})"
    if not q.keyword_found(r.answer):
        return f"answer lacks all of: {', '.join(q.expected_keywords)}"
    return None


class OurPipeline:
    """The product: hybrid retrieval and the configured answerer, via the service."""

    name = "assistant"

    def __init__(self, assistant) -> None:  # type: ignore[no-untyped-def]
        self.assistant = assistant

    def run(self, question: str, k: int) -> Response:
        from assistant.answers.retriever import from_document

        answer = self.assistant.ask(question, k=k)
        ranking = self.assistant.retriever.model_copy(update={"k": max(k, 5)}).invoke(question)
        hits = [from_document(doc) for doc in ranking]
        return Response(
            retrieved=[(h.chunk.doc_id, h.chunk.locator) for h in hits],
            answered=answer.answered, answer=answer.answer,
            cited=[(c.doc_id, c.locator) for c in answer.citations] if answer.answered else [],
            confidence=answer.confidence or 0.0,
            extra={"faithful": _faithful_counts(answer, hits, self.assistant.searcher.reader), "mode": answer.mode,
                   "fallback": answer.fallback},
        )


def _faithful_counts(answer, hits, reader) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """(faithful sentences, sentences generated) for one answer, by the citation guard's rules.

    A generated sentence that cites nothing counts against; in an extractive answer it is a
    note of ours ("From a source in another language"), not a claim, and is left out.
    """
    from assistant.answers.generate import passage_text
    from assistant.answers.guard import citations, faithfulness, split_answer
    from assistant.answers.retrieve import Hit

    by_source = {(h.chunk.doc_id, h.chunk.locator, h.chunk.lang): h for h in hits}
    passages = [""] * max((c.n for c in answer.citations), default=0)
    for citation in answer.citations:
        key = (citation.doc_id, citation.locator, citation.lang)
        whole = reader.whole(reader.by_provision[key]) if key in reader.by_provision else None
        hit = by_source.get(key) or (Hit(whole, 0.0, 0.0) if whole else None)
        passages[citation.n - 1] = passage_text(hit) if hit else citation.snippet
    kept = split_answer(answer.answer)
    if answer.mode != "llm":
        kept = [sentence for sentence in kept if citations(sentence)]
    _, per_sentence = faithfulness(kept, passages)
    return sum(per_sentence), len(kept) + len(answer.dropped)
