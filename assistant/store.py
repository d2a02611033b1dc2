"""Index versions on disk and the atomic switch between them.

Layout of the data directory::

    state.json               the version in use, its embedding backend, its documents
    chroma/                  Chroma's files: one collection per version
    versions/<v>/chunks.jsonl  chunk texts and metadata, in keyword-index order
    versions/<v>/keyword/    the BM25 index
    ingest.lock              held by the one writer

An ingest writes a whole new version, then replaces ``state.json`` in one
``os.replace``: readers see the old version or the new one, never a mix.
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
from typing import Iterator

from assistant.chunks import Chunk
from assistant.errors import IndexNotReadyError
from assistant.keyword import KeywordIndex

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
    """The data directory: read the version in use, write new ones, clean up."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._client = None

    @property
    def client(self):  # type: ignore[no-untyped-def]
        if self._client is None:
            from assistant.vectors import open_client

            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._client = open_client(self.data_dir)
        return self._client

    def state(self) -> IndexState | None:
        """The version in use, or None when nothing was ever indexed."""
        path = self.data_dir / STATE
        try:
            return IndexState.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexNotReadyError(
                f"{path} is unreadable ({exc}); run: assistant ingest --rebuild"
            ) from None

    def version_dir(self, version: str) -> Path:
        return self.data_dir / "versions" / version

    def write_version(self, version: str, chunks: list[Chunk]) -> None:
        """Write the chunk file and the keyword index of a new version."""
        folder = self.version_dir(version)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        texts = [f"{c.heading}\n{c.embed_text}" for c in chunks]  # headings count twice
        KeywordIndex.build(texts, [c.lang for c in chunks]).save(folder / "keyword")

    def read_chunks(self, version: str) -> list[Chunk]:
        path = self.version_dir(version) / "chunks.jsonl"
        try:
            with open(path, encoding="utf-8") as lines:
                return [Chunk.from_dict(json.loads(line)) for line in lines]
        except (OSError, ValueError, TypeError) as exc:
            raise IndexNotReadyError(f"{path} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def activate(self, state: IndexState) -> None:
        """Switch readers to ``state.version`` in one atomic rename."""
        tmp = self.data_dir / f"{STATE}.tmp"
        tmp.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), encoding="utf-8")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self.data_dir / STATE)

    def clean_up(self, keep: set[str]) -> None:
        """Remove versions not in ``keep``: old ones and debris of crashed ingests."""
        from assistant import vectors

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
