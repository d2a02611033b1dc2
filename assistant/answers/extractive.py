"""Extractive answers: the passage text that states the asked fact, cited.

No text is invented: every sentence of an answer is copied from a retrieved passage and
followed by the number of its source. Sentences are scored by the question's words (BM25,
glossary words included) and by whether they state the kind of fact asked ("how many" → a
number); a sentence that leans on the one before ("It…", « Selon le paragraphe 3… ») comes
with it. When the decision is to decline, the answer says the knowledge base does not cover
the question — or that it is about another body, or gives the fact only for another session or
year — and lists the closest sources.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Callable

from assistant.answers.answer import (
    ABOUT_ANOTHER_BODY,
    NOTHING_ON,
    OTHER_LANGUAGE,
    OTHER_TIME,
    Answer,
    citation,
    declined,
    in_language,
)
from assistant.answers.asked import Asked, asked_of, states
from assistant.answers.candidate import Candidate
from assistant.answers.gaps import NOT_GIVEN, declining_note
from assistant.answers.question_kind import DECISION_NUMBER, asks_decision, asks_majority, asks_two_things
from assistant.answers.references import another_time, is_bare_reference, named
from assistant.answers.retrieve import Hit, Retrieval
from assistant.answers.scoring import paragraphs, scored_sentences, term_weights
from assistant.answers.subject import for_the_body, on_the_group, unanswered_body
from assistant.corpus.text import fold
from assistant.index.keyword import query_terms, tokenize

if TYPE_CHECKING:
    from assistant.answers.decision import Verdict
    from assistant.answers.glossary import Body
    from assistant.answers.understand import Understanding

# Sentences come from the top three passages, a passage's score decaying by RANK_DECAY per
# rank (0.65, chosen on evals/tune.jsonl: an exact sentence in the second passage can still beat
# a loose one in the first).
SENTENCE_PASSAGES = 3
RANK_DECAY = 0.65
# …and by how much further from the question its meaning is than the closest passage's, in units
# of the spread of the ten closest (e5 cosines differ by hundredths): exp(-MEANING_WEIGHT · gap /
# spread). 0.75, chosen on evals/tune.jsonl (a plateau from 0.5 to 1.0); sentence words alone
# let a passage that merely shares the question's words win.
MEANING_WEIGHT = 0.75
MEANING_SPREAD_RANK = 9
# …and weigh this much more in the passage one of whose sample questions is clearly the question's
# (1.5, chosen on evals/tune.jsonl: +3 questions; 2.5 +1).
ASKED_AS_WEIGHT = 1.5
# A sentence of another top passage that states the kind of fact asked (a number of the things counted, a
# date, a period, a place, a symbol) where the best sentence does not, that matches the
# question at least as well within its own passage and scores at least this share of the best, is quoted
# instead (0.5, chosen on evals/tune.jsonl: 0.5–0.6 +3 −0, 0.4 +4 −1, 0.3 +4 −4, 0.7 +1).
STATED_ELSEWHERE = 0.5
KINDS_STATED_ELSEWHERE = ("count", "date", "period", "place", "symbol")
MAX_SENTENCES = 3
SECOND_SENTENCE = 0.6  # a further sentence of the passage must score this share of the best one
# …counting this much more in the best one's paragraph, the provision it belongs to ("Under rule 17(2), other
# NGOs may also apply … if there is an objection, the COP decides"; 1.5, chosen on evals/tune.jsonl: 1.25–1.5
# +7 −2, 1.1 +2 −1, 2.0 +9 −4; only the sentences after the best one: +3 −1)
SAME_PARAGRAPH = 1.5
MAX_ANSWER_CHARS = 600
# A question that asks two things (``asks_two_things``) may get a further sentence that scores this
# share of the best.
COMPOUND_SECOND = 0.45  # chosen on evals/tune.jsonl: 0.2–0.45 gain one question, 0.45 the shortest
MAX_PARAGRAPH_CHARS = 600
LEANS_BACK = re.compile(
    r"^(?:it|its|this|these|that|those|they|their|such|both|the organization|the latter|then|therefore|thus|"
    r"however|otherwise|in that case|in practice|il|elle|ils|elles|ce|cet|cette|ces|cela|ceci|leur|leurs|"
    r"toutefois|cependant|donc|ainsi|en revanche|dans ce cas|l'organisation|celle-ci|celui-ci)\b"
    r"|^(?:under|selon|in|au|aux termes du)\s+(?:its\s+|son\s+|le\s+|the\s+)?(?:paragraphe?s?|paras?\.?)\s+\d"
    r"|\b(?:therefore|donc|hence|par consequent|par conséquent)\b"
    r"|(?<!qui )(?<!\d )\ben (?:a|ont|avait|avaient)\b",  # « La résolution 7/1 en a fait un élément permanent »
    re.IGNORECASE)
# "who chaired COP12?": the answer must name an officer as such, not "Ghada Waly closed COP12" nor "the Chair
# of the Working Group … reported to COP5"
OFFICE = re.compile(r"\b(?:presid\w*|chair\w*|prez|rapporteur)\b")
OFFICE_HELD = re.compile(OFFICE.pattern
                         + r"(?! (?:of|du|de|des) (?:the |la |les )?(?:\w+ )?(?:working groups?|groupes? de))")


def compose(question: str, lang: str, found: Retrieval, verdict: Verdict, idf: Callable[[str], float],
            unit: str = "sentence", sentences: list[tuple[Hit, str]] | None = None) -> Answer:
    """An extractive answer from ``found``, or an honest "not covered" (``sentences``: ``choose(found, idf)``)."""
    if verdict.about is not None:
        return _about_another_body(question, lang, found, verdict.about)
    if verdict.missing:
        return declined(question, lang, found.hits, NOTHING_ON, what=named(verdict.missing, lang))
    if not verdict.answer or not found.hits:
        return declined(question, lang, found.hits)
    wanted = asked_of(found.understanding)
    chosen = quoted(found, idf, unit, sentences, wanted)
    if not chosen or not _speaks_to(found.understanding, wanted, chosen):
        return declined(question, lang, found.hits)
    note = declining_note(found, chosen, idf)
    if note is not None:
        source = next((hit for hit in found.hits if hit.chunk.provision == note[0].provision), Hit(note[0], 0.0, 0.0))
        return declined(question, lang, [source] + [hit for hit in found.hits if hit is not source],
                        NOT_GIVEN, note=f"{note[1]} [1]")
    body = unanswered_body(found, wanted, chosen)
    if body is not None:
        return _about_another_body(question, lang, found, body)
    when = another_time(found.understanding.text, [text for _, text in chosen])
    if when is not None:  # "parties at COP11?": not "115 at the ninth session and 119 at the tenth"
        return declined(question, lang, found.hits, OTHER_TIME, when=named(when, lang))
    numbers: dict[str, int] = {}
    parts = []
    for hit, text in chosen:
        n = numbers.setdefault(hit.chunk.id, len(numbers) + 1)
        parts.append(_each_cited(text, n))
    if all(hit.chunk.lang != lang for hit, _ in chosen):
        parts.append(in_language(OTHER_LANGUAGE, lang))
    cited = {hit.chunk.id: hit for hit, _ in chosen}
    return Answer(question, lang, True, " ".join(parts), [citation(numbers[c], cited[c]) for c in numbers])


def _speaks_to(understood: Understanding, wanted: Asked, chosen: list[tuple[Hit, str]]) -> bool:
    """Whether the chosen text holds a word of the question besides the provisions it names, or
    states the kind of fact asked: "Mexico's head of delegation at COP12?" is not answered by
    "Ghada Waly closed COP12", nor "who chaired COP12?" (an officer is named as such), nor "what
    majority?" or "which resolution?" by a sentence that states none."""
    if any(hit.pinned and text == hit.chunk.text for hit, text in chosen):
        return True  # a provision shown whole
    if _asks_an_officer(understood, wanted) and not any(OFFICE_HELD.search(fold(text).lower()) for _, text in chosen):
        return False
    if asks_majority(understood.text) and not asks_two_things(understood.text):  # (a second thing may be answered)
        return any(states("majority", text) for _, text in chosen)
    if asks_decision(understood.text) and not asks_two_things(understood.text):
        return any(DECISION_NUMBER.search(text) for _, text in chosen)
    words = {term for term in query_terms(understood.sentence_text()) if not any(ch.isdigit() for ch in term)}
    for hit, text in chosen:
        if words & set(tokenize(text, hit.chunk.lang)) or wanted.states(text) == 1.0:
            return True
    return False


def _asks_an_officer(understood: Understanding, wanted: Asked) -> bool:
    """Whether the question asks only who holds an office ("who chaired COP12?", « qui présidait la CP8 ? »)."""
    return (wanted.kind == "actor" and not asks_two_things(understood.text)
            and bool(OFFICE.search(fold(understood.text).lower())))


def _about_another_body(question: str, lang: str, found: Retrieval, body: Body) -> Answer:
    name = body.fr if lang == "fr" else body.en
    return declined(question, lang, found.hits, ABOUT_ANOTHER_BODY, body=name)


def _each_cited(text: str, n: int) -> str:
    """Every sentence followed by its source's number; paragraphs kept (a provision shown whole)."""
    return "\n\n".join(" ".join(f"{sentence} [{n}]" for sentence in paragraph) for paragraph in paragraphs(text))


def choose(found: Retrieval, idf: Callable[[str], float], unit: str = "sentence",
           wanted: Asked | None = None) -> list[tuple[Hit, str]]:
    """(passage, text) pairs that answer best, in reading order; ``wanted``: what the question
    asks for, when the caller has read it already."""
    understood = found.understanding
    pinned = [hit for hit in found.hits if hit.pinned]
    if pinned and is_bare_reference(understood.text):
        return [(pinned[0], pinned[0].chunk.text)]  # "rule 41": the provision itself
    wanted = wanted or asked_of(understood)
    candidates = on_the_group(understood, for_the_body(found, wanted, _candidates(found, idf, wanted)))
    if not candidates or candidates[0].score == 0:
        return []
    passage = _passage(candidates, wanted)  # one source: the passage whose best sentence answers best
    own = sorted((c for c in candidates if c.hit is passage), key=lambda c: (-c.within, -c.score))
    on_named = [c for c in own if wanted.named_at(c.paragraph, c.index) is not None]
    if not _states_only_elsewhere(wanted, on_named, own):
        own = on_named or own  # "art 35(3)": from paragraph 3; "decision 4/6 at COP4?": the sentence on 4/6
    best = own[0]
    if unit == "section":
        return [(best.hit, best.hit.chunk.text)]
    if unit == "paragraph" and len(" ".join(best.paragraph)) <= MAX_PARAGRAPH_CHARS:
        return [(best.hit, " ".join(best.paragraph))]
    at = wanted.named_at(best.paragraph, best.index)  # "Under rule 22(3), …" quoted before "The Bureau must…"
    chosen = [best] + [c for c in own if c.paragraph is best.paragraph and c.index == at != best.index]
    second = COMPOUND_SECOND if asks_two_things(understood.text) else SECOND_SENTENCE
    for other in sorted(own[1:], key=lambda c: -_further(c, best)):
        if len(chosen) == MAX_SENTENCES or _further(other, best) < second * best.within or not best.within:
            break
        if all(other is not c for c in chosen) and len(_text(best)) + len(_text(other)) <= MAX_ANSWER_CHARS:
            chosen.append(other)
    chosen.sort(key=lambda c: (c.rank, c.hit.chunk.text.find(c.paragraph[c.index])))
    return _merge(chosen)


def _passage(candidates: list[Candidate], wanted: Asked) -> Hit:
    """The passage to quote: the best sentence's, unless it does not state the kind of fact asked
    and another top passage's sentence does, matching the question at least as well within its passage
    and scoring at least STATED_ELSEWHERE of the best ("how many thematic clusters?": "four (4) clusters",
    not "no review of the first cluster was complete")."""
    top = candidates[0]
    # (the best sentence only: "TIP Protocol in force when? parties at CP10?" is not answered by CP10's dates)
    if not _asks_a_fact(wanted) or _states(wanted, top):
        return top.hit
    return next((c.hit for c in candidates[1:] if c.hit is not top.hit and _states(wanted, c)
                 and c.within >= top.within and c.score >= STATED_ELSEWHERE * top.score), top.hit)


def _states(wanted: Asked, candidate: Candidate) -> bool:
    """Whether the candidate sentence fully states the kind of fact asked."""
    return wanted.states(candidate.paragraph[candidate.index]) == 1.0


def _further(candidate: Candidate, best: Candidate) -> float:
    """How well a further sentence answers: more in the best one's paragraph, the provision it belongs to."""
    return candidate.within * (SAME_PARAGRAPH if candidate.paragraph is best.paragraph else 1.0)


def quoted(found: Retrieval, idf: Callable[[str], float], unit: str, sentences: list[tuple[Hit, str]] | None,
           wanted: Asked | None = None) -> list[tuple[Hit, str]]:
    """What an answer in ``unit`` quotes: the ``sentences`` already chosen (``choose(found, idf)``) for
    a sentence answer, else the paragraph or section chosen now."""
    return sentences if sentences is not None and unit == "sentence" else choose(found, idf, unit, wanted)


def _states_only_elsewhere(wanted: Asked, named: list[Candidate], own: list[Candidate]) -> bool:
    """Whether the asked fact is stated only outside the sentences on the named provision
    ("decision 4/4: what symbol do its documents carry?" is answered by "…CTOC/COP/WG.4")."""
    return (wanted.kind is not None and not any(_states(wanted, c) for c in named)
            and any(_states(wanted, c) for c in own))


def _candidates(found: Retrieval, idf: Callable[[str], float], wanted: Asked,
                only_named: bool = True) -> list[Candidate]:
    """Every sentence of the top passages, best first: of the provisions the question names, if
    it names a rule, article or resolution ("art 22 … election": rule 22, not rule 23), and the
    sentences of other top passages that name the decision or resolution ("res 9/1 passed
    unanimously?": "…resolution 9/1 was adopted unanimously", in the section on COP9), unless none of
    them states the kind of fact asked ("res 9/1 procedures: how many reviewing States?"); a session
    named is only a time ("parties at COP10"), and other passages compete with it."""
    understood = found.understanding
    pinned = [hit for hit in found.hits if hit.pinned]
    provisions = any(key[0] != "session" for key in understood.references)
    only_pinned = bool(pinned and provisions) and only_named
    hits = pinned if only_pinned else found.hits[:SENTENCE_PASSAGES]
    hits = [hit for hit in hits if not hit.elsewhere] or hits  # a COP question: not from the COSP's section
    if only_pinned:  # …and the sentences of other top passages that name the decision's symbol
        hits = hits + [hit for hit in found.hits[:SENTENCE_PASSAGES] if not (hit.pinned or hit.elsewhere)]
    aside = wanted.negated | understood.compared  # "without status": not the rule on status; "like IGOs": not theirs
    terms = term_weights(understood.sentence_text(lacking=aside), idf)
    terms = {t: w for t, w in terms.items() if t not in aside}
    closeness = _closeness(found.dense)
    scored = [Candidate(score * RANK_DECAY ** rank * closeness(hit) * (ASKED_AS_WEIGHT if hit.asked_as else 1.0),
                        within, rank, hit, paragraph, index)
              for rank, hit in enumerate(hits)
              for score, within, paragraph, index in scored_sentences(hit.chunk, terms, wanted)
              if hit.pinned or not only_pinned or wanted.names_what_was_named(paragraph[index], with_paragraphs=False)]
    scored.sort(key=lambda c: -c.score)
    if only_pinned and _asks_a_fact(wanted) and not any(_states(wanted, c) for c in scored):
        return _candidates(found, idf, wanted, only_named=False)  # the named provision does not state it
    return scored


def _asks_a_fact(wanted: Asked) -> bool:
    """Whether the question asks a fact another passage may state better (not "how many does it get?",
    where any number would do)."""
    return wanted.kind in KINDS_STATED_ELSEWHERE and not (wanted.kind == "count" and not wanted.counted)


def _closeness(dense: list[float]) -> Callable[[Hit], float]:
    """A passage's closeness in meaning to the question, 1 for the closest; a passage outside the
    dense candidates counts as the farthest of them."""
    if not dense:
        return lambda hit: 1.0
    spread = max(dense[0] - dense[min(MEANING_SPREAD_RANK, len(dense) - 1)], 1e-3)
    return lambda hit: math.exp(-MEANING_WEIGHT * (dense[0] - max(hit.similarity, dense[-1])) / spread)


def _start(candidate: Candidate) -> int:
    """Where the sentence's context begins: back over sentences that lean on the one before."""
    start = candidate.index
    while start > 0 and start > candidate.index - 2 and LEANS_BACK.search(candidate.paragraph[start]):
        start -= 1
    return start


def _text(candidate: Candidate) -> str:
    return " ".join(candidate.paragraph[_start(candidate):candidate.index + 1])


def _merge(chosen: list[Candidate]) -> list[tuple[Hit, str]]:
    """Texts of the chosen sentences with their context, without repeating a sentence."""
    out: list[tuple[Hit, str]] = []
    shown: set[tuple[int, str]] = set()
    for c in chosen:
        sentences = [s for s in c.paragraph[_start(c):c.index + 1] if (id(c.hit), s) not in shown]
        shown.update((id(c.hit), s) for s in sentences)
        if sentences:
            out.append((c.hit, " ".join(sentences)))
    return out
