"""A rebuild never takes the index down: killed, interrupted or run twice at once, readers keep their answers."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.index import vectors
from assistant.index.lease import PREFIX as LEASE
from assistant.index.state import IndexState
from assistant.index.store import IndexStore
from assistant.settings import ChromaServer, Settings
from tests.reliability.conftest import Reader, cli_env, error_lines, run_cli, wait_for, write_rules

pytestmark = pytest.mark.slow

KILL_AT = (0.1, 0.3, 0.5, 0.7, 0.9)  # fractions of a whole rebuild's duration


@pytest.fixture(params=["embedded", "server"])
def writer_and_reader(request: pytest.FixtureRequest, tmp_path: Path,
                      own_chroma: ChromaServer) -> tuple[Settings, Settings]:
    """The writer's settings and a reader's: the same folder (embedded) or a replica of its own (server)."""
    writer = Settings(data_dir=tmp_path / "writer", knowledge_dir=write_rules(tmp_path / "knowledge"))
    if request.param == "embedded":
        return writer, writer
    writer = writer.with_(chroma_host=own_chroma.host, chroma_port=own_chroma.port)
    return writer, writer.with_(data_dir=tmp_path / "replica")


def state_of(settings: Settings) -> IndexState:
    state = IndexStore.for_settings(settings).state()
    assert state is not None
    return state


def rebuild(settings: Settings, until: str = "") -> subprocess.Popen[str]:
    """``assistant ingest --rebuild`` started, and once ``until`` shows on its stderr if given."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest", "--rebuild"], env=cli_env(settings),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = ""
    while until not in seen:
        char = proc.stderr.read(1)
        assert char, f"the ingest ended before printing {until!r}:\n{seen}"
        seen += char
    return proc


def assert_complete(settings: Settings, before: str) -> None:
    """The state names the version from before the kill, or a new one that is complete."""
    state = state_of(settings)
    stored = vectors.VectorCollection(IndexStore.for_settings(settings).client, state.version).count()
    assert state.version == before or stored == sum(r.chunks for r in state.documents.values())


def assert_no_debris(settings: Settings) -> None:
    """Only the version in use and the one before remain, and no writer's lease."""
    store = IndexStore.for_settings(settings)
    in_use = state_of(settings).in_use()
    assert set(vectors.versions(store.client)) == in_use
    assert {p.name for p in (settings.data_dir / "versions").iterdir()} <= in_use
    if settings.chroma_host:
        assert vectors.read_records(store.client, LEASE) == {}


def test_a_rebuild_killed_at_any_moment_leaves_the_index_answering(
        writer_and_reader: tuple[Settings, Settings]) -> None:
    writer, reader_settings = writer_and_reader
    started = time.monotonic()
    assert run_cli(writer, "ingest", "--rebuild").returncode == 0
    whole = time.monotonic() - started
    with Reader(reader_settings) as reader:
        for fraction in KILL_AT:
            before = state_of(writer).version
            proc = rebuild(writer)
            time.sleep(fraction * whole)
            proc.kill()
            proc.wait()
            assert_complete(writer, before)
        before = state_of(writer).version
        proc = rebuild(writer)  # and killed at the very moment of the switch
        assert wait_for(lambda: state_of(writer).version != before, timeout=300)
        proc.kill()
        proc.wait()
        time.sleep(1.5)  # the reader asks again after the switch
    print(f"\n{'server' if writer.chroma_host else 'embedded'}: {len(reader.answers)} answers, "
          f"{len(reader.errors)} failures over {len(KILL_AT) + 1} killed rebuilds ({whole:.1f} s each)")
    assert reader.errors == []
    assert len(reader.answers) >= 2 * len(KILL_AT) and all("One third" in a for a in reader.answers)
    after = run_cli(writer, "ingest")
    assert after.returncode == 0, after.stderr
    assert "waiting" not in after.stderr  # a killed writer holds no lock and no lease
    assert_no_debris(writer)


def test_ctrl_c_during_a_rebuild_discards_it_at_once(writer_and_reader: tuple[Settings, Settings]) -> None:
    writer, reader_settings = writer_and_reader
    assert run_cli(writer, "ingest", "--rebuild").returncode == 0
    before = state_of(writer)
    proc = rebuild(writer, until="Embedding")
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert error_lines(stderr)[-1].startswith("interrupted (an unfinished ingest is discarded")
    assert state_of(writer) == before
    assert_no_debris(writer)
    with Reader(reader_settings) as reader:
        assert wait_for(lambda: reader.answers or reader.errors, timeout=60)
    assert reader.errors == [] and "One third" in reader.answers[0]


def test_two_rebuilds_at_once_take_turns(writer_and_reader: tuple[Settings, Settings], tmp_path: Path) -> None:
    """The second waits for the first (the file lock; in server mode, across machines, the lease)."""
    writer, reader_settings = writer_and_reader
    assert run_cli(writer, "ingest", "--rebuild").returncode == 0
    other = writer.with_(data_dir=tmp_path / "other-machine") if writer.chroma_host else writer
    where = f" on {socket.gethostname()}" if writer.chroma_host else ""
    with Reader(reader_settings) as reader:
        first = rebuild(writer, until="Reading")
        first.send_signal(signal.SIGSTOP)  # paused while it holds the lock (and lease): the second must find it
        try:
            second = rebuild(other, until=f"waiting: an ingest is already running{where} (pid {first.pid})")
        finally:
            first.send_signal(signal.SIGCONT)
        _, first_errors = first.communicate(timeout=300)
        _, second_errors = second.communicate(timeout=300)
    assert first.returncode == 0, first_errors
    assert second.returncode == 0, second_errors
    assert reader.errors == [] and reader.answers
    state = state_of(other)
    assert state.previous is not None and state.previous != state.version
    assert_no_debris(other)  # the last writer (another machine's local cache follows when it reads)
