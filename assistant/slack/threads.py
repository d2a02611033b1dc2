"""Conversation memory: which threads the bot answered and the questions asked there.

A reply in such a thread is a follow-up that carries the earlier questions. Memory is
per process (``shared.SharedConversations`` keeps it in Redis for all replicas); a thread
it does not hold (after a restart, on another replica) is rebuilt from
``conversations.replies``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from assistant.slack.mrkdwn import question_text

THREAD_TTL = 7 * 24 * 3600.0
DM_TTL = 30 * 60.0  # top-level direct messages: a follow-up must come soon after
NOT_OURS_TTL = 10 * 60.0  # a thread the bot had not answered may get an answer elsewhere (replicas)
MAX_THREADS = 20_000
MAX_QUESTIONS = 5


@dataclass
class Thread:
    answered: bool
    questions: list[str] = field(default_factory=list)
    touched: float = 0.0


class Memory(Protocol):
    def remember(self, channel: str, thread_ts: str | None, question: str) -> None: ...

    def learn(self, channel: str, thread_ts: str, answered: bool, questions: list[str]) -> None: ...

    def lookup(self, channel: str, thread_ts: str | None) -> Thread | None: ...


def time_to_live(thread_ts: str | None, answered: bool) -> float:
    """How long a thread is remembered: a week if answered, less for DMs and others' threads."""
    return (THREAD_TTL if thread_ts else DM_TTL) if answered else NOT_OURS_TTL


class Conversations:
    """Thread-safe memory of threads, keyed by channel and thread ``ts`` ("" for a DM's top level)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._threads: OrderedDict[tuple[str, str], Thread] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, channel: str, thread_ts: str | None, question: str) -> None:
        """The bot answered ``question`` in this thread."""
        with self._lock:
            thread = self._threads.pop((channel, thread_ts or ""), None) or Thread(answered=True)
            thread.answered, thread.touched = True, self._clock()
            thread.questions = (thread.questions + [question])[-MAX_QUESTIONS:]
            self._store(channel, thread_ts, thread)

    def learn(self, channel: str, thread_ts: str, answered: bool, questions: list[str]) -> None:
        """What ``conversations.replies`` showed about a thread this process had not seen."""
        with self._lock:
            self._store(channel, thread_ts, Thread(answered, questions[-MAX_QUESTIONS:], self._clock()))

    def lookup(self, channel: str, thread_ts: str | None) -> Thread | None:
        """The thread if known and fresh, else None."""
        with self._lock:
            thread = self._threads.get((channel, thread_ts or ""))
            if thread is None:
                return None
            if self._clock() - thread.touched > time_to_live(thread_ts, thread.answered):
                return None
            return Thread(thread.answered, list(thread.questions), thread.touched)

    def _store(self, channel: str, thread_ts: str | None, thread: Thread) -> None:
        self._threads[(channel, thread_ts or "")] = thread
        self._threads.move_to_end((channel, thread_ts or ""))
        while len(self._threads) > MAX_THREADS:
            self._threads.popitem(last=False)


def from_replies(messages: Iterable[dict], bot_user_id: str, before_ts: str) -> Thread:
    """Rebuild a thread from its messages: did the bot answer, and what was asked before it did."""
    questions: list[str] = []
    pending: list[str] = []
    answered = False
    for message in messages:
        if float(message.get("ts", "0")) >= float(before_ts):
            break
        if message.get("user") == bot_user_id:
            answered = True
            questions += pending
            pending = []
        elif not message.get("subtype") and not message.get("bot_id"):
            text = question_text(message.get("text", ""), bot_user_id)
            if text:
                pending.append(text)
    return Thread(answered, questions[-MAX_QUESTIONS:])
