"""The vector half of the index: one Chroma collection per index version.

We always pass our own embeddings: Chroma's default embedding function would
download a model, so collections are created with ``embedding_function=None``.
In server mode the ``assistant-state`` collection also holds the shared state record
(``active``) and the writers' leases (``lease:…``). A lost connection to the server
becomes one line saying so (``failures.server_calls``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from assistant.errors import IndexNotReadyError
from assistant.index.failures import damaged, disk_full, server_calls, server_gone, unreachable

if TYPE_CHECKING:
    import numpy as np

    from assistant.corpus.questions import SampleQuestion
    from assistant.settings import ChromaServer

PREFIX = "chunks-"
QUESTIONS = "questions-"  # the sample questions' vectors of a version (``corpus.questions``)
STATE_COLLECTION = "assistant-state"
ACTIVE = "active"
ADD_BATCH = 256
GET_PAGE = 1000
_OPENING = threading.Lock()


def open_client(data_dir: Path, server: ChromaServer | None = None):  # type: ignore[no-untyped-def]
    """A Chroma server client, or an embedded one persisted under ``data_dir/chroma``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if server is None:
        return _embedded(data_dir / "chroma", settings)
    headers = {"Authorization": f"Bearer {server.auth_token}"} if server.auth_token else None
    try:
        client = chromadb.HttpClient(host=server.host, port=server.port, ssl=server.ssl,
                                     headers=headers, settings=settings)
        client.heartbeat()
    except Exception as exc:  # connection refused, TLS, auth: all mean "cannot use it"
        raise server_gone(str(server), exc) from None
    return client


def _embedded(folder: Path, settings):  # type: ignore[no-untyped-def]
    import chromadb

    try:
        with _OPENING:  # two threads opening one folder at once break Chroma's shared system
            return chromadb.PersistentClient(path=str(folder), settings=settings)
    except Exception as exc:  # Chroma reports SQLite trouble as its own InternalError
        if disk_full(exc):
            raise IndexNotReadyError(f"the disk holding {folder} is full: free space, then try again") from None
        if damaged(exc):
            raise IndexNotReadyError(f"{folder / 'chroma.sqlite3'} is not a database ({exc}); "
                                     "run: assistant ingest --rebuild") from None
        raise IndexNotReadyError(f"cannot open the index in {folder} ({exc}); move that folder aside "
                                 "and run: assistant ingest --rebuild") from None


def where(client) -> str:  # type: ignore[no-untyped-def]
    """The server a client talks to, for messages (no token)."""
    settings = client.get_settings()
    scheme = "https" if settings.chroma_server_ssl_enabled else "http"
    return f"{scheme}://{settings.chroma_server_host}:{settings.chroma_server_http_port}"


class VectorCollection:
    """Vectors of one index version, keyed by chunk id (or of its sample questions: ``prefix=QUESTIONS``)."""

    def __init__(self, client, version: str, create: bool = False,  # type: ignore[no-untyped-def]
                 prefix: str = PREFIX) -> None:
        name = prefix + version
        self._where = where(client)
        with server_calls(self._where):
            if create:
                self._collection = client.create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
                return
            try:
                self._collection = client.get_collection(name, embedding_function=None)
            except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
                if unreachable(exc):
                    raise
                raise IndexNotReadyError(
                    f"the vector collection {name} is missing ({exc}); run: assistant ingest --rebuild"
                ) from None

    def add(self, ids: Sequence[str], embeddings: np.ndarray, doc_keys: Sequence[str],
            documents: Sequence[str]) -> None:
        """Store vectors with each chunk's JSON as its document (what server-mode readers load)."""
        for start in range(0, len(ids), ADD_BATCH):
            end = start + ADD_BATCH
            with server_calls(self._where):
                self._collection.add(
                    ids=list(ids[start:end]), embeddings=embeddings[start:end],
                    metadatas=[{"doc_key": key} for key in doc_keys[start:end]],
                    documents=list(documents[start:end]),
                )

    def add_questions(self, ids: Sequence[str], embeddings: np.ndarray, questions: Sequence[SampleQuestion]) -> None:
        """Store sample questions' vectors, each with its text, language and the provision it is answered from."""
        for start in range(0, len(ids), ADD_BATCH):
            end = start + ADD_BATCH
            batch = questions[start:end]
            with server_calls(self._where):
                self._collection.add(ids=list(ids[start:end]), embeddings=embeddings[start:end],
                                     metadatas=[{"provision": q.provision, "lang": q.lang} for q in batch],
                                     documents=[q.text for q in batch])

    def questions(self) -> tuple[list[str], list[str], np.ndarray]:
        """Every stored sample question: (ids, provisions, vectors)."""
        import numpy as np

        with server_calls(self._where):
            got = self._collection.get(include=["embeddings", "metadatas"])
        return list(got["ids"]), [m["provision"] for m in got["metadatas"]], np.array(got["embeddings"])

    def sample_questions(self) -> list[SampleQuestion]:
        """Every stored sample question's provision, language and text; none from a version stored
        without their languages (its keyword index was built without them)."""
        from assistant.corpus.questions import SampleQuestion

        with server_calls(self._where):
            got = self._collection.get(include=["metadatas", "documents"])
        if not all("lang" in m for m in got["metadatas"]):
            return []
        return [SampleQuestion(m["provision"], m["lang"], text) for m, text in zip(got["metadatas"], got["documents"])]

    def count(self) -> int:
        with server_calls(self._where):
            return int(self._collection.count())

    def documents(self) -> dict[str, str]:
        """Every stored document by id, fetched page by page."""
        found: dict[str, str] = {}
        while True:
            with server_calls(self._where):
                page = self._collection.get(include=["documents"], limit=GET_PAGE, offset=len(found))
            found.update(zip(page["ids"], page["documents"]))
            if len(page["ids"]) < GET_PAGE:
                return found

    def embeddings_of(self, doc_key: str) -> dict[str, np.ndarray]:
        """Stored vectors of one document, by chunk id (to reuse them unchanged)."""
        with server_calls(self._where):
            got = self._collection.get(where={"doc_key": doc_key}, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"]))

    def query(self, embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) pairs, best first."""
        with server_calls(self._where):
            k = min(k, self._collection.count())
            if k == 0:
                return []
            result = self._collection.query(query_embeddings=[embedding], n_results=k,
                                            include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(result["ids"][0], result["distances"][0])]


def versions(client, prefix: str = PREFIX) -> list[str]:  # type: ignore[no-untyped-def]
    """Index versions that have a collection (of chunks, or of sample questions)."""
    with server_calls(where(client)):
        names = [c.name for c in client.list_collections()]
    return [name[len(prefix):] for name in names if name.startswith(prefix)]


def drop(client, version: str) -> None:  # type: ignore[no-untyped-def]
    """Remove a version's collections."""
    with server_calls(where(client)):
        names = {c.name for c in client.list_collections()}
        for name in (PREFIX + version, QUESTIONS + version):
            if name in names:
                client.delete_collection(name)


def ephemeral_client():  # type: ignore[no-untyped-def]
    """An in-memory Chroma client (for the baseline pipeline)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


def read_records(client, prefix: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Records of the state collection whose id starts with ``prefix``, by id."""
    with server_calls(where(client)):
        collection = client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
        got = collection.get(include=["documents"])
    return {rid: doc for rid, doc in zip(got["ids"], got["documents"]) if rid.startswith(prefix)}


def write_record(client, record_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Create or replace one record of the state collection, in one write."""
    with server_calls(where(client)):
        collection = client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
        collection.upsert(ids=[record_id], documents=[text], embeddings=[[1.0]])


def delete_record(client, record_id: str) -> None:  # type: ignore[no-untyped-def]
    with server_calls(where(client)):
        client.get_or_create_collection(STATE_COLLECTION, embedding_function=None).delete(ids=[record_id])


def read_state(client) -> str | None:  # type: ignore[no-untyped-def]
    """The shared state record (server mode), or None before the first ingest."""
    with server_calls(where(client)):
        collection = client.get_or_create_collection(STATE_COLLECTION, embedding_function=None)
        got = collection.get(ids=[ACTIVE], include=["documents"])
    return got["documents"][0] if got["ids"] else None


def write_state(client, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the shared state record in one write: the atomic switch in server mode."""
    write_record(client, ACTIVE, text)
