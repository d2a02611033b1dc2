"""LLM-written answers: numbered passages in, a checked and cited Answer out.

prompt (a style's system + answer prompts, passages marked as data) → model (streamed or
not) → citation guard → the better of the model's and the extractive answer → citations
renumbered from what is shown. The decision to decline is the extractive composer's, so
both modes say "not covered" for the same questions; when the extractive composer
answers, a model that declines, fails or loses its key sentence to the guard gives way to
the extractive answer (``assistant.answers.fallback``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.answers import guard
from assistant.answers.answer import NOT_COVERED, Answer, citation, in_language
from assistant.answers.fallback import fallback, set_aside, without_echoes
from assistant.answers.llm import LLMError, as_llm_error
from assistant.answers.prompts import Prompt, load_prompts
from assistant.answers.retrieve import Hit
from assistant.answers.styles import Style, load_styles
from assistant.corpus.sentences import split_sentences

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

NOT_COVERED_REPLY = "NOT IN THE KNOWLEDGE BASE"
CLOSEST_PASSAGES = 3
HISTORY_TURNS = 6
MAX_STANDALONE_CHARS = 500
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
# Sentences addressed to an AI have no place in procedural texts: they are removed from
# what the model reads and from what the guard accepts as evidence.
INJECTION = re.compile(
    r"\b(?:ignore[rz]?|disregard|forget|override|oubliez|oublie)\b[^.!?]{0,60}?"
    r"\b(?:instructions?|prompts?|consignes?)\b"
    r"|\b(?:system prompt|prompt système|you are now|vous êtes maintenant|tu es maintenant)\b",
    re.IGNORECASE)
TAG = re.compile(r"<(\s*/?\s*passages?\b)", re.IGNORECASE)
PASSAGES_BLOCK = re.compile(r"<passages\b.*</passages>", re.DOTALL)

TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    """One question as the model is asked it."""

    question: str  # as the user asked it, for display
    asked: str  # what the model answers: the follow-up rewritten to stand alone
    lang: str
    model: BaseChatModel
    on_token: TokenCallback | None
    style: Style


def generate(question: str, lang: str, hits: list[Hit], extractive: Answer, model: BaseChatModel, *,
             standalone: str | None = None, on_token: TokenCallback | None = None,
             style: str | None = None) -> Answer:
    """An LLM answer to ``question`` from ``hits``, checked by the citation guard, or the
    extractive answer where it is the better one.

    ``extractive`` is the extractive answer to the same retrieval: whether it answered decides
    whether the question is covered, and it is the fallback. ``standalone`` is the follow-up
    rewritten to stand alone (what the model answers); ``question`` is kept for display.
    ``on_token`` receives text as it is generated. ``style`` names a prompt style in
    ``prompts/styles.toml`` (default: per language).
    """
    hits = [_sanitized(hit) for hit in hits]
    if not hits:
        return extractive
    request = Request(question, standalone or question, lang, model, on_token,
                      load_styles().for_language(lang, style))
    if extractive.answered:
        return _answer(request, hits, extractive)
    return _related(request, hits, extractive)


def _answer(request: Request, hits: list[Hit], extractive: Answer) -> Answer:
    """The model's answer where the extractive composer found one too."""
    passages = request.style.passages_of(hits)
    messages = _messages(request, "answer", passages)
    try:
        text = _complete(request, messages, "")
    except LLMError as exc:
        log.warning("LLM answer abandoned: %s", exc)
        return fallback(extractive, exc.kind)
    if _is_not_covered_reply(text):
        return fallback(extractive, "model-declined")
    checked = _checked(text, passages, request, messages)
    dropped = [verdict.sentence for verdict in checked.dropped]
    reason = set_aside(checked, extractive, request.asked)
    if reason:
        return fallback(extractive, reason, dropped)
    text, order = guard.renumber(checked.text)
    citations = [citation(n, passages[old - 1]) for n, old in enumerate(order, 1)]
    return Answer(request.question, request.lang, True, text, citations, mode="llm", dropped=dropped)


def _related(request: Request, hits: list[Hit], extractive: Answer) -> Answer:
    """Below the evidence threshold: "not covered" (or why: "…is about the General Assembly",
    "nothing on COP13"), then what the closest passages cover."""
    passages = hits[:CLOSEST_PASSAGES]
    lead = extractive.answer or in_language(NOT_COVERED, request.lang)
    messages = _messages(request, "not_covered", passages)
    try:
        text = _complete(request, messages, lead + " ")
    except LLMError as exc:
        log.warning("LLM answer abandoned: %s", exc)
        return fallback(extractive, exc.kind)
    if _is_not_covered_reply(text):
        return replace(extractive, mode="llm")
    checked = _checked(text, passages, request, messages)
    dropped = [verdict.sentence for verdict in checked.dropped]
    if not checked.kept:
        return fallback(extractive, "unsupported", dropped)
    text, order = guard.renumber(checked.text, len(passages))
    citations = [citation(n, passages[old - 1]) for n, old in enumerate(order, 1)]
    return Answer(request.question, request.lang, False, f"{lead} {text}", citations, mode="llm",
                  dropped=dropped)


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


def render_passages(hits: Sequence[Hit], source: str = "title") -> str:
    """Numbered ``<passage>`` elements; tags inside the text are neutralised.

    ``source="title"`` labels each with its language and "document title — heading";
    ``"heading"`` with its heading only (less for a small model to read).
    """
    return "\n".join(
        f"<passage {_label(n, hit, source)}>\n{TAG.sub(_escape_tag, hit.chunk.text)}\n</passage>"
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


def _messages(request: Request, kind: str, passages: list[Hit]) -> list[tuple[str, str]]:
    """The system prompt and the ``answer`` (or ``not_covered``) request for ``passages``."""
    prompts, style = _prompts(), request.style
    body = prompts[style.answer if kind == "answer" else kind].render(
        passages=render_passages(passages, style.source), count=len(passages),
        question=request.asked, language=LANGUAGE_NAMES.get(request.lang, request.lang),
        not_covered_reply=NOT_COVERED_REPLY)
    return [("system", prompts[style.system].render(not_covered_reply=NOT_COVERED_REPLY)),
            ("human", body)]


def _checked(text: str, passages: list[Hit], request: Request,
             messages: list[tuple[str, str]]) -> guard.Checked:
    """The guard's verdicts, with sentences that only echo the question or the request dropped."""
    instructions = PASSAGES_BLOCK.sub(" ", messages[-1][1])
    checked = without_echoes(guard.check(text, [passage_text(hit) for hit in passages]),
                             f"{request.asked}\n{instructions}", request.lang)
    for verdict in checked.dropped:
        log.info("guard dropped %r: %s", verdict.sentence, verdict.reason)
    return checked


def _complete(request: Request, messages: list[tuple[str, str]], lead: str) -> str:
    """The model's reply; streamed to ``on_token`` (after ``lead``) when one is given.

    A reply that may still turn out to be the not-covered marker is held back, so the
    marker itself is never shown. Errors from ``on_token`` are the caller's and propagate.
    """
    model, on_token = request.model, request.on_token
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
        elif not _may_be_not_covered_reply("".join(parts)):
            flowing = True
            on_token("".join(parts))
    text = "".join(parts)
    if not flowing and text.strip() and not _is_not_covered_reply(text):
        on_token(text)
    return text


def _may_be_not_covered_reply(start: str) -> bool:
    """Whether a reply that starts so may still be the marker (held back until it is not)."""
    return NOT_COVERED_REPLY.startswith(re.sub(r"[\s.,;\[\]\d]+$", "", start).strip().upper())


def _is_not_covered_reply(text: str) -> bool:
    """The marker, however punctuated: small models add a full stop or a citation to it."""
    return guard.CITE.sub("", text).strip().rstrip(".").strip().upper() == NOT_COVERED_REPLY


def _sanitized(hit: Hit) -> Hit:
    text = sanitize(hit.chunk.text)
    return hit if text == hit.chunk.text else replace(hit, chunk=replace(hit.chunk, text=text))


def _label(n: int, hit: Hit, source: str) -> str:
    if source == "heading":
        return f'n="{n}" source="{_attribute(hit.chunk.heading or hit.chunk.title)}"'
    return f'n="{n}" lang="{hit.chunk.lang}" source="{_attribute(_source(hit))}"'


def _source(hit: Hit) -> str:
    chunk = hit.chunk
    return f"{chunk.title} — {chunk.heading}" if chunk.heading else chunk.title


def _escape_tag(match: re.Match[str]) -> str:
    return "&lt;" + match.group(1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
