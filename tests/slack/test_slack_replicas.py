"""Two real bot processes behind one stand-in Slack, sharing a real redis-server: each event,
however often and wherever it is delivered, gets one answer."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest

from assistant.settings import Settings
from assistant.slack.shared import RETRY_AFTER, Link, SharedConversations, connect
from assistant.slack.threads import Conversations
from tests.redis_server import RedisServer
from tests.slack_api_server import (
    BOT_USER,
    TEAM,
    BotProcess,
    SlackApiServer,
    SlackSender,
    block_text,
    bot_env,
    message_event,
)

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot
pytestmark = pytest.mark.slow

EVENTS = 50
QUESTIONS = ["Who provides the secretariat of the Conference of the Parties?", "What is the quorum?",
             "How early must the provisional agenda be circulated?", "Qui assure le secrétariat de la CP ?",
             "Who can attend the sessions as an observer?"]


def final_answers(api: SlackApiServer) -> dict[str, int]:
    """How many final answers (with sources) each thread got, by the thread's ts."""
    with api._lock:
        thread_of = {m["ts"]: m.get("thread_ts") for messages in api.messages.values() for m in messages}
    counts: dict[str, int] = {}
    for call in api.calls_to("chat.update"):
        if "*Sources*" in block_text(call.params.get("blocks") or []):
            thread = thread_of.get(call.params["ts"]) or ""
            counts[thread] = counts.get(thread, 0) + 1
    return counts


def bot(api: SlackApiServer, index: Settings, folder: Path, **env: str) -> BotProcess:
    folder.mkdir()
    return BotProcess(bot_env(api, index.data_dir, ASSISTANT_FEEDBACK_DB=str(folder / "f.sqlite3"), **env))


@pytest.fixture
def replicas(slack_api: SlackApiServer, shipped_index: Settings, redis_server: RedisServer,
             tmp_path: Path) -> Iterator[list[SlackSender]]:
    with bot(slack_api, shipped_index, tmp_path / "one", ASSISTANT_REDIS_URL=redis_server.url) as one, \
            bot(slack_api, shipped_index, tmp_path / "two", ASSISTANT_REDIS_URL=redis_server.url) as two:
        yield [SlackSender(one.url, slack_api), SlackSender(two.url, slack_api)]
    for process in (one, two):
        assert "Traceback" not in process.log(), process.log()


def test_each_of_50_events_sent_to_both_replicas_and_retried_is_answered_once(
        replicas: list[SlackSender], slack_api: SlackApiServer) -> None:
    deliveries: list[tuple[SlackSender, dict[str, Any], str, int | None]] = []
    for n in range(EVENTS):  # Slack's app_mention and message for each mention, to both, each retried
        ts, channel = slack_api.next_ts(), f"C0REPLICA{n % 5}"
        text = f"<@{BOT_USER}> {QUESTIONS[n % len(QUESTIONS)]}"
        mention = {"type": "app_mention", "channel": channel, "user": "U0ALICE", "text": text, "ts": ts,
                   "event_ts": ts}
        slack_api.add_message(channel, dict(mention, type="message"))
        message = dict(mention, type="message", channel_type="channel")
        for event, event_id in ((mention, f"EvM{n:03d}"), (message, f"EvS{n:03d}")):
            deliveries += [(sender, event, event_id, retry) for sender in replicas for retry in (None, 1)]
    random.Random(13).shuffle(deliveries)
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda d: d[0].event(d[1], event_id=d[2], retry_num=d[3]).status, deliveries))
    assert statuses == [200] * len(deliveries)
    slack_api.wait_for(lambda: len(final_answers(slack_api)) >= EVENTS, timeout=120)
    time.sleep(1.0)  # room for a second answer to show, if there were one
    answers = final_answers(slack_api)
    assert len(answers) == EVENTS and set(answers.values()) == {1}
    assert len(slack_api.calls_to("chat.postMessage")) == EVENTS  # one placeholder each, no more


def test_a_replayed_signed_ask_is_answered_once_across_replicas(replicas: list[SlackSender],
                                                                slack_api: SlackApiServer) -> None:
    form = urlencode({"token": "legacy", "team_id": TEAM, "channel_id": "C0GENERAL", "user_id": "U0ALICE",
                      "command": "/ask", "text": "What is the quorum?", "trigger_id": "7.7.7",
                      "response_url": slack_api.response_url("ask")})
    timestamp = int(time.time())
    acks = [sender.post(form, "application/x-www-form-urlencoded", timestamp=timestamp)
            for sender in (replicas[0], replicas[1], replicas[0])]
    assert [ack.status for ack in acks] == [200, 200, 200]
    assert "Looking it up" in acks[0].body and acks[1].body == acks[2].body == ""
    slack_api.wait_calls("response_url")
    time.sleep(1.0)
    assert len(slack_api.calls_to("response_url")) == 1


def test_a_thread_answered_by_one_replica_is_followed_up_by_the_other_from_redis(
        replicas: list[SlackSender], slack_api: SlackApiServer, redis_server: RedisServer) -> None:
    mention, _ = replicas[0].mention("How early must the provisional agenda be circulated?")
    memory = SharedConversations(Link(connect(redis_server.url, "test"), "test"), Conversations())
    slack_api.wait_for(lambda: memory.lookup("C0GENERAL", mention["ts"]))  # remembered after posting
    reply = {"type": "message", "channel": "C0GENERAL", "user": "U0ALICE", "text": "and for a special session?",
             "ts": slack_api.next_ts(), "thread_ts": mention["ts"], "channel_type": "channel"}
    assert replicas[1].event(reply).status == 200
    slack_api.wait_for(lambda: final_answers(slack_api).get(mention["ts"]) == 2)
    assert slack_api.calls_to("conversations.replies") == []  # the other replica knew the thread


def test_redis_lost_while_running_falls_back_to_this_process_and_says_so_once(
        slack_api: SlackApiServer, shipped_index: Settings, redis_server: RedisServer, tmp_path: Path) -> None:
    with bot(slack_api, shipped_index, tmp_path / "one", ASSISTANT_REDIS_URL=redis_server.url) as process:
        sender = SlackSender(process.url, slack_api)
        redis_server.stop()
        for n in range(3):  # three mentions, each delivered three times
            event = dict(message_event(f"<@{BOT_USER}> {QUESTIONS[n]}", "C0GENERAL", "U0ALICE",
                                       slack_api.next_ts()), type="app_mention")
            for retry in (None, 1, 2):
                assert sender.event(event, event_id=f"EvLost{n}", retry_num=retry).status == 200
        slack_api.wait_for(lambda: len(final_answers(slack_api)) == 3)
        redis_server.start()
        time.sleep(RETRY_AFTER + 0.5)
        sender.mention(QUESTIONS[0])
        slack_api.wait_for(lambda: len(final_answers(slack_api)) == 4)
        time.sleep(0.5)
    log = process.log()
    assert set(final_answers(slack_api).values()) == {1}
    assert log.count("is unreachable") == 1 and log.count("is back;") == 1
    assert "Traceback" not in log
