"""HTTP mode: Bolt's WSGI adapter on a threaded stdlib server, one thread per request.

Events arrive at ``/slack/events`` (Bolt's default path); ``/healthz`` answers load
balancers. Several replicas can run behind one balancer.
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
LOG = logging.getLogger("assistant.slack.http")


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a burst of events must not be refused at the socket


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        LOG.debug(format, *args)


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """Bolt at ``/slack/events``, plus a health check."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return bolt(environ, start_response)

    return application


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000) -> ThreadingWSGIServer:
    """A server bound to ``host:port`` (port 0: any free port); call ``serve_forever()``."""
    return make_server(host, port, wsgi_app(app), server_class=ThreadingWSGIServer,  # type: ignore[return-value]
                       handler_class=QuietHandler)
