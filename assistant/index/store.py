"""Index versions and the atomic switch between them.

Layout of the data directory::

    state.json               the version in use, the one before it, their embedding backend, documents
    chroma/                  Chroma's files: one collection per version (embedded mode)
    versions/<v>/chunks.jsonl  chunk texts and metadata, in keyword-index order
    versions/<v>/keyword/    the BM25 index
    versions/<v>/questions.* the sample questions' vectors and the provisions they are answered from
    ingest.lock              held by the one writer on this machine

An ingest writes a whole new version beside the one in use, then replaces ``state.json``
in one ``os.replace``: readers see the old version or the new one, never a mix. The
version that served before stays until the next switch, for readers that opened it;
anything else (debris of an interrupted ingest) is removed by the next writer.

In server mode (``CHROMA_HOST``) the state is one record in the server's
``assistant-state`` collection, replaced in one write; each chunk's JSON is stored
with its vector, and ``versions/<v>/`` becomes a local cache that any replica
rebuilds from the server, so the keyword index always follows the collection version.
Writers on several machines take turns through a lease record there (``lease``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from assistant.corpus.chunks import Chunk
from assistant.errors import IndexNotReadyError
from assistant.index.keyword import KeywordIndex, keyword_texts
from assistant.index.state import VERSION, DocumentRecord, IndexState
from assistant.settings import data_folder

if TYPE_CHECKING:
    import numpy as np

    from assistant.corpus.questions import SampleQuestion
    from assistant.index.lease import Lease
    from assistant.settings import ChromaServer, Settings

__all__ = ["DocumentRecord", "IndexState", "IndexStore", "STATE"]
STATE = "state.json"


class IndexStore:
    """The index: read the version in use, write new ones, clean up."""

    def __init__(self, data_dir: Path, server: ChromaServer | None = None) -> None:
        self.data_dir = data_dir
        self.server = server
        self._client = None
        self._lease: Lease | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> IndexStore:
        return cls(settings.data_dir, settings.chroma_server)

    @property
    def client(self):  # type: ignore[no-untyped-def]
        if self._client is None:
            from assistant.index.vectors import open_client

            self._client = open_client(data_folder(self.data_dir), self.server)
        return self._client

    def state(self) -> IndexState | None:
        """The version in use, or None when nothing was ever indexed."""
        if self.server:
            from assistant.index.vectors import read_state

            text, where = read_state(self.client), f"the state record on {self.server}"
        else:
            path = self.data_dir / STATE
            text, where = self._read_state_file(path), str(path)
        if text is None:
            return None
        try:
            return IndexState.from_json(json.loads(text))
        except ValueError as exc:
            raise IndexNotReadyError(f"{where} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def _read_state_file(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            data_folder(self.data_dir)  # says which file stands where the data directory should be
            raise
        except (OSError, UnicodeDecodeError) as exc:
            raise IndexNotReadyError(f"{path} is unreadable ({exc}); run: assistant ingest --rebuild") from None

    def version_dir(self, version: str) -> Path:
        if not VERSION.fullmatch(version):
            raise IndexNotReadyError(f"{version[:40]!r} is not a version name; run: assistant ingest --rebuild")
        return self.data_dir / "versions" / version

    def write_version(self, version: str, chunks: list[Chunk], questions: Sequence[SampleQuestion] = ()) -> None:
        """Write the chunk file and the keyword index of a version (a local cache in server mode);
        the sample questions join their sections' keyword documents."""
        folder = self.version_dir(version)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        KeywordIndex.build(keyword_texts(chunks, questions), [c.lang for c in chunks]).save(tmp / "keyword")
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

    def write_questions(self, version: str, ids: list[str], provisions: list[str], vectors: np.ndarray) -> None:
        """Write a version's sample questions beside its chunks (after ``write_version``); none, no file."""
        import numpy as np

        if not ids:
            return
        folder = self.version_dir(version)
        with open(folder / "questions.npy.tmp", "wb") as out:
            np.save(out, vectors)
        (folder / "questions.json.tmp").write_text(json.dumps({"ids": ids, "provisions": provisions}),
                                                   encoding="utf-8")
        os.replace(folder / "questions.npy.tmp", folder / "questions.npy")
        os.replace(folder / "questions.json.tmp", folder / "questions.json")  # the one a reader looks for

    def read_questions(self, version: str) -> tuple[list[str], list[str], np.ndarray] | None:
        """A version's sample questions (ids, provisions, vectors), or None if it has none; damaged
        files raise IndexNotReadyError."""
        import numpy as np

        folder = self.version_dir(version)
        if not (folder / "questions.json").exists() and self.server:
            self._fetch_questions(version)
        if not (folder / "questions.json").exists():
            return None
        try:
            keys = json.loads((folder / "questions.json").read_text(encoding="utf-8"))
            vectors = np.load(folder / "questions.npy")
            if vectors.ndim != 2 or not len(vectors) == len(keys["ids"]) == len(keys["provisions"]):
                raise ValueError(f"{vectors.shape} vectors for {len(keys['ids'])} questions")
            return keys["ids"], keys["provisions"], vectors
        except Exception as exc:  # OSError, EOFError, ValueError, KeyError, TypeError…: all mean damaged
            raise IndexNotReadyError(f"{folder / 'questions.npy'} is unreadable ({exc}); "
                                     "run: assistant ingest --rebuild") from None

    def _fetch_questions(self, version: str) -> None:
        """Copy a version's sample questions from the server into the local cache."""
        from assistant.index.vectors import QUESTIONS, VectorCollection, versions

        if version in versions(self.client, QUESTIONS) and self.version_dir(version).exists():
            self.write_questions(version, *VectorCollection(self.client, version, prefix=QUESTIONS).questions())

    def _fetch_version(self, version: str) -> None:
        """Rebuild the local cache of a version from the chunks and sample questions stored on the server."""
        from assistant.index.vectors import QUESTIONS, VectorCollection, versions

        documents = VectorCollection(self.client, version).documents()
        chunks = [Chunk.from_dict(json.loads(documents[cid])) for cid in sorted(documents)]
        questions = (VectorCollection(self.client, version, prefix=QUESTIONS).sample_questions()
                     if version in versions(self.client, QUESTIONS) else [])
        self.write_version(version, chunks, questions)
        state = self.state()
        self._prune_cache({version} | (state.in_use() if state else set()))  # versions the server dropped

    def _prune_cache(self, keep: set[str]) -> None:
        """Remove local version folders not in ``keep`` (readers hold theirs in memory once opened)."""
        folder = self.data_dir / "versions"
        for path in folder.iterdir() if folder.exists() else []:
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def activate(self, state: IndexState) -> None:
        """Switch readers to ``state.version`` in one atomic step: the last write of an ingest."""
        text = json.dumps(asdict(state), ensure_ascii=False, indent=1)
        if self.server:
            from assistant.index import lease
            from assistant.index.vectors import write_state

            if self._lease is not None:
                lease.confirm(self.client, self._lease)
            write_state(self.client, text)
            return
        tmp = self.data_dir / f"{STATE}.tmp"
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.data_dir / STATE)

    def clean_up(self, keep: set[str]) -> None:
        """Remove versions not in ``keep`` (nor building under another writer's lease): old ones and debris."""
        from assistant.index import vectors

        if self.server:
            from assistant.index import lease

            keep = keep | lease.protected(self.client, self._lease.holder if self._lease else None)
        for version in set(vectors.versions(self.client)) | set(vectors.versions(self.client, vectors.QUESTIONS)):
            if version not in keep:
                vectors.drop(self.client, version)
        self._prune_cache(keep)

    def discard(self, version: str) -> None:
        """Remove what an unfinished ingest wrote of ``version`` (best effort: the next ingest also does)."""
        from assistant.index import vectors

        try:
            state = self.state()
            if state is not None and version in state.in_use():
                return  # the switch went through after all (its reply was lost): it serves
            folder = self.version_dir(version)
            for path in (folder, folder.with_name(folder.name + ".tmp")):
                shutil.rmtree(path, ignore_errors=True)
            vectors.drop(self.client, version)
        except Exception:  # a full disk or a lost server: what stays is debris for the next ingest
            pass

    @contextmanager
    def writer_lock(self, version: str | None = None) -> Iterator[None]:
        """One ingest at a time; a second one waits and says who holds the lock.

        In server mode, also the lease for building ``version`` on the shared server.
        """
        with ExitStack() as stack:
            stack.enter_context(self._file_lock())
            if self.server and version:
                from assistant.index import lease

                self._lease = stack.enter_context(lease.holding(self.client, version))
                stack.callback(setattr, self, "_lease", None)
            yield

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        with open(data_folder(self.data_dir) / "ingest.lock", "a+") as handle:
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

    def set_aside_damaged(self) -> Path | None:
        """Embedded mode: move a Chroma folder whose database is damaged aside (before a rebuild); where to."""
        from assistant.index.failures import damaged_file

        database = self.data_dir / "chroma" / "chroma.sqlite3"
        if self.server or not database.is_file() or not damaged_file(database):
            return None
        aside = self.data_dir / f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
        os.replace(database.parent, aside)
        return aside
