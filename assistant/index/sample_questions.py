"""Embed the sample questions of the indexed documents for a new index version.

Each is embedded as a query (a question meets a question), keyed by a hash of its provision,
language and text, so an unchanged question reuses its vector from the version in use. The vectors
go, through ``store.write_questions``, beside its chunks, where a reader finds them without a query,
and in server mode to the version's ``questions-`` collection, which replicas copy from (with each
question's text and language, which their keyword index is built with).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.corpus.chunks import Chunk
from assistant.corpus.questions import FOLDER, SampleQuestion
from assistant.index.embed import BATCH

if TYPE_CHECKING:
    import numpy as np

    from assistant.index.embed import Embedder
    from assistant.index.state import IndexState
    from assistant.index.store import IndexStore

Embedded = tuple[list[str], list[str], "np.ndarray"]  # ids, provisions, vectors


def unknown_sections(questions: list[SampleQuestion], chunks: list[Chunk], knowledge_dir: Path,
                     ) -> list[tuple[str, str]]:
    """(file, reason) for each section sample questions name that no chunk is ("rule-1O")."""
    indexed = {c.provision for c in chunks}
    unknown = sorted({q.provision for q in questions} - indexed)
    return [(str(knowledge_dir / FOLDER / f"{doc_id}.toml"),
             f"no section {locator!r} in {doc_id}; its sample questions are left out")
            for doc_id, _, locator in (provision.partition("#") for provision in unknown)]


def embed_questions(store: IndexStore, version: str, questions: list[SampleQuestion], chunks: list[Chunk],
                    old: IndexState | None, embedder: Embedder, progress: bool) -> tuple[Embedded, int]:
    """The vectors of the questions whose provision was indexed, stored in the version's
    collection; and how many were embedded anew."""
    import numpy as np
    from tqdm import tqdm

    from assistant.index.vectors import QUESTIONS, VectorCollection

    indexed = {c.provision for c in chunks}
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
    if ids and store.server:  # replicas read them there; on one machine the version's folder is enough
        VectorCollection(store.client, version, create=True, prefix=QUESTIONS).add_questions(
            ids, embedded[2], [keyed[key] for key in ids])
    return embedded, len(todo)


def _key(question: SampleQuestion) -> str:
    return hashlib.sha256(f"{question.provision}\0{question.lang}\0{question.text}".encode()).hexdigest()[:24]


def _previous(store: IndexStore, old: IndexState | None) -> dict:  # type: ignore[type-arg]
    """The vectors of the version in use by id; none if it has none or they cannot be read."""
    from assistant.errors import IndexNotReadyError

    try:
        found = store.read_questions(old.version) if old else None
    except IndexNotReadyError:
        return {}
    return dict(zip(found[0], found[2])) if found else {}
