"""One delivery, one answer: event ids and (channel, ts) keys are seen once."""

from __future__ import annotations

import threading

from assistant.slack.dedup import Deduplicator, event_keys


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_new_once_until_it_expires() -> None:
    clock = Clock()
    dedup = Deduplicator(ttl=60, clock=clock)
    assert dedup.first("event:Ev1") and not dedup.first("event:Ev1")
    clock.now = 61
    assert dedup.first("event:Ev1")


def test_mention_and_message_events_share_the_message_key() -> None:
    dedup = Deduplicator()
    event = {"channel": "C1", "ts": "1.000100"}
    mention = event_keys({"event_id": "Ev1"}, event)
    message = event_keys({"event_id": "Ev2"}, event)
    retry = event_keys({"event_id": "Ev1"}, {"channel": "C1", "ts": "1.000100"})
    assert [dedup.first(*keys) for keys in (mention, message, retry)] == [True, False, False]


def test_memory_is_bounded() -> None:
    dedup = Deduplicator(max_keys=3)
    for n in range(5):
        dedup.first(f"k{n}")
    assert dedup.first("k0") and not dedup.first("k4")


def test_only_one_of_many_threads_wins() -> None:
    dedup = Deduplicator()
    barrier = threading.Barrier(16)
    wins: list[bool] = []

    def race() -> None:
        barrier.wait()
        wins.append(dedup.first("event:Ev1", "message:C1:1.0"))

    threads = [threading.Thread(target=race) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1
