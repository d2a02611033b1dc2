"""Ingest: load -> split -> embed -> write a new index version beside the one in use -> switch.

The version in use keeps serving until the new one is complete; the switch is the last
write, and the version that served before is kept for readers that still have it open.
``--rebuild`` (and a change of embedding backend) only means that nothing is reused: it
builds beside the current version like any ingest. An ingest that fails or is killed
leaves the index in use as it was; what it wrote is removed then or by the next ingest.

Unchanged documents (same content hash, same embedding backend) reuse their stored
vectors, so re-ingesting them does no embedding work; so do unchanged sample questions
(``corpus.questions``, embedded by ``sample_questions``). A document that fails to load
is named in the report; if an earlier version of it was indexed, that version is kept.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from assistant.corpus.chunks import Chunk
from assistant.corpus.fetch import FetchPolicy
from assistant.corpus.language import detect_language
from assistant.corpus.limits import check_passages
from assistant.corpus.load import load_text
from assistant.corpus.manifest import DocumentEntry
from assistant.corpus.questions import load_questions
from assistant.corpus.split import split_document
from assistant.corpus.sync import SyncReport, sync
from assistant.errors import AssistantError, IndexNotReadyError, LoadError
from assistant.index.embed import make_embedder
from assistant.index.failures import disk_full
from assistant.index.sample_questions import embed_questions, unknown_sections
from assistant.index.sources import Source, collect_sources
from assistant.index.state import DocumentRecord, IndexState, new_version
from assistant.index.store import IndexStore
from assistant.settings import Settings

SPLITTER_VERSION = "2"  # bump when split.py changes how chunks come out


@dataclass
class IngestReport:
    version: str
    documents: int
    chunks: int
    embedded: int
    reused: int
    seconds: float
    failures: list[tuple[str, str]] = field(default_factory=list)
    questions: int = 0  # sample questions embedded anew (the others reused)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # sample questions left out; the index is whole


def ingest(settings: Settings, paths: Iterable[Path] = (), rebuild: bool = False,
           progress: bool = True, follow_links: bool = False) -> IngestReport:
    """Build a new index version from the manifest, synced texts and local files, then switch to it."""
    started = time.perf_counter()
    store = IndexStore.for_settings(settings)
    embedder = make_embedder(settings)
    version = new_version()
    with store.writer_lock(version), _disk_full_is_one_line(store.data_dir, version):
        if rebuild:
            _set_aside_damaged(store)
        current = _current(store, rebuild)
        old = _reusable(store, current, embedder.name, rebuild)
        sources, failures = collect_sources(settings, list(paths), current, follow_links)
        store.clean_up(keep=current.in_use() if current else set())  # debris of interrupted ingests
        chunks, records = _read_all(sources, old, store, failures, follow_links, progress)
        if not chunks:
            raise AssistantError("nothing to index: no document could be read "
                                 f"({len(failures)} failed); the index in use is unchanged")
        questions, warnings = load_questions(settings.knowledge_dir, {c.doc_id for c in chunks})
        warnings += unknown_sections(questions, chunks, settings.knowledge_dir)
        with _discarded_unless_finished(store, version):
            embedded, reused = _embed_into(store, version, chunks, records, old, embedder, progress)
            sampled, asked = embed_questions(store, version, questions, chunks, old, embedder, progress)
            store.write_version(version, chunks, questions)
            store.write_questions(version, *sampled)
            store.activate(IndexState(version=version, embedding=embedder.name, documents=records,
                                      previous=current.version if current else None))
        store.clean_up(keep={version} | ({current.version} if current else set()))
    return IngestReport(version, len(records), len(chunks), embedded, reused,
                        time.perf_counter() - started, failures, asked, warnings)


def sync_and_ingest(settings: Settings, force: bool = False, policy: FetchPolicy = FetchPolicy(),
                    progress: bool = True) -> tuple[SyncReport, IngestReport | None]:
    """Download the manifest's official texts; ingest when anything new arrived."""
    report = sync(settings, force=force, policy=policy, progress=progress)
    return report, (ingest(settings, progress=progress) if report.fetched else None)


def _set_aside_damaged(store: IndexStore) -> None:
    aside = store.set_aside_damaged()
    if aside:
        print(f"the Chroma folder could not be opened: moved it to {aside} (delete it once the rebuild "
              "has succeeded)", file=sys.stderr)


def _current(store: IndexStore, rebuild: bool) -> IndexState | None:
    """The version in use; for a rebuild, an unreadable state counts as none."""
    try:
        return store.state()
    except IndexNotReadyError:
        if not rebuild:
            raise
        return None


def _reusable(store: IndexStore, current: IndexState | None, embedding: str, rebuild: bool) -> IndexState | None:
    """The version whose vectors and chunks may be reused, if any."""
    from assistant.index import vectors

    if rebuild or current is None or current.embedding != embedding:
        return None
    if current.version not in vectors.versions(store.client):
        print(f"the index in use ({current.version}) has lost its vectors: embedding everything again",
              file=sys.stderr)
        return None
    return current


@contextmanager
def _disk_full_is_one_line(folder: Path, version: str) -> Iterator[None]:
    try:
        yield
    except AssistantError:
        raise
    except Exception as exc:
        if disk_full(exc, folder):
            raise AssistantError(f"the disk is full (while writing index version {version} in {folder}): free "
                                 "space and run assistant ingest; the index in use is unchanged") from None
        raise


@contextmanager
def _discarded_unless_finished(store: IndexStore, version: str) -> Iterator[None]:
    """An ingest that fails or is interrupted before the switch removes what it wrote."""
    try:
        yield
    except BaseException:
        store.discard(version)
        raise


def _read_all(sources: list[Source], old: IndexState | None, store: IndexStore,
              failures: list[tuple[str, str]], follow_links: bool, progress: bool,
              ) -> tuple[list[Chunk], dict[str, DocumentRecord]]:
    from tqdm import tqdm

    chunks: list[Chunk] = []
    records: dict[str, DocumentRecord] = {}
    old_chunks = _old_chunks(store, old)
    for source in tqdm(sources, desc="Reading", unit="doc", disable=not progress):
        entry = source.entry
        try:
            entry, doc_chunks, digest = _read(source, follow_links)
        except LoadError as exc:
            failures.append((str(entry.path), exc.reason))
            chunks += _keep_previous(entry, old, old_chunks, records)
            continue
        chunks += doc_chunks
        records[entry.key] = DocumentRecord(hash=digest, chunks=len(doc_chunks), title=entry.title,
                                            path=str(entry.path), local=source.local, kind=entry.kind)
    return chunks, records


def _old_chunks(store: IndexStore, old: IndexState | None) -> list[Chunk]:
    try:
        return store.read_chunks(old.version) if old else []
    except IndexNotReadyError:
        return []  # nothing to keep for documents that fail now; the others are read anyway


def _keep_previous(entry: DocumentEntry, old: IndexState | None, old_chunks: list[Chunk],
                   records: dict[str, DocumentRecord]) -> list[Chunk]:
    """A document that now fails to load keeps its indexed version (matched by its file)."""
    if old is None:
        return []
    keys = {key for key, record in old.documents.items() if record.path == str(entry.path)}
    records.update({key: old.documents[key] for key in keys})
    return [chunk for chunk in old_chunks if chunk.doc_key in keys]


def _read(source: Source, follow_links: bool) -> tuple[DocumentEntry, list[Chunk], str]:
    entry, path = source.entry, source.entry.path
    assert path is not None
    text = load_text(path, source.root, follow_links)
    if not entry.lang:
        entry = replace(entry, lang=detect_language(text[:5000]))
    digest = hashlib.sha256(
        "\0".join([SPLITTER_VERSION, entry.title, entry.kind, entry.url or "", text]).encode()
    ).hexdigest()
    doc_chunks = split_document(text, entry)
    if not doc_chunks:
        raise LoadError(path, "holds no paragraph to index")
    check_passages([c.embed_text for c in doc_chunks], len(text), path)
    return entry, doc_chunks, digest


def _embed_into(store: IndexStore, version: str, chunks: list[Chunk],
                records: dict[str, DocumentRecord], old: IndexState | None,
                embedder, progress: bool) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    import numpy as np
    from tqdm import tqdm

    from assistant.index.vectors import VectorCollection

    vectors: dict[str, np.ndarray] = {}
    if old:
        previous = VectorCollection(store.client, old.version)
        for key, record in records.items():
            if key in old.documents and old.documents[key].hash == record.hash:
                vectors.update(previous.embeddings_of(key))
    todo = [c for c in chunks if c.id not in vectors]
    with tqdm(total=len(todo), desc="Embedding", unit="chunk", disable=not progress) as bar:
        for start in range(0, len(todo), 32):
            batch = todo[start:start + 32]
            for chunk, vector in zip(batch, embedder.embed_passages([c.embed_text for c in batch])):
                vectors[chunk.id] = vector
            bar.update(len(batch))
    collection = VectorCollection(store.client, version, create=True)
    collection.add([c.id for c in chunks], np.array([vectors[c.id] for c in chunks]),
                   [c.doc_key for c in chunks],
                   [json.dumps(c.to_dict(), ensure_ascii=False) for c in chunks])
    if collection.count() != len(chunks):
        raise AssistantError(f"index version {version} holds {collection.count()} of {len(chunks)} chunks "
                             "after writing; the index in use is unchanged; run assistant ingest again")
    return len(todo), len(chunks) - len(todo)
