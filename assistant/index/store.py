"""Index versions and the atomic switch between them.

Layout of the data directory::

    state.json               the version in use, its embedding backend, its documents
    chroma/                  Chroma's files: one collection per version (embedded mode)
    versions/<v>/chunks.jsonl  chunk texts and metadata, in keyword-index order
    versions/<v>/keyword/    the BM25 index
    ingest.lock              held by the one writer on this machine

An ingest writes a whole new version, then replaces ``state.json`` in one
``os.replace``: readers see the old version or the new one, never a mix.

In server mode (``CHROMA_HOST``) the state is one record in the server's
``assistant-state`` collection, replaced in one write; each chunk's JSON is stored
with its vector, and ``versions/<v>/`` becomes a local cache that any replica
rebuilds from the server, so the keyword index always follows the collection version.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from assistant.corpus.chunks import Chunk
from assistant.errors import IndexNotReadyError
from assistant.index.keyword import KeywordIndex

if TYPE_CHECKING:
    from assistant.settings import ChromaServer, Settings

STATE = "state.json"


@dataclass
class DocumentRecord:
    """What the index holds of one document version."""

    hash: str
    chunks: int
    title: str
    path: str | None = None
    local: bool = False
    kind: str = "document"


@dataclass
class IndexState:
    version: str
    embedding: str
    documents: dict[str, DocumentRecord] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> IndexState:
        docs = {key: DocumentRecord(**rec) for key, rec in data.get("documents", {}).items()}
        return cls(version=data["version"], embedding=data["embedding"], documents=docs)


class IndexStore:
    """The index: read the version in use, write new ones, clean up."""

    def __init__(self, data_dir: Path, server: ChromaServer | None = None) -> None:
        self.data_dir = data_dir
        self.server = server
        self._client = None

    @classmethod
    def for_settings(cls, settings: Settings) -> IndexStore:
        return cls(settings.data_dir, settings.chroma_server)

    @property
    def client(self):  # type: ignore[no-untyped-def]
        if self._client is None:
            from assistant.index.vectors import open_client

            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._client = open_client(self.data_dir, self.server)
        return self._client

    def state(self) -> IndexState | None:
        """The version in use, or None when nothing was ever indexed."""
        if self.server:
            from assistant.index.vectors import read_state

            text, where = read_state(self.client), f"the state record on {self.server}"
        else:
            path = self.data_dir / STATE
            text, where = (path.read_text(encoding="utf-8") if path.exists() else None), str(path)
        if text is None:
            return None
        try:
            return IndexState.from_json(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexNotReadyError(f"{where} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def version_dir(self, version: str) -> Path:
        return self.data_dir / "versions" / version

    def write_version(self, version: str, chunks: list[Chunk]) -> None:
        """Write the chunk file and the keyword index of a version (a local cache in server mode)."""
        folder = self.version_dir(version)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        texts = [f"{c.heading}\n{c.embed_text}" for c in chunks]  # headings count twice
        KeywordIndex.build(texts, [c.lang for c in chunks]).save(tmp / "keyword")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)

    def read_chunks(self, version: str) -> list[Chunk]:
        """The chunks of a version, in keyword-index order."""
        path = self.version_dir(version) / "chunks.jsonl"
        if not path.exists() and self.server:
            self._fetch_version(version)
        try:
            with open(path, encoding="utf-8") as lines:
                return [Chunk.from_dict(json.loads(line)) for line in lines]
        except (OSError, ValueError, TypeError) as exc:
            raise IndexNotReadyError(f"{path} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def keyword_index(self, version: str) -> KeywordIndex:
        folder = self.version_dir(version) / "keyword"
        if not folder.exists() and self.server:
            self._fetch_version(version)
        try:
            return KeywordIndex.load(folder)
        except (OSError, ValueError) as exc:
            raise IndexNotReadyError(f"{folder} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def _fetch_version(self, version: str) -> None:
        """Rebuild the local cache of a version from the chunks stored on the server."""
        from assistant.index.vectors import VectorCollection

        documents = VectorCollection(self.client, version).documents()
        chunks = [Chunk.from_dict(json.loads(documents[cid])) for cid in sorted(documents)]
        self.write_version(version, chunks)

    def activate(self, state: IndexState) -> None:
        """Switch readers to ``state.version`` in one atomic step."""
        text = json.dumps(asdict(state), ensure_ascii=False, indent=1)
        if self.server:
            from assistant.index.vectors import write_state

            write_state(self.client, text)
            return
        tmp = self.data_dir / f"{STATE}.tmp"
        tmp.write_text(text, encoding="utf-8")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self.data_dir / STATE)

    def clean_up(self, keep: set[str]) -> None:
        """Remove versions not in ``keep``: old ones and debris of crashed ingests."""
        from assistant.index import vectors

        for version in vectors.versions(self.client):
            if version not in keep:
                vectors.drop(self.client, version)
        folder = self.data_dir / "versions"
        for path in folder.iterdir() if folder.exists() else []:
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Only one ingest at a time; a second one waits and says who holds the lock."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "ingest.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                print(f"waiting: an ingest is already running (pid {holder})", file=sys.stderr)
                fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
