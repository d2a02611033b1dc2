"""What replicas share through Redis: the deliveries seen and the threads answered.

With ``ASSISTANT_REDIS_URL`` set, each replica asks Redis whether a delivery (an event
id, a message, a request signature) was seen before, with one atomic script, so Slack's
retries and the same event sent to two replicas get one answer between them; thread
memory lives there too. Each replica also keeps its own in-process copy: if Redis goes
away while the bot runs, it carries on with that (logged once) and goes back to Redis
when it answers again. Redis unreachable at start is an error, not a fallback.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from assistant.errors import AssistantError
from assistant.slack.config import SlackConfig
from assistant.slack.dedup import Deduplicator, Seen
from assistant.slack.threads import MAX_QUESTIONS, Conversations, Memory, Thread, time_to_live

LOG = logging.getLogger("assistant.slack")
PREFIX = "assistant:slack:"
TIMEOUT = 1.0  # seconds for a connection or a reply; an answer must not wait long on Redis
RETRY_AFTER = 5.0  # seconds between tries while Redis is away
REPLAY_TTL = 15 * 60.0  # request signatures: longer than the 5 minutes a signature is accepted
T = TypeVar("T")

# True (1) only if none of the keys existed; every key is set either way.
FIRST = """
local fresh = 1
for _, key in ipairs(KEYS) do
  if not redis.call('SET', key, '1', 'NX', 'EX', ARGV[1]) then fresh = 0 end
end
return fresh
"""
REMEMBER = """
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
"""
# What conversations.replies showed, unless a replica has remembered the thread meanwhile.
LEARN = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('DEL', KEYS[2])
for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""


@dataclass(frozen=True)
class Shared:
    """The bot's memory: events and requests seen, and the threads it answered."""

    events: Seen
    requests: Seen
    threads: Memory


def open_shared(config: SlackConfig) -> Shared:
    """In this process, or in Redis when ``ASSISTANT_REDIS_URL`` is set (which must answer now)."""
    events, requests, threads = Deduplicator(), Deduplicator(ttl=REPLAY_TTL), Conversations()
    if config.redis_url is None:
        return Shared(events, requests, threads)
    link = Link(connect(config.redis_url.reveal(), config.redis_where()), config.redis_where())
    LOG.info("sharing de-duplication and thread memory through Redis at %s", link.where)
    return Shared(SharedSeen(link, events), SharedSeen(link, requests), SharedConversations(link, threads))


def connect(url: str, where: str) -> Any:
    """A Redis client that answered PING; ``where`` (no password) names it in the error."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                  retry=Retry(NoBackoff(), 1), decode_responses=True)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        raise AssistantError(f"cannot reach Redis at {where} ({type(exc).__name__}: {exc}); start it, "
                             "fix ASSISTANT_REDIS_URL, or unset it to keep memory in this process") from None
    return client


class Link:
    """One Redis client and whether it answers; says once when it goes away and once when back."""

    def __init__(self, client: Any, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.where = where
        self._clock = clock
        self._retry_at: float | None = None  # set while Redis is away
        self._lock = threading.Lock()

    def call(self, action: Callable[[Any], T], fallback: Callable[[], T]) -> T:
        """``action(client)``, or ``fallback()`` while Redis is away."""
        with self._lock:
            if self._retry_at is not None and self._clock() < self._retry_at:
                return fallback()
        try:
            result = action(self.client)
        except Exception as exc:  # redis.RedisError, OSError: Redis is away, not the event at fault
            self._lost(exc)
            return fallback()
        self._back()
        return result

    def _lost(self, exc: Exception) -> None:
        with self._lock:
            first = self._retry_at is None
            self._retry_at = self._clock() + RETRY_AFTER
        if first:
            LOG.warning("Redis at %s is unreachable (%s); de-duplicating and remembering threads in this "
                        "process only until it is back", self.where, type(exc).__name__)

    def _back(self) -> None:
        with self._lock:
            was_away, self._retry_at = self._retry_at is not None, None
        if was_away:
            LOG.warning("Redis at %s is back; replicas share de-duplication again", self.where)


class SharedSeen:
    """``Deduplicator.first`` across replicas; the local copy decides while Redis is away."""

    def __init__(self, link: Link, local: Deduplicator, prefix: str = "seen:") -> None:
        self.link = link
        self.local = local
        self._prefix = PREFIX + prefix
        self._first = link.client.register_script(FIRST)

    def first(self, *keys: str | None) -> bool:
        """Redis decides while it answers (one order for all replicas and threads); the local
        copy, kept up to date all along, decides while it is away."""
        present = [key for key in keys if key]
        fresh_here = self.local.first(*present)
        if not present:
            return fresh_here
        names = [self._prefix + key for key in present]
        return self.link.call(lambda client: bool(self._first(keys=names, args=[int(self.local.ttl)],
                                                              client=client)),
                              lambda: fresh_here)


class SharedConversations:
    """``Conversations`` across replicas: a thread answered on one is a thread answered on all."""

    def __init__(self, link: Link, local: Conversations) -> None:
        self.link = link
        self.local = local
        self._remember = link.client.register_script(REMEMBER)
        self._learn = link.client.register_script(LEARN)

    def remember(self, channel: str, thread_ts: str | None, question: str) -> None:
        self.local.remember(channel, thread_ts, question)
        ttl = int(time_to_live(thread_ts, answered=True))
        self.link.call(lambda client: self._remember(keys=_keys(channel, thread_ts),
                                                     args=[question, ttl, MAX_QUESTIONS], client=client),
                       lambda: None)

    def learn(self, channel: str, thread_ts: str, answered: bool, questions: list[str]) -> None:
        self.local.learn(channel, thread_ts, answered, questions)
        ttl = int(time_to_live(thread_ts, answered))
        self.link.call(lambda client: self._learn(keys=_keys(channel, thread_ts),
                                                  args=[int(answered), ttl, *questions[-MAX_QUESTIONS:]],
                                                  client=client),
                       lambda: None)

    def lookup(self, channel: str, thread_ts: str | None) -> Thread | None:
        return self.link.call(lambda client: _read(client, channel, thread_ts),
                              lambda: self.local.lookup(channel, thread_ts))


def _keys(channel: str, thread_ts: str | None) -> list[str]:
    """The thread's flag and its questions, in one hash slot (``{…}``) for Redis Cluster."""
    base = f"{PREFIX}thread:{{{channel}:{thread_ts or ''}}}"
    return [base, base + ":questions"]


def _read(client: Any, channel: str, thread_ts: str | None) -> Thread | None:
    flag_key, questions_key = _keys(channel, thread_ts)
    with client.pipeline(transaction=False) as pipe:
        flag, questions = pipe.get(flag_key).lrange(questions_key, 0, -1).execute()
    return None if flag is None else Thread(flag == "1", list(questions), time.monotonic())
