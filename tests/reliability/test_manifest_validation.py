"""The manifest is data: each violation is one line naming file, entry and field, and nothing is indexed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.corpus.manifest import ManifestError, load_manifest
from assistant.index.ingest import ingest
from assistant.index.store import IndexStore
from assistant.settings import Settings
from tests.reliability.conftest import QUORUM, error_lines, run_cli

GOOD = 'id = "rules"\ntitle = "Rules"\nlang = "en"\nkind = "rules"\npath = "rules.md"\n'


def entry(**fields: str) -> str:
    """A [[document]] table: the good one with some lines replaced (raw TOML values)."""
    lines = dict(line.split(" = ", 1) for line in GOOD.splitlines())
    lines.update(fields)
    return "[[document]]\n" + "".join(f"{key} = {value}\n" for key, value in lines.items() if value != "-")


@pytest.mark.parametrize(("manifest", "field", "says"), [
    (entry(id='["x"]'), "id", "must be a string in quotes (got ['x'])"),
    (entry(title="5"), "title", "must be a string in quotes (got 5)"),
    (entry(lang='["en"]'), "lang", "must be a string in quotes"),
    (entry(lang='"english"'), "lang", "must be one of ar, en, es, fr, ru, zh (got 'english')"),
    (entry(kind='"book"'), "kind", "must be one of convention, protocol"),
    (entry(path="5"), "path", "must be a string in quotes (got 5)"),
    (entry(path='"../outside.md"'), "path", "must stay inside the knowledge folder"),
    (entry(path='"/etc/passwd"'), "path", "must be a path relative to the knowledge folder"),
    (entry(id='"../../somewhere/x"'), "id", "must be a slug"),
    (entry(id='"*"'), "id", "must be a slug"),
    (entry(url='"file:///etc/passwd"', path="-"), "url", "must be an http:// or https:// address"),
    (entry(titel='"typo"'), "titel", "unknown field"),
    (entry(path="-"), "entry", "needs a path"),
    (entry() + entry(title='"Again"'), "id", "rules in en is already document 1"),
    ('document = "x"\n', "document", "write each entry as [[document]]"),
    ("[[document]\nid = 1", "", "not valid TOML"),
])
def test_each_violation_is_one_line_naming_file_entry_and_field(tmp_path: Path, manifest: str, field: str,
                                                                 says: str) -> None:
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        load_manifest(tmp_path)
    [line] = error.value.problems
    assert line.startswith(f"{tmp_path / 'manifest.toml'}: ")
    assert f": {field}: " in line if field else True
    assert says in line and "\n" not in line
    if manifest.startswith("[[document]]\nid"):
        assert ": document " in line  # names the entry


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("knowledge")
    (folder / "rules.md").write_text(QUORUM, encoding="utf-8")
    (folder / "manifest.toml").write_text(entry(), encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), knowledge_dir=folder)
    ingest(settings, progress=False)
    return settings


def with_manifest(indexed: Settings, tmp_path: Path, manifest: str) -> Settings:
    """The indexed data directory, read with another knowledge folder (same document, other manifest)."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(indexed.knowledge_dir / "rules.md", folder / "rules.md")
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return indexed.with_(knowledge_dir=folder)


def test_a_bad_manifest_indexes_nothing_and_doctor_says_the_same(indexed: Settings, tmp_path: Path) -> None:
    settings = with_manifest(indexed, tmp_path, entry(id='["x"]', lang='"english"') + entry(path='"../x.md"'))
    before = IndexStore(settings.data_dir).state()
    result = run_cli(settings, "ingest", "--rebuild")
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    manifest = settings.knowledge_dir / "manifest.toml"
    assert [line.split(": ")[2:4] for line in lines] == [
        ["document 1 (english)", "id"], ["document 1 (english)", "lang"], ["document 2 (rules, en)", "path"]]
    assert all(line.startswith(f"error: {manifest}: document ") for line in lines)
    assert IndexStore(settings.data_dir).state() == before
    doctor = run_cli(settings, "doctor")
    assert doctor.returncode == 1
    assert [line.removeprefix("error: ") for line in lines] == [
        line.strip() for line in doctor.stdout.splitlines() if line.strip().startswith(str(manifest))]
    answer = run_cli(settings, "ask", "What is the quorum?")
    assert answer.returncode == 0 and "One third" in answer.stdout


def test_a_manifest_that_stops_parsing_during_a_rebuild_leaves_the_index(indexed: Settings, tmp_path: Path) -> None:
    settings = with_manifest(indexed, tmp_path, entry() + "[[document]\nid = ")
    result = run_cli(settings, "ingest", "--rebuild")
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "manifest.toml: not valid TOML" in line
    assert "One third" in run_cli(settings, "ask", "What is the quorum?").stdout


def test_a_folder_as_path_is_skipped_by_name_and_doctor_names_it(indexed: Settings, tmp_path: Path) -> None:
    settings = with_manifest(indexed, tmp_path, entry() + entry(id='"guides"', path='"guides"'))
    (settings.knowledge_dir / "guides").mkdir()
    result = run_cli(settings, "ingest")
    assert result.returncode == 1
    assert f"skipped {settings.knowledge_dir / 'guides'}: is a folder, not a document file" in result.stderr
    state = IndexStore(settings.data_dir).state()
    assert state is not None and set(state.documents) == {"rules:en"}
    doctor = run_cli(settings, "doctor")
    assert "guides:en: " in doctor.stdout and "is a folder" in doctor.stdout and doctor.returncode == 1
