"""One index version opened for reading: its chunks, keyword index and vectors."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.corpus.chunks import Chunk
from assistant.errors import IndexNotReadyError

if TYPE_CHECKING:
    import numpy as np

    from assistant.index.store import IndexState, IndexStore


class IndexReader:
    """One index version, opened once: chunks, keyword index and vectors."""

    def __init__(self, store: IndexStore, embedding: str, state: IndexState | None) -> None:
        from assistant.index.vectors import VectorCollection

        if state is None:
            raise IndexNotReadyError("there is no index yet; run: assistant ingest")
        if state.embedding != embedding:
            raise IndexNotReadyError(
                f"the index was built with {state.embedding} embeddings, but {embedding} is "
                "configured; run: assistant ingest (it re-embeds everything)"
            )
        self.version = state.version
        self.chunks = store.read_chunks(state.version)
        self.keyword = store.keyword_index(state.version)
        self.vectors = VectorCollection(store.client, state.version)
        self._store = store
        self._questions: tuple[list[str], list[str], np.ndarray] | None = None
        self._questions_read = False
        self.position = {chunk.id: n for n, chunk in enumerate(self.chunks)}
        self._parts: dict[tuple[str, str, str], list[Chunk]] = {}
        for chunk in self.chunks:
            self._parts.setdefault((chunk.doc_id, chunk.locator, chunk.lang), []).append(chunk)
        self.by_provision = {key: parts[0] for key, parts in self._parts.items()}  # its first chunk
        self.provision_position: dict[str, int] = {}  # "guide-rules#rule-10": its first chunk, any language
        for n, chunk in enumerate(self.chunks):
            self.provision_position.setdefault(chunk.provision, n)

    def nearest_questions(self, embedding, k: int) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        """(provision, similarity) of the ``k`` sample questions closest to a question; none in an
        index built without them."""
        if not self._questions_read:
            self._questions, self._questions_read = self._readable_questions(), True
        if self._questions is None or self._questions[2].shape[1] != len(embedding):
            return []
        _, provisions, vectors = self._questions
        similarity = vectors @ embedding
        return [(provisions[i], float(similarity[i])) for i in similarity.argsort()[::-1][:k]]

    def _readable_questions(self) -> tuple[list[str], list[str], np.ndarray] | None:
        """The sample questions, or None with a warning when their files are damaged (answers go on)."""
        try:
            return self._store.read_questions(self.version)
        except IndexNotReadyError as exc:
            print(f"warning: sample questions not used: {exc}", file=sys.stderr)
            return None

    def whole(self, chunk: Chunk) -> Chunk:
        """``chunk`` with the text of its whole provision: a long article is indexed as several
        chunks, and the sentence that answers may be in another one than the one that matched."""
        parts = self._parts.get((chunk.doc_id, chunk.locator, chunk.lang), [chunk])
        if len(parts) == 1:
            return chunk
        return replace(chunk, text="\n\n".join(part.text for part in parts))
