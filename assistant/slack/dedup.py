"""Seen-before checks, so a question gets one answer however often Slack delivers it.

Slack redelivers an event it believes unacknowledged (same ``event_id``,
``X-Slack-Retry-Num``) and sends both ``app_mention`` and ``message`` for one mention
(same channel and ``ts``). Keys live in memory for ``ttl`` seconds, long past Slack's
last retry (about 5 minutes). With several replicas, ``shared.SharedSeen`` keeps them in
Redis instead, so a retry that reaches another replica is recognised too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Protocol

DEFAULT_TTL = 3600.0
DEFAULT_MAX_KEYS = 50_000


class Seen(Protocol):
    def first(self, *keys: str | None) -> bool: ...


class Deduplicator:
    """``first(key)`` is True exactly once per key within ``ttl``; safe across threads."""

    def __init__(self, ttl: float = DEFAULT_TTL, max_keys: int = DEFAULT_MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, *keys: str | None) -> bool:
        """Mark every given key seen; True only when none of them had been seen."""
        now = self._clock()
        present = [key for key in keys if key]
        with self._lock:
            self._forget_before(now - self.ttl)
            fresh = not any(key in self._seen for key in present)
            for key in present:
                self._seen[key] = now
                self._seen.move_to_end(key)
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
        return fresh

    def _forget_before(self, cutoff: float) -> None:
        while self._seen:
            key, seen_at = next(iter(self._seen.items()))
            if seen_at >= cutoff:
                break
            del self._seen[key]


def event_keys(body: dict, event: dict) -> tuple[str | None, str | None]:
    """The keys of one delivery: its ``event_id``, and the message it is about."""
    event_id = body.get("event_id")
    channel, ts = event.get("channel"), event.get("ts")
    return (f"event:{event_id}" if event_id else None,
            f"message:{channel}:{ts}" if channel and ts else None)
