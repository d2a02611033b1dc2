"""Is this request Slack's? Checked on the raw bytes, before anything parses them.

Slack signs ``v0:{timestamp}:{body}`` with the app's signing secret (HMAC-SHA256) and
sends the result as ``X-Slack-Signature: v0=<hex>`` beside ``X-Slack-Request-Timestamp``.
The headers are checked first, so a request that cannot be Slack's is refused unread;
the body is hashed as it arrives, so a large one is never held whole. Only then is a
signed body looked at, and one that is not a Slack payload is refused as malformed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from urllib.parse import parse_qsl

MAX_AGE = 5 * 60  # seconds; Slack's own rule against replays of old requests
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Fields Bolt reads as objects, and as lists of objects, wherever a payload has them.
OBJECTS = ("event", "message", "previous_message", "item", "assistant_thread", "view", "function_data",
           "container")
LISTS = ("authorizations", "actions")


def header_problem(timestamp: str | None, signature: str | None, now: float) -> str | None:
    """Why the signature headers cannot belong to a fresh Slack request; None if they can."""
    if not timestamp or not TIMESTAMP.fullmatch(timestamp):
        return "no valid X-Slack-Request-Timestamp"
    if abs(now - int(timestamp)) > MAX_AGE:
        return "timestamp older or newer than 5 minutes"
    if not signature or not SIGNATURE.fullmatch(signature):
        return "no valid X-Slack-Signature"
    return None


class BodySignature:
    """The signature of a body fed in pieces, compared in constant time."""

    def __init__(self, secret: str, timestamp: str) -> None:
        self._mac = hmac.new(secret.encode(), f"v0:{timestamp}:".encode(), hashlib.sha256)

    def update(self, piece: bytes) -> None:
        self._mac.update(piece)

    def matches(self, signature: str) -> bool:
        return hmac.compare_digest(f"v0={self._mac.hexdigest()}", signature)


def body_problem(body: bytes, content_type: str) -> str | None:
    """Why a signed body is not a Slack payload (an event, command, click or SSL check); else None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        return _json_problem(text, "the JSON body")
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _json_problem(fields["payload"], "the payload field")
    if "command" in fields or fields.get("ssl_check") == "1":
        return None
    return "the form has no command, payload or ssl_check"


def _json_problem(text: str, what: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return f"{what} is not JSON"
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return f"{what} is not an object with a type"
    return _shape_problem(data, what) or _shape_problem(data.get("event") or {}, f"{what}'s event")


def _shape_problem(data: dict, what: str) -> str | None:
    for key in OBJECTS:
        if key in data and not isinstance(data[key], dict):
            return f"{what}: {key} is not an object"
    for key in LISTS:
        if key in data and not (isinstance(data[key], list) and all(isinstance(x, dict) for x in data[key])):
            return f"{what}: {key} is not a list of objects"
    return None
