"""Whose the asked fact is: an answer about another body, or about one of the COP's working groups,
comes from a top passage that names it ("SOM WG: does it meet every year?" is not answered by "UNODC
describes the COP as meeting every two years"; « la CEP se réunit tous les cb ? » not by a passage
that only names the CEP when it states no period).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answers.candidate import Candidate
from assistant.answers.scope import asked_about, mentions
from assistant.answers.understand import working_groups
from assistant.corpus.text import fold

if TYPE_CHECKING:
    from assistant.answers.asked import Asked
    from assistant.answers.glossary import Body, Term
    from assistant.answers.retrieve import Hit, Retrieval
    from assistant.answers.understand import Understanding

_FACT_KINDS = ("count", "period", "date", "symbol")  # asked of another body, the answer must state one


def unanswered_body(found: Retrieval, wanted: Asked, chosen: list[tuple[Hit, str]]) -> Body | None:
    """Another body the question asks about that the chosen text does not answer for: its passage
    must name the body and, when a number, period, date or symbol is asked, the text state one."""
    for body in asked_about(found.understanding):
        names_it = any(mentions(hit.chunk.text, body) for hit, _ in chosen)
        stated = any(_states_fact_asked(wanted, text) for _, text in chosen)
        if not (names_it and stated):
            return body
    return None


def for_the_body(found: Retrieval, wanted: Asked, candidates: list[Candidate]) -> list[Candidate]:
    """For a question about another body, the sentences of passages that name it and, when a
    number, period, date or symbol is asked, state one (« la CEP se réunit tous les cb ? »: not a
    passage that only names the CEP); all of them when none does (the answer is then declined)."""
    bodies = asked_about(found.understanding)
    if not bodies:
        return candidates
    fitting = [c for c in candidates if all(mentions(c.hit.chunk.text, body) for body in bodies)
               and _states_fact_asked(wanted, c.paragraph[c.index])]
    return fitting or candidates


def on_the_group(understood: Understanding, candidates: list[Candidate]) -> list[Candidate]:
    """For a question on one of the COP's working groups, the sentences of the passages that name it, when one does
    ("SOM WG: does it meet every year?": not "UNODC describes the COP as meeting every two years")."""
    groups = working_groups(understood)
    if not groups:
        return candidates
    passages = {id(c.hit): c.hit for c in candidates}
    naming = {key for key, hit in passages.items() if all(_names(hit, group) for group in groups)}
    return [c for c in candidates if id(c.hit) in naming] or candidates


def _names(hit: Hit, term: Term) -> bool:
    """Whether the passage names the term, by one of its forms or its names in the documents."""
    folded = fold(f"{hit.chunk.heading}\n{hit.chunk.text}")
    lower = folded.lower()
    return (term.found_in(folded, lower) is not None
            or fold(term.en).lower() in lower or fold(term.fr).lower() in lower)


def _states_fact_asked(wanted: Asked, text: str) -> bool:
    """Whether ``text`` states the number, period, date or symbol asked of another body (true when
    none of these is asked)."""
    return wanted.kind not in _FACT_KINDS or wanted.states(text) == 1.0
