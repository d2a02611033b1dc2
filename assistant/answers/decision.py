"""Answer or decline: a small logistic model over several signals of the retrieval.

No single cosine cut-off generalises (e5 cosines of relevant and irrelevant passages are a
few hundredths apart), so the decision weighs: the best dense similarity and its margin over
the fifth candidate, the best keyword score, the share of the question's words (by rarity)
that the top passages hold, that the sentences an answer would quote hold, and that the keyword
index never holds (neither the documents nor their sample questions), whether dense and keyword
search agree on the top passage, and whether the question named a provision (or another body's
session that a top passage names: "COSP10"). The weights are fitted on ``evals/tune.jsonl`` by
``assistant calibrate`` and stored in ``models.json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from assistant.answers.glossary import Body
from assistant.answers.references import cop_sessions
from assistant.answers.scope import names_session, other_body
from assistant.answers.scoring import weighted_share
from assistant.index.keyword import tokenize, word_stems

if TYPE_CHECKING:
    from assistant.answers.retrieve import Hit, Retrieval

FEATURES = ("dense_top", "dense_margin", "keyword_top", "coverage", "coverage_top1", "unknown",
            "agreement", "named", "coverage_answer")
COVERAGE_PASSAGES = 3


@dataclass
class Verdict:
    """Whether to answer and how sure; ``about`` is another body the question is on."""

    answer: bool
    probability: float
    about: Body | None = None
    missing: tuple[str, ...] = ()  # provisions the question names that no passage is ("session", "13")


@dataclass
class RefusalModel:
    """Standardised features, weights and the probability above which we answer."""

    features: tuple[str, ...]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> RefusalModel:
        return cls(tuple(data["features"]), data["mean"], data["scale"], data["weights"],
                   data["bias"], data["threshold"])

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(w * (signals[name] - m) / s for name, w, m, s
                            in zip(self.features, self.weights, self.mean, self.scale))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean, "scale": self.scale,
                "weights": self.weights, "bias": self.bias, "threshold": self.threshold}


def decide(found: Retrieval, quoted: list[tuple[Hit, str]], model: RefusalModel, idf: Callable[[str], float],
           known: Callable[[str], bool]) -> Verdict:
    """Answer when the model is confident enough and the question is about the COP's world
    (``quoted``: the sentences an extractive answer would quote, ``extractive.choose``)."""
    values = signals(found, quoted, idf, known)
    probability = model.probability(values)
    about = other_body(found.understanding, found.hits, idf, known)
    missing = _missing(found)
    return Verdict(probability >= model.threshold and about is None and not missing, probability, about, missing)


def _missing(found: Retrieval) -> tuple[str, ...]:
    """The session, rule or article the question names when no passage is it ("COP13" before it
    met): the closest passage would answer about another one."""
    sessions = cop_sessions(found.understanding.text)
    named = [key for key in found.understanding.references
             if key[0] in ("rule", "article") or key[0] == "session" and key[1] in sessions]
    return () if not named or any(hit.pinned for hit in found.hits) else named[0]


def signals(found: Retrieval, quoted: list[tuple[Hit, str]], idf: Callable[[str], float],
            known: Callable[[str], bool]) -> dict[str, float]:
    """The decision's inputs for one retrieval and the sentences it would quote (``known``: a word
    the keyword index holds)."""
    hits, dense, keyword = found.hits, found.dense or [0.0], found.keyword or [0.0]
    words = _question_words(found)
    top = hits[0] if hits else None
    return {
        "dense_top": dense[0],
        "dense_margin": dense[0] - dense[min(4, len(dense) - 1)],
        "keyword_top": math.log1p(keyword[0]),
        "coverage": _coverage(words, _passages(hits[:COVERAGE_PASSAGES]), idf),
        "coverage_top1": _coverage(words, _passages(hits[:1]), idf),
        "unknown": weighted_share(words, idf, lambda stems: not any(known(s) for s in stems)),
        "agreement": float(top is not None and top.similarity >= dense[min(2, len(dense) - 1)]
                           and top.keyword >= keyword[min(2, len(keyword) - 1)]),
        "named": float(any(hit.pinned for hit in hits) or _session_found(found)),
        # a passage near the question may not say what it asks ("can the president vote?": rule 57's
        # "each State Party has one vote"); cross-validated refusal accuracy 0.855 → 0.865 with it
        "coverage_answer": _coverage(words, [(text, hit.chunk.lang) for hit, text in quoted], idf),
    }


def _session_found(found: Retrieval) -> bool:
    """Whether a top passage names the very session of another body the question names ("COSP10")."""
    return any(names_session(hit, body, found.understanding) for _, body in found.understanding.bodies
               for hit in found.hits[:COVERAGE_PASSAGES])


def _question_words(found: Retrieval) -> list[set[str]]:
    """The stems of each content word; a glossary form ("VPs") counts as the documents' words."""
    understood = found.understanding
    words = []
    text = understood.text
    for form, term in understood.terms:
        text = text.replace(form, " ")
        words.append({s for stems in word_stems(f"{term.en} {term.fr}") for s in stems})
    return words + word_stems(text)


def _passages(hits: list[Hit]) -> list[tuple[str, str]]:
    return [(hit.chunk.embed_text, hit.chunk.lang) for hit in hits]


def _coverage(words: list[set[str]], texts: list[tuple[str, str]], idf: Callable[[str], float]) -> float:
    """The share of the question's words, by rarity, that ``texts`` (text, language) hold."""
    found: set[str] = set()
    for text, lang in texts:
        found.update(tokenize(text, lang))
    return weighted_share(words, idf, lambda stems: bool(stems & found))
