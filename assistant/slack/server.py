"""HTTP mode: Bolt's ASGI adapter behind the ``Guard``, served by uvicorn.

One process, one event loop for the connections (idle or slow ones cost no thread);
Bolt's synchronous ``App.dispatch`` runs on a small thread pool. uvicorn's HTTP/1.1
parser refuses what is not HTTP (a ``Content-Length: abc`` gets its 400, as RFC 9112
requires). Its keep-alive timeout closes idle connections between requests; it has no
read timeout, so ``TimedH11Protocol`` adds one: a connection whose request has not
arrived within ``HttpLimits.read_timeout`` is closed. On SIGTERM or SIGINT the server
stops accepting, finishes the requests in flight, then returns to its caller.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import uvicorn
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.errors import AssistantError
from assistant.slack.config import HttpLimits
from assistant.slack.dedup import Seen
from assistant.slack.guard import EVENTS_PATH, Guard, Refusals

LOG = logging.getLogger("assistant.slack.http")
BACKLOG = 2048  # connections waiting to be accepted: a burst of events is not refused
DISPATCH_THREADS = 16  # Bolt waits up to 3 s on a command's ack(): a few waits must not block the rest


class ThreadedBolt(SlackRequestHandler):
    """Bolt's ASGI adapter, with the synchronous App dispatched off the event loop.

    A request whose signature was served before (``seen``, shared by replicas) is a
    replay: 200, and Bolt never sees it.
    """

    def __init__(self, app: App, executor: ThreadPoolExecutor, seen: Seen, refusals: Refusals) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.executor = executor
        self.seen = seen
        self.refusals = refusals

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        body, query, headers = await request.get_raw_body(), request.query_string, request.get_headers()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._dispatch, body, query, headers)

    def _dispatch(self, body: str, query: str, headers: dict) -> BoltResponse:
        if not self.seen.first(f"request:{headers.get('x-slack-signature')}"):
            self.refusals.note(200, "a replay of a request already served")
            return BoltResponse(status=200, body="")
        try:
            request = BoltRequest(body=body, query=query, headers=headers)
        except Exception as exc:  # signed, yet shaped unlike anything Slack sends
            LOG.warning("refused a signed request Bolt cannot read (%s)", type(exc).__name__)
            return BoltResponse(status=400, body="malformed Slack payload\n")
        return self.app.dispatch(request)


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose next request is not in after ``read_timeout``.

    The timer starts when the connection opens and again after each response; the body
    of a request that did arrive is timed by the ``Guard``.
    """

    read_timeout = HttpLimits.read_timeout

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.read_timeout, self._expire, self.cycle)

    def _expire(self, cycle: Any) -> None:
        waiting = cycle is None or cycle.response_complete  # no request in hand since the timer started
        if self.cycle is cycle and waiting and not self.transport.is_closing():
            self.transport.close()


class HttpServer:
    """uvicorn on a socket from ``bind()``, serving ``Guard`` + Bolt; ``run()`` blocks."""

    def __init__(self, app: App, secret: str, seen: Seen, limits: HttpLimits, sock: socket.socket) -> None:
        self.executor = ThreadPoolExecutor(DISPATCH_THREADS, thread_name_prefix="http")
        self.socket = sock
        self.host, self.port = sock.getsockname()[:2]
        refusals = Refusals()
        guard = Guard(ThreadedBolt(app, self.executor, seen, refusals), secret, limits, refusals)
        protocol = type("TimedH11Protocol", (TimedH11Protocol,), {"read_timeout": limits.read_timeout})
        self.server = uvicorn.Server(uvicorn.Config(
            guard, http=protocol, ws="none", lifespan="off", log_config=None, access_log=False,
            server_header=False, backlog=BACKLOG, timeout_keep_alive=int(max(1, limits.keep_alive)),
            timeout_graceful_shutdown=int(limits.shutdown_grace)))

    def run(self) -> None:
        """Serve until ``stop()`` or a signal, then finish the requests in flight."""
        self.socket.listen(BACKLOG)  # connections made from here on wait for the loop to accept them
        LOG.info("listening on http://%s:%d%s", self.host, self.port, EVENTS_PATH)
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()
            self.executor.shutdown(wait=True)

    def stop(self) -> None:
        self.server.should_exit = True


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``; a port in use is one clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise AssistantError(f"port {port} on {host} is already in use; stop the program listening "
                                 "there or choose another port with --port") from None
        raise AssistantError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                             "check --host and --port") from None
    return sock
