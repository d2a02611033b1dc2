"""The unit of retrieval: a piece of one provision, with where it comes from."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, cut along its legal structure.

    ``locator`` is language-neutral (``rule-41``, ``art-32-para-3``), so the English
    and French versions of one provision share it; ``heading`` is readable
    ("Rule 41 — Quorum"); ``url`` is the official source of this passage.
    """

    doc_id: str
    lang: str
    kind: str
    title: str
    locator: str
    heading: str
    url: str | None
    text: str
    seq: int

    @property
    def id(self) -> str:
        """Stable within one version of a document."""
        return f"{self.doc_id}:{self.lang}:{self.seq:04d}"

    @property
    def provision(self) -> str:
        """``guide-rules#rule-41``: the document and the locator, one for every language version."""
        return f"{self.doc_id}#{self.locator}"

    @property
    def doc_key(self) -> str:
        return f"{self.doc_id}:{self.lang}"

    @property
    def embed_text(self) -> str:
        """What is embedded and keyword-indexed: the heading, then the body."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        return cls(**data)
