"""The door of HTTP mode: only signed, fresh, bounded Slack requests reach Bolt.

An ASGI app in front of Bolt's ASGI adapter. ``GET /healthz`` answers load balancers. At
``/slack/events`` the signature headers are checked first: without a valid signature and
a fresh timestamp the body is only drained, a piece at a time, for the client to hear
401. Otherwise the body is hashed as it arrives and kept only up to the limit, so whatever
its size a bad signature gets 401; a signed body over the limit gets 413, one that is not
a Slack payload 400. A request not received within the read timeout gets 408. (Bolt's
side, ``server.ThreadedBolt``, answers a replay of a request already served with 200.)
Client errors are never logged with a traceback: one line a minute per kind of refusal,
with how many there were.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any, Awaitable, Callable

from assistant.slack.config import HttpLimits
from assistant.slack.request_check import BodySignature, body_problem, header_problem

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
LOG = logging.getLogger("assistant.slack.http")
REPORT_EVERY = 60.0  # seconds between two log lines about one kind of refused request
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
App = Callable[[dict, Receive, Send], Awaitable[None]]


class Disconnected(Exception):
    """The client went away before sending its whole request."""


class Refusals:
    """Counts refused requests; logs the first of each kind, then at most once a minute."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: dict[tuple[int, str], int] = {}
        self._logged: dict[tuple[int, str], float] = {}
        self._lock = threading.Lock()

    def note(self, status: int, reason: str) -> None:
        kind, now = (status, reason), self._clock()
        with self._lock:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            if now - self._logged.get(kind, -REPORT_EVERY) < REPORT_EVERY:
                return
            count, self._logged[kind] = self._counts.pop(kind), now
        LOG.warning("refused %d request(s) with %d: %s", count, status, reason)


class Guard:
    """ASGI app: health check, then Slack's checks, then ``bolt`` (an ASGI app) with the body."""

    def __init__(self, bolt: App, secret: str, limits: HttpLimits, refusals: Refusals,
                 clock: Callable[[], float] = time.time) -> None:
        self.bolt = bolt
        self.secret = secret
        self.limits = limits
        self.refusals = refusals
        self._clock = clock
        self._in_flight = 0

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if not LOG.isEnabledFor(logging.DEBUG):
            return await self._route(scope, receive, send)
        started, status = time.perf_counter(), [0]

        async def sending(message: dict) -> None:
            status[0] = message.get("status", status[0])
            await send(message)

        await self._route(scope, receive, sending)
        LOG.debug("%s %s: %d in %.1f ms", scope["method"], scope["path"], status[0],
                  (time.perf_counter() - started) * 1000)

    async def _route(self, scope: dict, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            await _reply(send, 200, b"ok\n")
        elif path != EVENTS_PATH:
            await _reply(send, 404, b"not found\n")
        elif method != "POST":
            await _reply(send, 405, b"POST only\n", [(b"allow", b"POST")])
        elif self._in_flight >= self.limits.in_flight:
            await self._refuse(send, 503, "too many requests in flight", close=True)
        else:
            self._in_flight += 1
            try:
                await self._slack_request(scope, receive, send)
            finally:
                self._in_flight -= 1

    async def _slack_request(self, scope: dict, receive: Receive, send: Send) -> None:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
        problem = header_problem(timestamp, signature, self._clock())
        digest = None if problem else BodySignature(self.secret, str(timestamp))
        try:  # an unsigned body is read all the same (and dropped), so that the client hears the 401
            body = await asyncio.wait_for(self._read(receive, digest), self.limits.read_timeout)
        except asyncio.TimeoutError:
            return await self._refuse(send, 408, "body not received within the read timeout", close=True)
        except Disconnected:
            return
        if problem or digest is None or not digest.matches(str(signature)):
            return await self._refuse(send, 401, problem or "signature does not match the body")
        if body is None:
            return await self._refuse(send, 413, f"signed body over {self.limits.body_bytes} bytes")
        if problem := body_problem(body, headers.get("content-type", "")):
            return await self._refuse(send, 400, problem)
        await self.bolt(scope, _replay(body), send)  # it drops replays: the check may wait on Redis

    async def _read(self, receive: Receive, digest: BodySignature | None) -> bytes | None:
        """The body, hashed into ``digest``; None if it is over the limit or there is nothing to
        check it with (it is read to its end all the same, a piece at a time, and dropped)."""
        kept: bytearray | None = bytearray() if digest else None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise Disconnected
            piece = message.get("body", b"")
            if digest is not None:
                digest.update(piece)
            if kept is not None:
                kept += piece
                if len(kept) > self.limits.body_bytes:
                    kept = None
            if not message.get("more_body", False):
                return None if kept is None else bytes(kept)

    async def _refuse(self, send: Send, status: int, reason: str, close: bool = False) -> None:
        self.refusals.note(status, reason)
        await _reply(send, status, f"{reason}\n".encode(), [(b"connection", b"close")] if close else [])


async def _reply(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _replay(body: bytes) -> Receive:
    """A ``receive`` that gives Bolt the body already read."""
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
