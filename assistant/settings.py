"""One typed settings object, built at the entry point and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from assistant.errors import AssistantError, UsageError

EMBEDDING_BACKENDS = ("e5", "sentence-transformers")
ANSWER_UNITS = ("sentence", "paragraph", "section")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChromaServer:
    """Where a Chroma server listens (``CHROMA_HOST``…); the token never shows in repr or logs."""

    host: str
    port: int = 8000
    ssl: bool = False
    auth_token: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        token = ", token ****" if self.auth_token else ""
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}{token}"


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
    min_confidence: float | None = None  # None: the refusal model's calibrated threshold
    answer_unit: str = "sentence"  # what an extractive answer quotes: sentence, paragraph or section
    llm: str | None = None  # "provider:model"; None: extractive answers
    llm_timeout: float = 60.0  # seconds without a reply (or a streamed token) before giving up
    llm_max_tokens: int = 700
    llm_prompt: str | None = None  # a style in prompts/styles.toml; None: the default per language
    chroma_host: str | None = None  # set: use a Chroma server instead of the embedded store
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_auth_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``ASSISTANT_*`` variables, then apply overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "data_dir": Path(env.get("ASSISTANT_DATA_DIR") or default_data_dir(env)),
            "embedding": env.get("ASSISTANT_EMBEDDING", "e5"),
            "embedding_model": env.get("ASSISTANT_EMBEDDING_MODEL") or None,
            "llm": env.get("ASSISTANT_LLM") or None,
            "llm_prompt": env.get("ASSISTANT_LLM_PROMPT") or None,
        }
        if env.get("ASSISTANT_LLM_TIMEOUT"):
            values["llm_timeout"] = _float(env["ASSISTANT_LLM_TIMEOUT"], "ASSISTANT_LLM_TIMEOUT")
        if env.get("ASSISTANT_LLM_MAX_TOKENS"):
            values["llm_max_tokens"] = _int(env["ASSISTANT_LLM_MAX_TOKENS"], "ASSISTANT_LLM_MAX_TOKENS")
        if env.get("CHROMA_HOST"):
            values["chroma_host"] = env["CHROMA_HOST"]
            values["chroma_port"] = _int(env.get("CHROMA_PORT", "8000"), "CHROMA_PORT")
            values["chroma_ssl"] = env.get("CHROMA_SSL", "").lower() in ("1", "true", "yes")
            values["chroma_auth_token"] = env.get("CHROMA_AUTH_TOKEN") or None
        if env.get("ASSISTANT_KNOWLEDGE_DIR"):
            values["knowledge_dir"] = Path(env["ASSISTANT_KNOWLEDGE_DIR"])
        if env.get("ASSISTANT_MIN_CONFIDENCE"):
            values["min_confidence"] = _float(env["ASSISTANT_MIN_CONFIDENCE"], "ASSISTANT_MIN_CONFIDENCE")
        if env.get("ASSISTANT_ANSWER_UNIT"):
            values["answer_unit"] = env["ASSISTANT_ANSWER_UNIT"]
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
        if self.answer_unit not in ANSWER_UNITS:
            raise UsageError(f"unknown answer unit {self.answer_unit!r} (ASSISTANT_ANSWER_UNIT); "
                             f"use one of: {', '.join(ANSWER_UNITS)}")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise UsageError(f"ASSISTANT_MIN_CONFIDENCE must be between 0 and 1 (got {self.min_confidence:g})")
        if self.k < 1:
            raise UsageError(f"k must be at least 1 (got {self.k})")
        provider, _, model = (self.llm or ":").partition(":")
        if self.llm is not None and not (provider and model):
            raise UsageError(f"ASSISTANT_LLM must look like provider:model, e.g. openai:gpt-4o-mini "
                             f"or ollama:llama3.1 (got {self.llm!r})")
        if self.llm_timeout <= 0 or self.llm_max_tokens < 1:
            raise UsageError(f"ASSISTANT_LLM_TIMEOUT must be above 0 and ASSISTANT_LLM_MAX_TOKENS at "
                             f"least 1 (got {self.llm_timeout:g} and {self.llm_max_tokens})")

    @property
    def chroma_server(self) -> ChromaServer | None:
        """The Chroma server to use, or None for the embedded store under ``data_dir``."""
        if not self.chroma_host:
            return None
        return ChromaServer(self.chroma_host, self.chroma_port, self.chroma_ssl, self.chroma_auth_token)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def data_folder(folder: Path) -> Path:
    """Create ``folder`` (under the data directory) if needed; one clear line when a file is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise AssistantError(f"{blocking} is a file, not a folder: move it away, or point --data-dir "
                             "(ASSISTANT_DATA_DIR) to a folder") from None
    return folder


def _float(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number (got {text!r})") from None


def _int(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{name} must be a whole number (got {text!r})") from None
