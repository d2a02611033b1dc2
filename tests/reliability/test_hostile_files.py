"""Files that cannot hurt: links, pipes, devices, bombs, garbage and copies are refused by name, quickly.

Every case is generated here; each asserts the file is named with its reason, the other
documents are indexed, and nothing outside the folders given was read.
"""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from assistant.corpus import limits
from assistant.corpus.load import load_text
from assistant.errors import LoadError
from assistant.index.ingest import ingest
from assistant.index.store import IndexStore
from assistant.settings import Settings
from tests.conftest import make_knowledge
from tests.reliability.bombs import docx_bomb, pdf_bomb, truncated_docx
from tests.reliability.conftest import QUORUM, error_lines, run_cli

SECRET = "The launch code is 0000; never index this sentence."
AGENDA = "## Rule 9 — Agenda {#rule-9}\n\nThe provisional agenda is circulated sixty days before a session.\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every folder the assistant may read."""
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(f"## Secret {{#secret}}\n\n{SECRET}\n", encoding="utf-8")
    return secret


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "rules.md").write_text(QUORUM, encoding="utf-8")
    make_knowledge(folder, {"rules.md": ("rules", "en", "rules")})
    return Settings(data_dir=tmp_path / "data", knowledge_dir=folder)


def indexed_text(settings: Settings) -> str:
    store = IndexStore(settings.data_dir)
    state = store.state()
    assert state is not None
    return " ".join(chunk.text for chunk in store.read_chunks(state.version))


def hostile_folder(folder: Path, outside: Path) -> dict[str, str]:
    """``{file name: what its refusal says}`` for every hostile file written into ``folder``."""
    folder.mkdir()
    (folder / "agenda.md").write_text(AGENDA, encoding="utf-8")
    (folder / "link.md").symlink_to(outside)
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "linked-folder").symlink_to(outside.parent, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    docx_bomb(folder / "bomb.docx")
    pdf_bomb(folder / "bomb.pdf")
    truncated_docx(folder / "cut.docx")
    (folder / "noise.txt").write_bytes(random.Random(1).randbytes(30_000).replace(b"\0", b"\1"))
    paragraph = "The Bureau shall meet before each session of the Conference to review its agenda.\n\n"
    (folder / "copies.txt").write_text(paragraph * (19 * 2**20 // len(paragraph)), encoding="utf-8")
    return {"link.md": "is a symbolic link", "zero.txt": "is a symbolic link", "linked-folder": "symbolic link",
            "pipe.txt": "is a named pipe (FIFO), not a document file", "bomb.docx": "a decompression bomb",
            "bomb.pdf": "a decompression bomb", "cut.docx": "is not a readable DOCX file",
            "noise.txt": "does not read as text", "copies.txt": "repeats the same passages"}


def test_every_hostile_file_is_refused_by_name_quickly_and_the_rest_is_indexed(
        settings: Settings, tmp_path: Path, outside: Path) -> None:
    expected = hostile_folder(tmp_path / "mine", outside)
    opened = threading.Event()
    writer = threading.Thread(target=lambda: (open(tmp_path / "mine" / "pipe.txt", "wb").close(), opened.set()),
                              daemon=True)
    writer.start()  # blocks until someone opens the pipe for reading
    started = time.monotonic()
    report = ingest(settings, [tmp_path / "mine"], progress=False)
    assert time.monotonic() - started < 120
    failed = {Path(path).name: reason for path, reason in report.failures}
    assert set(failed) == set(expected)
    for name, says in expected.items():
        assert says in failed[name], (name, failed[name])
    assert not opened.is_set()  # the pipe was never opened
    os.close(os.open(tmp_path / "mine" / "pipe.txt", os.O_RDONLY | os.O_NONBLOCK))  # let the writer go
    text = indexed_text(settings)
    assert "sixty days" in text and "One third" in text and SECRET not in text


def test_the_cli_names_each_refused_file_on_one_line_and_exits_1(settings: Settings, tmp_path: Path,
                                                                 outside: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "agenda.md").write_text(AGENDA, encoding="utf-8")
    (folder / "link.md").symlink_to(outside)
    os.mkfifo(folder / "pipe.txt")
    result = run_cli(settings, "ingest", str(folder), timeout=120)
    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        f"skipped {folder / 'link.md'}: is a symbolic link (to {outside}); pass --follow-links to index what "
        "it points to",
        f"skipped {folder / 'pipe.txt'}: is a named pipe (FIFO), not a document file",
        "2 file(s) could not be indexed; fix or remove them and run assistant ingest again."]


def test_links_in_the_knowledge_folder_are_refused_unless_followed(settings: Settings, outside: Path) -> None:
    knowledge = settings.knowledge_dir
    (knowledge / "linked.md").symlink_to(outside)
    (knowledge / "guides").symlink_to(outside.parent, target_is_directory=True)
    (knowledge / "manifest.toml").write_text(
        (knowledge / "manifest.toml").read_text(encoding="utf-8")
        + '[[document]]\nid = "linked"\ntitle = "L"\nlang = "en"\nkind = "guide"\npath = "linked.md"\n'
        + '[[document]]\nid = "through"\ntitle = "T"\nlang = "en"\nkind = "guide"\npath = "guides/secret.md"\n',
        encoding="utf-8")
    report = ingest(settings, progress=False)
    failed = {Path(path).name: reason for path, reason in report.failures}
    assert failed["linked.md"].startswith("is a symbolic link")
    assert failed["secret.md"].startswith("is reached through a symbolic link")
    assert SECRET not in indexed_text(settings)
    followed = ingest(settings, progress=False, follow_links=True)
    assert followed.failures == [] and SECRET in indexed_text(settings)


def test_following_links_still_refuses_devices(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "agenda.md").write_text(AGENDA, encoding="utf-8")
    (folder / "zero.txt").symlink_to("/dev/zero")
    started = time.monotonic()
    report = ingest(settings, [folder], progress=False, follow_links=True)
    assert time.monotonic() - started < 60
    assert [(Path(p).name, r) for p, r in report.failures] == [("zero.txt", "is a device, not a document file")]


def test_a_parser_that_takes_too_long_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "PARSE_SECONDS", 2.0)
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<li>item " * 20_000 + "</body></html>", encoding="utf-8")
    started = time.monotonic()
    assert "took more than 2 s to read" in _refusal(page)  # the main thread: an alarm stops the parser
    in_thread: list[str] = []
    worker = threading.Thread(target=lambda: in_thread.append(_refusal(page)))  # elsewhere: checks between tags
    worker.start()
    worker.join(timeout=60)
    assert "took more than 2 s to read" in in_thread[0]
    assert time.monotonic() - started < 30


def _refusal(path: Path) -> str:
    try:
        load_text(path)
    except LoadError as exc:
        return exc.reason
    return "read"


def test_files_with_the_same_name_never_collide(settings: Settings, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(f"## Room {{#room}}\n\nMeetings of group {folder} are "
                                                    "held in the plenary hall.\n", encoding="utf-8")
    (tmp_path / "a" / "rules.md").write_text(AGENDA, encoding="utf-8")  # named like the manifest document
    first = ingest(settings, [tmp_path / "a", tmp_path / "b"], progress=False)
    assert first.failures == [] and first.documents == 4
    second = ingest(settings, progress=False)  # the same ids again: nothing re-embedded
    state = IndexStore(settings.data_dir).state()
    assert state is not None and second.embedded == 0
    ids = {key.split(":")[0] for key in state.documents}
    assert len(ids) == 4 and "rules" in ids and "notes" in ids
