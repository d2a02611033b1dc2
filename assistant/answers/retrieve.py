"""Hybrid retrieval: dense (Chroma) and keyword (BM25) results fused by reciprocal rank.

Where one provision exists in several languages (same ``doc_id`` and ``locator``),
the version in the question's language takes the place of the others; a provision
that exists in one language only is still found from the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.corpus.chunks import Chunk
from assistant.corpus.language import question_language
from assistant.index.reader import IndexReader

if TYPE_CHECKING:
    from assistant.index.embed import Embedder

RRF_K = 60
CANDIDATES = 30
DENSE_WEIGHT = 0.3  # measured on the golden set: 0.3 > 0.5 > 1.0 (dense only) for hit@1


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its evidence: cosine similarity and fused score."""

    chunk: Chunk
    similarity: float
    score: float


def hybrid_search(reader: IndexReader, embedder: Embedder, question: str, lang: str,
                  k: int) -> list[Hit]:
    """The ``k`` best chunks for ``question``, one language version per provision."""
    dense = reader.vectors.query(embedder.embed_query(question), CANDIDATES)
    similarity = {reader.position[cid]: sim for cid, sim in dense if cid in reader.position}
    keyword = [pos for pos, _ in reader.keyword.search(question, CANDIDATES)]
    fused: dict[int, float] = {}
    for ranking, weight in ((list(similarity), DENSE_WEIGHT), (keyword, 1.0 - DENSE_WEIGHT)):
        for rank, pos in enumerate(ranking):
            fused[pos] = fused.get(pos, 0.0) + weight / (RRF_K + rank + 1)
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for pos in sorted(fused, key=lambda p: -fused[p]):
        chunk = reader.chunks[pos]
        provision = (chunk.doc_id, chunk.locator)
        if provision in seen:
            continue
        seen.add(provision)
        preferred = reader.by_provision.get((chunk.doc_id, chunk.locator, lang))
        if preferred is not None and preferred.lang != chunk.lang:
            chunk = preferred
        best = similarity.get(reader.position[chunk.id], similarity.get(pos, 0.0))
        hits.append(Hit(chunk, best, fused[pos]))
        if len(hits) == k:
            break
    return hits


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the hybrid search; documents carry chunk metadata and scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    reader: IndexReader
    embedder: object
    k: int = 5

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        lang = question_language(query)
        hits = hybrid_search(self.reader, self.embedder, query, lang, self.k)  # type: ignore[arg-type]
        return [to_document(hit) for hit in hits]


def to_document(hit: Hit) -> Document:
    metadata = {**hit.chunk.to_dict(), "similarity": hit.similarity, "score": hit.score}
    del metadata["text"]
    return Document(page_content=hit.chunk.text, metadata=metadata, id=hit.chunk.id)


def from_document(doc: Document) -> Hit:
    meta = dict(doc.metadata)
    similarity, score = meta.pop("similarity"), meta.pop("score")
    return Hit(Chunk(text=doc.page_content, **meta), similarity, score)
