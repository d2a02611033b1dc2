"""The Bolt app: the Web API client, the listeners, and the two ways to receive events."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from assistant.errors import AssistantError
from assistant.masking import RedactingFilter, redact
from assistant.slack.config import SlackConfig
from assistant.slack.feedback import FeedbackStore
from assistant.slack.listeners import Listeners
from assistant.slack.responder import Answerer, Responder
from assistant.slack.shared import Shared, open_shared

STREAM_TIMEOUT = 5  # a partial update that slow is skipped; the final one has the full timeout
NOISY_LOGGERS = ("slack_bolt", "slack_sdk", "urllib3", "httpx", "httpcore", "openai", "chromadb", "uvicorn")
WARM_UP_QUESTION = "What is the quorum of the Conference of the Parties?"


def build_app(config: SlackConfig, answerer: Answerer, http: bool,
              shared: Shared | None = None) -> tuple[App, Responder]:
    """A Bolt app wired to ``answerer``; calls ``auth.test`` once to learn the bot's identity.

    ``shared`` holds what was seen and the threads answered (in this process by default).
    """
    shared = shared or open_shared(config)
    client = WebClient(token=config.bot_token.reveal(), base_url=config.api_url, timeout=15,
                       retry_handlers=[ConnectionErrorRetryHandler(),
                                       RateLimitErrorRetryHandler(max_retry_count=2)])
    # Partial updates of a streamed answer are never retried: the next one supersedes them.
    stream_client = WebClient(token=config.bot_token.reveal(), base_url=config.api_url,
                              timeout=STREAM_TIMEOUT, retry_handlers=[])
    responder = Responder(answerer, client, FeedbackStore(config.feedback_db), shared.threads, config,
                          stream_client)
    try:
        app = App(client=client,
                  signing_secret=config.signing_secret.reveal() if config.signing_secret else "",
                  request_verification_enabled=http, listener_executor=responder.listener_pool)
    except Exception as exc:  # auth.test failed: bad token, or no Slack at SLACK_API_URL
        raise AssistantError(f"Slack refused or could not be reached at {config.api_url} "
                             f"({redact(str(exc), config.secrets())}); check SLACK_BOT_TOKEN "
                             "and SLACK_API_URL") from None
    Listeners(config, responder, shared.events).register(app)
    return app, responder


def warm_up(answerer: Answerer) -> None:
    """Load the embedder and open the index before the first real question arrives."""
    answerer.ask(WARM_UP_QUESTION, history=[])


def freeze_heap() -> None:
    """Move what is loaded by now (models, index, libraries: it lives as long as the process)
    out of the garbage collector's sight; a full collection would otherwise walk all of it,
    holding every thread for 100–200 ms, acknowledgements included."""
    gc.collect()
    gc.freeze()


def configure_logging(config: SlackConfig) -> None:
    """Log to stderr at ``config.log_level`` with every secret masked.

    Libraries' debug and info lines carry message text (Slack's request bodies, HTTP
    payloads), so unless questions may be logged they are held at WARNING: only the
    assistant's own loggers, which name channels and never quote, go lower.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(config.secrets()))
    quiet = max(config.log_level, logging.WARNING)
    logging.basicConfig(level=config.log_level if config.log_questions else quiet, handlers=[handler],
                        force=True)
    logging.getLogger("assistant").setLevel(config.log_level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if config.log_questions else quiet)


def run_socket_mode(app: App, config: SlackConfig) -> None:
    """Receive events over a WebSocket that the bot opens (no public URL; one instance)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    assert config.app_token is not None  # SlackConfig.check(http=False) made sure
    try:
        SocketModeHandler(app, config.app_token.reveal()).start()
    except SlackApiError as exc:
        raise AssistantError(f"Slack refused to open a Socket Mode connection "
                             f"({exc.response.get('error')}); check SLACK_APP_TOKEN (an app-level "
                             "token with connections:write) and that Socket Mode is on") from None


def serve(answerer: Answerer, config: SlackConfig, http: bool, port: int = 3000,
          host: str = "0.0.0.0") -> None:
    """Run the bot until stopped: Socket Mode, or HTTP at ``/slack/events`` on ``port``.

    What can fail at start fails before the slow warm-up, in one line: a port in use, a
    Redis that does not answer. Stopped with SIGTERM or Ctrl-C, it finishes the answers
    in hand first; a second signal stops it at once.
    """
    from assistant.slack.server import bind

    configure_logging(config)
    sock = bind(host, port) if http else None
    try:
        shared = open_shared(config)
        warm_up(answerer)
        app, responder = build_app(config, answerer, http, shared)
        freeze_heap()
        try:
            if sock is None:
                logging.getLogger("assistant.slack").info("connecting to Slack in Socket Mode")
                run_socket_mode(app, config)
            else:
                run_http(app, config, shared, sock)
        finally:
            finish(responder)
    finally:
        if sock is not None:
            sock.close()


def run_http(app: App, config: SlackConfig, shared: Shared, sock: socket.socket) -> None:
    """Serve signed requests on ``sock`` until SIGTERM or Ctrl-C."""
    from assistant.slack.server import HttpServer

    assert config.signing_secret is not None  # SlackConfig.check(http=True) made sure
    server = HttpServer(app, config.signing_secret.reveal(), shared.requests, config.http, sock)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):  # uvicorn handles them, then raises them again
            signal.signal(sig, signal.SIG_IGN)
    server.run()


def finish(responder: Responder) -> None:
    """Finish the answers in hand; a signal meanwhile stops the process at once."""
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, _stop_now)
    responder.shutdown()
    logging.getLogger("assistant.slack").info("stopped")


def _stop_now(signum: int, frame: Any) -> None:
    logging.getLogger("assistant.slack").warning("stopping now, without finishing the answers in hand")
    os._exit(1)
