"""Run the evaluation end to end: our pipeline, optionally the baseline, one result."""

from __future__ import annotations

from pathlib import Path

from assistant.quality.evaluate import (
    OurPipeline,
    Outcome,
    best_threshold,
    by_language,
    failures,
    fallback_reasons,
    run_pipeline,
    summarize,
)
from assistant.quality.golden import load_golden
from assistant.quality.sample import stratified_sample
from assistant.settings import Settings


def run_evaluation(settings: Settings, questions_path: Path, k: int, with_baseline: bool,
                   progress: bool = True, sample: int | None = None) -> tuple[dict, list[Outcome]]:
    """``{"n", "metrics", "by_lang", "baseline", "failures", "calibration", "fallbacks"}``
    and our outcomes; ``sample`` asks only a stratified subset of that many questions."""
    from assistant.answers.service import Assistant

    questions = load_golden(questions_path)
    if sample:
        questions = stratified_sample(questions, sample)
    assistant = Assistant(settings)
    if not assistant.has_index():
        from assistant.index.ingest import ingest

        ingest(settings, progress=progress)
    outcomes = run_pipeline(OurPipeline(assistant), questions, k, progress)
    threshold, balanced = best_threshold(outcomes)
    result = {
        "n": len(outcomes),
        "metrics": summarize(outcomes),
        "by_lang": by_language(outcomes),
        "baseline": _baseline(assistant, questions, k, progress) if with_baseline else None,
        "failures": failures(outcomes),
        "calibration": {"best_min_evidence": threshold, "balanced_accuracy": balanced},
        "fallbacks": fallback_reasons(outcomes),
    }
    return result, outcomes


def _baseline(assistant, questions, k: int, progress: bool) -> dict:  # type: ignore[no-untyped-def]
    """The tutorial pipeline over the same documents as our index."""
    from assistant.quality.baseline import BaselinePipeline

    pipeline = BaselinePipeline(indexed_entries(assistant.store))
    outcomes = run_pipeline(pipeline, questions, k, progress)
    return {"metrics": summarize(outcomes), "by_lang": by_language(outcomes),
            "chunks": pipeline.chunks, "failures": len(failures(outcomes))}


def indexed_entries(store) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The documents of the index in use, as manifest entries with their local files."""
    from assistant.corpus.manifest import DocumentEntry

    state = store.state()
    entries = []
    for key, record in state.documents.items():
        doc_id, lang = key.rsplit(":", 1)
        if record.path:
            entries.append(DocumentEntry(id=doc_id, title=record.title, lang=lang, kind=record.kind,
                                         path=Path(record.path)))
    return entries
