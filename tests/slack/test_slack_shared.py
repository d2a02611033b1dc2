"""Memory shared through a real redis-server: seen once across replicas, threads known to all,
and a Redis that goes away is felt once in the log, not in the answers."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.answers.answer import Answer
from assistant.errors import AssistantError
from assistant.masking import Secret
from assistant.slack.config import SlackConfig
from assistant.slack.dedup import Deduplicator, event_keys
from assistant.slack.shared import RETRY_AFTER, Link, SharedConversations, SharedSeen, connect, open_shared
from assistant.slack.threads import MAX_QUESTIONS, Conversations
from tests.redis_server import RedisServer
from tests.slack_api_server import BOT_TOKEN, BOT_USER, Scripted, citation, message_event

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def link(redis_server: RedisServer, clock: Any = time.monotonic) -> Link:
    return Link(connect(redis_server.url, redis_server.url), redis_server.url, clock)


def test_a_delivery_is_first_on_one_replica_only(redis_server: RedisServer) -> None:
    one, two = (SharedSeen(link(redis_server), Deduplicator()) for _ in range(2))
    event = {"channel": "C1", "ts": "1.000100"}
    mention, message = event_keys({"event_id": "Ev1"}, event), event_keys({"event_id": "Ev2"}, event)
    assert one.first(*mention)
    assert not two.first(*mention)  # the same event at the other replica
    assert not two.first(*message)  # the message event of the same mention
    assert not one.first(*mention) and not two.first("event:Ev1")  # retries


def test_only_one_of_many_threads_on_two_replicas_wins(redis_server: RedisServer) -> None:
    replicas = [SharedSeen(link(redis_server), Deduplicator()) for _ in range(2)]
    barrier = threading.Barrier(16)
    wins: list[bool] = []

    def race(n: int) -> None:
        barrier.wait()
        wins.append(replicas[n % 2].first(f"event:Ev{n % 3}", "message:C1:1.0"))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1


def test_seen_keys_expire_in_redis_with_the_ttl(redis_server: RedisServer) -> None:
    seen = SharedSeen(link(redis_server), Deduplicator(ttl=1))
    other = SharedSeen(link(redis_server), Deduplicator(ttl=1))
    assert seen.first("event:Ev1") and not other.first("event:Ev1")
    time.sleep(2.1)
    assert other.first("event:Ev1")


def test_threads_answered_on_one_replica_are_known_on_the_other(redis_server: RedisServer) -> None:
    one, two = (SharedConversations(link(redis_server), Conversations()) for _ in range(2))
    assert two.lookup("C1", "1.0") is None
    for n in range(MAX_QUESTIONS + 2):
        one.remember("C1", "1.0", f"question {n}")
    thread = two.lookup("C1", "1.0")
    assert thread is not None and thread.answered
    assert thread.questions == [f"question {n}" for n in range(2, MAX_QUESTIONS + 2)]
    two.learn("C1", "1.0", answered=False, questions=[])  # a stale rebuild does not undo it
    assert two.lookup("C1", "1.0").answered  # type: ignore[union-attr]
    two.learn("C2", "2.0", answered=False, questions=["from replies"])
    assert one.lookup("C2", "2.0").questions == ["from replies"]  # type: ignore[union-attr]


def test_redis_lost_then_back_is_logged_once_each_and_memory_carries_on(
        redis_server: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    seen = SharedSeen(link(redis_server, clock), Deduplicator())
    threads = SharedConversations(seen.link, Conversations())
    assert seen.first("event:Ev1")
    threads.remember("C1", "1.0", "quorum?")
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="assistant.slack"):
        assert [seen.first("event:Ev1"), seen.first("event:Ev2"), seen.first("event:Ev2")] == [False, True, False]
        assert threads.lookup("C1", "1.0").questions == ["quorum?"]  # type: ignore[union-attr]
        redis_server.start()
        assert seen.first("event:Ev3") and not seen.first("event:Ev3")  # still in-process for a while…
        clock.now += RETRY_AFTER + 1
        assert seen.first("event:Ev4")  # …then in Redis again, where another replica sees it
        assert not SharedSeen(link(redis_server), Deduplicator()).first("event:Ev4")
    lines = [r.getMessage() for r in caplog.records if r.name == "assistant.slack"]
    assert len([line for line in lines if "unreachable" in line]) == 1
    assert len([line for line in lines if "is back;" in line]) == 1
    assert all(not r.exc_info for r in caplog.records)


def test_an_unreachable_redis_at_start_is_an_error_that_hides_the_password(tmp_path: Path) -> None:
    config = SlackConfig(bot_token=Secret(BOT_TOKEN), feedback_db=tmp_path / "f.sqlite3",
                         redis_url=Secret("redis://:hunter2pw@127.0.0.1:1/0"))
    with pytest.raises(AssistantError, match=r"cannot reach Redis at redis://:\*\*\*@127\.0\.0\.1:1/0") as error:
        open_shared(config)
    assert "hunter2pw" not in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("with_redis", [False, True], ids=["in-process", "redis"])
def test_two_bots_answer_an_event_sent_to_both_once_only_with_redis(
        start_bot: Any, redis_server: RedisServer, with_redis: bool) -> None:
    reply = Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()]))
    redis_url = Secret(redis_server.url) if with_redis else None
    first, second = (start_bot(reply, redis_url=redis_url) for _ in range(2))
    event = dict(message_event(f"<@{BOT_USER}> quorum?", "C0GENERAL", "U0ALICE", first.api.next_ts()),
                 type="app_mention")
    for bot in (first, second):
        assert bot.slack.event(event, event_id="EvBoth").status == 200
    first.api.wait_calls("chat.update")
    time.sleep(0.5)
    assert len(first.api.calls_to("chat.update")) == (1 if with_redis else 2)
