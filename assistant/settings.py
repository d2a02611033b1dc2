"""One typed settings object, built at the entry point and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from assistant.errors import UsageError

EMBEDDING_BACKENDS = ("e5", "sentence-transformers")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/assistant``, else ``~/.local/share/assistant``."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "assistant"


@dataclass(frozen=True)
class Settings:
    """Where things live and how to embed and answer.

    Explicit argument, then environment variable, then default.
    """

    data_dir: Path
    knowledge_dir: Path = PACKAGE_ROOT / "knowledge"
    embedding: str = "e5"
    embedding_model: str | None = None
    k: int = 5
    min_evidence: float | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``ASSISTANT_*`` variables, then apply overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "data_dir": Path(env.get("ASSISTANT_DATA_DIR") or default_data_dir(env)),
            "embedding": env.get("ASSISTANT_EMBEDDING", "e5"),
            "embedding_model": env.get("ASSISTANT_EMBEDDING_MODEL") or None,
        }
        if env.get("ASSISTANT_KNOWLEDGE_DIR"):
            values["knowledge_dir"] = Path(env["ASSISTANT_KNOWLEDGE_DIR"])
        if env.get("ASSISTANT_MIN_EVIDENCE"):
            values["min_evidence"] = _float(env["ASSISTANT_MIN_EVIDENCE"], "ASSISTANT_MIN_EVIDENCE")
        values.update({key: val for key, val in overrides.items() if val is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values that cannot work, naming the valid ones."""
        if self.embedding not in EMBEDDING_BACKENDS:
            raise UsageError(
                f"unknown embedding backend {self.embedding!r}; "
                f"use one of: {', '.join(EMBEDDING_BACKENDS)}"
            )
        if self.k < 1:
            raise UsageError(f"k must be at least 1 (got {self.k})")

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _float(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number (got {text!r})") from None
