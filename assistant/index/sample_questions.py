"""Embed the sample questions of the indexed documents into a version's ``questions-`` collection.

Each is embedded as a query (a question meets a question), keyed by a hash of its provision
and text, so an unchanged question reuses its vector from the version in use.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from assistant.corpus.chunks import Chunk
from assistant.corpus.questions import SampleQuestion
from assistant.index.embed import BATCH

if TYPE_CHECKING:
    from assistant.index.embed import Embedder
    from assistant.index.state import IndexState
    from assistant.index.store import IndexStore


def embed_questions(store: IndexStore, version: str, questions: list[SampleQuestion], chunks: list[Chunk],
                    old: IndexState | None, embedder: Embedder, progress: bool) -> int:
    """Write the vectors of the questions whose provision was indexed; how many were embedded anew."""
    import numpy as np
    from tqdm import tqdm

    from assistant.index.vectors import QUESTIONS, VectorCollection

    indexed = {f"{c.doc_id}#{c.locator}" for c in chunks}
    keyed = {_key(q): q for q in questions if q.provision in indexed}
    vectors = _previous(store, old)
    vectors = {key: vectors[key] for key in keyed if key in vectors}
    todo = [key for key in keyed if key not in vectors]
    with tqdm(total=len(todo), desc="Embedding sample questions", unit="question",
              disable=not progress or not todo) as bar:
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            vectors.update(zip(batch, embedder.embed_queries([keyed[key].text for key in batch])))
            bar.update(len(batch))
    if keyed:
        ids = list(keyed)
        collection = VectorCollection(store.client, version, create=True, prefix=QUESTIONS)
        collection.add_questions(ids, np.array([vectors[key] for key in ids]),
                                 [keyed[key].provision for key in ids], [keyed[key].text for key in ids])
    return len(todo)


def _key(question: SampleQuestion) -> str:
    return hashlib.sha256(f"{question.provision}\0{question.text}".encode()).hexdigest()[:24]


def _previous(store: IndexStore, old: IndexState | None) -> dict:  # type: ignore[type-arg]
    from assistant.index.vectors import QUESTIONS, VectorCollection, versions

    if old is None or old.version not in versions(store.client, QUESTIONS):
        return {}
    return VectorCollection(store.client, old.version, prefix=QUESTIONS).all_embeddings()
