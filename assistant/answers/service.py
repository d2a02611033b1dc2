"""The answering service every front end calls: question in, cited Answer out."""

from __future__ import annotations

import re
import time
from typing import Callable, Sequence

from assistant.answers.answer import Answer
from assistant.answers.decision import decide
from assistant.answers.extractive import choose, compose
from assistant.corpus.language import question_language
from assistant.errors import UsageError
from assistant.settings import Settings

MAX_QUESTION_CHARS = 2000
MARKUP = re.compile(r"<[^<>\n]{1,200}>")
FOLLOW_UP = re.compile(
    r"^(?:and|what about|how about|also|et|quid|qu'en est-il|et pour|et les|et la|et le)\b",
    re.IGNORECASE,
)


class Assistant:
    """Holds the opened index and embedder, so repeated questions stay fast."""

    def __init__(self, settings: Settings) -> None:
        from assistant.answers.glossary import Glossary
        from assistant.index.embed import make_embedder
        from assistant.index.store import IndexStore

        self.settings = settings
        self.store = IndexStore.for_settings(settings)
        self.embedder = make_embedder(settings)
        self.glossary = Glossary.load(settings.knowledge_dir)
        self._searcher = None
        self._llm = None
        self._refusal = None

    @property
    def searcher(self):  # type: ignore[no-untyped-def]
        """The hybrid search over the index version in use, reopened after an ingest."""
        state = self.store.state()
        current = self._searcher
        if current is None or state is None or current.reader.version != state.version:
            from assistant.answers.retrieve import Searcher
            from assistant.index.reader import IndexReader

            reader = IndexReader(self.store, self.embedder.name, state)
            self._searcher = Searcher(reader, self.embedder, self.glossary)
        return self._searcher

    @property
    def retriever(self):  # type: ignore[no-untyped-def]
        """The same search as a LangChain retriever (for chains; imports LangChain)."""
        from assistant.answers.retriever import HybridRetriever

        return HybridRetriever(searcher=self.searcher, k=self.settings.k)

    @property
    def llm(self):  # type: ignore[no-untyped-def]
        """The configured chat model (built once), or None in extractive mode."""
        if self._llm is None and self.settings.llm:
            from assistant.answers.llm import chat_model

            self._llm = chat_model(self.settings)
        return self._llm

    @property
    def refusal(self):  # type: ignore[no-untyped-def]
        """The refusal model of the embedding backend, its threshold overridable by settings."""
        if self._refusal is None:
            from dataclasses import replace

            from assistant.answers import models
            from assistant.answers.decision import RefusalModel

            model = RefusalModel.from_dict(models.load(self.embedder.name, "refusal"))
            if self.settings.min_confidence is not None:
                model = replace(model, threshold=self.settings.min_confidence)
            self._refusal = model
        return self._refusal

    def provision(self, name: str, lang: str | None = None) -> list:  # type: ignore[type-arg]
        """The chunks of one provision (``rule-41``, ``guide-rules#rule-41``, "art. 32(3)")."""
        from assistant.answers.provisions import find_provision

        return find_provision(self.searcher.reader, name, lang)

    def has_index(self) -> bool:
        return self.store.state() is not None

    def ask(self, question: str, history: Sequence[str] = (), k: int | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer ``question``; ``history`` holds earlier questions of the conversation.

        With an LLM configured, ``on_token`` receives the answer text as it is generated;
        the returned Answer holds the checked text, which replaces it where they differ.
        """
        question = clean_question(question)
        started = time.perf_counter()
        search_text = self._standalone(question, history)
        lang = question_language(question)
        searcher, found = self._retrieve(search_text, lang, k)
        hits = found.hits
        retrieved = time.perf_counter()
        keyword = searcher.reader.keyword
        sentences = choose(found, keyword.idf)
        verdict = decide(found, sentences, self.refusal, keyword.idf, keyword.has_term)
        answer = compose(question, lang, found, verdict, keyword.idf, self.settings.answer_unit, sentences)
        if self.settings.llm:
            from assistant.answers.generate import generate

            answer = generate(question, lang, hits, answer, self.llm, standalone=search_text, on_token=on_token,
                              style=self.settings.llm_prompt)
        done = time.perf_counter()
        answer.expanded = found.understanding.expanded()
        answer.confidence = round(verdict.probability, 3)
        answer.timings_ms = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return answer

    def _retrieve(self, text: str, lang: str, k: int | None):  # type: ignore[no-untyped-def]
        """(searcher, Retrieval); if an ingest removed our version mid-question, reopen and retry once."""
        for attempt in (1, 2):
            searcher = self.searcher
            try:
                return searcher, searcher.search(text, lang, k or self.settings.k)
            except Exception:  # chromadb raises its own NotFoundError for a dropped version
                if attempt == 2:
                    raise
                self._searcher = None
        raise AssertionError("unreachable")

    def _standalone(self, question: str, history: Sequence[str]) -> str:
        """The follow-up rewritten by the LLM when there is one, else by carrying the subject."""
        if self.settings.llm and history:
            from assistant.answers.generate import condense

            rewritten = condense(self.llm, question, history)
            if rewritten:
                return rewritten
        return standalone_question(question, history)


def clean_question(question: str) -> str:
    """Strip control characters; reject empty or oversized questions with a clear message."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question)
    cleaned = MARKUP.sub(" ", cleaned)  # <!channel>, <@U123>, <b>: never searched, never echoed
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
