"""The fitted models' numbers (``models.json``): per embedding backend, the refusal model and
the passage reranker, written by ``assistant calibrate --write``."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import AssistantError

MODEL_FILE = Path(__file__).with_name("models.json")


def load(embedding: str, part: str, path: Path = MODEL_FILE) -> dict:
    """One model's numbers; a clear error when they were never fitted for this backend."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))[embedding][part]
    except (OSError, ValueError, KeyError) as exc:
        raise AssistantError(f"no {part} model for {embedding} embeddings in {path} ({type(exc).__name__}: "
                             f"{exc}); run: assistant calibrate --write") from None


def write(embedding: str, models: dict[str, dict], path: Path = MODEL_FILE) -> None:
    """Store the models of one backend, keeping the other backends'."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[embedding] = models
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
