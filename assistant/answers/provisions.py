"""Look a provision up by name: ``rule-41``, ``guide-rules#rule-41``, "art. 32(3)", "COP10".

What ``assistant show`` prints and what a question that only names a provision gets.
"""

from __future__ import annotations

from assistant.answers.references import chunk_keys, question_references
from assistant.corpus.chunks import Chunk
from assistant.index.reader import IndexReader


def find_provision(reader: IndexReader, name: str, lang: str | None = None) -> list[Chunk]:
    """The chunks of the provision ``name`` in one language (``lang``, else English if there is
    one), in document order; empty when the index has no such provision."""
    doc, _, locator = name.strip().rpartition("#")
    found = [c for c in reader.chunks if _matches(c, doc, locator)]
    if not found:
        keys = question_references(name)
        found = [c for c in reader.chunks if keys and (set(keys) & chunk_keys(c)
                                                       or {k[:2] for k in keys} & chunk_keys(c))]
    if not found:
        return []
    langs = {c.lang for c in found}
    chosen = lang if lang in langs else ("en" if "en" in langs else sorted(langs)[0])
    first_doc = next(c.doc_id for c in found if c.lang == chosen)
    return [c for c in found if c.lang == chosen and c.doc_id == first_doc]


def _matches(chunk: Chunk, doc: str, locator: str) -> bool:
    if doc and chunk.doc_id != doc:
        return False
    return chunk.locator == locator or chunk.locator.startswith(locator + "-")
