"""Embed the sample questions of the indexed documents for a new index version.

Each is embedded as a query (a question meets a question), keyed by a hash of its provision
and text, so an unchanged question reuses its vector from the version in use. The vectors go
to the version's ``questions-`` collection (what server-mode replicas read) and, through
``store.write_questions``, beside its chunks, where a reader finds them without a query.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from assistant.corpus.chunks import Chunk
from assistant.corpus.questions import SampleQuestion
from assistant.index.embed import BATCH

if TYPE_CHECKING:
    import numpy as np

    from assistant.index.embed import Embedder
    from assistant.index.state import IndexState
    from assistant.index.store import IndexStore

Embedded = tuple[list[str], list[str], "np.ndarray"]  # ids, provisions, vectors


def embed_questions(store: IndexStore, version: str, questions: list[SampleQuestion], chunks: list[Chunk],
                    old: IndexState | None, embedder: Embedder, progress: bool) -> tuple[Embedded, int]:
    """The vectors of the questions whose provision was indexed, stored in the version's
    collection; and how many were embedded anew."""
    import numpy as np
    from tqdm import tqdm

    from assistant.index.vectors import QUESTIONS, VectorCollection

    indexed = {f"{c.doc_id}#{c.locator}" for c in chunks}
    keyed = {_key(q): q for q in questions if q.provision in indexed}
    vectors = {key: vector for key, vector in _previous(store, old).items() if key in keyed}
    todo = [key for key in keyed if key not in vectors]
    with tqdm(total=len(todo), desc="Embedding sample questions", unit="question",
              disable=not progress or not todo) as bar:
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            vectors.update(zip(batch, embedder.embed_queries([keyed[key].text for key in batch])))
            bar.update(len(batch))
    ids = list(keyed)
    embedded = (ids, [keyed[key].provision for key in ids], np.array([vectors[key] for key in ids]))
    if ids:
        VectorCollection(store.client, version, create=True, prefix=QUESTIONS).add_questions(
            ids, embedded[2], embedded[1], [keyed[key].text for key in ids])
    return embedded, len(todo)


def _key(question: SampleQuestion) -> str:
    return hashlib.sha256(f"{question.provision}\0{question.text}".encode()).hexdigest()[:24]


def _previous(store: IndexStore, old: IndexState | None) -> dict:  # type: ignore[type-arg]
    """The vectors of the version in use by id; none if it has none or they cannot be read."""
    from assistant.errors import IndexNotReadyError

    try:
        found = store.read_questions(old.version) if old else None
    except IndexNotReadyError:
        return {}
    return dict(zip(found[0], found[2])) if found else {}
