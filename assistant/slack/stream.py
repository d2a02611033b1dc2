"""An answer written into its placeholder as it grows, at most one update per interval.

``Draft.add`` is the answering service's ``on_token`` callback: it runs on the
answering thread inside the model's stream, so it only appends. One ticker thread
sends each open draft's grown text with ``chat.update`` (no sources, no buttons), at
most once per ``interval`` per message: Slack allows about one update a second.
``Streamer.close`` ends a draft and waits out the interval, so the final answer
(checked text, sources, buttons) is always the last update and is never throttled away.
In extractive mode no token arrives and nothing is sent.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from assistant.masking import safe_reason
from assistant.slack.blocks import draft_blocks, preview

LOG = logging.getLogger("assistant.slack")
TICK = 0.1  # how often the ticker looks for grown drafts (seconds)


class Draft:
    """The text of one answer so far, and when its message was last updated."""

    def __init__(self, channel: str, ts: str, lang: str) -> None:
        self.channel, self.ts, self.lang = channel, ts, lang
        self.parts: list[str] = []
        self.shown = 0  # how many parts the message shows
        self.updated_at: float | None = None
        self.closed = False
        self.lock = threading.Lock()  # held while an update is in flight

    def add(self, token: str) -> None:
        """``on_token``: keep the text; the ticker sends it."""
        self.parts.append(token)


class Streamer:
    """Updates every open draft's message through ``client`` from one ticker thread.

    ``client`` should not retry: a rate-limited partial update is skipped, not waited for.
    """

    def __init__(self, client: Any, interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.interval = interval
        self._clock = clock
        self._drafts: set[Draft] = set()
        self._changed = threading.Condition()
        self._stopping = False
        self._ticker: threading.Thread | None = None

    def open(self, channel: str, ts: str, lang: str) -> Draft:
        """A draft for the placeholder ``ts``; pass its ``add`` as ``on_token``."""
        draft = Draft(channel, ts, lang)
        with self._changed:
            self._drafts.add(draft)
            if self._ticker is None:
                self._ticker = threading.Thread(target=self._tick, name="slack-stream", daemon=True)
                self._ticker.start()
            self._changed.notify()
        return draft

    def close(self, draft: Draft) -> None:
        """No more partial updates; returns once the message may be updated again."""
        with self._changed:
            self._drafts.discard(draft)
        with draft.lock:  # an update in flight lands before the final one
            draft.closed = True
            updated_at = draft.updated_at
        if updated_at is not None:
            time.sleep(max(0.0, updated_at + self.interval - self._clock()))

    def stop(self) -> None:
        """End the ticker (drafts still open get no more partial updates)."""
        with self._changed:
            self._stopping = True
            self._changed.notify()
        if self._ticker is not None:
            self._ticker.join(timeout=10)

    def _tick(self) -> None:
        while True:
            with self._changed:
                while not self._drafts and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return
                due = [draft for draft in self._drafts if self._due(draft)]
            for draft in due:
                self._push(draft)
            time.sleep(TICK)

    def _due(self, draft: Draft) -> bool:
        grown = len(draft.parts) > draft.shown
        rested = draft.updated_at is None or self._clock() - draft.updated_at >= self.interval
        return grown and rested and not draft.closed

    def _push(self, draft: Draft) -> None:
        with draft.lock:
            if draft.closed:
                return
            count = len(draft.parts)
            text = "".join(draft.parts[:count])
            try:
                self.client.chat_update(channel=draft.channel, ts=draft.ts, text=preview(text),
                                        blocks=draft_blocks(text, draft.lang))
                draft.shown = count
            except Exception as exc:  # the final update still comes; stop the partial ones
                LOG.warning("streaming into %s stopped: %s", draft.channel, safe_reason(exc))
                draft.closed = True
            finally:
                draft.updated_at = self._clock()  # a failed call counts against the rate too

