"""Operational failures give one line with the fix, and the index in use keeps answering."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.index.ingest import ingest
from assistant.settings import Settings
from tests.conftest import start_chroma
from tests.reliability.conftest import cli_env, error_lines, run_cli, wait_for, write_rules

QUESTION = "What is the quorum?"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("indexed") / "data",
                        knowledge_dir=write_rules(tmp_path_factory.mktemp("knowledge"), sections=10))
    ingest(settings, progress=False)
    return settings


@pytest.fixture
def copy(indexed: Settings, tmp_path: Path) -> Settings:
    """A copy of the indexed data directory that a test may damage."""
    shutil.copytree(indexed.data_dir, tmp_path / "data")
    return indexed.with_(data_dir=tmp_path / "data")


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    [line] = error_lines(result.stderr)
    assert line.startswith("error: ") and "Traceback" not in result.stderr
    return line


def answers(settings: Settings) -> bool:
    result = run_cli(settings, "ask", QUESTION)
    return result.returncode == 0 and "One third" in result.stdout


def test_a_damaged_chroma_database_says_rebuild_and_the_rebuild_repairs_it(copy: Settings) -> None:
    database = copy.data_dir / "chroma" / "chroma.sqlite3"
    with open(database, "r+b") as file:
        file.write(b"not a database at all" * 8)
    result = run_cli(copy, "ask", QUESTION)
    assert result.returncode == 1
    assert one_error(result) == (f"error: {database} is not a database (error returned from database: (code: 26) "
                                 "file is not a database); run: assistant ingest --rebuild")
    rebuilt = run_cli(copy, "ingest", "--rebuild")
    assert rebuilt.returncode == 0 and "moved it to" in rebuilt.stderr
    assert answers(copy)


def test_a_state_file_holding_a_list_says_rebuild_and_the_rebuild_repairs_it(copy: Settings) -> None:
    (copy.data_dir / "state.json").write_text("[1, 2]", encoding="utf-8")
    for command in (("ask", QUESTION), ("ingest",)):
        result = run_cli(copy, *command)
        assert result.returncode == 1
        assert one_error(result) == (f"error: {copy.data_dir / 'state.json'} is unreadable (it holds a list, not "
                                     "an object); run: assistant ingest --rebuild")
    assert run_cli(copy, "ingest", "--rebuild").returncode == 0
    assert answers(copy)


@pytest.mark.parametrize("state", [{"version": "../../../elsewhere", "embedding": "e5"},
                                   {"version": "v1", "embedding": "e5", "documents": {"x:en": {"hash": 1}}}])
def test_a_state_file_that_is_wrong_in_its_fields_is_one_line(copy: Settings, state: dict) -> None:
    (copy.data_dir / "state.json").write_text(json.dumps(state), encoding="utf-8")
    result = run_cli(copy, "ask", QUESTION)
    assert result.returncode == 1 and "run: assistant ingest --rebuild" in one_error(result)


@pytest.mark.parametrize("command", [("ask", QUESTION), ("ingest",), ("sync",), ("sources",)])
def test_a_data_directory_that_is_a_file_is_one_line(indexed: Settings, tmp_path: Path,
                                                     command: tuple[str, ...]) -> None:
    (tmp_path / "data").write_text("I am a file", encoding="utf-8")
    result = run_cli(indexed.with_(data_dir=tmp_path / "data"), *command)
    assert result.returncode == 1
    assert one_error(result) == (f"error: {tmp_path / 'data'} is a file, not a folder: move it away, or point "
                                 "--data-dir (ASSISTANT_DATA_DIR) to a folder")
    assert (tmp_path / "data").read_text(encoding="utf-8") == "I am a file"


def test_an_answer_to_a_full_device_is_one_line(indexed: Settings) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "assistant", "ask", QUESTION], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=cli_env(indexed), timeout=120)
    assert result.returncode == 1
    assert one_error(result) == ("error: no space left on device (standard output): free space and run the "
                                 "command again")


def _tmpfs_works() -> bool:
    probe = "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d && umount $d; s=$?; rmdir $d; exit $s"
    try:
        return subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


FILL = """
import os, sys
path = sys.argv[1]
with open(path, "wb") as out:
    try:
        while True:
            out.write(bytes(65536)); out.flush()
    except OSError:
        pass
os.truncate(path, max(0, os.path.getsize(path) - int(sys.argv[2])))
"""

ON_A_FULL_TMPFS = """
set -u
mount -t tmpfs -o size=16m tmpfs "$MNT"
cp -r "$SOURCE" "$MNT/data"
"$PY" -c "$FILL" "$MNT/filler" 100000
ASSISTANT_DATA_DIR="$MNT/data" "$PY" -m assistant ingest --rebuild 2>&1; echo "ingest exit $?"
ASSISTANT_DATA_DIR="$MNT/data" "$PY" -m assistant ask "$QUESTION"; echo "ask exit $?"
rm "$MNT/filler"
ASSISTANT_DATA_DIR="$MNT/data" "$PY" -m assistant ingest 2>&1; echo "next ingest exit $?"
"""

SIMULATED = """
import errno, os, sys
from assistant.index.store import IndexStore
def no_space(self, version, chunks, questions=()):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.version_dir(version)))
IndexStore.write_version = no_space
sys.argv = ["assistant", "ingest", "--rebuild"]
from assistant.cli import main
main()
"""


@pytest.mark.parametrize("disk", ["tmpfs", "simulated"])
def test_a_full_disk_during_an_ingest_is_one_line_and_the_index_keeps_answering(
        disk: str, copy: Settings, tmp_path: Path) -> None:
    if disk == "tmpfs":
        if not _tmpfs_works():
            pytest.skip("no private tmpfs here (unshare -rm and mount refused); the simulated case runs")
        (tmp_path / "mnt").mkdir()
        env = {**cli_env(copy), "MNT": str(tmp_path / "mnt"), "SOURCE": str(copy.data_dir), "PY": sys.executable,
               "FILL": FILL, "QUESTION": QUESTION}
        out = subprocess.run(["unshare", "-rm", "sh", "-c", ON_A_FULL_TMPFS], capture_output=True, text=True,
                             env=env, timeout=600).stdout
        lines = error_lines(out)
        full = [line for line in lines if line.startswith("error:")]
        assert "ingest exit 1" in lines and "ask exit 0" in lines and "next ingest exit 0" in lines, out
        assert "One third" in out.split("ingest exit 1")[1]
    else:
        before = sorted((copy.data_dir / "versions").iterdir())
        result = subprocess.run([sys.executable, "-c", SIMULATED], capture_output=True, text=True,
                                env=cli_env(copy), timeout=300)
        assert result.returncode == 1
        full = [one_error(result)]
        assert answers(copy)
        assert sorted((copy.data_dir / "versions").iterdir()) == before  # what it wrote is gone
    [line] = full
    assert line.startswith("error: the disk is full (while writing index version ")
    assert line.endswith("free space and run assistant ingest; the index in use is unchanged")


@pytest.mark.slow
def test_chat_keeps_the_session_when_the_chroma_server_goes_away(indexed: Settings, tmp_path: Path) -> None:
    folder, log = tmp_path / "chroma", tmp_path / "chroma.log"
    proc, server = start_chroma(folder, log)
    settings = indexed.with_(data_dir=tmp_path / "replica", chroma_host=server.host, chroma_port=server.port)
    try:
        ingest(settings.with_(data_dir=tmp_path / "writer"), rebuild=True, progress=False)
        chat = subprocess.Popen([sys.executable, "-m", "assistant", "chat"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(settings))
        out, err = _Collect(chat.stdout), _Collect(chat.stderr)
        _say(chat, QUESTION)
        assert wait_for(lambda: "One third" in out.text, timeout=120), err.text
        proc.kill()
        proc.wait()
        _say(chat, QUESTION)
        assert wait_for(lambda: "cannot reach the Chroma server" in err.text, timeout=120), err.text
        assert chat.poll() is None  # the session is still open
        proc, _ = start_chroma(folder, log, port=server.port)
        out.text = ""
        _say(chat, QUESTION)
        assert wait_for(lambda: "One third" in out.text, timeout=120), err.text
        _say(chat, "")
        assert chat.wait(timeout=60) == 0
    finally:
        proc.kill()
    [line] = error_lines(err.text)
    assert line == (f"error: cannot reach the Chroma server at http://127.0.0.1:{server.port} (ConnectError); "
                    "start it (chroma run --path DIR --port N) or unset CHROMA_HOST")


def _say(chat: subprocess.Popen[str], line: str) -> None:
    assert chat.stdin is not None
    chat.stdin.write(line + "\n")
    chat.stdin.flush()


class _Collect:
    """Everything a stream says, read in a thread (so the test can wait for a phrase)."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.text = ""
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for chunk in iter(lambda: stream.read(1), ""):
            self.text += chunk
