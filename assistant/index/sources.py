"""What an ingest reads: manifest documents, synced official texts and local files.

Each source carries the folder its file must stay inside (``knowledge/``, ``sync/``, a
folder named on the command line). Local files get an id of their own: the slug of the
file name, made unique with a short hash of the path when another document has it, and
kept from one ingest to the next, so chunk ids never collide whatever the file names.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.corpus.files import find_files
from assistant.corpus.load import LOADERS
from assistant.corpus.manifest import DocumentEntry, load_manifest
from assistant.corpus.split import slugify
from assistant.corpus.sync import copies, sync_folder
from assistant.index.state import IndexState
from assistant.settings import Settings

Failures = list[tuple[str, str]]


@dataclass
class Source:
    entry: DocumentEntry
    local: bool = False
    root: Path | None = None  # the folder the file must stay inside, unless links are followed


def collect_sources(settings: Settings, paths: list[Path], old: IndexState | None,
                    follow_links: bool = False) -> tuple[list[Source], Failures]:
    """Manifest documents with a local copy, then local files (indexed before, or given now)."""
    manifest = load_manifest(settings.knowledge_dir)
    sources = [Source(e, root=settings.knowledge_dir) for e in manifest if e.path]
    folder = sync_folder(settings)
    sources += [Source(replace(e, path=found), root=folder)
                for e in manifest if e.path is None and e.url for found in copies(folder, e)]
    failures: Failures = []
    known = {os.path.realpath(s.entry.path) for s in sources if s.entry.path}  # one file, however named
    taken = {e.id for e in manifest}
    before = {record.path: key.rsplit(":", 1)[0] for key, record in (old.documents.items() if old else [])
              if record.local and record.path}
    for path, root in [(Path(p), None) for p in before if os.path.lexists(p)] + _expand(paths, failures, follow_links):
        path = Path(os.path.abspath(path))  # a link keeps its own name: reading it needs --follow-links each time
        if os.path.realpath(path) not in known:
            known.add(os.path.realpath(path))
            doc_id = _local_id(path, taken, before)
            taken.add(doc_id)
            entry = DocumentEntry(id=doc_id, title=path.stem, lang="", kind="document", path=path)
            sources.append(Source(entry, local=True, root=root))
    return sources, failures


def _expand(paths: list[Path], failures: Failures, follow_links: bool = False) -> list[tuple[Path, Path | None]]:
    """(file, folder it was found in) for each path given; a file named alone has no folder to stay in."""
    found: list[tuple[Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            files, refused = find_files(path, tuple(LOADERS), follow_links)
            found += [(file, path) for file in files]
            failures += refused
        elif os.path.lexists(path):
            found.append((path, None))  # reading it refuses what is not a regular file, by name
        else:
            failures.append((str(path), "no such file or folder"))
    return found


def _local_id(path: Path, taken: set[str], before: dict[str, str]) -> str:
    """The id it had before, else the slug of its name; with a hash of its path if another has it."""
    doc_id = before.get(str(path)) or slugify(path.stem)
    if doc_id in taken:
        doc_id = f"{slugify(path.stem)[:50]}-{hashlib.sha256(str(path).encode()).hexdigest()[:8]}"
    return doc_id
