"""Re-indexing while questions are answered: no errors, never two versions in one answer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.answers.service import Assistant
from assistant.index.ingest import ingest
from assistant.settings import Settings
from tests.conftest import make_knowledge

pytestmark = pytest.mark.slow

QUESTIONS = ["What is the quorum?", "How early is the provisional agenda circulated?",
             "Who may attend as an observer?", "Quel est le quorum ?"]


def write_edition(folder: Path, edition: int) -> None:
    """Every sentence names the edition, so an answer mixing two versions would show two numbers."""
    text = (f"## Rule 41 — Quorum {{#rule-41}}\n\nIn edition {edition}, one third of the States Parties "
            f"constitute a quorum (edition {edition}).\n\n"
            f"## Rule 9 — Provisional agenda {{#rule-9}}\n\nIn edition {edition}, the provisional agenda "
            f"is circulated sixty days before a session (edition {edition}).\n\n"
            f"## Rule 14 — Observers {{#rule-14}}\n\nIn edition {edition}, signatories may attend as "
            f"observers (edition {edition}).\n\n"
            f"## Article 41 — Quorum {{#rule-41-fr}}\n\nDans l'édition {edition}, le quorum est le tiers "
            f"des États Parties (édition {edition}).\n")
    (folder / "rules.md").write_text(text, encoding="utf-8")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    write_edition(folder, 0)
    make_knowledge(folder, {"rules.md": ("rules", "en", "guide")})
    return Settings(data_dir=tmp_path / "data", knowledge_dir=folder)


def test_readers_see_one_version_per_answer_while_a_writer_reindexes(settings: Settings) -> None:
    ingest(settings, progress=False)
    stop = threading.Event()
    errors: list[str] = []
    answers: list[set[str]] = []

    def writer() -> None:
        edition = 0
        while not stop.is_set():
            edition += 1
            write_edition(settings.knowledge_dir, edition)
            ingest(settings, progress=False)

    def reader(n: int) -> None:
        assistant = Assistant(settings)
        for i in range(25):
            try:
                answer = assistant.ask(QUESTIONS[(n + i) % len(QUESTIONS)])
            except Exception as exc:  # any error fails the test, with what it was
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if not answer.answered:
                errors.append(f"not answered: {answer.question}")
            text = answer.answer + " ".join(c.snippet for c in answer.citations)
            answers.append(set(re.findall(r"[ée]dition (\d+)", text)))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    writing = threading.Thread(target=writer)
    writing.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    stop.set()
    writing.join(timeout=300)
    assert not errors, errors[:5]
    assert len(answers) == 100
    assert all(len(editions) == 1 for editions in answers), [e for e in answers if len(e) != 1][:5]
    assert len({e for editions in answers for e in editions}) > 1  # the writer really switched versions


def test_a_second_writer_waits_and_says_who_holds_the_lock(settings: Settings) -> None:
    big = "\n\n".join(f"## Topic {n} {{#topic-{n}}}\n\nParagraph {n} on sessions." for n in range(300))
    (settings.knowledge_dir / "rules.md").write_text(big, encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir)}
    first = subprocess.Popen([sys.executable, "-m", "assistant", "ingest"], env=env,
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert first.stderr is not None
    seen = ""
    while "Embedding" not in seen:
        seen += first.stderr.read(1)
        assert first.poll() is None, seen
    first.send_signal(signal.SIGSTOP)  # paused while it holds the lock: the second must find it however slow
    try:
        second = subprocess.Popen([sys.executable, "-m", "assistant", "ingest"], env=env,
                                  stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert second.stderr is not None
        told = ""
        while f"waiting: an ingest is already running (pid {first.pid})" not in told:
            char = second.stderr.read(1)
            assert char, f"the second ingest ended without waiting for the first:\n{told}"
            told += char
    finally:
        first.send_signal(signal.SIGCONT)
    first.wait(timeout=300)
    second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0
