"""A stand-in for Slack in tests: its Web API on loopback, and signed requests to the bot.

``SlackApiServer`` plays the Web API (and response_url) on 127.0.0.1 and a free port, keeps
the messages the bot posted and records every call; ``SlackSender`` signs and sends events,
slash commands and clicks like Slack does. The fixtures at the end run both around a real bot;
test modules load them with ``pytest_plugins`` (PYTEST_DONT_REWRITE: it asserts nothing itself).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple
from urllib.parse import parse_qsl, urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from assistant.answers.answer import Answer, Citation
from assistant.masking import Secret
from assistant.slack.config import SlackConfig

BOT_USER, BOT_ID, TEAM = "UBOT", "BBOT", "T0TEST"
BOT_TOKEN, SIGNING_SECRET = "xoxb-111-222-testtokenvalue", "test-signing-secret-0123456789"
BOT_SETTINGS = ("ASSISTANT_FEEDBACK_DB", "ASSISTANT_LOG_QUESTIONS", "ASSISTANT_LOG_LEVEL")
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/slack/events")


class Call(NamedTuple):
    method: str  # "chat.postMessage"…, or "response_url" for posts to a response_url
    params: dict[str, Any]
    at: float
    authorization: str


class SlackApiServer:
    """The Slack Web API on ``url``; ``calls`` lists what the bot asked of it, in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.failures: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/api/"

    def response_url(self, name: str) -> str:
        return self.url.replace("/api/", f"/response/{name}")

    def __enter__(self) -> SlackApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_ts(self) -> str:
        """A message timestamp later than every one handed out before."""
        with self._lock:
            return f"{1_800_000_000 + next(self._ts)}.000100"

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """A message people wrote (so that conversations.replies returns it)."""
        with self._lock:
            self.messages.setdefault(channel, []).append(message)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
        """Poll until ``predicate()`` is truthy; fail the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := predicate():
                return result
            time.sleep(0.01)
        raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")

    def wait_calls(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        return self.wait_for(lambda: calls if len(calls := self.calls_to(method)) >= count else None,
                             timeout)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """What Slack would reply to ``method``."""
        if method in self.failures:
            return {"ok": False, "error": self.failures[method]}
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "assistant",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": self.next_ts(),
                       **{k: v for k, v in params.items() if k in ("text", "blocks", "thread_ts")}}
            self.add_message(params["channel"], message)
            return {"ok": True, "channel": params["channel"], "ts": message["ts"], "message": message}
        if method == "chat.update":
            with self._lock:
                for message in self.messages.get(params["channel"], []):
                    if message["ts"] == params["ts"]:
                        message.update(text=params.get("text"), blocks=params.get("blocks"))
            return {"ok": True, "channel": params["channel"], "ts": params["ts"]}
        if method == "conversations.replies":
            with self._lock:
                thread = [m for m in self.messages.get(params["channel"], [])
                          if params["ts"] in (m["ts"], m.get("thread_ts"))]
            return {"ok": True, "messages": sorted(thread, key=lambda m: float(m["ts"])),
                    "has_more": False}
        return {"ok": True}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst must not overflow the listen backlog (a 1 s SYN retry)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        api: SlackApiServer = self.server.api  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        params = _parse(raw, self.headers.get("Content-Type", ""))
        method = "response_url" if self.path.startswith("/response/") else self.path.removeprefix("/api/")
        reply = b"ok" if method == "response_url" else json.dumps(api.answer(method, params)).encode()
        with api._lock:
            api.calls.append(Call(method, params, time.perf_counter(), self.headers.get("Authorization", "")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = json.loads(raw) if "json" in content_type and raw else dict(parse_qsl(raw))
    if isinstance(params.get("blocks"), str):  # form-encoded calls send blocks as a JSON string
        params["blocks"] = json.loads(params["blocks"])
    return params


class Delivery(NamedTuple):
    status: int
    body: str
    seconds: float


class SlackSender:
    """Sends what Slack sends: signed events, slash commands and button clicks."""

    _ids = itertools.count(1)  # event and trigger ids are unique across senders, as Slack's are

    def __init__(self, url: str, api: SlackApiServer, secret: str = SIGNING_SECRET) -> None:
        self.url = url
        self.api = api
        self.secret = secret

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             timestamp: int | None = None, signature: str | None = None) -> Delivery:
        """POST ``body`` signed with the secret (or with the given forged ``signature``)."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        signed = SignatureVerifier(self.secret).generate_signature(timestamp=str(timestamp), body=body)
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature or signed or "", **(headers or {})})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        return Delivery(status, text, time.perf_counter() - started)

    def event(self, event: dict[str, Any], event_id: str | None = None,
              retry_num: int | None = None, **kwargs: Any) -> Delivery:
        """An Events API callback wrapping ``event``."""
        body = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST", "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):08d}", "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
                "event": event}
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(body), "application/json", headers if retry_num else None, **kwargs)

    def mention(self, text: str, channel: str = "C0GENERAL", user: str = "U0ALICE",
                thread_ts: str | None = None) -> tuple[dict[str, Any], Delivery]:
        """``@assistant text`` in a channel; returns the event and the delivery."""
        event = message_event(f"<@{BOT_USER}> {text}", channel, user, self.api.next_ts(), thread_ts)
        event["type"] = "app_mention"
        self.api.add_message(channel, dict(event, type="message"))
        return event, self.event(event)

    def command(self, text: str, channel: str = "C0GENERAL", user: str = "U0ALICE") -> Delivery:
        """``/ask text``, with a response_url on the fake API."""
        form = {"token": "legacy", "team_id": TEAM, "channel_id": channel, "channel_name": "general",
                "user_id": user, "user_name": "alice", "command": "/ask", "text": text,
                "api_app_id": "A0TEST", "response_url": self.api.response_url("ask"),
                "trigger_id": self.trigger_id()}
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def trigger_id(self) -> str:
        """Slack gives each command and click its own ``trigger_id``."""
        return f"{next(self._ids)}.{TEAM}.{int(time.time())}"

    def click(self, action_id: str, value: str, user: str = "U0BOB", channel: str = "C0GENERAL",
              message: dict[str, Any] | None = None) -> Delivery:
        """A button click on a message (``message`` None: an ephemeral one)."""
        container = {"type": "message", "channel_id": channel, "is_ephemeral": not message,
                     **({"message_ts": message["ts"]} if message else {})}
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": TEAM}, "api_app_id": "A0TEST", "trigger_id": self.trigger_id(),
            "user": {"id": user, "name": user.lower(), "team_id": TEAM}, "channel": {"id": channel},
            "container": container, "response_url": self.api.response_url("click"),
            "actions": [{"type": "button", "action_id": action_id, "block_id": "feedback", "value": value}],
            **({"message": message} if message else {})}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def message_event(text: str, channel: str, user: str, ts: str, thread_ts: str | None = None,
                  **extra: Any) -> dict[str, Any]:
    """A ``message`` event as Slack sends it (``channel_type`` im for D… channels)."""
    return {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im" if channel.startswith("D") else "channel",
            **({"thread_ts": thread_ts} if thread_ts else {}), **extra}


def block_text(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in ``blocks``, joined (section, context, button labels)."""
    parts = []
    for block in blocks or []:
        parts += [block["text"]] if "text" in block else []
        parts += [e["text"] for e in block.get("elements", [])]
    return "\n".join(part["text"] if isinstance(part, dict) else part for part in parts)


class BotProcess:
    """``assistant slack --http`` as an admin runs it: a child process on 127.0.0.1, a free port.

    Its log (stderr) is read as it comes, so a chatty bot never blocks on a full pipe.
    """

    def __init__(self, env: dict[str, str], timeout: float = 90) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "assistant", "slack", "--http", "--port", "0",
                                         "--host", "127.0.0.1"], env=env, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._listening.wait(timeout):
            self.stop()
            raise AssertionError("the bot did not start:\n" + self.log())
        self.port = int(next(m.group(1) for line in self.lines if (m := LISTENING.search(line))))
        self.url = f"http://127.0.0.1:{self.port}/slack/events"

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        return "".join(self.lines)

    def stop(self) -> str:
        """Stop the bot (as a service manager does, with SIGTERM) and return its whole log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        return self.log()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if LISTENING.search(line):
                self._listening.set()


def bot_env(api: SlackApiServer, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: this one's, without Slack settings, plus the fake Slack."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in BOT_SETTINGS}
    return {**clean, "ASSISTANT_DATA_DIR": str(data_dir), "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api.url, **extra}


class Scripted:
    """An answerer for what the real service never gives (5,000 characters, a failure, mentions)."""

    def __init__(self, reply: Callable[[str, list[str]], Answer]) -> None:
        self.reply = reply
        self.asked: list[tuple[str, list[str]]] = []

    def ask(self, question: str, history: Any = (), on_token: Any = None) -> Answer:
        self.asked.append((question, list(history)))
        return self.reply(question, list(history))


def citation(n: int = 1, kind: str = "guide", url: str | None = None, title: str = "Guide to the rules",
             heading: str = "Rule 41 — Quorum", lang: str = "en") -> Citation:
    return Citation(n=n, doc_id="guide-rules", title=title, locator=f"rule-{40 + n}", heading=heading,
                    lang=lang, url=url, snippet="A majority of the States Parties…", kind=kind)


class Bot(NamedTuple):
    """A running bot in HTTP mode, the fake Slack around it, and its parts for inspection."""

    api: SlackApiServer
    slack: SlackSender
    config: SlackConfig
    responder: Any


@pytest.fixture
def slack_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackApiServer]:
    """The fake Web API, with every Slack variable of the environment cleared."""
    for name in [*(n for n in os.environ if n.startswith("SLACK_")), *BOT_SETTINGS]:
        monkeypatch.delenv(name, raising=False)
    with SlackApiServer() as server:
        yield server


@pytest.fixture
def start_bot(slack_api: SlackApiServer, tmp_path: Path) -> Iterator[Callable[..., Bot]]:
    """``start_bot(answerer, shared=None, **config)``: the real app and HTTP server on 127.0.0.1, a free port."""
    from assistant.slack.app import build_app
    from assistant.slack.guard import EVENTS_PATH
    from assistant.slack.server import HttpServer, bind
    from assistant.slack.shared import open_shared

    running: list[tuple[Any, threading.Thread, Any]] = []

    def start(answerer: Any, shared: Any = None, **overrides: Any) -> Bot:
        config = SlackConfig(**{"bot_token": Secret(BOT_TOKEN), "signing_secret": Secret(SIGNING_SECRET),
                                "api_url": slack_api.url, "feedback_db": tmp_path / "feedback.sqlite3",
                                **overrides})
        shared = shared or open_shared(config)
        app, responder = build_app(config, answerer, http=True, shared=shared)
        server = HttpServer(app, SIGNING_SECRET, shared.requests, config.http, bind("127.0.0.1", 0))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread, responder))
        wait_for_port(server.port)
        url = f"http://127.0.0.1:{server.port}{EVENTS_PATH}"
        return Bot(slack_api, SlackSender(url, slack_api), config, responder)

    yield start
    for server, thread, responder in running:
        server.stop()
        thread.join(timeout=30)
        responder.shutdown()


def wait_for_port(port: int, timeout: float = 10.0, process: subprocess.Popen[Any] | None = None) -> None:
    """Return once 127.0.0.1:``port`` accepts connections; fail after ``timeout`` or if ``process`` ends."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on port {port}") from None
            time.sleep(0.01)


@pytest.fixture
def slack_bot(start_bot: Callable[..., Bot], shipped_assistant: Any) -> Bot:
    """The bot answering from the shipped knowledge base."""
    return start_bot(shipped_assistant)
