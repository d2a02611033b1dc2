"""The answering workers: a few questions at once, a bounded line behind them.

Retrieval spends most of its time in native code that releases the GIL (the embedder,
Chroma, BM25), and an LLM answer mostly waits on the network, so threads answer a burst
side by side. A question is admitted only while fewer than ``workers + queue`` are in
hand; the caller tells the asker the bot is busy instead of letting the line grow.

The workers run at a lower scheduling priority (``NICE``; Linux sets it per thread): a
burst of answers keeps every CPU busy, and the threads that acknowledge Slack's requests
within its 3 seconds must still get one at once. Idle CPU time still goes to the answers.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from assistant.masking import safe_reason

LOG = logging.getLogger("assistant.slack")
NICE = 10  # added to an answering thread's nice value (Linux: 0 to 19, higher yields more)


class AnswerPool:
    """``admit()`` a question, then ``run()`` its work; ``shutdown()`` finishes everything admitted."""

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(f"need at least one worker and a queue of 0 or more (got {workers}, {queue})")
        self.workers, self.queue = workers, queue
        self._free = threading.BoundedSemaphore(workers + queue)
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="answer", initializer=_yield_cpu)
        self._lock = threading.Lock()
        self._held = 0

    def admit(self) -> bool:
        """Take a place for one question; False when the workers and the queue are full."""
        if not self._free.acquire(blocking=False):
            return False
        with self._lock:
            self._held += 1
        return True

    def release(self) -> None:
        """Give back a place that ``admit`` took and ``run`` will not use."""
        with self._lock:
            self._held -= 1
        self._free.release()

    def run(self, work: Callable[..., None], *args: Any) -> None:
        """Answer on a worker, in a place taken by ``admit``; errors are logged."""
        def job() -> None:
            try:
                logged(work, *args)
            finally:
                self.release()

        self._executor.submit(job)

    def in_hand(self) -> int:
        """Questions admitted and not yet answered (being answered or waiting)."""
        with self._lock:
            return self._held

    def shutdown(self) -> None:
        """Finish every admitted question, then stop the workers."""
        self._executor.shutdown(wait=True)


def logged(work: Callable[..., None], *args: Any) -> None:
    """``work(*args)`` on a worker thread, where an error has no caller to go to: it is logged."""
    try:
        work(*args)
    except Exception as exc:
        LOG.exception("%s failed: %s", getattr(work, "__name__", "work"), safe_reason(exc))


def _yield_cpu() -> None:
    """Lower this thread's priority: on Linux, where nice is per thread (elsewhere, leave it)."""
    if sys.platform != "linux":
        return
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICE)
    except OSError as exc:
        LOG.debug("answering threads keep their priority: %s", exc)
