"""Shared fixtures: no network but loopback, data in tmp dirs, one shared index."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from assistant.settings import PACKAGE_ROOT, Settings

KNOWLEDGE = PACKAGE_ROOT / "knowledge"


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False  # a host name: would need DNS, which is the network


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that is not to loopback (httpx, urllib3, hub clients alike)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise ConnectionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's data dir or assistant settings."""
    for name in ("ASSISTANT_DATA_DIR", "ASSISTANT_EMBEDDING", "ASSISTANT_EMBEDDING_MODEL",
                 "ASSISTANT_KNOWLEDGE_DIR", "ASSISTANT_MIN_CONFIDENCE", "ASSISTANT_ANSWER_UNIT", "ASSISTANT_LLM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped knowledge base indexed once per test session (read-only for tests)."""
    from assistant.index.ingest import ingest

    settings = Settings(data_dir=tmp_path_factory.mktemp("shipped"), knowledge_dir=KNOWLEDGE)
    ingest(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def shipped_assistant(shipped_index: Settings):  # type: ignore[no-untyped-def]
    from assistant.answers.service import Assistant

    return Assistant(shipped_index)


def make_knowledge(folder: Path, docs: dict[str, tuple[str, str, str]]) -> Path:
    """A small knowledge dir: ``{filename: (doc_id, lang, kind)}``; files must exist in folder."""
    lines = []
    for name, (doc_id, lang, kind) in docs.items():
        lines.append(f'[[document]]\nid = "{doc_id}"\ntitle = "{doc_id} title"\nlang = "{lang}"\n'
                     f'kind = "{kind}"\npath = "{name}"\n')
    (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def guides_knowledge(tmp_path: Path, guides: dict[str, tuple[str, str, str]]) -> Path:
    """``tmp_path/knowledge`` holding guides ``{filename: (text, doc_id, lang)}`` and their manifest."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name, (text, _, _) in guides.items():
        (folder / name).write_text(text, encoding="utf-8")
    return make_knowledge(folder, {name: (doc_id, lang, "guide") for name, (_, doc_id, lang) in guides.items()})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_chroma(folder: Path, log: Path, port: int | None = None):  # type: ignore[no-untyped-def]
    """Start ``chroma run`` on loopback over ``folder``; (process, ChromaServer) once it accepts connections."""
    import shutil
    import subprocess
    import sys
    import time

    from assistant.settings import ChromaServer

    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = port or free_port()
    with open(log, "a") as out:
        proc = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, ChromaServer("127.0.0.1", port)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"chroma run did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real ``chroma run`` server on loopback for the whole session, stopped at the end."""
    proc, server = start_chroma(tmp_path_factory.mktemp("chroma-server"),
                                tmp_path_factory.mktemp("chroma-log") / "server.log")
    yield server
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def redis_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real ``redis-server`` on loopback and a free port for one test, stopped at its end."""
    from tests.redis_server import RedisServer

    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder).start()
    yield server
    server.stop()
