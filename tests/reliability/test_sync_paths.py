"""``assistant sync`` writes and deletes only its own copies inside ``sync/``, whatever the manifest says."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.manifest import DocumentEntry
from assistant.corpus.sync import copies, stem, sync
from assistant.errors import AssistantError
from assistant.settings import Settings
from tests.reliability.conftest import error_lines, run_cli
from tests.test_sync import FAST, DocumentServer, Reply, server  # noqa: F401 (a fixture)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("doc_id", ["../../somewhere/x", "*", "x/../../y", ".hidden"])
def test_an_id_that_is_not_a_slug_stops_sync_before_anything_is_written(tmp_path: Path, doc_id: str) -> None:
    knowledge, data = tmp_path / "knowledge", tmp_path / "data"
    knowledge.mkdir()
    (data / "sync").mkdir(parents=True)
    (data / "sync" / "other.en.html").write_text("<p>1. Synced before.</p>", encoding="utf-8")
    (tmp_path / "somewhere").mkdir()
    (tmp_path / "somewhere" / "x.en.html").write_text("keep me", encoding="utf-8")
    (knowledge / "manifest.toml").write_text(
        f'[[document]]\nid = "{doc_id}"\ntitle = "T"\nlang = "en"\nkind = "web-page"\n'
        'url = "http://127.0.0.1:9/x.html"\n', encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli(Settings(data_dir=data, knowledge_dir=knowledge), "sync", "--timeout", "1")
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert line.startswith(f"error: {knowledge / 'manifest.toml'}: document 1 (") and ": id: must be a slug" in line
    assert snapshot(tmp_path) == before


def test_file_names_are_built_only_from_slugs(tmp_path: Path) -> None:
    for doc_id, lang in [("../x", "en"), ("*", "en"), ("ok", "../en")]:
        with pytest.raises(AssistantError, match="cannot name a file"):
            stem(tmp_path, DocumentEntry(id=doc_id, title="t", lang=lang, kind="web-page"))


def test_sync_replaces_only_its_own_copies_matched_exactly(server: DocumentServer, tmp_path: Path) -> None:  # noqa: F811
    knowledge, folder = tmp_path / "knowledge", tmp_path / "data" / "sync"
    knowledge.mkdir()
    folder.mkdir(parents=True)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.4 not ours")
    (folder / "a.en.pdf").symlink_to(outside)  # planted where the old copy of "a" would be
    for name in ("ab.en.html", "a.en.html.bak", "a.fr.html", "a.en.txt"):
        (folder / name).write_text("<p>1. Not the copy of a in English.</p>", encoding="utf-8")
    url = server.serve("/a.html", Reply())
    (knowledge / "manifest.toml").write_text(
        f'[[document]]\nid = "a"\ntitle = "A"\nlang = "en"\nkind = "web-page"\nurl = "{url}"\n', encoding="utf-8")
    entry = DocumentEntry(id="a", title="A", lang="en", kind="web-page", url=url)
    assert copies(folder, entry) == []  # a link is not a copy
    report = sync(Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge), policy=FAST, progress=False)
    assert [e.id for e, _ in report.fetched] == ["a"]
    assert sorted(p.name for p in folder.iterdir()) == ["a.en.html", "a.en.html.bak", "a.en.pdf", "a.en.txt",
                                                        "a.fr.html", "ab.en.html", "checksums.json"]
    assert outside.read_bytes() == b"%PDF-1.4 not ours"
