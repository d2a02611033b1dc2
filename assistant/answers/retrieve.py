"""Hybrid retrieval: dense (Chroma) and keyword (BM25) results fused by reciprocal rank.

(``retriever`` puts the same search behind LangChain's retriever interface.)

The question is first understood (typos, glossary terms, explicit references): the
provisions a question names ("rule 41", "COP10") come first; the section on another body the question
names (the COSP's) joins the fusion as if ranked first. Where one provision exists in
several languages (same ``doc_id`` and ``locator``), the version in the question's
language takes the place of the others; a provision that exists in one language only is
still found from the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answers.glossary import Body, Glossary
from assistant.answers.notes import Untreated, named_topics, untreated_topics
from assistant.answers.references import Key, chunk_keys
from assistant.answers.spelling import Speller
from assistant.answers.understand import Understanding, understand
from assistant.corpus.chunks import Chunk
from assistant.index.keyword import word_stems
from assistant.index.reader import IndexReader

if TYPE_CHECKING:
    from assistant.index.embed import Embedder

RRF_K = 60
CANDIDATES = 30
DENSE_WEIGHT = 0.3  # measured on the golden set: 0.3 > 0.5 > 1.0 (dense only) for hit@1
# A provision one of whose sample questions is clearly the closest to the question (closer by
# SAMPLE_MARGIN than any other provision's) joins the fusion as if ranked first with this weight.
# Chosen on evals/tune.jsonl: the closest sample question names the right provision for 73 % of
# questions, for 94 % of those where it leads by 0.02 (margins 0.01–0.03 and weights 0.2–0.3: one plateau).
SAMPLE_WEIGHT = 0.3
SAMPLE_MARGIN = 0.02
SAMPLE_CANDIDATES = 20
# The sections whose heading names the other body a question names (the COSP's, the INCB's) join the fusion as
# if ranked first with this weight: « la CEP8 (CNUCC) c'était où ? » is not COP8's. Chosen on evals/tune.jsonl:
# 0.6 +2 −0 answers, 0.8 +2 −1, 1.0 +2 −2.
BODY_WEIGHT = 0.6


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its evidence: cosine similarity, BM25 score, fused score."""

    chunk: Chunk
    similarity: float
    score: float
    keyword: float = 0.0
    pinned: bool = False  # the question named this provision ("rule 41")
    elsewhere: bool = False  # it is about a body the question does not name (the COSP's section)
    asked_as: bool = False  # one of its sample questions is clearly the closest to the question


@dataclass
class Retrieval:
    """The hits for one question, and what the question was understood as."""

    understanding: Understanding
    hits: list[Hit]
    dense: list[float] = field(default_factory=list)  # cosines of the dense candidates, best first
    keyword: list[float] = field(default_factory=list)  # BM25 scores of the keyword candidates
    untreated: list[Untreated] = field(default_factory=list)  # topics it names that a guide says it does not treat


class Searcher:
    """Hybrid search over one index version; the speller and reference index load on first use."""

    def __init__(self, reader: IndexReader, embedder: Embedder, glossary: Glossary) -> None:
        self.reader = reader
        self.embedder = embedder
        self.glossary = glossary
        self._speller: Speller | None = None
        self._references: dict[Key, list[int]] | None = None
        self._heading_bodies: dict[str, set[Body]] = {}
        self._body_sections: dict[Body, list[int]] | None = None
        self._untreated: list[Untreated] | None = None

    @property
    def untreated(self) -> list[Untreated]:
        """The topics the guides' notes list as not treated, read once per index version."""
        if self._untreated is None:
            self._untreated = untreated_topics(self.reader.chunks)
        return self._untreated

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            known = [form for term in self.glossary.terms + self.glossary.bodies for form in term.forms]
            keyword = self.reader.keyword
            self._speller = Speller((c.embed_text for c in self.reader.chunks), known,
                                    lambda word: any(keyword.has_term(s) for stems in word_stems(word) for s in stems))
        return self._speller

    def understand(self, question: str, lang: str) -> Understanding:
        """The question understood, its references read as provisions the index holds."""
        understood = understand(question, lang, self.glossary, self.speller)
        understood.references = [self._as_rule_if_no_article(key) for key in understood.references]
        return understood

    def search(self, question: str, lang: str, k: int) -> Retrieval:
        """The ``k`` best chunks for ``question``, one language version per provision; the
        provisions the question names come first."""
        reader, understood = self.reader, self.understand(question, lang)
        embedding = self.embedder.embed_query(understood.dense_text)
        dense = reader.vectors.query(embedding, CANDIDATES)
        similarity = {reader.position[cid]: sim for cid, sim in dense if cid in reader.position}
        keyword = dict(reader.keyword.search(understood.keyword_text, CANDIDATES))
        fused: dict[int, float] = {}
        asked_as = self._asked_as(embedding)
        # the provision's first chunk (in either language) takes the rank: its versions then compete
        # with it, which chose better on evals/tune.jsonl than the version in the question's language
        sampled = [] if asked_as is None else [reader.provision_position[asked_as]]
        rankings = [(list(similarity), DENSE_WEIGHT), (list(keyword), 1.0 - DENSE_WEIGHT), (sampled, SAMPLE_WEIGHT)]
        for ranking, weight in rankings:
            for rank, pos in enumerate(ranking):
                fused[pos] = fused.get(pos, 0.0) + weight / (RRF_K + rank + 1)
        for pos in self._sections_on(understood):  # each as if ranked first
            fused[pos] = fused.get(pos, 0.0) + BODY_WEIGHT / (RRF_K + 1)
        pinned = self._named(understood.references)
        order = pinned + [p for p in sorted(fused, key=lambda p: -fused[p]) if p not in pinned]
        hits: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        for pos in order:
            chunk = reader.chunks[pos]
            if (chunk.doc_id, chunk.locator) in seen:
                continue
            seen.add((chunk.doc_id, chunk.locator))
            preferred = reader.by_provision.get((chunk.doc_id, chunk.locator, lang))
            if preferred is not None and preferred.lang != chunk.lang:
                chunk = preferred
            own = reader.position[chunk.id]
            hits.append(Hit(reader.whole(chunk), similarity.get(own, similarity.get(pos, 0.0)), fused.get(pos, 0.0),
                            keyword.get(own, keyword.get(pos, 0.0)), pos in pinned,
                            bool(self._bodies(chunk) - {body for _, body in understood.bodies}),
                            chunk.provision == asked_as))
            if len(hits) == k:
                break
        return Retrieval(understood, hits, [sim for _, sim in dense], sorted(keyword.values(), reverse=True),
                         named_topics(understood.text, self.untreated))

    def _asked_as(self, embedding) -> str | None:  # type: ignore[no-untyped-def]
        """The provision ("guide-rules#rule-10") whose sample question is clearly the closest, if any."""
        best: dict[str, float] = {}
        for provision, sim in self.reader.nearest_questions(embedding, SAMPLE_CANDIDATES):
            best.setdefault(provision, sim)
        ranked = list(best.items())
        if not ranked or len(ranked) > 1 and ranked[0][1] - ranked[1][1] < SAMPLE_MARGIN:
            return None
        return ranked[0][0] if ranked[0][0] in self.reader.provision_position else None

    def _sections_on(self, understood: Understanding) -> list[int]:
        """The first chunk of each provision whose heading names another body the question names."""
        if not understood.bodies:
            return []
        if self._body_sections is None:  # read once per index version
            self._body_sections = {}
            for pos in self.reader.provision_position.values():
                for body in self._bodies(self.reader.chunks[pos]):
                    self._body_sections.setdefault(body, []).append(pos)
        return list(dict.fromkeys(pos for _, body in understood.bodies for pos in self._body_sections.get(body, [])))

    def _bodies(self, chunk: Chunk) -> set[Body]:
        """The other bodies a passage's heading names (its subject)."""
        if chunk.id not in self._heading_bodies:
            self._heading_bodies[chunk.id] = {body for _, body in self.glossary.bodies_in(chunk.heading)}
        return self._heading_bodies[chunk.id]

    def _as_rule_if_no_article(self, key: Key) -> Key:
        """« art. 55 » with no article 55 of the Convention: the rules of procedure's article 55
        (French calls the rules « articles »)."""
        if key[0] != "article" or self._positions(key) or not self._positions(("rule",) + key[1:]):
            return key
        return ("rule",) + key[1:]

    def _positions(self, key: Key) -> list[int]:
        """Positions of the chunks that are ``key`` (``("article", "32", "3")`` or its article)."""
        if self._references is None:
            self._references = {}
            for pos, chunk in enumerate(self.reader.chunks):
                for chunk_key in chunk_keys(chunk):
                    self._references.setdefault(chunk_key, []).append(pos)
        return self._references.get(key) or self._references.get(key[:2], [])

    def _named(self, references: list[Key]) -> list[int]:
        """Positions of the chunks the question names, in the order it names them."""
        found: list[int] = []
        for key in references:
            positions = self._positions(key)
            found += [p for p in positions if p not in found]
        return found
