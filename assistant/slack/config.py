"""Slack settings: explicit value, then ``SLACK_*`` environment variable, then default."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from assistant.errors import UsageError
from assistant.masking import Secret, env_secrets
from assistant.settings import Settings

DEFAULT_API_URL = "https://slack.com/api/"
FEEDBACK_FILE = "feedback.sqlite3"
STREAM_INTERVAL = 1.0  # seconds between two updates of a message being written (Slack: ~1/s)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_QUEUE = 256  # questions waiting for a worker; past that the bot says it is busy
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
PASSWORD = re.compile(r"(://[^/@\s:]*:)([^/@\s]+)@")  # redis://user:password@host


def default_workers() -> int:
    """Answering threads: one per CPU, at least two (retrieval runs mostly outside the GIL).

    More only add contention in extractive mode, slowing acknowledgements; in LLM mode, where
    an answer mostly waits on the model, raise it with ``--workers``.
    """
    return max(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class HttpLimits:
    """What one HTTP request may cost: Slack's payloads are small and sent at once."""

    body_bytes: int = 1024 * 1024  # a body is kept up to this; a larger signed one gets 413
    read_timeout: float = 10.0  # seconds to receive a whole request (headers and body)
    keep_alive: float = 5.0  # seconds an idle connection stays open between requests
    in_flight: int = 100  # requests being read or dispatched at once; more get 503
    shutdown_grace: float = 30.0  # seconds to finish requests in flight when stopping


@dataclass(frozen=True)
class SlackConfig:
    """Tokens (masked in any repr), where the Web API lives, and where the bot may speak."""

    bot_token: Secret
    feedback_db: Path
    app_token: Secret | None = None
    signing_secret: Secret | None = None
    api_url: str = DEFAULT_API_URL
    allowed_channels: frozenset[str] = frozenset()  # empty: every channel
    followups_off: frozenset[str] = frozenset()  # "*" switches follow-ups off everywhere
    log_questions: bool = False
    log_level: int = logging.INFO
    stream_interval: float = STREAM_INTERVAL
    workers: int = field(default_factory=default_workers)  # questions answered at once
    queue: int = DEFAULT_QUEUE  # questions waiting for a worker
    redis_url: Secret | None = None  # shared de-duplication and thread memory across replicas
    http: HttpLimits = HttpLimits()
    other_secrets: tuple[Secret, ...] = ()  # Chroma's and the LLM provider's, masked in logs too

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str] | None = None,
                 **overrides: object) -> SlackConfig:
        """Read ``SLACK_*`` and ``ASSISTANT_FEEDBACK_DB``; ``overrides`` win over both."""
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "bot_token": Secret(env.get("SLACK_BOT_TOKEN", "")),
            "app_token": _secret(env.get("SLACK_APP_TOKEN")),
            "signing_secret": _secret(env.get("SLACK_SIGNING_SECRET")),
            "api_url": _api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL),
            "allowed_channels": _ids(env.get("SLACK_ALLOWED_CHANNELS", "")),
            "followups_off": _ids(env.get("SLACK_FOLLOWUPS_OFF", "")),
            "feedback_db": feedback_path(settings, env),
            "log_questions": env.get("ASSISTANT_LOG_QUESTIONS") == "1",
            "log_level": _log_level(env.get("ASSISTANT_LOG_LEVEL") or "INFO"),
            "workers": _count("ASSISTANT_SLACK_WORKERS", env.get("ASSISTANT_SLACK_WORKERS"), default_workers(), 1),
            "queue": _count("ASSISTANT_SLACK_QUEUE", env.get("ASSISTANT_SLACK_QUEUE"), DEFAULT_QUEUE, 0),
            "redis_url": _redis_url(env.get("ASSISTANT_REDIS_URL")),
            "other_secrets": env_secrets(env),
        }
        values.update({key: val for key, val in overrides.items() if val is not None})
        return cls(**values)  # type: ignore[arg-type]

    def check(self, http: bool) -> None:
        """Fail early, naming the missing or misplaced variable (never its value)."""
        if not self.bot_token.reveal():
            raise UsageError("SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token (xoxb-…) "
                             "from the Slack app's OAuth & Permissions page")
        if not self.bot_token.reveal().startswith("xoxb-"):
            raise UsageError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        if http and not self.signing_secret:
            raise UsageError("SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify "
                             "requests (Basic Information > App Credentials)")
        if not http and not self.app_token:
            raise UsageError("SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token "
                             "(xapp-…) with connections:write, or run with --http")
        if not http and self.app_token and not self.app_token.reveal().startswith("xapp-"):
            raise UsageError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret this config holds or the environment gives, for log redaction."""
        own = tuple(s for s in (self.bot_token, self.app_token, self.signing_secret, self._redis_password())
                    if s)
        return own + tuple(s for s in self.other_secrets if s not in own)

    def redis_where(self) -> str:
        """The Redis URL without its password, for messages and logs."""
        return PASSWORD.sub(r"\1***@", self.redis_url.reveal()) if self.redis_url else "none"

    def _redis_password(self) -> Secret | None:
        found = PASSWORD.search(self.redis_url.reveal()) if self.redis_url else None
        return Secret(found.group(2)) if found else None

    def allows(self, channel: str) -> bool:
        """Direct messages always; channels when there is no allow-list or they are on it."""
        return channel.startswith("D") or not self.allowed_channels or channel in self.allowed_channels

    def follows_up_in(self, channel: str) -> bool:
        """Whether a thread reply without a mention counts as a follow-up in ``channel``."""
        return "*" not in self.followups_off and channel not in self.followups_off


def feedback_path(settings: Settings, env: Mapping[str, str] | None = None) -> Path:
    """``ASSISTANT_FEEDBACK_DB``, else ``<data_dir>/feedback.sqlite3``."""
    env = os.environ if env is None else env
    return Path(env["ASSISTANT_FEEDBACK_DB"]) if env.get("ASSISTANT_FEEDBACK_DB") else (
        settings.data_dir / FEEDBACK_FILE)


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


def _ids(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _log_level(name: str) -> int:
    if name.upper() not in LOG_LEVELS:
        raise UsageError(f"ASSISTANT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {name!r})")
    return int(getattr(logging, name.upper()))


def _count(name: str, text: str | None, default: int, least: int) -> int:
    if not text:
        return default
    if not text.strip().isdigit() or int(text) < least:
        raise UsageError(f"{name} must be a whole number of at least {least} (got {text!r})")
    return int(text)


def _redis_url(url: str | None) -> Secret | None:
    if not url:
        return None
    if not url.startswith(REDIS_SCHEMES):
        raise UsageError(f"ASSISTANT_REDIS_URL must start with {', '.join(REDIS_SCHEMES)}, "
                         "e.g. redis://127.0.0.1:6379/0")
    return Secret(url)


def _api_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_API_URL} (got {url!r})")
    return url if url.endswith("/") else url + "/"
