"""What a question was understood as: typos corrected, glossary terms and references found.

The keyword search gets the question plus the documents' words for each glossary term, in
both languages; the dense search gets the question (typos corrected) plus those words in the
question's language. ``expanded`` is what ``ask --json`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answers.glossary import Body, Glossary, Term
from assistant.answers.references import Key, describe, question_references
from assistant.answers.spelling import Speller


@dataclass
class Understanding:
    question: str
    lang: str
    corrected: dict[str, str] = field(default_factory=dict)
    terms: list[tuple[str, Term]] = field(default_factory=list)  # (form as typed, term)
    bodies: list[tuple[str, Body]] = field(default_factory=list)
    references: list[Key] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The question with its typos corrected."""
        text = self.question
        for typed, right in self.corrected.items():
            text = text.replace(typed, right)
        return text

    @property
    def keyword_text(self) -> str:
        return " ".join([self.text] + [f"{term.en} {term.fr}" for _, term in self.terms])

    @property
    def dense_text(self) -> str:
        words = [term.fr if self.lang == "fr" else term.en for _, term in self.terms]
        added = [w for w in dict.fromkeys(words) if w.lower() not in self.text.lower()]
        return self.text + (f" ({'; '.join(added)})" if added else "")

    def expanded(self) -> dict:
        """What was understood, for people reading ``--json``."""
        return {
            "corrected": self.corrected,
            "terms": {form: f"{term.en} / {term.fr}" for form, term in self.terms},
            "references": [describe(key) for key in self.references],
            "other_bodies": [body.en for _, body in self.bodies],
        }


def understand(question: str, lang: str, glossary: Glossary, speller: Speller | None) -> Understanding:
    """Correct typos, then find glossary terms, other bodies and explicit references.

    A term is expanded only where the documents do not use the form typed ("VPs", "creds"):
    adding "Conference of the Parties" to every question that says "COP" only dilutes it.
    """
    result = Understanding(question, lang)
    if speller is not None:
        result.corrected = speller.corrections(question)
    text = result.text
    result.terms = [(form, term) for form, term in glossary.terms_in(text)
                    if speller is None or not speller.in_documents(form)]
    result.bodies = glossary.bodies_in(text)
    result.references = question_references(text)
    return result
