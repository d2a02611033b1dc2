"""What a question asks for, and how fully a sentence states it.

The kind of fact (``question_kind``: "when" a date, "how many" a number…) and how fully a sentence
states it (best: a number of the things counted, « sept résolutions »); "without…?", "in all cases?"
the exception to the rule; "art 35(3)" the sentences on paragraph 3. Patterns work on accent-free
lower-case text, in English and French.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from assistant.answers.question_kind import asked_kind
from assistant.corpus.numbers import CARDINALS
from assistant.corpus.text import fold
from assistant.index.keyword import word_stems

if TYPE_CHECKING:
    from assistant.answers.understand import Understanding

_NUMBER_WORDS = "|".join(sorted({fold(w) for w in CARDINALS if len(w) > 2}, key=len, reverse=True))
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre")
_UNITS = r"(?:days?|weeks?|months?|years?|hours?|jours?|semaines?|mois|ans?|annees?|heures?)"

# "only States Parties may", « seuls les États », « les seuls instruments manquants »: a restriction;
# "the first, and only, instrument", « le seul instrument », « à lui seul »: a description
_ONLY = (r"(?:only(?<!\bthe only)(?<!, and only)|"  # the word first, then what precedes it: a fast search
         r"seul(?<!\ble seul)(?<!\bla seul)(?<!\blui seul)(?<!\belle seul)(?<!\belles seul)(?<!\beux seul)\w*)")

SENTENCE_FACTS = {
    "period": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})(?:\s*\(\d+\))?[\s-]+(?:\w+\s+)?{_UNITS}\b|\bevery\b|"
                         r"\bchaque\b|\btous les\b|\bannual|\bbiennial|\b(?:a|per|par) (?:year|an|annee)\b"),
    "majority": re.compile(r"\b(?:majorit\w*|two[- ]thirds|deux tiers|2/3(?!\d)|unanim\w*)"),
    "count": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})\b"),  # ("at least two representatives" is a count)
    "date": re.compile(rf"\b(?:{_MONTHS})\b|\b(?:19|20)\d\d\b"),
    "place": re.compile(r"\b(?:vienna|vienne|new york|palermo|palerme|geneva|geneve|headquarters|siege|hybrid|hybride|"
                        r"online|en ligne)\b"),
    "symbol": re.compile(r"\b\d{1,3}/\d{1,3}\b|\b[A-Z]{2,}/[A-Z]"),  # searched with its capitals
    "actor": re.compile(r"\b(?:[Ss]ecretariat|[Bb]ureau|[Pp]resident|[Vv]ice-[Pp]resident|[Rr]apporteur|"
                        r"Secretary-General|Secretaire general|UNODC|ONUDC|States? Part(?:y|ies)|Etats? [Pp]arties?|"
                        r"Executive Director|Directrice executive|General Assembly|Assemblee generale|"
                        r"(?!(?:The|Its|This|These|Under|La|Le|Les|Un|Une|Selon|Cette|Ce)\b)"
                        r"[A-Z][a-z]+ [A-Z][a-z]+)\b"),
    "condition": re.compile(r"\b(?:if|si|provided|pourvu|a condition|lorsqu\w*|where|whenever|unless|a moins|"
                            r"after \w+ing|in advance|beforehand|prior|apres (?:en )?avoir|a l'avance|au prealable)\b"),
    "definition": re.compile(r"\b(?:means?|is defined|are defined|refers? to|consiste\w*|designe\w*|s'entend\w*|"
                             r"on entend|defini\w*|est constitue|"  # "an offence is transnational (in nature) if":
                             r"\b(?:an?|une?) [\w-]+ (?:is|est) \w+(?<!ed)(?<!ee)(?: in nature)? (?:if|si))\b"),
    "permission": re.compile(rf"\b(?:may|can|cannot|must|shall|{_ONLY}|unless|except|not|peut|peuvent|doit|"
                             r"doivent|sauf|a moins|aucun\w*|uniquement|ne peu\w*|ne doi\w*|n'est pas|ne sont pas|"
                             r"pas autorise\w*|n'ont pas|n'a pas|pas le droit|no right|not entitled)\b"),
}  # (not "no": "no review was completed" permits nothing)
CITY = re.compile(rf"(?:\b(?:in|at)|(?<!\w)à)\s+"
                  rf"(?!(?:{_MONTHS.title()}|Persons|Migrants|Firearms|Articles?|Rules?|Annex|Resolution|Decision|"
                  r"Working|Procedure|English|French|Arabic|Chinese|Russian|Spanish|Anglais|Fran\w+|Arabe|Chinois|"
                  r"Russe|Espagnol)\b)"
                  r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b(?! (?:Protocol|Convention|Group|Conference|Committee))")
RELATIVE_DATE = re.compile(rf"\b\w+(?:th|ieme|eme)\b(?:\s*\(\w+\))? (?:day|jour)\b|\b(?:\d+|{_NUMBER_WORDS})"
                           r"(?:\s*\(\d+\))? (?:days?|months?|years?|jours?|mois|ans?) (?:after|before|apres|avant)\b|"
                           # "at its next public meeting", « après les réunions des groupes de travail »: an event
                           r"\b(?:at|after|before|following|until) (?:the|its|their|each|every) (?:next |following )?"
                           r"(?:public |plenary )?(?:meetings?|sessions?)\b|"
                           r"\b(?:(?:apres |avant |jusqu'a |lors d(?:e |u |es |'))"
                           r"(?:la |le |les |l'|sa |son |ses |chaque |leurs? |une? )?"
                           r"|a (?:la |l'|sa |son |ses |chaque |leurs? )|aux? )(?:prochaines? |suivantes? )?"
                           r"(?:seances?|sessions?|reunions?)\b")
# "if we ratify now, when…?", "deposited its instrument…: from what point is it in force?": a day after
ASKS_RELATIVE_DATE = re.compile(r"\b(?:if|si|once|une fois|after|apres|for (?:us|it|them|a state|that state)|"
                                r"pour (?:nous|eux|lui|un etat|cet etat)|a son egard|deposit\w*|depose\w*)\b")
ASKS_EXCEPTION = re.compile(r"\b(?:without|sans|except|sauf|other than|autres? que|in all cases|in every case|"
                            r"dans tous les cas|always|toujours|even if|meme si|what if|and if|et si|unless|a moins|"
                            r"not|isn'?t|aren'?t|doesn'?t|don'?t|can'?t|cannot|pas|no longer|otherwise|sinon)\b")
STATES_EXCEPTION = re.compile(r"\b(?:other|others|autres?|except|excepte|sauf|unless|a moins|however|toutefois|"
                              r"cependant|en revanche|but|mais|"
                              rf"{_ONLY}|not|pas|cannot|without|sans|"
                              r"in the absence|en l'absence|instead|au lieu|no longer|neither|ni)\b")
REQUIRES = re.compile(r"\b(?:must|shall|required?|doit|doivent|faut|exige\w*|necessaire)\b")  # "only": an exception
# What the subject lacks, after the words that say so: "NGO without (ECOSOC status)", « qui ne jouit pas du
# (statut consultatif) », "that has not become (a party to the Convention)"; "status with ECOSOC" goes on.
_DU = r"(?:du|de la|des|de|d')"
_LACKING = [r"without(?: (?:first|even|yet|already|ever))?(?: (?:being|having|becoming|holding))?",
            r"sans(?: (?:d'abord|meme|encore|jamais))?(?: (?:etre|avoir|devenir))?", r"no", r"aucune?", r"pas de",
            r"pas d'", r"lacking", r"lacks?", r"w/o",
            r"not (?:holding|having|enjoying|being)", r"(?:has|have|had)(?: not|n't)(?: yet)? (?:become|been)",
            r"(?:do|does|did)(?: not|n't) (?:have|hold|enjoy|possess)(?: an?| the| any)?",
            r"(?:n'est|ne sont) pas(?: encore)?(?= parties?\b)", r"n'ayant pas (?:le|la|les|du|de|d')",
            rf"(?:ne |n')(?:jouit|jouissent|dispose|disposent|possede|possedent|beneficie|beneficient|a|ont) pas {_DU}",
            rf"non dote\w* {_DU}", rf"depourvue?s? {_DU}"]
_LACKED = r"(?!(?:with|from|aupres)\b)[a-z'-]+"
NEGATED = re.compile(rf"\b(?:{'|'.join(_LACKING)})(?:(?<=')|(?!\w))\s*"
                     rf"((?:{_LACKED}\s+){{0,2}}{_LACKED}(?:\s+(?:with|from|aupres d[eu]|aupres de l')\s*[a-z'-]+)?)")
# "when there is no consensus", « qd ya pas de consensus »: a situation, nobody lacks it ("an NGO with no status" does)
SITUATION = re.compile(r"(?:no|aucune?|pas de|pas d')(?!\w)")
HELD = re.compile(r"\b(?:with|avec|ayant)\s+$")
# a sentence that says something is lacking: "NGOs not in consultative status", « autres que », « ne sont pas dotées »
# (not "non-governmental", « non gouvernementales »)
SAYS_LACKING = re.compile(r"\b(?:not|no|pas|ne|n'|without|sans|other than|autres? que|lack\w*|neither|ni|"
                          r"non dote\w*)\b")
# A yes/no question ("was COP11 fully in person?", "does the Convention define it?") is answered
# by the qualification ("hybrid", "does not define") as often as by a plain yes: the same favour.
YES_NO = re.compile(r"^\W*(?:was|were|is|are|does|do|did|has|have|est-ce qu|y a-t-il)\b")
COUNTED = re.compile(r"\b(?:how many|number of|combien (?:y a-t-il )?(?:de |d')|nombre (?:de |d'))\s*"
                     r"(?:the |les |des )?([a-z][a-z-]{2,})|\b([a-z][a-z-]{2,}) count\b")  # "party count"
NUMBER = re.compile(rf"^(?!(?:un|une)$)(?:\d+|{_NUMBER_WORDS})$")  # « un examen » is an article
CLAUSE_END = re.compile(r"[;:]")  # « quatre (4) phases de deux ans ; un examen »: no count of examens
COUNT_WINDOW = 3  # "seven (7) resolutions", « treize (13) membres »: the noun within three words
UNCOUNTED = 0.5  # a number, but not of the things counted (a date, but not of the kind asked): this much
REFERENCE_NUMBERS = re.compile(r"\b(?:rules?|regles?|articles?|art\.?|paragraph\w*|paras?\.?|resolutions?|"
                               r"decisions?|annex\w*)\s+\d+(?:/\d+)?(?:\s*\(\d+\))*|\b\d+\s*\(\d+\)|\b\d+/\d+\b|\b(?:19|20)\d\d\b",
                               re.IGNORECASE)  # "rule 99(1)", "9/1", "in 2023": numbers that count nothing
INSTRUMENTS = {  # what a fact can be about: "The Convention had 189 parties" is not the Firearms Protocol's count
    "convention": r"\bconvention\b(?! (?:against|contre) (?:la )?corruption)|\buntoc\b|\bcto\b|\bpalerm",
    "trafficking": r"\btrafficking in persons\b|\btraite des personnes\b|\btip\b",
    "smuggling": r"\bsmuggling of migrants\b|\btrafic illicite de migrants\b",
    "firearms": r"\bfirearms\b|\barmes a feu\b"}
PROTOCOL_NAMES = {  # a Protocol as the documents name it, to stand in a sentence on every Protocol
    "trafficking": {"en": "Trafficking in Persons Protocol", "fr": "Protocole relatif à la traite des personnes"},
    "smuggling": {"en": "Smuggling of Migrants Protocol", "fr": "Protocole relatif au trafic illicite de migrants"},
    "firearms": {"en": "Firearms Protocol", "fr": "Protocole relatif aux armes à feu"},
}
ANY_PROTOCOL = re.compile(r"\b(?:its|the|ses|les|three|trois|all|tous|ces|these) (?:protocol(?:e)?s|instruments)\b|"
                          r"\b(?:a|an|any|each|un|une|chaque) (?:protocole?|instrument)\b(?! of| d)")
# ("the Protocols", "all the instruments", "a protocol": each of them; not "an instrument of ratification")
# a paragraph or a decision named: what a sentence is on, until another is named
NAMES_A_PART = re.compile(r"\(\s*\d{1,2}\s*\)|\bparagraph(?:e|s|es)?\s+\d|\bparas?\.?\s*\d|"
                          r"\b(?:rules?|r[eè]gles?|articles?|arts?\.?)\s*\d|(?<![\d/(])\d{1,3}/\d{1,3}(?![\d/)])",
                          re.IGNORECASE)
LEAD_IN = re.compile(r"^(?:under|selon|according to|d'apres|in|par|by)\b[^,;]{0,80},\s*", re.IGNORECASE)
SUBJECT_WORDS = 8


@dataclass(frozen=True)
class Asked:
    """What a question asks for: a kind of fact, the things it counts, the exception, a paragraph."""

    kind: str | None
    exception: bool = False  # "without ECOSOC status?", "in all cases?", yes/no: the departure from the rule
    counted: frozenset[str] = frozenset()  # stems of what "how many" counts
    paragraphs: frozenset[str] = frozenset()  # paragraphs the question names: "art 35(3)" → "3"
    symbols: frozenset[str] = frozenset()  # decisions and resolutions it names: "decision 4/6" → "4/6"
    relative: bool = False  # "when" from an event ("if we ratify now, when…?"): "the 30th day after"
    negated: frozenset[str] = frozenset()  # stems of what is missing: "NGO without (ECOSOC status)", "no (consensus)"
    instruments: frozenset[str] = frozenset()  # the Convention or Protocols it asks about
    lacked: frozenset[str] = frozenset()  # …of them, what a subject lacks (not "no consensus", a situation)

    def states(self, sentence: str) -> float:
        """How fully ``sentence`` states the asked kind of fact, from 0 to 1."""
        if self.kind == "count" and self.counted and not _counts(sentence, self.counted):
            return UNCOUNTED * states("count", sentence)
        if self.kind == "date":
            wanted, other = states("date", sentence), bool(RELATIVE_DATE.search(fold(sentence).lower()))
            wanted, other = (other, wanted) if self.relative else (wanted, other)
            return 1.0 if wanted else UNCOUNTED * other
        if self.kind == "symbol":  # "decision 4/4: what symbol do its documents carry?": not 4/4 again
            for symbol in self.symbols:
                sentence = re.sub(rf"(?<![\d/]){re.escape(symbol)}(?![\d/])", " ", sentence)
        return float(states(self.kind, sentence))

    def of_another_instrument(self, sentence: str) -> bool:
        """Whether the sentence states its fact of another instrument than the one asked about
        ("The Convention had 189 parties at COP9" to "Firearms Protocol parties at COP9?")."""
        if not self.instruments:
            return False
        about = instruments_in(_subject(sentence))
        return bool(about) and not about & self.instruments

    def silent_on_protocol(self, sentence: str, heading: str) -> bool:
        """Whether a question on a Protocol gets a sentence that, heading included, names none of the
        instruments asked about ("121 States Parties attended COP10", asked "TIP Protocol parties at COP10?")."""
        named = instruments_in(f"{heading} {sentence}")
        return bool(self.instruments - {"convention"}) and not named & self.instruments

    def protocols_meant(self, text: str, lang: str) -> str:
        """The names of the Protocols asked about when ``text`` speaks of every Protocol ("a State
        must be a party to the Convention to become a party to a protocol" answers for the SOM
        Protocol), else ""."""
        asked = sorted(self.instruments - {"convention"})
        if not asked or not ANY_PROTOCOL.search(fold(text).lower()):
            return ""
        return " ".join(PROTOCOL_NAMES[name]["fr" if lang == "fr" else "en"] for name in asked)

    def departs(self, sentence: str) -> bool:
        """Whether the sentence states an exception, when one is asked about, or requires what the subject
        lacks ("join a Protocol without being a party to the Convention?": "…must be a party to the Convention")."""
        folded = fold(sentence).lower()
        if not self.exception or STATES_EXCEPTION.search(folded):
            return self.exception
        lacked = _content(self.negated)
        found = _stems_of(folded) if lacked and REQUIRES.search(folded) else set()
        return len(lacked & found) >= max(1, len(lacked) - 1)

    def of_the_holders(self, sentence: str) -> bool:
        """Whether the sentence speaks of those who have what the subject lacks, neither saying it is
        lacking nor requiring it ("NGO without ECOSOC status?": not "NGOs in consultative status with
        ECOSOC may apply…", though it says "unless the COP decides otherwise")."""
        lacked = _content(self.lacked)
        if not lacked:
            return False
        folded = fold(sentence).lower()
        return (len(lacked & _stems_of(folded)) >= len(lacked) - (len(lacked) > 2) and not SAYS_LACKING.search(folded)
                and not REQUIRES.search(folded))

    def named_at(self, paragraph: list[str], index: int) -> int | None:
        """Where sentence ``index`` of a paragraph is said to be on what the question names: itself, or the
        sentence before it that names it with none naming another paragraph or decision between ("Under
        article 35(3)–(4), … That reservation can be withdrawn at any time"); None when it is not on it."""
        for at in range(index, -1, -1):
            if self.names_what_was_named(paragraph[at]):
                return at
            if NAMES_A_PART.search(paragraph[at]):
                return None
        return None

    def names_what_was_named(self, sentence: str, with_paragraphs: bool = True) -> bool:
        """Whether the sentence is on a paragraph ("Under article 35(3)–(4)") or a decision (« 4/6 »)
        the question names (``with_paragraphs`` false: on such a decision)."""
        return (with_paragraphs and any(re.search(rf"\(\s*{p}\s*\)|\bparagraph(?:e|s|es)?\s+{p}\b|\bparas?\.?\s*{p}\b",
                                             sentence) for p in self.paragraphs)
                or any(re.search(rf"(?<![\d/]){re.escape(symbol)}(?![\d/])", sentence) for symbol in self.symbols))


def asked(question: str, references: Iterable[tuple[str, ...]] = (), expansions: str = "") -> Asked:
    """What ``question`` asks for; ``references`` are the provisions it names, ``expansions`` the
    question in the documents' words (glossary terms: "FM protocol" → "Firearms Protocol")."""
    text = fold(question).lower()
    counted = COUNTED.search(text)
    stems = word_stems(counted.group(1) or counted.group(2)) if counted else []
    missing = list(NEGATED.finditer(text))
    return Asked(
        kind=asked_kind(question), exception=bool(ASKS_EXCEPTION.search(text) or YES_NO.search(text)),
        counted=frozenset(stems[0]) if stems else frozenset(),
        paragraphs=frozenset(key[2] for key in references if len(key) > 2),
        symbols=frozenset(key[1] for key in references if key[0] == "symbol"),
        relative=bool(ASKS_RELATIVE_DATE.search(text)),
        negated=_lacked_stems(missing),
        instruments=instruments_in(f"{question} {expansions}"),
        lacked=_lacked_stems(m for m in missing if not SITUATION.match(m.group(0)) or HELD.search(text[:m.start()])))


def _lacked_stems(matches: Iterable[re.Match[str]]) -> frozenset[str]:
    """The stems of what the matches of ``NEGATED`` say is lacking."""
    return frozenset(stem for match in matches for stem in _stems_of(match.group(1)))


def _stems_of(text: str) -> set[str]:
    """Every stem of every word of ``text``."""
    return {stem for stems in word_stems(text) for stem in stems}


def _content(stems: frozenset[str]) -> set[str]:
    """The stems long enough to tell what is lacked ("status", not "of")."""
    return {stem for stem in stems if len(stem) > 3}


def asked_of(understood: Understanding) -> Asked:
    """What an understood question asks for, its references and glossary words included."""
    return asked(understood.text, understood.references, understood.sentence_text())


def instruments_in(text: str) -> frozenset[str]:
    """The Convention and Protocols ``text`` names; "its Protocols", "a protocol" name each."""
    text = fold(text).lower()
    named = {name for name, pattern in INSTRUMENTS.items() if re.search(pattern, text)}
    return frozenset(named | (set(INSTRUMENTS) - {"convention"} if ANY_PROTOCOL.search(text) else set()))


def _subject(sentence: str) -> str:
    """The first words of a sentence, after "Under article 37,": what it speaks of."""
    return " ".join(LEAD_IN.sub("", fold(sentence)).split()[:SUBJECT_WORDS])


def states(kind: str | None, sentence: str) -> bool:
    """Whether ``sentence`` holds the kind of fact asked for (an actor: as its subject)."""
    if kind is None:
        return False
    text = fold(sentence)
    if kind == "actor":  # "UNODC provides the secretariat", not a list that mentions the Bureau
        return bool(SENTENCE_FACTS[kind].search(_subject(sentence)))
    if kind == "symbol":  # "CTOC/COP/WG.4": capitals tell a symbol from "and/or"
        return bool(SENTENCE_FACTS[kind].search(text))
    if kind == "place" and CITY.search(sentence):  # "in Atlanta", « à Doha » (not "a State Party")
        return True
    if kind == "count":
        text = REFERENCE_NUMBERS.sub(" ", text)
    return bool(SENTENCE_FACTS[kind].search(text.lower()))


def _counts(sentence: str, counted: frozenset[str]) -> bool:
    """Whether a number in ``sentence`` counts the things asked about (« treize (13) membres »)."""
    for clause in CLAUSE_END.split(REFERENCE_NUMBERS.sub(" ", fold(sentence)).lower()):
        words = re.findall(r"[\w'-]+|\(\d+\)", clause)
        for n, word in enumerate(words):
            if NUMBER.match(word):
                following = " ".join(w for w in words[n + 1:n + 1 + COUNT_WINDOW] if not w.startswith("("))
                if any(stems & counted for stems in word_stems(following)):
                    return True
    return False
