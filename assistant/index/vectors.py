"""The vector half of the index: one Chroma collection per index version.

We always pass our own embeddings: Chroma's default embedding function would
download a model, so collections are created with ``embedding_function=None``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from assistant.errors import IndexNotReadyError

if TYPE_CHECKING:
    import numpy as np

    from assistant.settings import ChromaServer

PREFIX = "chunks-"
STATE_COLLECTION = "assistant-state"
ADD_BATCH = 256
GET_PAGE = 1000


def open_client(data_dir: Path, server: ChromaServer | None = None):  # type: ignore[no-untyped-def]
    """A Chroma server client, or an embedded one persisted under ``data_dir/chroma``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if server is None:
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
    headers = {"Authorization": f"Bearer {server.auth_token}"} if server.auth_token else None
    try:
        client = chromadb.HttpClient(host=server.host, port=server.port, ssl=server.ssl,
                                     headers=headers, settings=settings)
        client.heartbeat()
    except Exception as exc:  # connection refused, TLS, auth: all mean "cannot use it"
        raise IndexNotReadyError(
            f"cannot reach the Chroma server at {server} ({type(exc).__name__}); "
            "start it (chroma run --path DIR --port N) or unset CHROMA_HOST"
        ) from None
    return client


class VectorCollection:
    """Vectors of one index version, keyed by chunk id."""

    def __init__(self, client, version: str, create: bool = False) -> None:  # type: ignore[no-untyped-def]
        name = PREFIX + version
        if create:
            self._collection = client.create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        else:
            try:
                self._collection = client.get_collection(name, embedding_function=None)
            except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
                raise IndexNotReadyError(
                    f"the vector collection {name} is missing ({exc}); run: assistant ingest --rebuild"
                ) from None

    def add(self, ids: Sequence[str], embeddings: np.ndarray, doc_keys: Sequence[str],
            documents: Sequence[str]) -> None:
        """Store vectors with each chunk's JSON as its document (what server-mode readers load)."""
        for start in range(0, len(ids), ADD_BATCH):
            end = start + ADD_BATCH
            self._collection.add(
                ids=list(ids[start:end]), embeddings=embeddings[start:end],
                metadatas=[{"doc_key": key} for key in doc_keys[start:end]],
                documents=list(documents[start:end]),
            )

    def documents(self) -> dict[str, str]:
        """Every stored document by id, fetched page by page."""
        found: dict[str, str] = {}
        while True:
            page = self._collection.get(include=["documents"], limit=GET_PAGE, offset=len(found))
            found.update(zip(page["ids"], page["documents"]))
            if len(page["ids"]) < GET_PAGE:
                return found

    def embeddings_of(self, doc_key: str) -> dict[str, np.ndarray]:
        """Stored vectors of one document, by chunk id (to reuse them unchanged)."""
        got = self._collection.get(where={"doc_key": doc_key}, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"]))

    def query(self, embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) pairs, best first."""
        k = min(k, self._collection.count())
        if k == 0:
            return []
        result = self._collection.query(query_embeddings=[embedding], n_results=k,
                                        include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(result["ids"][0], result["distances"][0])]


def versions(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Index versions that have a collection."""
    return [c.name[len(PREFIX):] for c in client.list_collections() if c.name.startswith(PREFIX)]


def drop(client, version: str) -> None:  # type: ignore[no-untyped-def]
    client.delete_collection(PREFIX + version)


def ephemeral_client():  # type: ignore[no-untyped-def]
    """An in-memory Chroma client (for the baseline pipeline)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


def read_state(client) -> str | None:  # type: ignore[no-untyped-def]
    """The shared state record (server mode), or None before the first ingest."""
    collection = client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
    got = collection.get(ids=["active"], include=["documents"])
    return got["documents"][0] if got["ids"] else None


def write_state(client, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the shared state record in one write: the atomic switch in server mode."""
    collection = client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
    collection.upsert(ids=["active"], documents=[text], embeddings=[[1.0]])
