"""The reliability suite's helpers: a knowledge base, the CLI as a process, a reader that keeps asking."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from assistant.settings import ChromaServer, Settings
from tests.conftest import make_knowledge, start_chroma

QUORUM = "## Rule 41 — Quorum {#rule-41}\n\nOne third of the States Parties shall constitute a quorum.\n"


def write_rules(folder: Path, sections: int = 40) -> Path:
    """A knowledge folder whose one document answers "What is the quorum?" with "One third"."""
    folder.mkdir(parents=True, exist_ok=True)
    topics = "\n\n".join(f"## Rule {n} — Item {n} {{#rule-{n}}}\n\nThe Bureau examines item {n} of the agenda "
                         f"during session {n % 7} and reports on it in writing." for n in range(100, 100 + sections))
    (folder / "rules.md").write_text(QUORUM + "\n" + topics + "\n", encoding="utf-8")
    return make_knowledge(folder, {"rules.md": ("rules", "en", "rules")})


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir), **extra}
    if settings.chroma_host:
        env.update(CHROMA_HOST=settings.chroma_host, CHROMA_PORT=str(settings.chroma_port))
    return env


def run_cli(settings: Settings, *args: str, timeout: float = 300, **popen: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=cli_env(settings), timeout=timeout, **popen)  # type: ignore[call-overload]


def error_lines(stderr: str) -> list[str]:
    """What a user reads on stderr, without progress bars."""
    return [line for line in stderr.splitlines() if line.strip() and "%|" not in line and "\r" not in line]


class Reader:
    """Asks a question every ``pause`` seconds in a thread, as a long-running chat or bot would."""

    def __init__(self, settings: Settings, question: str = "What is the quorum?", pause: float = 0.5) -> None:
        from assistant.answers.service import Assistant

        self.assistant = Assistant(settings)
        self.question, self.pause = question, pause
        self.answers: list[str] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Reader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                answer = self.assistant.ask(self.question)
                (self.answers if answer.answered else self.errors).append(answer.answer[:200])
            except Exception as exc:  # every failure counts against availability, with what it was
                self.errors.append(f"{type(exc).__name__}: {exc}"[:300])
            self._stop.wait(self.pause)


@pytest.fixture(scope="module")
def own_chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A ``chroma run`` server for this module alone (its state record is not shared with other suites)."""
    proc, server = start_chroma(tmp_path_factory.mktemp("chroma"), tmp_path_factory.mktemp("log") / "chroma.log")
    yield server
    proc.terminate()
    proc.wait(timeout=30)


def wait_for(condition, timeout: float = 120, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False
