"""Fetch the official texts named in the manifest into the data directory.

Each manifest entry with a ``url`` and no ``path`` is downloaded into
``<data_dir>/sync/<id>.<lang>.html`` or ``.pdf`` — where ingest looks for it — and
``sync/checksums.json`` records each file's sha256, address and fetch time. A
document that cannot be fetched is reported and the others carry on. Indexing them is
``assistant.index.ingest.sync_and_ingest``'s job.

File names come from validated ids and languages (slugs), are checked to stay inside
``sync/`` and are matched exactly, never as a pattern: sync writes and deletes only
its own copies there.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.fetch import Fetched, FetchError, FetchPolicy, fetch
from assistant.corpus.manifest import SLUG, DocumentEntry, load_manifest
from assistant.errors import AssistantError
from assistant.settings import Settings, data_folder

CHECKSUMS = "checksums.json"
SUFFIXES = (".html", ".pdf")  # what fetch saves


@dataclass
class SyncReport:
    folder: Path
    fetched: list[tuple[DocumentEntry, Fetched]] = field(default_factory=list)
    kept: list[DocumentEntry] = field(default_factory=list)  # already there, not fetched again
    failures: list[tuple[DocumentEntry, str]] = field(default_factory=list)


def sync_folder(settings: Settings) -> Path:
    """Where synced texts live: ``<data_dir>/sync``."""
    return settings.data_dir / "sync"


def sync(settings: Settings, force: bool = False, policy: FetchPolicy = FetchPolicy(),
         progress: bool = True) -> SyncReport:
    """Download every manifest text that has a url and no local copy.

    Texts fetched before from the same url are kept unless ``force``.
    """
    from tqdm import tqdm

    folder = data_folder(sync_folder(settings))
    report = SyncReport(folder)
    remote = [e for e in load_manifest(settings.knowledge_dir) if e.url and e.path is None]
    records = read_checksums(folder)
    bar = tqdm(remote, desc="Fetching", unit="doc", disable=not progress)
    for entry in bar:
        bar.set_postfix_str(entry.key)
        if not force and _up_to_date(folder, entry, records):
            report.kept.append(entry)
            continue
        try:
            fetched = fetch(entry.url or "", stem(folder, entry), policy)
        except FetchError as exc:
            report.failures.append((entry, exc.reason))
            continue
        _replace_other_copies(folder, entry, fetched.path)
        _record(folder, entry, fetched)
        report.fetched.append((entry, fetched))
    return report


def stem(folder: Path, entry: DocumentEntry) -> Path:
    """``sync/<id>.<lang>``, for ids and languages that are slugs only (nothing else can leave ``sync/``)."""
    if not (SLUG.fullmatch(entry.id) and SLUG.fullmatch(entry.lang)):
        raise AssistantError(f"{entry.id!r} ({entry.lang!r}) cannot name a file; ids are slugs like guide-rules")
    return folder / f"{entry.id}.{entry.lang}"


def copies(folder: Path, entry: DocumentEntry) -> list[Path]:
    """The files synced for this entry (normally one), found by their exact names; a link is none of ours."""
    base = stem(folder, entry)
    found = [base.with_name(base.name + suffix) for suffix in SUFFIXES]
    return [path for path in found if path.is_file() and not path.is_symlink()]


def _up_to_date(folder: Path, entry: DocumentEntry, records: dict[str, dict]) -> bool:
    """A copy is there and came from the url the manifest gives now."""
    return any(records.get(p.name, {}).get("url") == entry.url for p in copies(folder, entry))


def _replace_other_copies(folder: Path, entry: DocumentEntry, keep: Path) -> None:
    """A text now served as PDF instead of HTML must not be indexed twice."""
    for path in copies(folder, entry):
        if path != keep:
            path.unlink(missing_ok=True)


def read_checksums(folder: Path) -> dict[str, dict]:
    """``{file name: {id, lang, url, sha256, bytes, content_type, fetched_at}}``."""
    try:
        data = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}  # a lost or damaged record is rebuilt as texts are fetched again
    return data if isinstance(data, dict) else {}


def _record(folder: Path, entry: DocumentEntry, fetched: Fetched) -> None:
    records = {name: record for name, record in read_checksums(folder).items()
               if (folder / name).exists()}
    records[fetched.path.name] = {
        "id": entry.id, "lang": entry.lang, "url": entry.url, "sha256": fetched.sha256,
        "bytes": fetched.size, "content_type": fetched.content_type,
        "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{CHECKSUMS}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(records, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temp, folder / CHECKSUMS)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
