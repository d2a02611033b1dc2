"""Secrets that never show: masked in reprs, errors, log lines and ``assistant doctor``.

Every secret comes from the environment; ``SECRET_VARIABLES`` names the ones the
assistant reads itself or hands to a library (Slack, Chroma, the LLM provider).
"""

from __future__ import annotations

import logging
import os
import re
from typing import Mapping

# Bot, user, app-level and configuration tokens: xoxb-, xoxp-, xapp-, xoxe.xoxp-…
TOKEN = re.compile(r"\b(xox[a-z]|xapp)(?:\.xox[a-z])?-[A-Za-z0-9-]+")
USERINFO = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")  # https://user:password@host
SECRET_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "CHROMA_AUTH_TOKEN",
                    "OPENAI_API_KEY", "ANTHROPIC_API_KEY")
SHORTEST_SECRET = 4  # masking "1" or "ab" everywhere would garble logs and hide nothing


class Secret:
    """A secret value whose ``str`` and ``repr`` show only its kind."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value, for the one call that needs it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({mask(self._value)!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def mask(value: str) -> str:
    """``xoxb-***``: the prefix that tells which token it is, nothing more."""
    kind = TOKEN.match(value)
    return f"{kind.group(1)}-***" if kind else "***"


def env_secrets(env: Mapping[str, str] | None = None) -> tuple[Secret, ...]:
    """The secrets set in the environment (``SECRET_VARIABLES``), for redaction."""
    env = os.environ if env is None else env
    return tuple(Secret(env[name]) for name in SECRET_VARIABLES if env.get(name))


def safe_reason(exc: Exception) -> str:
    """A one-line reason that holds no secret: an API's error code, or the exception's type."""
    response = getattr(exc, "response", None)
    if response is not None and hasattr(response, "get"):
        return f"API error {response.get('error')!r}"
    return type(exc).__name__


def redact(text: str, secrets: tuple[Secret, ...] = ()) -> str:
    """``text`` with every given secret, every Slack token and URL password masked."""
    for secret in sorted(secrets, key=lambda s: len(s.reveal()), reverse=True):
        if len(secret.reveal()) >= SHORTEST_SECRET:
            text = text.replace(secret.reveal(), mask(secret.reveal()))
    text = USERINFO.sub("***@", text)
    return TOKEN.sub(lambda match: f"{match.group(1)}-***", text)


class RedactingFilter(logging.Filter):
    """Masks secrets in every record a handler emits (slack_sdk logs headers at DEBUG)."""

    def __init__(self, secrets: tuple[Secret, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later from exc_info: render and mask them now.
            text = logging.Formatter().formatException(record.exc_info)
            record.msg = f"{cleaned}\n{redact(text, self.secrets)}"
            record.exc_info, record.exc_text, record.args = None, None, None
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True
