"""Answers in parallel, bounded: several questions at once, a line of limited length, then "busy"."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from assistant.answers.answer import Answer
from assistant.slack.pool import NICE, AnswerPool
from tests.slack_api_server import Bot, Scripted, citation

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

BUSY = "I am answering many questions right now; please ask again in a minute."
QUESTIONS = ["Who provides the secretariat of the Conference of the Parties?",
             "What is the quorum for taking a decision?",
             "How early must the provisional agenda be circulated?",
             "Quel est le quorum requis pour prendre une décision ?",
             "Who can attend the sessions as an observer?",
             "Which resolution established the review mechanism?"]


def answer(question: str, history: list[str]) -> Answer:
    return Answer(question, "en", True, "A majority. [1]", [citation()])


class Gate:
    """An answerer that holds every question until ``open()``."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.asked: list[str] = []

    def ask(self, question: str, history: Any = (), on_token: Any = None) -> Answer:
        self.asked.append(question)
        assert self.opened.wait(20)
        return answer(question, list(history))


def test_the_pool_admits_workers_plus_queue_then_refuses_until_a_place_frees() -> None:
    pool = AnswerPool(workers=2, queue=1)
    assert [pool.admit() for _ in range(4)] == [True, True, True, False]
    pool.release()
    assert pool.admit() and not pool.admit()
    done = threading.Event()
    for _ in range(3):
        pool.run(done.wait, 5)
    assert pool.in_hand() == 3 and not pool.admit()
    done.set()
    pool.shutdown()
    assert pool.in_hand() == 0


def test_a_burst_is_answered_side_by_side(start_bot: Any) -> None:
    together = threading.Barrier(4, timeout=10)  # passes only if four questions are answered at once

    def meet(question: str, history: list[str]) -> Answer:
        together.wait()
        return answer(question, history)

    bot = start_bot(Scripted(meet), workers=4)
    for n in range(4):
        bot.slack.mention(QUESTIONS[n])
    updates = bot.api.wait_calls("chat.update", 4)
    assert all("A majority" in u.params["text"] for u in updates)


def test_when_the_line_is_full_the_bot_says_it_is_busy_in_the_thread(start_bot: Any) -> None:
    gate = Gate()
    bot: Bot = start_bot(gate, workers=1, queue=1)
    first, _ = bot.slack.mention(QUESTIONS[0])
    bot.api.wait_for(lambda: gate.asked)  # one being answered…
    second, _ = bot.slack.mention(QUESTIONS[1])  # …one waiting…
    bot.api.wait_calls("chat.postMessage", 2)
    third, _ = bot.slack.mention(QUESTIONS[2])  # …and no room for a third
    busy = bot.api.wait_for(lambda: [c for c in bot.api.calls_to("chat.postMessage") if c.params["text"] == BUSY])
    assert [c.params["thread_ts"] for c in busy] == [third["ts"]]
    ask = bot.slack.command(QUESTIONS[4])
    assert json.loads(ask.body)["text"] == BUSY
    gate.opened.set()
    updates = bot.api.wait_calls("chat.update", 2)
    time.sleep(0.3)
    assert len(bot.api.calls_to("chat.update")) == 2 and gate.asked == QUESTIONS[:2]
    placeholders = {m["ts"]: m.get("thread_ts") for m in bot.api.messages["C0GENERAL"]}
    assert {placeholders[u.params["ts"]] for u in updates} == {first["ts"], second["ts"]}
    assert bot.slack.mention(QUESTIONS[5])[1].status == 200  # room again
    bot.api.wait_calls("chat.update", 3)


@pytest.mark.skipif(sys.platform != "linux", reason="nice is per thread on Linux only")
def test_answering_threads_yield_the_cpu_to_acknowledgements() -> None:
    pool = AnswerPool(workers=1, queue=0)
    niceness: list[int] = []
    assert pool.admit()
    pool.run(lambda: niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    pool.shutdown()
    assert niceness == [min(19, os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) + NICE)]


@pytest.mark.slow
def test_the_answering_service_gives_the_same_answers_from_several_threads(shipped_assistant: Any) -> None:
    def key(reply: Answer) -> tuple:
        return reply.answered, reply.answer, [(c.doc_id, c.locator) for c in reply.citations]

    questions = QUESTIONS * 4
    alone = [key(shipped_assistant.ask(q)) for q in questions]
    with ThreadPoolExecutor(4) as pool:
        together = [key(reply) for reply in pool.map(shipped_assistant.ask, questions)]
    assert together == alone
