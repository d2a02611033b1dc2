"""The state record: which index version serves, which one served before, what they hold.

It is read on every question and may come from a file anyone could edit or from a shared
server, so it is checked as data: a version name is a plain token (it names a folder and
a collection, and must never lead elsewhere), and every record has the right types.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, fields

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,62}")


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
    """The version in use; ``previous`` is kept for readers that opened it before the switch."""

    version: str
    embedding: str
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    previous: str | None = None

    @classmethod
    def from_json(cls, data: object) -> IndexState:
        """Check and build; ``ValueError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"it holds a {type(data).__name__}, not an object")
        version, previous = data.get("version"), data.get("previous")
        for name, value in (("version", version), ("previous", previous)):
            if (value is not None or name == "version") and not (isinstance(value, str) and VERSION.fullmatch(value)):
                raise ValueError(f"{name} {str(value)[:40]!r} is not a version name")
        if not isinstance(data.get("embedding"), str):
            raise ValueError("embedding is not a string")
        documents = data.get("documents", {})
        if not isinstance(documents, dict):
            raise ValueError("documents is not an object")
        return cls(version=str(version), embedding=data["embedding"],
                   documents={str(key): _record(key, rec) for key, rec in documents.items()},
                   previous=previous if isinstance(previous, str) else None)

    def in_use(self) -> set[str]:
        """The versions readers may have open: this one and the one before."""
        return {self.version} | ({self.previous} if self.previous else set())


def _record(key: str, data: object) -> DocumentRecord:
    types: dict[str, type | tuple[type, ...]] = {"hash": str, "chunks": int, "title": str,
                                                 "path": (str, type(None)), "local": bool, "kind": str}
    known = {f.name for f in fields(DocumentRecord)}
    if not isinstance(data, dict) or not {"hash", "chunks", "title"} <= set(data) or set(data) - known:
        raise ValueError(f"the record of {str(key)[:40]!r} does not have the fields {', '.join(sorted(known))}")
    wrong = [name for name, value in data.items() if not isinstance(value, types[name])]
    if wrong:
        raise ValueError(f"the record of {str(key)[:40]!r} has a wrong type in {', '.join(wrong)}")
    return DocumentRecord(**data)


def new_version() -> str:
    """A fresh version name: sortable by time, unique per process."""
    return time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 10**6:06d}"
