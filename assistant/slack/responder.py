"""Posting answers: a placeholder at once, the answer in its place when ready.

Events are acknowledged before any of this runs. Two pools keep the stages apart:
Slack calls (placeholders, thread look-ups; a rate-limited call may wait seconds) and
answering (``AnswerPool``: several questions at once, a bounded line behind them; when
it is full the asker is told the bot is busy), so neither can hold up the listeners
that acknowledge commands and clicks.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

from assistant.answers.answer import Answer
from assistant.answers.service import MAX_QUESTION_CHARS, clean_question
from assistant.corpus.language import question_language
from assistant.errors import UsageError
from assistant.masking import safe_reason
from assistant.slack.blocks import answer_pages, notice, preview
from assistant.slack.carry import Carried
from assistant.slack.config import SlackConfig
from assistant.slack.feedback import FeedbackStore
from assistant.slack.mrkdwn import escape
from assistant.slack.phrases import say
from assistant.slack.pool import AnswerPool, logged
from assistant.slack.stream import Streamer
from assistant.slack.threads import Memory

LOG = logging.getLogger("assistant.slack")
SLACK_WORKERS = 8
LISTENER_THREADS = 8  # Bolt's listeners only decide and hand off to the pools here
Respond = Callable[..., Any]


class Answerer(Protocol):
    def ask(self, question: str, history: Sequence[str] = ...,
            on_token: Callable[[str], None] | None = ...) -> Answer: ...


@dataclass(frozen=True)
class Reply:
    """Where an answer goes: a channel and its thread (None: the top level of a DM)."""

    channel: str
    thread_ts: str | None
    user: str | None = None


class Responder:
    """Turns questions into posted answers through the Slack Web API ``client``."""

    def __init__(self, answerer: Answerer, client: Any, store: FeedbackStore,
                 conversations: Memory, config: SlackConfig, stream_client: Any = None) -> None:
        self.answerer = answerer
        self.client = client
        self.store = store
        self.conversations = conversations
        self.config = config
        self.listener_pool = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
        self._slack = ThreadPoolExecutor(SLACK_WORKERS, thread_name_prefix="slack")
        self.answers = AnswerPool(config.workers, config.queue)
        self.streamer = Streamer(stream_client or client, config.stream_interval)

    def background(self, work: Callable[..., None], *args: Any) -> None:
        """Run ``work`` off the listener's thread (it may call Slack); errors are logged."""
        try:
            self._slack.submit(logged, work, *args)
        except RuntimeError:  # shutting down: requests still arriving are not taken on
            LOG.warning("stopping: %s not run", getattr(work, "__name__", "work"))

    def ask(self, question: str, history: Sequence[str] = (),
            on_token: Callable[[str], None] | None = None) -> Answer:
        """The service's answer (the service is safe to call from several workers at once)."""
        return self.answerer.ask(question, history=list(history), on_token=on_token)

    def reply(self, where: Reply, question: str, history: Sequence[str] = ()) -> None:
        """Post "Looking it up…" now, then answer on an answering worker and replace it.

        When every worker is busy and the line is full, say so in the thread instead.
        """
        lang = question_language(question) if question else "en"
        if problem := refusal(question, lang):
            self.post(where, problem)
            return
        if not self.answers.admit():
            LOG.info("busy: %d questions in hand; asked %s to try again later", self.answers.in_hand(),
                     where.channel)
            self.post(where, say("busy", lang))
            return
        placeholder = self.post(where, say("looking", lang))
        if placeholder:
            self.answers.run(self._finish, where, question, list(history), placeholder, lang)
        else:
            self.answers.release()

    def reply_ephemeral(self, question: str, respond: Respond, channel: str, user: str) -> None:
        """Answer /ask privately through its ``response_url`` (the ack was the placeholder).

        The caller took the place with ``answers.admit()`` before acknowledging.
        """
        self.answers.run(self._finish_ephemeral, question, respond, channel, user)

    def publish(self, carried: Carried, channel: str, user: str, user_name: str, respond: Respond) -> None:
        """Post an /ask answer to the channel for everyone, and remove the private copy."""
        answer_id, answer = carried.answer_id, self.store.answer(carried.answer_id)
        if answer is None and carried.question:  # another replica answered it: ask again here
            answer = self.ask(carried.question)
            answer_id = self.store.save_answer(answer, channel, user)
        if answer is None:
            respond(response_type="ephemeral", replace_original=False, text=say("expired", "en"))
            return
        header = f"{escape(say('asked_by', answer.language, user=user_name))}\n*{escape(answer.question)}*"
        pages = answer_pages(answer, answer_id, header=header)
        try:
            ts = self.client.chat_postMessage(channel=channel, text=preview(answer.answer),
                                              blocks=pages[0])["ts"]
        except Exception as exc:  # not in the channel: the response_url can still post there
            LOG.warning("chat.postMessage to %s failed (%s); posting through response_url",
                        channel, safe_reason(exc))
            for page in pages:
                respond(response_type="in_channel", replace_original=False,
                        text=preview(answer.answer), blocks=page)
        else:
            self._post_rest(Reply(channel, ts), pages[1:])
            self.conversations.remember(channel, ts, answer.question)
        respond(delete_original=True)

    def shutdown(self) -> None:
        """Finish the answers in progress and those waiting, then stop the workers."""
        self.listener_pool.shutdown(wait=True)  # listeners still running may hand off more
        self._slack.shutdown(wait=True)
        if waiting := self.answers.in_hand():
            LOG.info("stopping: finishing %d answers first", waiting)
        self.answers.shutdown()
        self.streamer.stop()

    def _finish(self, where: Reply, question: str, history: list[str], placeholder: str,
                lang: str) -> None:
        started = time.perf_counter()
        draft = self.streamer.open(where.channel, placeholder, lang)  # LLM mode: text as it comes
        try:
            answer = self.ask(question, history, on_token=draft.add)
            answer_id = self.store.save_answer(answer, where.channel, where.user)
            pages = answer_pages(answer, answer_id)
            self.streamer.close(draft)  # the checked answer replaces the streamed text, last
            self.client.chat_update(channel=where.channel, ts=placeholder,
                                    text=preview(answer.answer), blocks=pages[0])
            self._post_rest(Reply(where.channel, where.thread_ts or None), pages[1:])
            self.conversations.remember(where.channel, where.thread_ts, question)
        except Exception as exc:
            self.streamer.close(draft)
            LOG.exception("answering in %s failed: %s", where.channel, safe_reason(exc))
            self._apologise(where, placeholder, lang)
            return
        self._log(where.channel, question, answer, started)

    def _finish_ephemeral(self, question: str, respond: Respond, channel: str, user: str) -> None:
        started = time.perf_counter()
        lang = question_language(question)
        try:
            answer = self.ask(question)
            answer_id = self.store.save_answer(answer, channel, user)
            header = f"*{say('your_question', lang)}:* {escape(question)}"
            for n, page in enumerate(answer_pages(answer, answer_id, header, post_button=True)):
                respond(response_type="ephemeral", replace_original=n == 0,
                        text=preview(answer.answer), blocks=page)
        except Exception as exc:
            LOG.exception("answering /ask in %s failed: %s", channel, safe_reason(exc))
            respond(response_type="ephemeral", replace_original=True, text=say("sorry", lang))
            return
        self._log(channel, question, answer, started)

    def post(self, where: Reply, mrkdwn: str) -> str | None:
        """Post a short message of the bot's own; its ``ts``, or None if Slack refused."""
        try:
            response = self.client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts,
                                                    text=mrkdwn, blocks=notice(mrkdwn))
        except Exception as exc:
            LOG.warning("could not post in %s: %s", where.channel, safe_reason(exc))
            return None
        return str(response["ts"])

    def _post_rest(self, where: Reply, pages: list[list[dict]]) -> None:
        for page in pages:  # past 50 blocks: the rest follows in the same thread
            self.client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts,
                                         text=say("continued", "en"), blocks=page)

    def _apologise(self, where: Reply, placeholder: str, lang: str) -> None:
        sorry = say("sorry", lang)
        try:
            self.client.chat_update(channel=where.channel, ts=placeholder, text=sorry, blocks=notice(sorry))
        except Exception as exc:
            LOG.warning("could not post the apology in %s: %s", where.channel, safe_reason(exc))

    def _log(self, channel: str, question: str, answer: Answer, started: float) -> None:
        asked = f" {question!r}" if self.config.log_questions else ""
        LOG.info("answered%s in %s: %s, %d sources, %.0f ms", asked, channel,
                 "answered" if answer.answered else "not covered", len(answer.citations),
                 (time.perf_counter() - started) * 1000)


def refusal(question: str, lang: str) -> str | None:
    """Why ``question`` cannot be asked (empty, too long), in the asker's language; else None."""
    try:
        clean_question(question)
    except UsageError:
        if not question.strip():
            return say("empty", lang)
        return say("too_long", lang, length=len(question), limit=MAX_QUESTION_CHARS)
    return None
