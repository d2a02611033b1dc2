"""Ingest: load -> split -> embed -> write a new index version -> switch to it.

Unchanged documents (same content hash, same embedding backend) reuse their stored
vectors, so re-ingesting them does no embedding work. A document that fails to load
is named in the report; if an earlier version of it was indexed, that version is kept.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from assistant.corpus.chunks import Chunk
from assistant.corpus.fetch import FetchPolicy
from assistant.corpus.language import detect_language
from assistant.corpus.load import LOADERS, load_text
from assistant.corpus.manifest import DocumentEntry, load_manifest
from assistant.corpus.split import slugify, split_document
from assistant.corpus.sync import SyncReport, copies, sync, sync_folder
from assistant.errors import AssistantError, LoadError
from assistant.index.embed import make_embedder
from assistant.index.store import DocumentRecord, IndexState, IndexStore
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


@dataclass
class Source:
    entry: DocumentEntry
    local: bool = False


def ingest(settings: Settings, paths: Iterable[Path] = (), rebuild: bool = False,
           progress: bool = True) -> IngestReport:
    """Build a new index version from the manifest, synced texts and local files."""
    started = time.perf_counter()
    store = IndexStore.for_settings(settings)
    embedder = make_embedder(settings)
    with store.writer_lock():
        old = None if rebuild else store.state()
        if old and old.embedding != embedder.name:
            old = None  # other embeddings: nothing to reuse
        store.clean_up(keep={old.version} if old else set())
        version = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 10**6:06d}"
        sources, failures = collect_sources(settings, list(paths), old)
        chunks, records = _read_all(sources, old, store, failures, progress)
        if not chunks:
            raise AssistantError("nothing to index: no document could be read "
                                 f"({len(failures)} failed); the index in use is unchanged")
        embedded, reused = _embed_into(store, version, chunks, records, old, embedder, progress)
        store.write_version(version, chunks)
        store.activate(IndexState(version=version, embedding=embedder.name, documents=records))
        store.clean_up(keep={version} | ({old.version} if old else set()))
    return IngestReport(version, len(records), len(chunks), embedded, reused,
                        time.perf_counter() - started, failures)


def sync_and_ingest(settings: Settings, force: bool = False, policy: FetchPolicy = FetchPolicy(),
                    progress: bool = True) -> tuple[SyncReport, IngestReport | None]:
    """Download the manifest's official texts; ingest when anything new arrived."""
    report = sync(settings, force=force, policy=policy, progress=progress)
    return report, (ingest(settings, progress=progress) if report.fetched else None)


def collect_sources(settings: Settings, paths: list[Path], old: IndexState | None,
                    ) -> tuple[list[Source], list[tuple[str, str]]]:
    """Manifest documents with a local copy, then local files (given now or before)."""
    sources = [Source(e) for e in load_manifest(settings.knowledge_dir) if e.path]
    sources += [Source(e) for e in _synced(settings)]
    known = {s.entry.path.resolve() for s in sources if s.entry.path}
    failures: list[tuple[str, str]] = []
    previous = [Path(r.path) for r in (old.documents.values() if old else []) if r.local and r.path]
    for path in _expand(paths, failures) + [p for p in previous if p.exists()]:
        if path.resolve() not in known:
            known.add(path.resolve())
            sources.append(Source(_local_entry(path), local=True))
    return sources, failures


def _synced(settings: Settings) -> list[DocumentEntry]:
    """Official texts fetched by ``assistant sync`` into the data directory."""
    folder = sync_folder(settings)
    return [replace(entry, path=found)
            for entry in load_manifest(settings.knowledge_dir) if entry.path is None and entry.url
            for found in copies(folder, entry)]


def _expand(paths: list[Path], failures: list[tuple[str, str]]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in LOADERS)
        elif path.is_file():
            files.append(path)
        else:
            failures.append((str(path), "no such file or folder"))
    return files


def _local_entry(path: Path) -> DocumentEntry:
    return DocumentEntry(id=slugify(path.stem), title=path.stem, lang="", kind="document",
                         path=path.resolve())


def _read_all(sources: list[Source], old: IndexState | None, store: IndexStore,
              failures: list[tuple[str, str]], progress: bool,
              ) -> tuple[list[Chunk], dict[str, DocumentRecord]]:
    from tqdm import tqdm

    chunks: list[Chunk] = []
    records: dict[str, DocumentRecord] = {}
    old_chunks = store.read_chunks(old.version) if old else []
    for source in tqdm(sources, desc="Reading", unit="doc", disable=not progress):
        entry = source.entry
        try:
            entry, doc_chunks, digest = _read(entry)
        except LoadError as exc:
            failures.append((str(entry.path), exc.reason))
            chunks += _keep_previous(entry, old, old_chunks, records)
            continue
        chunks += doc_chunks
        records[entry.key] = DocumentRecord(hash=digest, chunks=len(doc_chunks), title=entry.title,
                                            path=str(entry.path), local=source.local, kind=entry.kind)
    return chunks, records


def _keep_previous(entry: DocumentEntry, old: IndexState | None, old_chunks: list[Chunk],
                   records: dict[str, DocumentRecord]) -> list[Chunk]:
    """A document that now fails to load keeps its indexed version (matched by its file)."""
    if old is None:
        return []
    keys = {key for key, record in old.documents.items() if record.path == str(entry.path)}
    records.update({key: old.documents[key] for key in keys})
    return [chunk for chunk in old_chunks if chunk.doc_key in keys]


def _read(entry: DocumentEntry) -> tuple[DocumentEntry, list[Chunk], str]:
    assert entry.path is not None
    text = load_text(entry.path)
    if not entry.lang:
        entry = replace(entry, lang=detect_language(text[:5000]))
    digest = hashlib.sha256(
        "\0".join([SPLITTER_VERSION, entry.title, entry.kind, entry.url or "", text]).encode()
    ).hexdigest()
    doc_chunks = split_document(text, entry)
    if not doc_chunks:
        raise LoadError(entry.path, "holds no paragraph to index")
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
    return len(todo), len(chunks) - len(todo)
