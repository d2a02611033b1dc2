"""When the extractive answer replaces the model's, and how it says so.

A model answer is never worse than the extractive one: when the model declines
although the extractive composer answered, fails, or loses to the citation guard all
its sentences or the one that carried the asked fact, the extractive answer is shown
(mode ``extractive-fallback``, the reason in ``Answer.fallback``). Where the model's
surviving sentences agree with the extractive ones, the model's wording stays.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answers.answer import Answer
from assistant.answers.guard import CITE, Checked, Verdict, claims
from assistant.index.keyword import query_terms, tokenize

NOTES = {
    "en": {"timeout": "(The language model did not answer in time, so this answer quotes the "
                      "sources directly.)",
           "error": "(The language model failed, so this answer quotes the sources directly.)",
           "unsupported": "(The language model's answer could not be checked against its sources, "
                          "so this answer quotes them directly.)",
           "model-declined": "(The language model found no answer in these sources, so this "
                             "answer quotes them directly.)"},
    "fr": {"timeout": "(Le modèle de langage n’a pas répondu à temps ; cette réponse cite donc "
                      "directement les sources.)",
           "error": "(Le modèle de langage a échoué ; cette réponse cite donc directement les "
                    "sources.)",
           "unsupported": "(La réponse du modèle de langage n’a pas pu être vérifiée dans ses "
                          "sources ; cette réponse les cite donc directement.)",
           "model-declined": "(Le modèle de langage n’a pas trouvé de réponse dans ces sources ; "
                             "cette réponse les cite donc directement.)"},
}
NOTES["en"]["key-fact-dropped"] = NOTES["en"]["unsupported"]
NOTES["fr"]["key-fact-dropped"] = NOTES["fr"]["unsupported"]
# Share of the extractive answer's content words the model's kept sentences must repeat
# to count as saying the same thing, when the extractive answer states no checkable fact.
AGREEING_WORDS = 0.5


def set_aside(checked: Checked, extractive: Answer, question: str) -> str | None:
    """Why the guarded model answer loses to ``extractive`` (an answered one), or None."""
    if not checked.kept:
        return "unsupported"
    if not checked.dropped or agrees(checked.kept, extractive):
        return None
    if _carries_key(checked.dropped, checked.kept, extractive, question):
        return "key-fact-dropped"
    return None


def without_echoes(checked: Checked, given: str, lang: str) -> Checked:
    """``checked`` with the kept sentences that only repeat ``given`` (the question, the
    instructions) dropped too: small models echo them, citation and all, and say nothing."""
    words = set(tokenize(given, lang))
    verdicts = [replace(v, kept=False, reason="repeats the question or the instructions")
                if v.kept and set(tokenize(CITE.sub(" ", v.sentence), lang)) <= words else v
                for v in checked.verdicts]
    text = checked.text
    for old, new in zip(checked.verdicts, verdicts):
        if old.kept and not new.kept:
            text = text.replace(old.sentence, "")
    return Checked(re.sub(r"[ \t]{2,}", " ", re.sub(r"\n{3,}", "\n\n", text)).strip(), verdicts)


def agrees(kept: list[Verdict], extractive: Answer) -> bool:
    """Whether the model's kept sentences state what the extractive answer states: one of
    its facts (numbers, time limits, provisions…), or else most of its content words."""
    said = " ".join(v.sentence for v in kept)
    key = claims(extractive.answer)
    if key:
        return bool(key & claims(said))
    words = set(tokenize(extractive.answer, extractive.language))
    found = words & set(tokenize(said, extractive.language))
    return bool(words) and len(found) >= AGREEING_WORDS * len(words)


def fallback(extractive: Answer, reason: str, dropped: list[str] | None = None) -> Answer:
    """``extractive`` shown in the model's place, with a note saying why when it answers."""
    text = extractive.answer
    if extractive.answered:
        text += " " + NOTES.get(extractive.language, NOTES["en"])[reason]
    return replace(extractive, answer=text, mode="extractive-fallback", dropped=dropped or [],
                   fallback=reason)


def _carries_key(dropped: list[Verdict], kept: list[Verdict], extractive: Answer,
                 question: str) -> bool:
    """A dropped sentence stated a fact of the kind the answer needs (a time limit, a rule…)
    that no kept sentence states, or it was more about the question than any kept one."""
    kinds = {fact.partition(":")[0] for fact in claims(extractive.answer)}
    kept_kinds = {fact.partition(":")[0] for v in kept for fact in claims(v.sentence)}
    lost = {fact.partition(":")[0] for v in dropped for fact in claims(v.sentence)}
    if kinds & lost - kept_kinds:
        return True
    return _relevance(dropped, question, extractive.language) > \
        _relevance(kept, question, extractive.language)


def _relevance(verdicts: list[Verdict], question: str, lang: str) -> int:
    """The most question terms any one of these sentences contains."""
    terms = set(query_terms(question))
    return max((len(terms & set(tokenize(v.sentence, lang))) for v in verdicts), default=0)
