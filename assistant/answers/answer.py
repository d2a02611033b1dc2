"""What every front end receives: an answer with its numbered citations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assistant.answers.retrieve import Hit

NOT_COVERED = {
    "en": "The knowledge base does not cover this question. The closest sources are listed below.",
    "fr": "La base de connaissances ne couvre pas cette question. Les sources les plus proches "
          "sont indiquées ci-dessous.",
}
OTHER_LANGUAGE = {
    "en": "(From a source in another language.)",
    "fr": "(D’après une source dans une autre langue.)",
}
NOTHING_ON = {
    "en": "The knowledge base has nothing on {what}. The closest sources are listed below.",
    "fr": "La base de connaissances ne contient rien sur {what}. Les sources les plus proches sont indiquées "
          "ci-dessous.",
}
OTHER_TIME = {
    "en": "The knowledge base does not give this for {when}; the passages closest to the question speak of other "
          "sessions or years. The closest sources are listed below.",
    "fr": "La base de connaissances ne donne pas ce fait pour {when} ; les passages les plus proches de la question "
          "portent sur d’autres sessions ou années. Les sources les plus proches sont indiquées ci-dessous.",
}
ABOUT_ANOTHER_BODY = {
    "en": "This knowledge base covers the Conference of the Parties to the United Nations Convention against "
          "Transnational Organized Crime; the question is about {body}, whose procedure it does not cover. "
          "The closest COP sources are listed below.",
    "fr": "Cette base de connaissances porte sur la Conférence des Parties à la Convention des Nations Unies "
          "contre la criminalité transnationale organisée ; la question porte sur {body}, dont elle ne couvre "
          "pas la procédure. Les sources de la CP les plus proches sont indiquées ci-dessous.",
}


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    locator: str
    heading: str
    lang: str
    url: str | None
    snippet: str
    kind: str


@dataclass
class Answer:
    question: str
    language: str
    answered: bool
    answer: str
    citations: list[Citation]
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = "extractive"  # "llm", "extractive" or "extractive-fallback" (the LLM's was set aside)
    dropped: list[str] = field(default_factory=list)  # generated sentences the citation guard removed
    expanded: dict = field(default_factory=dict)  # what the question was understood as (typos, terms…)
    confidence: float | None = None  # the refusal model's probability that the question is covered
    # Why the extractive answer replaced the model's: "model-declined", "key-fact-dropped",
    # "unsupported" (no sentence survived the guard), "timeout" or "error"; "" otherwise.
    fallback: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def citation(n: int, hit: Hit) -> Citation:
    """Citation ``[n]`` for a retrieved passage, with a short snippet."""
    chunk = hit.chunk
    snippet = chunk.text if len(chunk.text) <= 240 else chunk.text[:237].rsplit(" ", 1)[0] + "…"
    return Citation(n=n, doc_id=chunk.doc_id, title=chunk.title, locator=chunk.locator,
                    heading=chunk.heading, lang=chunk.lang, url=chunk.url, snippet=snippet,
                    kind=chunk.kind)


def in_language(messages: dict[str, str], lang: str) -> str:
    """One of our messages in the question's language, else in English."""
    return messages[lang if lang in messages else "en"]


def declined(question: str, lang: str, hits: list[Hit], message: dict[str, str] = NOT_COVERED, **fields: str) -> Answer:
    """Declined, with the closest sources: ``message`` in the question's language (else English), ``fields`` filled."""
    text = in_language(message, lang).format(**fields)
    return Answer(question, lang, False, text, [citation(n, hit) for n, hit in enumerate(hits[:3], 1)])
