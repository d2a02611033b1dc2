"""The hybrid search as a LangChain retriever: documents carry chunk metadata and scores.

The answering service calls ``Searcher`` directly (importing LangChain costs a cold ``ask``
about a third of a second); this is for LangChain chains and the evaluation's rankings.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.answers.retrieve import Hit, Searcher
from assistant.corpus.chunks import Chunk
from assistant.corpus.language import question_language
from assistant.index.reader import IndexReader


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the hybrid search; documents carry chunk metadata and scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    searcher: Searcher
    k: int = 5

    @property
    def reader(self) -> IndexReader:
        return self.searcher.reader

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        found = self.searcher.search(query, question_language(query), self.k)
        return [to_document(hit) for hit in found.hits]


def to_document(hit: Hit) -> Document:
    metadata = {**hit.chunk.to_dict(), "similarity": hit.similarity, "score": hit.score,
                "keyword": hit.keyword, "pinned": hit.pinned, "elsewhere": hit.elsewhere, "asked_as": hit.asked_as}
    del metadata["text"]
    return Document(page_content=hit.chunk.text, metadata=metadata, id=hit.chunk.id)


def from_document(doc: Document) -> Hit:
    meta = dict(doc.metadata)
    scores = {name: meta.pop(name) for name in ("similarity", "score", "keyword", "pinned", "elsewhere", "asked_as")
              if name in meta}
    return Hit(Chunk(text=doc.page_content, **meta), **scores)
