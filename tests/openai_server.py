"""A local OpenAI-compatible server that plays scripted chat completions.

Binds 127.0.0.1 on a free port and answers ``POST /v1/chat/completions``, streamed
(server-sent events) or not, with the next scripted ``Reply``; it records every request
body, so tests can read the prompts the real ``langchain-openai`` client sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

import pytest


@dataclass
class Reply:
    """One scripted completion: its text, or an HTTP error status, or a delay (timeouts).

    ``text`` may be a function of the request body, to cite passages by what they say.
    """

    text: str | Callable[[dict[str, Any]], str] = ""
    status: int = 200
    delay: float = 0.0  # seconds before anything is sent
    token_delay: float = 0.0  # seconds between streamed tokens


@dataclass
class ScriptedOpenAI:
    """The server's state: replies still to play, requests received, when tokens went out."""

    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | str) -> None:
        """Queue replies, played in order; a plain string is a 200 reply with that text."""
        self.replies.extend(Reply(r) if isinstance(r, str) else r for r in replies)

    def messages(self, index: int = -1) -> dict[str, str]:
        """The ``{role: content}`` of a received request (the last by default)."""
        return {m["role"]: m["content"] for m in self.requests[index]["messages"]}


def passage_number(body: dict[str, Any], needle: str) -> int:
    """The number of the first passage in a request's prompt that contains ``needle``."""
    prompt = body["messages"][-1]["content"]
    for n, text in re.findall(r'<passage n="(\d+)"[^>]*>(.*?)</passage>', prompt, re.DOTALL):
        if needle.lower() in text.lower():
            return int(n)
    raise AssertionError(f"no passage contains {needle!r}")


def tokens(text: str) -> list[str]:
    """Split like a tokenizer would, roughly: words with their following space."""
    words = text.split(" ")
    return [w + " " for w in words[:-1]] + [words[-1]]


class _Handler(BaseHTTPRequestHandler):
    state: ScriptedOpenAI

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.state.requests.append(body)
        reply = self.state.replies.popleft() if self.state.replies else Reply(
            "no scripted reply left", status=500)
        if self.state.stopping.wait(reply.delay):
            return
        text = reply.text(body) if callable(reply.text) else reply.text
        try:
            if reply.status != 200:
                self._json(reply.status, {"error": {"message": text, "type": "server_error"}})
            elif body.get("stream"):
                self._stream(body, text, reply.token_delay)
            else:
                self._json(200, _completion(body, text))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict[str, Any], text: str, token_delay: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in tokens(text):
            self._event(_chunk(body, {"content": piece}, None))
            self.state.sent_at.append(time.monotonic())
            self.state.stopping.wait(token_delay)
        self._event(_chunk(body, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        self.wfile.flush()


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": "chat.completion", "created": 0,
            "model": body.get("model", "test"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(body: dict[str, Any], delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0,
            "model": body.get("model", "test"),
            "choices": [{"index": 0, "delta": {"role": "assistant", **delta}, "finish_reason": finish}]}


@pytest.fixture
def openai_server() -> Iterator[ScriptedOpenAI]:
    """A running scripted server; stopped (and its sleeping handlers woken) afterwards."""
    state = ScriptedOpenAI()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def llm_env(openai_server: ScriptedOpenAI, monkeypatch: pytest.MonkeyPatch) -> ScriptedOpenAI:
    """Environment pointing ``openai:test-model`` at the scripted server (no real key)."""
    monkeypatch.setenv("ASSISTANT_LLM", "openai:test-model")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    for name in ("ASSISTANT_LLM_TIMEOUT", "ASSISTANT_LLM_MAX_TOKENS", "ASSISTANT_LLM_PROMPT",
                 "OPENAI_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    return openai_server
