"""LLM-written answers: numbered passages in, a checked and cited Answer out.

prompt (system + answer, passages marked as data) → model (streamed or not) →
citation guard → Answer. The decision to decline is the extractive composer's, so
both modes say "not covered" for the same questions. When the model errs, times out,
or no sentence survives the guard, the extractive answer is returned and says so.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.answers import guard
from assistant.answers.answer import NOT_COVERED, Answer, citation
from assistant.answers.llm import LLMError, as_llm_error
from assistant.answers.prompts import Prompt, load_prompts
from assistant.answers.retrieve import Hit
from assistant.corpus.sentences import split_sentences

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

NOT_COVERED_REPLY = "NOT IN THE KNOWLEDGE BASE"
CLOSEST_PASSAGES = 3
HISTORY_TURNS = 6
MAX_STANDALONE_CHARS = 500
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
FALLBACK_NOTE = {
    "en": {"timeout": "(The language model did not answer in time, so this answer quotes the "
                      "sources directly.)",
           "error": "(The language model failed, so this answer quotes the sources directly.)",
           "unsupported": "(The language model's answer could not be checked against its sources, "
                          "so this answer quotes them directly.)"},
    "fr": {"timeout": "(Le modèle de langage n’a pas répondu à temps ; cette réponse cite donc "
                      "directement les sources.)",
           "error": "(Le modèle de langage a échoué ; cette réponse cite donc directement les "
                    "sources.)",
           "unsupported": "(La réponse du modèle de langage n’a pas pu être vérifiée dans ses "
                          "sources ; cette réponse les cite donc directement.)"},
}
# Sentences addressed to an AI have no place in procedural texts: they are removed from
# what the model reads and from what the guard accepts as evidence.
INJECTION = re.compile(
    r"\b(?:ignore[rz]?|disregard|forget|override|oubliez|oublie)\b[^.!?]{0,60}?"
    r"\b(?:instructions?|prompts?|consignes?)\b"
    r"|\b(?:system prompt|prompt système|you are now|vous êtes maintenant|tu es maintenant)\b",
    re.IGNORECASE)
TAG = re.compile(r"<(\s*/?\s*passages?\b)", re.IGNORECASE)

TokenCallback = Callable[[str], None]


def generate(question: str, lang: str, hits: list[Hit], extractive: Answer, model: BaseChatModel, *,
             standalone: str | None = None, on_token: TokenCallback | None = None) -> Answer:
    """An LLM answer to ``question`` from ``hits``, checked by the citation guard.

    ``extractive`` is the extractive answer to the same retrieval: whether it answered decides
    whether the question is covered, and it is the fallback. ``standalone`` is the follow-up
    rewritten to stand alone (what the model answers); ``question`` is kept for display.
    ``on_token`` receives text as it is generated.
    """
    hits = [_sanitized(hit) for hit in hits]
    if not hits:
        return extractive
    covered = extractive.answered
    passages = hits if covered else hits[:CLOSEST_PASSAGES]
    lead = "" if covered else NOT_COVERED.get(lang, NOT_COVERED["en"]) + " "
    try:
        text = _complete(model, _messages(covered, standalone or question, lang, passages),
                         on_token, lead)
    except LLMError as exc:
        log.warning("LLM answer abandoned: %s", exc)
        return _fallback(extractive, exc.kind, [])
    if _is_not_covered_reply(text):
        return Answer(question, lang, False, lead.strip() or NOT_COVERED.get(lang, NOT_COVERED["en"]),
                      [citation(n, hit) for n, hit in enumerate(hits[:CLOSEST_PASSAGES], 1)],
                      mode="llm")
    checked = guard.check(text, [passage_text(hit) for hit in passages])
    dropped = [verdict.sentence for verdict in checked.dropped]
    for verdict in checked.dropped:
        log.info("guard dropped %r: %s", verdict.sentence, verdict.reason)
    if not checked.kept:
        return _fallback(extractive, "unsupported", dropped)
    cited = checked.cited if covered else range(1, len(passages) + 1)
    citations = [citation(n, passages[n - 1]) for n in cited]
    return Answer(question, lang, covered, lead + checked.text, citations, mode="llm", dropped=dropped)


def condense(model: BaseChatModel, question: str, history: Sequence[str]) -> str | None:
    """The follow-up ``question`` rewritten to stand alone, or None if the model fails."""
    earlier = "\n".join(f"- {q}" for q in history[-HISTORY_TURNS:])
    prompt = _prompts()["condense"].render(history=earlier, question=question)
    try:
        reply = model.invoke([("human", prompt)]).text
    except Exception as exc:  # provider errors have no common base class
        log.warning("follow-up not rewritten: %s", as_llm_error(exc))
        return None
    lines = [line.strip().strip("\"“”«»'").strip() for line in reply.splitlines() if line.strip()]
    if not lines or len(lines[0]) > MAX_STANDALONE_CHARS:
        return None
    return " ".join(lines[0].split())


def passage_text(hit: Hit) -> str:
    """What the model reads for one passage, and what the guard checks its claims against."""
    return f"{_source(hit)}\n{sanitize(hit.chunk.text)}"


def render_passages(hits: Sequence[Hit]) -> str:
    """Numbered ``<passage>`` elements; tags inside the text are neutralised."""
    return "\n".join(
        f'<passage n="{n}" lang="{hit.chunk.lang}" source="{_attribute(_source(hit))}">\n'
        f"{TAG.sub(_escape_tag, hit.chunk.text)}\n</passage>"
        for n, hit in enumerate(hits, 1))


def sanitize(text: str) -> str:
    """``text`` without sentences that give instructions to an AI."""
    removed = False
    for sentence in split_sentences(text):
        if INJECTION.search(sentence):
            text, removed = text.replace(sentence, ""), True
    return re.sub(r"[ \t]{2,}", " ", text).strip() if removed else text


@lru_cache(maxsize=1)
def _prompts() -> dict[str, Prompt]:
    return load_prompts()


def _messages(covered: bool, question: str, lang: str, passages: list[Hit]) -> list[tuple[str, str]]:
    prompts = _prompts()
    body = prompts["answer" if covered else "not_covered"].render(
        passages=render_passages(passages), count=len(passages), question=question,
        language=LANGUAGE_NAMES.get(lang, lang), not_covered_reply=NOT_COVERED_REPLY)
    return [("system", prompts["system"].render(not_covered_reply=NOT_COVERED_REPLY)),
            ("human", body)]


def _complete(model: BaseChatModel, messages: list[tuple[str, str]], on_token: TokenCallback | None,
              lead: str) -> str:
    """The model's reply; streamed to ``on_token`` (after ``lead``) when one is given.

    A reply that may still turn out to be the not-covered marker is held back, so the
    marker itself is never shown. Errors from ``on_token`` are the caller's and propagate.
    """
    if on_token is None:
        try:
            return model.invoke(messages).text
        except Exception as exc:
            raise as_llm_error(exc) from exc
    if lead:
        on_token(lead)
    parts: list[str] = []
    flowing = False
    chunks = iter(model.stream(messages))
    while True:
        try:
            piece = next(chunks).text
        except StopIteration:
            break
        except Exception as exc:
            raise as_llm_error(exc) from exc
        parts.append(piece)
        if flowing:
            on_token(piece)
        elif not NOT_COVERED_REPLY.startswith("".join(parts).strip().upper()):
            flowing = True
            on_token("".join(parts))
    text = "".join(parts)
    if not flowing and text.strip() and not _is_not_covered_reply(text):
        on_token(text)
    return text


def _is_not_covered_reply(text: str) -> bool:
    return text.strip().rstrip(".").upper() == NOT_COVERED_REPLY


def _fallback(extractive: Answer, reason: str, dropped: list[str]) -> Answer:
    note = FALLBACK_NOTE.get(extractive.language, FALLBACK_NOTE["en"])[reason]
    return replace(extractive, answer=f"{extractive.answer} {note}", mode="extractive-fallback",
                   dropped=dropped)


def _sanitized(hit: Hit) -> Hit:
    text = sanitize(hit.chunk.text)
    return hit if text == hit.chunk.text else replace(hit, chunk=replace(hit.chunk, text=text))


def _source(hit: Hit) -> str:
    chunk = hit.chunk
    return f"{chunk.title} — {chunk.heading}" if chunk.heading else chunk.title


def _escape_tag(match: re.Match[str]) -> str:
    return "&lt;" + match.group(1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
