"""The pipeline a newcomer builds from the LangChain tutorials, for comparison.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200), Chroma,
all-MiniLM-L6-v2 sentence-transformers embeddings, similarity search top 4,
answer = the first retrieved chunk, never refusing. Its chunks get the doc_id of
their document and the locator of the section they start in, so the same metrics apply.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.corpus.load import load_text
from assistant.corpus.split import split_document
from assistant.index.embed import SentenceTransformerEmbedder
from assistant.quality.evaluate import Response

if TYPE_CHECKING:
    from assistant.corpus.manifest import DocumentEntry

TOP_K = 4
PROBE = 150  # a chunk "starts in" the section found this far into it, past any heading line


class BaselinePipeline:
    name = "baseline"

    def __init__(self, entries: list[DocumentEntry]) -> None:
        from langchain_chroma import Chroma

        from assistant.index.vectors import ephemeral_client

        self.store = Chroma(collection_name="baseline", embedding_function=_Embeddings(),
                            client=ephemeral_client())
        documents = [doc for entry in entries for doc in _documents(entry)]
        self.store.add_documents(documents)
        self.chunks = len(documents)

    def run(self, question: str, k: int) -> Response:
        docs = self.store.similarity_search(question, k=TOP_K)
        sources = [(d.metadata["doc_id"], d.metadata["locator"]) for d in docs]
        return Response(retrieved=sources, answered=bool(docs),
                        answer=docs[0].page_content if docs else "", cited=sources[:1])


def _documents(entry: DocumentEntry) -> list:  # type: ignore[type-arg]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    assert entry.path is not None
    text = load_text(entry.path)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    docs = splitter.create_documents([text], metadatas=[{"doc_id": entry.id, "lang": entry.lang}])
    offsets, locators = _section_offsets(text, entry)
    for doc in docs:
        probe = doc.metadata["start_index"] + min(PROBE, len(doc.page_content) // 2)
        index = bisect.bisect_right(offsets, probe) - 1
        doc.metadata["locator"] = locators[max(index, 0)] if locators else ""
    return docs


def _section_offsets(text: str, entry: DocumentEntry) -> tuple[list[int], list[str]]:
    """Where each of our chunks starts in the raw text, with its locator."""
    offsets, locators, cursor = [], [], 0
    for chunk in split_document(text, entry):
        needle = chunk.text.split("\n", 1)[0][:40]
        found = text.find(needle, cursor)
        if found >= 0:
            offsets.append(found)
            locators.append(chunk.locator)
            cursor = found
    return offsets, locators


class _Embeddings(Embeddings):
    """LangChain's Embeddings interface over the bundled all-MiniLM-L6-v2."""

    def __init__(self) -> None:
        self.model = SentenceTransformerEmbedder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text).tolist()
