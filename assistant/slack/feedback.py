"""Feedback on Slack answers: a local SQLite file, exported as candidate golden-set lines.

Each answer the bot posts is kept (question, answer, citations) for ``ANSWER_DAYS`` so
that a later 👍/👎 can be recorded with it; votes are kept until deleted by hand.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from assistant.answers.answer import Answer, Citation

ANSWER_DAYS = 30
VOTES = ("up", "down")
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, created REAL NOT NULL, question TEXT NOT NULL, lang TEXT NOT NULL,
    answered INTEGER NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    channel TEXT, user TEXT);
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), user TEXT NOT NULL, created REAL NOT NULL,
    channel TEXT, message_ts TEXT, question TEXT NOT NULL, lang TEXT NOT NULL,
    answered INTEGER NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS votes_by_answer ON votes (answer_id, user);
"""


@dataclass
class Record:
    """One answer with its latest vote per user."""

    answer_id: str
    answer: Answer
    up: int
    down: int
    last_vote_at: float


class FeedbackStore:
    """The SQLite file, with a connection per thread: safe across threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()
        self._local = threading.local()

    def save_answer(self, answer: Answer, channel: str | None = None, user: str | None = None) -> str:
        """Keep a posted answer; returns the id its buttons carry."""
        answer_id = uuid.uuid4().hex
        row = (answer_id, time.time(), answer.question, answer.language, int(answer.answered),
               answer.answer, _citations_json(answer.citations), channel, user)
        with self._connect() as db:
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        return answer_id

    def answer(self, answer_id: str) -> Answer | None:
        """A kept answer, or None when unknown or older than ``ANSWER_DAYS``."""
        with self._connect() as db:
            row = db.execute("SELECT question, lang, answered, answer, citations FROM answers "
                             "WHERE id = ?", (answer_id,)).fetchone()
        return _answer(*row) if row else None

    def record_vote(self, answer_id: str, vote: str, user: str, channel: str | None = None,
                    message_ts: str | None = None, known: Answer | None = None) -> tuple[int, int] | None:
        """Store a click with its answer; the new (👍, 👎) tally, or None if the answer is unknown.

        ``known`` stands in for an answer this file does not hold (another replica posted it).
        """
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES} (got {vote!r})")
        with self._connect() as db:
            row = db.execute("SELECT question, lang, answered, answer, citations FROM answers "
                             "WHERE id = ?", (answer_id,)).fetchone()
            if row is None and known is not None:
                row = (known.question, known.language, int(known.answered), known.answer,
                       _citations_json(known.citations))
            if row is None:
                return None
            db.execute("INSERT INTO votes (answer_id, vote, user, created, channel, message_ts, "
                       "question, lang, answered, answer, citations) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (answer_id, vote, user, time.time(), channel, message_ts, *row))
        return self.tally(answer_id)

    def tally(self, answer_id: str) -> tuple[int, int]:
        """(👍, 👎) counting each user's latest vote."""
        up = down = 0
        for record in self.records(answer_id=answer_id):
            up, down = record.up, record.down
        return up, down

    def records(self, only_negative: bool = False, answer_id: str | None = None) -> list[Record]:
        """Voted answers, oldest first, each with its users' latest votes."""
        query = ("SELECT v.answer_id, v.vote, v.created, v.question, v.lang, v.answered, v.answer, "
                 "v.citations FROM votes v JOIN (SELECT MAX(id) AS id FROM votes "
                 "GROUP BY answer_id, user) latest ON v.id = latest.id "
                 + ("WHERE v.answer_id = ? " if answer_id else "") + "ORDER BY v.id")
        with self._connect() as db:
            rows = db.execute(query, (answer_id,) if answer_id else ()).fetchall()
        grouped: dict[str, Record] = {}
        for aid, vote, created, *stored in rows:
            record = grouped.setdefault(aid, Record(aid, _answer(*stored), 0, 0, created))
            record.up += vote == "up"
            record.down += vote == "down"
            record.last_vote_at = max(record.last_vote_at, created)
        return [r for r in grouped.values() if r.down or not only_negative]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, in a transaction (committed, or rolled back on error)."""
        with self._lock:
            if not self._ready:
                self._create()
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.path, timeout=10)
            # With WAL, NORMAL syncs at checkpoints instead of every commit (~20 ms each here):
            # a power cut may lose the last few kept answers, never corrupt the file.
            db.execute("PRAGMA synchronous=NORMAL")
        with db:
            yield db

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute("PRAGMA journal_mode=WAL")  # the export may read while the bot writes
            db.executescript(SCHEMA)
            db.execute("DELETE FROM answers WHERE created < ?", (time.time() - ANSWER_DAYS * 86400,))
        self._ready = True


def golden_lines(records: list[Record]) -> Iterator[dict]:
    """Candidate golden-set lines (the format of ``evals/test.jsonl``) to review, then add.

    A 👍 keeps what the bot did (its sources become the expected ones); a 👎 marks the
    question answerable with sources left for the reviewer to fill in.
    """
    for record in records:
        answer = record.answer
        cited = [f"{c.doc_id}#{c.locator}" for c in answer.citations]
        good = record.down == 0
        day = datetime.fromtimestamp(record.last_vote_at, timezone.utc).date().isoformat()
        did = "answered" if answer.answered else "declined"
        yield {
            "id": f"slack-{record.answer_id[:12]}",
            "question": answer.question,
            "lang": answer.language,
            "answerable": answer.answered if good else True,
            "expected_sources": cited if good and answer.answered else [],
            "expected_keywords": [],
            "vote": "up" if good else "down",
            "votes": {"up": record.up, "down": record.down},
            "cited_sources": cited,
            "note": f"Slack feedback, {day}: the bot {did}"
                    + ("" if good else "; fill in expected_sources and expected_keywords"),
        }


def export(store: FeedbackStore, only_negative: bool = False) -> Iterator[str]:
    """One JSON line per voted answer."""
    for line in golden_lines(store.records(only_negative=only_negative)):
        yield json.dumps(line, ensure_ascii=False)


def _citations_json(citations: list[Citation]) -> str:
    return json.dumps([asdict(c) for c in citations], ensure_ascii=False)


def _answer(question: str, lang: str, answered: int, text: str, citations: str) -> Answer:
    known = {f.name for f in fields(Citation)}  # rows written before a field was added still load
    return Answer(question, lang, bool(answered), text,
                  [Citation(**{k: v for k, v in c.items() if k in known}) for c in json.loads(citations)])
