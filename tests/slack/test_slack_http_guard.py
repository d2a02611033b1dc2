"""The door of HTTP mode: what is not a signed Slack request is refused before anything parses it.

Unsigned or stale requests get 401 whatever their body, signed malformed ones 400, a signed
body over the limit 413, a replay is served once; none of it is a 500 or a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from assistant.answers.answer import Answer
from assistant.slack.config import HttpLimits
from tests.slack_api_server import BOT_USER, Bot, Scripted, citation, message_event

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

FORGED = "v0=" + "0" * 64
MENTION = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": message_event(
    f"<@{BOT_USER}> quorum?", "C0GENERAL", "U0ALICE", "1800000001.000100")})
NOW = "now"  # stands for a fresh X-Slack-Request-Timestamp
# (body, headers): none carries a signature that matches its body and a fresh timestamp.
UNSIGNED: dict[str, tuple[bytes, dict[str, str]]] = {
    "hello-no-headers": (b"hello", {"Content-Type": "text/plain"}),
    "bad-form-payload": (b"payload=%7Bnot-json", {"Content-Type": "application/x-www-form-urlencoded"}),
    "empty-body": (b"", {}),
    "non-numeric-timestamp": (MENTION.encode(), {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": FORGED}),
    "stale-timestamp": (MENTION.encode(), {"X-Slack-Request-Timestamp": "1500000000", "X-Slack-Signature": FORGED}),
    "signature-not-hex": (MENTION.encode(), {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": "v0=zzz"}),
    "forged-signature": (MENTION.encode(), {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": FORGED}),
    "forged-signature-3-MB": (b"{" * 3_000_000, {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": FORGED}),
    "no-headers-3-MB": (b"x" * 3_000_000, {}),
    "not-utf8": (b"\xff\xfe\x00", {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": FORGED}),
}
# Signed with the right secret, but not a Slack payload.
MALFORMED = {
    "hello": (b"hello", "text/plain"),
    "json-not-json": (b"{not json", "application/json"),
    "json-list": (b"[1, 2]", "application/json"),
    "json-without-type": (b'{"event": {}}', "application/json"),
    "event-not-an-object": (b'{"type": "event_callback", "event": "x"}', "application/json"),
    "authorizations-not-objects": (b'{"type": "event_callback", "authorizations": [1]}', "application/json"),
    "form-payload-not-json": (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    "form-without-command": (b"text=hello", "application/x-www-form-urlencoded"),
    "not-utf8": (b"\xff\xfe", "application/x-www-form-urlencoded"),
}


@pytest.fixture
def bot(start_bot: Any) -> Bot:
    return start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])),
                     http=HttpLimits(body_bytes=1_000_000))


def send(bot: Bot, body: bytes, headers: dict[str, str], method: str = "POST", path: str = "/slack/events") -> int:
    url = bot.slack.url.replace("/slack/events", path)
    request = urllib.request.Request(url, data=body if method == "POST" else None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def signed(bot: Bot, body: bytes, content_type: str) -> dict[str, str]:
    """Headers signing ``body`` as Slack documents it (slack_sdk's signer takes only UTF-8 bodies)."""
    timestamp = str(int(time.time()))
    digest = hmac.new(bot.slack.secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    signature = f"v0={digest.hexdigest()}"
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert bad == [], [r.getMessage() for r in bad]


@pytest.mark.parametrize("case", UNSIGNED, ids=list(UNSIGNED))
def test_unsigned_requests_get_401_whatever_the_body(bot: Bot, case: str, caplog: pytest.LogCaptureFixture) -> None:
    body, headers = UNSIGNED[case]
    headers = {name: str(int(time.time())) if value == NOW else value for name, value in headers.items()}
    with caplog.at_level(logging.WARNING):
        assert send(bot, body, headers) == 401
    assert [call.method for call in bot.api.calls] == ["auth.test"]
    no_traceback(caplog)


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_signed_malformed_requests_get_400(bot: Bot, case: str, caplog: pytest.LogCaptureFixture) -> None:
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.WARNING):
        assert send(bot, body, signed(bot, body, content_type)) == 400
    no_traceback(caplog)


def test_a_signed_body_over_the_limit_gets_413(bot: Bot) -> None:
    body = json.dumps({"type": "event_callback", "padding": "x" * 1_000_001}).encode()
    assert send(bot, body, signed(bot, body, "application/json")) == 413


def test_an_unparseable_content_length_is_refused_by_the_http_parser(bot: Bot,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    port = urlsplit(bot.slack.url).port
    with caplog.at_level(logging.WARNING), socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: abc\r\n\r\nhello")
        assert sock.recv(100).startswith(b"HTTP/1.1 400 ")  # RFC 9112: invalid framing, 400 and close
    no_traceback(caplog)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/healthz", 200), ("HEAD", "/healthz", 200), ("GET", "/slack/events", 405),
    ("POST", "/elsewhere", 404), ("GET", "/", 404),
])
def test_routes(bot: Bot, method: str, path: str, status: int) -> None:
    assert send(bot, b"", {}, method, path) == status


def test_a_replayed_ask_is_answered_once(bot: Bot) -> None:
    form = urlencode({"command": "/ask", "text": "What is the quorum?", "channel_id": "C0GENERAL",
                      "user_id": "U0ALICE", "team_id": "T0TEST", "trigger_id": "9.9.9",
                      "response_url": bot.api.response_url("ask")}).encode()
    headers = signed(bot, form, "application/x-www-form-urlencoded")
    assert [send(bot, form, headers) for _ in range(3)] == [200, 200, 200]
    bot.api.wait_calls("response_url")
    time.sleep(0.5)
    assert len(bot.api.calls_to("response_url")) == 1


def test_a_retried_event_is_still_acknowledged_and_answered_once(bot: Bot) -> None:
    event = dict(message_event(f"<@{BOT_USER}> quorum?", "C0GENERAL", "U0ALICE", bot.api.next_ts()),
                 type="app_mention")
    statuses = [bot.slack.event(event, event_id="EvRetry", retry_num=n).status for n in (None, 1, 2)]
    assert statuses == [200, 200, 200]
    bot.api.wait_calls("chat.update")
    time.sleep(0.5)
    assert len(bot.api.calls_to("chat.update")) == 1
