"""The knowledge manifest: one entry per document and language, validated as data.

``ManifestEntry`` is the one model of an entry. Every violation becomes one line naming
the file, the entry and the field, and all of them are reported at once; a manifest with
any violation yields no entry at all, so nothing is indexed from it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from assistant.errors import AssistantError

KINDS = ("convention", "protocol", "rules", "resolution", "guide", "web-page", "document")
LANGS = ("ar", "en", "es", "fr", "ru", "zh")  # the six official languages of the United Nations
MANIFEST_NAME = "manifest.toml"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID = 80


class ManifestError(AssistantError):
    """The manifest breaks its rules: ``problems`` holds one line per violation."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


class ManifestEntry(BaseModel):
    """One ``[[document]]`` table as written in ``manifest.toml``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str
    title: str
    lang: str
    kind: str
    symbol: str | None = None
    url: str | None = None
    path: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.fullmatch(value) or len(value) > MAX_ID:
            raise ValueError(f"must be a slug of lowercase letters, digits and '-' (like guide-rules), "
                             f"at most {MAX_ID} characters")
        return value

    @field_validator("lang", "kind")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        allowed = LANGS if info.field_name == "lang" else KINDS
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    @field_validator("title", "symbol")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or len(value) > 300 or "\n" in value):
            raise ValueError("must be one non-empty line of at most 300 characters")
        return value

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = PurePosixPath(value.replace("\\", "/")).parts
        if not value.strip() or "\0" in value or value.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", value):
            raise ValueError("must be a path relative to the knowledge folder")
        if ".." in parts:
            raise ValueError("must stay inside the knowledge folder (no '..')")
        return value

    @model_validator(mode="after")
    def _path_or_url(self) -> ManifestEntry:
        if self.path is None and self.url is None:
            raise ValueError("needs a path (a file under the knowledge folder) or a url")
        return self


def load_manifest(knowledge_dir: Path) -> list[DocumentEntry]:
    """The entries of ``manifest.toml`` under ``knowledge_dir``; raise ``ManifestError`` listing every violation."""
    path = knowledge_dir / MANIFEST_NAME
    tables = _tables(path)
    problems: list[str] = []
    entries: dict[tuple[str, str], tuple[int, DocumentEntry]] = {}
    for n, raw in enumerate(tables, 1):
        where = f"{path}: document {n}{_label(raw)}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: is not a table; write each entry as [[document]]")
            continue
        try:
            model = ManifestEntry.model_validate(raw)
        except ValidationError as exc:
            problems += [f"{where}: {line}" for line in _describe(exc)]
            continue
        if (model.id, model.lang) in entries:
            first = entries[model.id, model.lang][0]
            problems.append(f"{where}: id: {model.id} in {model.lang} is already document {first}")
            continue
        entries[model.id, model.lang] = (n, _entry(model, knowledge_dir))
    if problems:
        raise ManifestError(problems)
    return [entry for _, entry in entries.values()]


def _tables(path: Path) -> list[object]:
    """The ``[[document]]`` tables of the file; unreadable TOML or other keys are one line each."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssistantError(f"no manifest at {path}; set ASSISTANT_KNOWLEDGE_DIR") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path} cannot be read ({exc}); check the file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError([f"{path}: not valid TOML: {exc}"]) from None
    others = sorted(set(data) - {"document"})
    if others:
        raise ManifestError([f"{path}: {key}: unknown table; entries are [[document]] tables" for key in others])
    tables = data.get("document", [])
    if not isinstance(tables, list):
        raise ManifestError([f"{path}: document: write each entry as [[document]], not [document]"])
    return tables


def _label(raw: object) -> str:
    """`` (guide-rules, fr)`` when the entry names itself with strings, else nothing."""
    if not isinstance(raw, dict):
        return ""
    named = [str(raw[key]) for key in ("id", "lang") if isinstance(raw.get(key), str)]
    return f" ({', '.join(named)[:80]})" if named else ""


def _describe(error: ValidationError) -> list[str]:
    """One ``field: what is wrong (got value)`` line per violation."""
    lines = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "entry"
        kind = item["type"]
        if kind == "missing":
            lines.append(f"{field}: is required")
            continue
        if kind == "extra_forbidden":
            message = f"unknown field; the fields are {', '.join(ManifestEntry.model_fields)}"
        elif kind == "string_type":
            message = "must be a string in quotes"
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{field}: {message}" + (f" (got {_shown(item['input'])})" if item["loc"] else ""))
    return lines


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _entry(model: ManifestEntry, knowledge_dir: Path) -> DocumentEntry:
    return DocumentEntry(id=model.id, title=model.title.strip(), lang=model.lang, kind=model.kind,
                         symbol=model.symbol, url=model.url,
                         path=knowledge_dir / model.path if model.path else None)
