"""What one connection may cost the bot: time to send its request, requests at once, idle time.

Run with short limits so that the timeouts show in a second; the defaults are in HttpLimits.
"""

from __future__ import annotations

import json
import selectors
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_sdk.signature import SignatureVerifier

from assistant.answers.answer import Answer
from assistant.slack.config import HttpLimits
from tests.slack_api_server import BOT_USER, TEAM, Bot, Scripted, citation, message_event

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

STALLED = 200
READ_TIMEOUT = 1.0
HEADERS_ONLY = b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"


def body_stall(timestamp: int) -> bytes:
    """A complete head announcing 100 bytes of body, and 3 of them."""
    return (b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n"
            b"X-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n{\"t" % (timestamp, b"0" * 64))


@pytest.fixture
def bot(start_bot: Any) -> Bot:
    return start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])),
                     http=HttpLimits(read_timeout=READ_TIMEOUT, keep_alive=1, in_flight=STALLED + 10))


def port_of(bot: Bot) -> int:
    return int(urlsplit(bot.slack.url).port or 0)


def wait_closed(sockets: dict[socket.socket, float], timeout: float) -> dict[socket.socket, tuple[float, bytes]]:
    """For each socket, when the server closed it (seconds after it was opened) and what it sent first."""
    closed: dict[socket.socket, tuple[float, bytes]] = {}
    received = {sock: b"" for sock in sockets}
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while len(closed) < len(sockets) and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                data = sock.recv(4096)
                received[sock] += data
                if not data:
                    closed[sock] = (time.monotonic() - sockets[sock], received[sock])
                    selector.unregister(sock)
    return closed


def test_stalled_connections_are_dropped_after_the_read_timeout(bot: Bot) -> None:
    opened: dict[socket.socket, float] = {}
    for n in range(STALLED):  # half stall in their head, half in their body
        started = time.monotonic()  # before connecting: the server's clock cannot start earlier
        sock = socket.create_connection(("127.0.0.1", port_of(bot)), timeout=5)
        sock.sendall(HEADERS_ONLY if n % 2 else body_stall(int(time.time())))
        opened[sock] = started
    try:
        closed = wait_closed(opened, timeout=READ_TIMEOUT + 15)
        assert len(closed) == STALLED
        assert min(after for after, _ in closed.values()) >= READ_TIMEOUT * 0.9
        answers = [first.split(b"\r\n")[0] for _, first in closed.values()]
        assert answers.count(b"HTTP/1.1 408 Request Timeout") == STALLED // 2  # the body stalls
        assert answers.count(b"") == STALLED // 2  # the head stalls: closed without a word
    finally:
        for sock in opened:
            sock.close()
    assert bot.slack.mention("What is the quorum?")[1].status == 200  # and the bot serves on
    bot.api.wait_calls("chat.update")


def test_requests_in_flight_are_bounded(start_bot: Any) -> None:
    bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])),
                    http=HttpLimits(read_timeout=5, in_flight=2))
    stalled = [socket.create_connection(("127.0.0.1", port_of(bot)), timeout=5) for _ in range(2)]
    try:
        for sock in stalled:
            sock.sendall(body_stall(int(time.time())))
        time.sleep(1.0)  # both are read by now
        assert bot.slack.mention("What is the quorum?")[1].status == 503
    finally:
        for sock in stalled:
            sock.close()
    assert bot.api.wait_for(lambda: bot.slack.mention("What is the quorum?")[1].status == 200, timeout=5)


def test_an_idle_connection_is_closed_after_the_keep_alive_timeout(start_bot: Any) -> None:
    bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])),
                    http=HttpLimits(read_timeout=30, keep_alive=1))
    with socket.create_connection(("127.0.0.1", port_of(bot)), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n")
        opened = {sock: time.monotonic()}
        [(after, first)] = wait_closed(opened, timeout=8).values()
    assert first.startswith(b"HTTP/1.1 200 ") and first.endswith(b"ok\n")
    assert after < 10  # keep-alive is 1 s; the read timeout, 30 s


def test_a_request_sent_slowly_but_within_the_timeout_is_served(bot: Bot) -> None:
    event = dict(message_event(f"<@{BOT_USER}> What is the quorum?", "C0GENERAL", "U0ALICE",
                               bot.api.next_ts()), type="app_mention")
    body = json.dumps({"type": "event_callback", "event_id": "EvSlow", "team_id": TEAM, "event": event}).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(bot.slack.secret).generate_signature(timestamp=timestamp, body=body)
    head = (f"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {timestamp}\r\n"
            f"X-Slack-Signature: {signature}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port_of(bot)), timeout=10) as sock:
        for piece in (head[:20], head[20:], body[:10], body[10:]):
            sock.sendall(piece)
            time.sleep(READ_TIMEOUT / 5)
        assert sock.recv(100).startswith(b"HTTP/1.1 200 ")
    bot.api.wait_calls("chat.update")
