"""Run the evaluation end to end: our pipeline on each question set, optionally the baseline."""

from __future__ import annotations

from pathlib import Path

from assistant.quality.evaluate import (
    OurPipeline,
    Outcome,
    by_class,
    by_language,
    failures,
    fallback_reasons,
    run_pipeline,
    summarize,
)
from assistant.quality.golden import load_golden
from assistant.quality.sample import stratified_sample
from assistant.settings import Settings


def run_evaluation(settings: Settings, question_files: list[Path], k: int, with_baseline: bool,
                   progress: bool = True, sample: int | None = None) -> tuple[dict, list[Outcome]]:
    """Measure each question file; the last one is the gated set.

    Returns ``{"sets": {name: summary}, "gated": name}`` plus the gated set's summary at the top
    (``n``, ``metrics``, ``by_lang``, ``by_class``, ``baseline``, ``failures``, ``fallbacks``),
    and the gated set's outcomes. ``sample`` asks only a stratified subset of that many
    questions of each file.
    """
    from assistant.answers.service import Assistant

    assistant = Assistant(settings)
    if not assistant.has_index():
        from assistant.index.ingest import ingest

        ingest(settings, progress=progress)
    sets, outcomes = {}, []
    for path in question_files:
        questions = load_golden(path)
        if sample:
            questions = stratified_sample(questions, sample)
        outcomes = run_pipeline(OurPipeline(assistant), questions, k, progress)
        sets[path.stem] = _summary(outcomes)
    gated = question_files[-1].stem
    result = {"sets": sets, "gated": gated, **sets[gated]}
    if with_baseline:
        result["baseline"] = _baseline(assistant, questions, k, progress)
    return result, outcomes


def _summary(outcomes: list[Outcome]) -> dict:
    return {
        "n": len(outcomes),
        "metrics": summarize(outcomes),
        "by_lang": by_language(outcomes),
        "by_class": by_class(outcomes),
        "baseline": None,
        "failures": failures(outcomes),
        "fallbacks": fallback_reasons(outcomes),
    }


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
