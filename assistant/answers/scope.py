"""Questions about someone else: another body's own procedure is not the COP's.

"What is the quorum of the General Assembly?" shares every word but one with a COP question,
and the COP's rule 41 would answer it wrongly. A question that names another body is out of
scope unless a top passage mentions that body *and* what is asked about it (the COSP section
names COSP10's city; "members elected by ECOSOC" names ECOSOC only as acting on the INCB, "General Assembly
resolution 55/25" only as an author), or
the question also names the COP (an observer at the COP, a comparison with the COP, not "Unlike the
COP, …" nor "the COP to the WHO FCTC") — for a treaty whose own meetings are "COPs", our Convention —
or a provision of ours.
An answer to such a question must come from a passage that names the body (``asked_about``, used by ``subject``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from assistant.answers.glossary import Body, Term
from assistant.answers.references import ARTICLE, RULE, cop_sessions, question_references
from assistant.answers.scoring import share_held
from assistant.corpus.numbers import ORDINALS
from assistant.corpus.text import fold
from assistant.index.keyword import tokenize, word_stems

if TYPE_CHECKING:
    from assistant.answers.retrieve import Hit
    from assistant.answers.understand import Understanding

SCOPE_PASSAGES = 3
PROVISION_TO_BODY = 80  # characters: « article 42 du projet de règlement intérieur de la CP à la CCNUCC »
# Share (by rarity) of the question's other words that a passage naming the body must hold.
MIN_SUBJECT_COVERAGE = 0.5
OUR_CONVENTION = (r"untoc|palermo|palerme|cto|organi[sz]ed crime|criminalite (?:transnationale )?organisee|"
                  r"transnational organi[sz]ed")
OUR_BODY = re.compile(rf"\b(?:cop|cp|cdp|conference of the parties|conference des parties|{OUR_CONVENTION})\b",
                      re.IGNORECASE)
OUR_TREATY = re.compile(rf"\b(?:{OUR_CONVENTION})\b", re.IGNORECASE)  # "COP" alone may be another treaty's
# "Unlike the COP, …", « À la différence des décisions de la CP, … »: the COP named only to set it aside
CONTRAST = re.compile(r"\b(?:unlike|contrary to|as opposed to|a la difference d\w*|contrairement a\w*)\b[^,;?]*",
                      re.IGNORECASE)
# "…wants it before the next CoP", « d'ici la prochaine CP »: the COP named only as a time
AS_A_TIME = re.compile(r"\b(?:before|by|ahead of|in time for|for|avant|d'ici|pour) (?:the |la |le )?"
                       r"(?:next|prochaine?) (?:cop|cp|cdp)\b", re.IGNORECASE)
# "the COP to the WHO FCTC", « la Conférence des Parties à la Convention-cadre de l'OMS … »: that body's COP,
# when at most three words of its owner's name stand between them (not our Convention's, not "same as")
ITS_COP = re.compile(r"\b(?:cop|cp|cdp|conference of the parties|conference des parties)\s+"
                     r"(?:to|of|under|a la|a l'|au|aux|de la|de l'|du|des|de)\s*(?:the\s+|la\s+|le\s+|les\s+|l')?"
                     r"(?:(?!(?:and|et|or|ou|than|que|with|avec|as|like|comme|same|meme)\b)[\w-]+['\s]+){0,3}$",
                     re.IGNORECASE)


def other_body(understood: Understanding, hits: list[Hit], idf: Callable[[str], float],
               known: Callable[[str], bool] = lambda stem: True) -> Body | None:
    """The other body the question is about, when the knowledge base says nothing on it.

    A typo or a word the documents never use cannot be found in any passage: it weighs nothing."""
    def weight(stem: str) -> float:
        return idf(stem) if known(stem) else 0.0

    about = asked_about(understood)
    for _, body in understood.bodies:
        if body in about and not any(_covers(hit, body, understood, weight) for hit in hits[:SCOPE_PASSAGES]):
            return body
    return None


def _covers(hit: Hit, body: Body, understood: Understanding, weight: Callable[[str], float]) -> bool:
    """Whether the passage names the very session asked about ("COSP10 (Atlanta…)"), or names the
    body and holds what is asked of it (glossary terms in the passage's words: "ToR")."""
    if names_session(hit, body, understood):
        return True
    return _speaks_of(hit, body, _without(understood.text, body), understood, weight)


# "its tenth session", « à Atlanta (dixième, décembre 2023) »: an ordinal that numbers a session
SESSION_ORDINAL = re.compile(r"(?<=\()\w+(?=[,)])|\w+(?= sessions?\b)")


def names_session(hit: Hit, body: Body, understood: Understanding) -> bool:
    """Whether the passage names the very session of the body that the question does ("UNCAC COSP10", "the
    COSP's tenth session"), as "COSP10" or « à Atlanta (dixième, décembre 2023) » beside the body."""
    # (read again: ``understood.references`` keeps only the COP's sessions)
    asked = {key[1] for key in question_references(understood.text) if key[0] == "session"}
    asked = (asked - cop_sessions(understood.text)) | _numbered(fold(understood.text), body)
    if not asked or not mentions(hit.chunk.text, body):
        return False
    named = _numbered(fold(hit.chunk.text), body)
    named |= {str(ORDINALS[word]) for word in SESSION_ORDINAL.findall(hit.chunk.text.lower()) if word in ORDINALS}
    return bool(asked & named)


def _numbered(text: str, body: Body) -> set[str]:
    """The session numbers written into the body's short name: "COSP10", "cosp10" → "10"."""
    if body.exact is None:
        return set()
    return {re.sub(r"\D", "", match.group()) for match in _any_case(body.exact.pattern).finditer(text)} - {""}


@lru_cache(maxsize=None)
def _any_case(pattern: str) -> re.Pattern[str]:
    """A short name in any case ("cosp10"): only its numbered matches are read."""
    return re.compile(pattern, re.IGNORECASE)


def asked_about(understood: Understanding) -> list[Body]:
    """The other bodies the question asks about, not only names: an answer must speak of them.
    A question naming a provision is about ours ("art 35(3) - can a State opt out of going to the
    ICJ?"), unless the provision is the other body's (« l'article 42 du règlement de la CCNUCC »)."""
    ours = [(OUR_TREATY if body.own_conference else OUR_BODY).search(_set_aside(understood.text, body))
            for _, body in understood.bodies]
    about = [body for (_, body), our in zip(understood.bodies, ours)  # "…the same as the GA's?"
             if not our and not _named_as_author(understood.text, body)]
    if understood.references:
        return [body for body in about if _names_its_provision(understood.text, body)]
    return about


def _set_aside(question: str, body: Body) -> str:
    """The question less the body's names, its own COP, what it sets aside ("Unlike the COP, …") and the COP
    named as a time ("before the next CoP")."""
    return AS_A_TIME.sub(" ", CONTRAST.sub(" ", _without(_without_its_cop(question, body), body)))


def _without_its_cop(question: str, body: Body) -> str:
    """The (folded) question with the COP blanked where it is the body's ("the COP to the WHO FCTC")."""
    folded = fold(question)
    for start, _ in body.spans(folded, folded.lower()):
        match = ITS_COP.search(folded, 0, start)
        if match and not OUR_TREATY.search(match.group()):
            folded = folded[:match.start()] + " " * (match.end() - match.start()) + folded[match.end():]
    return folded


def _names_its_provision(question: str, body: Body) -> bool:
    """Whether the question names a rule or article of ``body``: the body follows it closely."""
    folded = fold(question)
    starts = [start for start, _ in body.spans(folded, folded.lower())]
    return any(0 <= start - match.end() <= PROVISION_TO_BODY
               for pattern in (RULE, ARTICLE) for match in pattern.finditer(folded) for start in starts)


def mentions(text: str, body: Body) -> bool:
    return body.found_in(fold(text), fold(text).lower()) is not None


# "thirteen members elected by ECOSOC", « élus par le Conseil économique et social (ECOSOC) »: the body acting
ACTING_BY = re.compile(r"\b(?:by|par)\s+(?:the\s+|le\s+|la\s+|l')?(?:\w+\s+)?(?:[\w\s-]{0,40}\()?$", re.IGNORECASE)
# "General Assembly resolution 55/25", "resolution 55/25 of the General Assembly", « l'invitation permanente de
# l'Assemblée générale »: the body as the author of an instrument (a numbered resolution or decision, an invitation)
ITS_INSTRUMENT = re.compile(r"^\s*(?:\)\s*)?(?:(?:resolutions?|decisions?)\s+\d+/\d+|standing invitations?)\b",
                            re.IGNORECASE)
INSTRUMENT_OF = re.compile(r"\b(?:(?:resolutions?|decisions?)\s+\d+/\d+|invitations? permanentes?|"
                           r"standing invitations?)\s+(?:\([^)]*\)\s+)?(?:of the|de l'|de la |du )\s*$", re.IGNORECASE)


def named_in_passing(hit: Hit, body: Body, understood: Understanding) -> bool:
    """Whether the passage names the body only as the one acting on what the passage is about or as the author
    of an instrument, and the question names nothing of that ("ECOSOC's members?" is not answered by "the INCB's 13
    members elected by ECOSOC", nor "the GA's quorum?" by "a General Assembly standing invitation"; "INCB members
    from the WHO list?" is)."""
    folded = fold(hit.chunk.text)
    spans = body.spans(folded, folded.lower())
    if not spans or not all(_acting(folded, start) or _as_author(folded, start, end) for start, end in spans):
        return False
    lang = hit.chunk.lang
    asked = f"{understood.text} " + " ".join(f"{term.en} {term.fr}" for _, term in understood.terms)
    return not set(tokenize(hit.chunk.heading, lang)) & set(tokenize(asked, lang))


def _acting(text: str, start: int) -> bool:
    """Whether the body named at ``text[start:]`` follows "by" / « par »."""
    return ACTING_BY.search(text[max(0, start - 60):start]) is not None


def _as_author(text: str, start: int, end: int) -> bool:
    """Whether the body named at ``text[start:end]`` is the author of a resolution, decision or invitation."""
    return bool(INSTRUMENT_OF.search(text[max(0, start - 60):start]) or ITS_INSTRUMENT.match(text[end:end + 30]))


def _named_as_author(question: str, body: Body) -> bool:
    """Whether the question names the body only as an instrument's author ("with a GA standing invitation, can we
    vote?"): then it asks about something else."""
    folded = fold(question)
    spans = body.spans(folded, folded.lower())
    return bool(spans) and all(_as_author(folded, start, end) for start, end in spans)


def _without(text: str, body: Body) -> str:
    """The question with the body's names taken out (what is asked about it)."""
    text = fold(text)
    for pattern in (body.pattern, body.exact):
        if pattern is not None and pattern.pattern:
            text = pattern.sub(" ", text)
    return text


def _speaks_of(hit: Hit, body: Body, rest: str, understood: Understanding, idf: Callable[[str], float]) -> bool:
    """Whether the passage names the body (not only as the one acting) and holds most of what is asked of
    it (``rest``)."""
    passage = f"{hit.chunk.heading}\n{hit.chunk.text}"
    if not mentions(passage, body) or named_in_passing(hit, body, understood):
        return False
    lang = hit.chunk.lang
    found = set(tokenize(passage, lang))
    asked = [(stems, bool(stems & found)) for stems in word_stems(rest)]
    asked += [(stems, _holds(passage, found, term, lang)) for stems, term in _asked_terms(rest, understood, lang)]
    return share_held(asked, idf, empty=1.0) >= MIN_SUBJECT_COVERAGE


def _asked_terms(rest: str, understood: Understanding, lang: str) -> list[tuple[set[str], Term]]:
    """Each glossary term in ``rest``, as one more word: its form's and the documents' stems (for its
    weight), found when the passage holds a form of it or its name ("quorom" is found as "quorum";
    "interpretation" as itself or a language name, not as seven words to find; "VP" as a
    vice-president, not as the "President" alone)."""
    return [(set().union(*word_stems(f"{form} {term.fr if lang == 'fr' else term.en}")), term)
            for form, term in understood.terms if fold(form) in rest]


def _holds(passage: str, found: set[str], term: Term, lang: str) -> bool:
    """Whether the passage holds a form of the term or every word of its name (``found``: its stems)."""
    folded = fold(passage)
    name = term.fr if lang == "fr" else term.en
    return term.found_in(folded, folded.lower()) is not None or all(stems & found for stems in word_stems(name))
