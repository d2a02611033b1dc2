"""The answering service every front end calls: question in, cited Answer out."""

from __future__ import annotations

import re
import time
from typing import Sequence

from assistant.answer import Answer, compose, min_evidence_for
from assistant.errors import UsageError
from assistant.language import detect_language
from assistant.settings import Settings

MAX_QUESTION_CHARS = 2000
FOLLOW_UP = re.compile(
    r"^(?:and|what about|how about|also|et|quid|qu'en est-il|et pour|et les|et la|et le)\b",
    re.IGNORECASE,
)


class Assistant:
    """Holds the opened index and embedder, so repeated questions stay fast."""

    def __init__(self, settings: Settings) -> None:
        from assistant.embed import make_embedder
        from assistant.store import IndexStore

        self.settings = settings
        self.store = IndexStore(settings.data_dir)
        self.embedder = make_embedder(settings)
        self._retriever = None

    @property
    def retriever(self):  # type: ignore[no-untyped-def]
        """The LangChain retriever over the index version in use (opened once)."""
        if self._retriever is None:
            from assistant.retrieve import HybridRetriever, IndexReader

            reader = IndexReader(self.store, self.embedder.name)
            self._retriever = HybridRetriever(reader=reader, embedder=self.embedder, k=self.settings.k)
        return self._retriever

    def has_index(self) -> bool:
        return self.store.state() is not None

    def ask(self, question: str, history: Sequence[str] = (), k: int | None = None) -> Answer:
        """Answer ``question``; ``history`` holds earlier questions of the conversation."""
        from assistant.retrieve import from_document

        question = clean_question(question)
        started = time.perf_counter()
        search_text = standalone_question(question, history)
        lang = detect_language(question)
        retriever = self.retriever
        if k is not None:
            retriever = retriever.model_copy(update={"k": k})
        hits = [from_document(doc) for doc in retriever.invoke(search_text)]
        retrieved = time.perf_counter()
        threshold = self.settings.min_evidence
        if threshold is None:
            threshold = min_evidence_for(self.embedder.name)
        answer = compose(question, lang, hits, threshold, retriever.reader.keyword.idf)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return answer


def clean_question(question: str) -> str:
    """Strip control characters; reject empty or oversized questions with a clear message."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise UsageError('the question is empty; ask something, e.g. assistant ask "Quel est le quorum ?"')
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise UsageError(f"the question is {len(cleaned)} characters long; "
                         f"keep it under {MAX_QUESTION_CHARS}")
    return cleaned


def standalone_question(question: str, history: Sequence[str]) -> str:
    """Carry the previous question's subject into a short follow-up ("and the observers?")."""
    if not history:
        return question
    if FOLLOW_UP.match(question) or len(question.split()) <= 3:
        return f"{history[-1]} {question}"
    return question
