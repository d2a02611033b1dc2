"""The knowledge manifest: one entry per document and language."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError

KINDS = ("convention", "protocol", "rules", "resolution", "guide", "web-page", "document")
MANIFEST_NAME = "manifest.toml"


@dataclass(frozen=True)
class DocumentEntry:
    """A document in one language; ``path`` is absolute when the file is local."""

    id: str
    title: str
    lang: str
    kind: str
    symbol: str | None = None
    url: str | None = None
    path: Path | None = None

    @property
    def key(self) -> str:
        """Unique per language version: ``guide-rules:fr``."""
        return f"{self.id}:{self.lang}"


def load_manifest(knowledge_dir: Path) -> list[DocumentEntry]:
    """Read ``manifest.toml`` under ``knowledge_dir``; errors name the entry."""
    path = knowledge_dir / MANIFEST_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssistantError(f"no manifest at {path}; set ASSISTANT_KNOWLEDGE_DIR") from None
    except tomllib.TOMLDecodeError as exc:
        raise AssistantError(f"{path} is not valid TOML: {exc}") from None
    entries = [_entry(raw, knowledge_dir, n) for n, raw in enumerate(data.get("document", []), 1)]
    _check_unique(entries, path)
    return entries


def _entry(raw: dict, knowledge_dir: Path, n: int) -> DocumentEntry:
    where = f"manifest entry {n} ({raw.get('id', 'no id')})"
    missing = [name for name in ("id", "title", "lang", "kind") if not raw.get(name)]
    if missing:
        raise AssistantError(f"{where} lacks {', '.join(missing)}")
    if raw["kind"] not in KINDS:
        raise AssistantError(f"{where}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if not raw.get("path") and not raw.get("url"):
        raise AssistantError(f"{where} needs a path or a url")
    path = knowledge_dir / raw["path"] if raw.get("path") else None
    return DocumentEntry(
        id=raw["id"], title=raw["title"], lang=raw["lang"], kind=raw["kind"],
        symbol=raw.get("symbol"), url=raw.get("url"), path=path,
    )


def _check_unique(entries: list[DocumentEntry], path: Path) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            raise AssistantError(f"{path}: {entry.id} has two entries in language {entry.lang}")
        seen.add(entry.key)
