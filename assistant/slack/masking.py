"""Slack secrets that never show: masked in reprs, errors and log lines."""

from __future__ import annotations

import logging
import re

# Bot, user, app-level and configuration tokens: xoxb-, xoxp-, xapp-, xoxe.xoxp-…
TOKEN = re.compile(r"\b(xox[a-z]|xapp)(?:\.xox[a-z])?-[A-Za-z0-9-]+")


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


def redact(text: str, secrets: tuple[Secret, ...] = ()) -> str:
    """``text`` with every Slack token, and every given secret, masked."""
    for secret in secrets:
        if secret.reveal():
            text = text.replace(secret.reveal(), mask(secret.reveal()))
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
        return True
