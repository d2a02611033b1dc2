"""What kind of fact a question asks for, and whether a sentence states one.

"when" wants a date, "how many" a number, "how long / how far ahead" a period, "who" an
actor, "which resolution" a symbol, "can / may" a permission or its exception. Patterns
work on accent-free lower-case text, in English and French.
"""

from __future__ import annotations

import re

from assistant.answers.facts import CARDINALS
from assistant.corpus.text import fold

_NUMBER_WORDS = "|".join(sorted({fold(w) for w in CARDINALS if len(w) > 2}, key=len, reverse=True))
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre")
_UNITS = r"(?:days?|weeks?|months?|years?|hours?|jours?|semaines?|mois|ans?|annees?|heures?)"

QUESTION_KINDS = [  # first match wins: "how many days" is a period, not a count
    ("period", re.compile(r"\b(?:how long|how far|how early|how soon|how many (?:days|weeks|months|years|hours)|"
                          r"deadline|time limit|delai|combien de (?:temps|jours|semaines|mois|ans|heures)|"
                          r"dans quel delai|how often|frequence|tous les combien|a quelle frequence)\b")),
    ("count", re.compile(r"\b(?:how many|how much|number of|combien|nombre de|quel nombre)\b")),
    ("place", re.compile(r"\b(?:where|which city|what city|ou se|ou a lieu|ou ont lieu|ou est|quelle ville|"
                         r"dans quelle ville|quel lieu|lieu)\b|\bo\u00f9\b")),
    ("date", re.compile(r"\b(?:when|what date|which date|what year|which year|quand|quelle date|"
                        r"en quelle annee|quelle annee|date)\b")),
    ("symbol", re.compile(r"\b(?:which|what|quelle?s?|sous quelle)\s+(?:\w+\s+)?(?:resolution|decision|res|dec|"
                          r"document|symbol|symbole)s?\b")),
    ("actor", re.compile(r"^(?:\W*)(?:who|whom|whose|qui)\b|\b(?:who|qui) (?:is|are|was|were|est|sont|a|ont|"
                         r"prepare|convene|chair|preside|assure|decide)\w*\b|\bby whom\b|\bpar qui\b")),
    ("permission", re.compile(r"^(?:\W*)(?:can|may|could|must|is it possible|are .{0,40} allowed|is .{0,40} allowed|"
                              r"do(?:es)? .{0,40} need|peut|peuvent|est-ce qu|a-t-on|faut-il|doit|doivent)\b|"
                              r"\b(?:can|may|could|peut|peuvent|allowed|possible|autorise\w*|droit de)\b")),
]

SENTENCE_FACTS = {
    "period": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})(?:\s*\(\d+\))?[\s-]+(?:\w+\s+)?{_UNITS}\b|\bevery\b|"
                         r"\bchaque\b|\btous les\b|\bannual|\bbiennial|\bat least\b|\bau moins\b"),
    "count": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})\b"),
    "date": re.compile(rf"\b(?:{_MONTHS})\b|\b(?:19|20)\d\d\b"),
    "place": re.compile(r"\b(?:vienna|vienne|new york|palermo|palerme|geneva|geneve|headquarters|siege|hybrid|hybride|"
                        r"online|en ligne)\b"),
    "symbol": re.compile(r"\b\d{1,2}/\d{1,2}\b|\b[A-Z]{2,}/[A-Z]"),
    "actor": re.compile(r"\b(?:[Ss]ecretariat|[Bb]ureau|[Pp]resident|[Vv]ice-[Pp]resident|[Rr]apporteur|"
                        r"Secretary-General|Secretaire general|UNODC|ONUDC|States? Part(?:y|ies)|Etats? [Pp]arties?|"
                        r"Executive Director|Directrice executive|General Assembly|Assemblee generale|"
                        r"(?!(?:The|Its|This|These|Under|La|Le|Les|Un|Une|Selon|Cette|Ce)\b)"
                        r"[A-Z][a-z]+ [A-Z][a-z]+)\b"),
    "permission": re.compile(r"\b(?:may|can|cannot|must|shall|only|unless|except|not|no|peut|peuvent|"
                             r"doit|doivent|seul\w*|sauf|a moins|ne|pas|aucun\w*|uniquement)\b"),
}


def asked_kind(question: str) -> str | None:
    """``period``, ``count``, ``place``, ``date``, ``symbol``, ``actor``, ``permission`` or None."""
    text = fold(question).lower()
    for kind, pattern in QUESTION_KINDS:
        if pattern.search(text):
            return kind
    return None


LEAD_IN = re.compile(r"^(?:under|selon|according to|d'apres|in|par|by)\b[^,;]{0,80},\s*", re.IGNORECASE)
SUBJECT_WORDS = 8


def states(kind: str | None, sentence: str) -> bool:
    """Whether ``sentence`` holds the kind of fact asked for (an actor: as its subject)."""
    if kind is None:
        return False
    text = fold(sentence)
    if kind == "actor":  # "UNODC provides the secretariat", not a list that mentions the Bureau
        subject = " ".join(LEAD_IN.sub("", text).split()[:SUBJECT_WORDS])
        return bool(SENTENCE_FACTS[kind].search(subject))
    return bool(SENTENCE_FACTS[kind].search(text.lower()))
