"""Thread memory: which threads the bot answered, and what was asked there before."""

from __future__ import annotations

import pytest

from assistant.slack.listeners import is_courtesy
from assistant.slack.threads import DM_TTL, NOT_OURS_TTL, Conversations, from_replies


def test_remembered_questions_are_the_history_of_the_thread() -> None:
    memory = Conversations()
    assert memory.lookup("C1", "1.0") is None
    memory.remember("C1", "1.0", "How early is the agenda circulated?")
    memory.remember("C1", "1.0", "and for a special session?")
    thread = memory.lookup("C1", "1.0")
    assert thread and thread.answered
    assert thread.questions == ["How early is the agenda circulated?", "and for a special session?"]


def test_a_direct_message_conversation_expires_soon() -> None:
    now = [0.0]
    memory = Conversations(clock=lambda: now[0])
    memory.remember("D1", None, "What is the quorum?")
    assert memory.lookup("D1", None)
    now[0] = DM_TTL + 1
    assert memory.lookup("D1", None) is None


def test_a_thread_is_rebuilt_from_its_replies() -> None:
    messages = [
        {"ts": "1.0", "user": "U1", "text": "<@UBOT> How early is the agenda circulated?"},
        {"ts": "2.0", "user": "UBOT", "bot_id": "B1", "text": "Six weeks before. [1]"},
        {"ts": "3.0", "user": "U2", "text": "interesting"},
        {"ts": "4.0", "user": "U9", "bot_id": "B9", "text": "another bot"},
        {"ts": "5.0", "user": "U1", "text": "and for a special session?"},
    ]
    thread = from_replies(messages, "UBOT", before_ts="5.0")
    assert thread.answered and thread.questions == ["How early is the agenda circulated?"]
    assert not from_replies(messages[:1], "UBOT", before_ts="5.0").answered


@pytest.mark.parametrize("text, courtesy", [
    ("Thanks!", True), ("thank you 🙏", True), ("Merci beaucoup !", True), ("ok", True), (":+1:", True),
    ("and for a special session?", False), ("thanks, and the observers?", False),
])
def test_courtesy_replies_are_not_questions(text: str, courtesy: bool) -> None:
    assert is_courtesy(text) is courtesy


def test_a_thread_the_bot_had_not_answered_is_checked_again_later() -> None:
    now = [0.0]
    memory = Conversations(clock=lambda: now[0])
    memory.learn("C1", "1.0", answered=False, questions=[])
    assert memory.lookup("C1", "1.0") is not None
    now[0] = NOT_OURS_TTL + 1
    assert memory.lookup("C1", "1.0") is None
