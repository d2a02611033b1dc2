"""Ingest: incremental, atomic, and losing nothing on bad files or crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.answers.service import Assistant
from assistant.index.ingest import ingest
from assistant.index.store import IndexStore
from assistant.settings import Settings
from tests.conftest import guides_knowledge
from tests.documents import write_pdf

RULES_EN = "## Rule 41 — Quorum {#rule-41}\n\nOne third of the States Parties shall constitute a quorum.\n"
RULES_FR = "## Article 41 — Quorum {#rule-41}\n\nLe tiers des États Parties constitue le quorum.\n"
AGENDA = "## Rule 9 — Agenda {#rule-9}\n\nThe provisional agenda is circulated sixty days before a session.\n"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    return guides_knowledge(tmp_path, {"rules.en.md": (RULES_EN, "rules", "en"),
                                       "rules.fr.md": (RULES_FR, "rules", "fr"),
                                       "agenda.md": (AGENDA, "agenda", "en")})


@pytest.fixture
def settings(tmp_path: Path, knowledge: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)


def test_unchanged_documents_are_not_embedded_again(settings: Settings) -> None:
    first = ingest(settings, progress=False)
    second = ingest(settings, progress=False)
    assert first.embedded == 3 and first.reused == 0
    assert second.embedded == 0 and second.reused == 3
    assert second.version != first.version


def test_a_changed_document_is_replaced_and_rebuild_starts_over(settings: Settings, knowledge: Path) -> None:
    ingest(settings, progress=False)
    (knowledge / "agenda.md").write_text(AGENDA.replace("sixty", "forty-two"), encoding="utf-8")
    changed = ingest(settings, progress=False)
    assert changed.embedded == 1
    answer = Assistant(settings).ask("How early is the provisional agenda circulated?")
    assert "forty-two" in answer.answer and "sixty" not in answer.answer
    assert ingest(settings, rebuild=True, progress=False).embedded == 3


def test_old_versions_are_cleaned_up(settings: Settings) -> None:
    for _ in range(3):
        ingest(settings, progress=False)
    store = IndexStore(settings.data_dir)
    assert len(list((settings.data_dir / "versions").iterdir())) == 2  # in use + previous
    from assistant.index import vectors

    assert len(vectors.versions(store.client)) == 2


def test_a_corrupt_file_is_named_and_the_others_are_indexed(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    write_pdf(folder / "good.pdf", ["Rule 3", "Regular sessions", "1. The COP meets every two years."])
    report = ingest(settings, [folder], progress=False)
    assert [Path(path).name for path, _ in report.failures] == ["broken.pdf"]
    state = IndexStore(settings.data_dir).state()
    assert state is not None and "good:en" in state.documents


def test_a_document_that_breaks_later_keeps_its_indexed_version(settings: Settings, knowledge: Path) -> None:
    ingest(settings, progress=False)
    (knowledge / "agenda.md").write_bytes(bytes(range(256)))  # now binary garbage
    report = ingest(settings, progress=False)
    assert report.failures and "binary" in report.failures[0][1]
    answer = Assistant(settings).ask("How early is the provisional agenda circulated?")
    assert answer.answered and "sixty" in answer.answer


def test_local_files_get_a_detected_language_and_stay_on_later_ingests(settings: Settings, tmp_path: Path) -> None:
    note = tmp_path / "note-interne.md"
    note.write_text("## Salle {#salle}\n\nLes séances plénières ont lieu dans la salle des conférences.\n",
                    encoding="utf-8")
    ingest(settings, [note], progress=False)
    ingest(settings, progress=False)  # no path given: the local file is kept
    state = IndexStore(settings.data_dir).state()
    assert state is not None and state.documents["note-interne:fr"].local


def test_ingest_cli_over_a_folder_with_a_corrupt_pdf_exits_1_naming_it(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "ok.md").write_text(AGENDA, encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir)}
    result = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(folder)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "broken.pdf" in result.stderr
    assert "ok:en" in IndexStore(settings.data_dir).state().documents  # type: ignore[union-attr]


def test_killed_mid_ingest_the_previous_index_still_serves(settings: Settings, knowledge: Path) -> None:
    ingest(settings, progress=False)
    before = IndexStore(settings.data_dir).state()
    big = "\n\n".join(f"## Topic {n} {{#topic-{n}}}\n\nParagraph {n} about sessions and quorum rules."
                      for n in range(400))
    (knowledge / "agenda.md").write_text(big, encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "ASSISTANT_KNOWLEDGE_DIR": str(knowledge)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest"], env=env,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = ""
    while "Embedding" not in seen:  # kill it while it embeds
        seen += proc.stderr.read(1)
        assert proc.poll() is None, seen
    time.sleep(1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = IndexStore(settings.data_dir).state()
    assert after is not None and before is not None and after.version == before.version
    answer = Assistant(settings).ask("Quel est le quorum ?")
    assert answer.answered and "tiers" in answer.answer
    ingest(settings, progress=False)  # the next ingest cleans the debris
    versions = {p.name for p in (settings.data_dir / "versions").iterdir()}
    assert len(versions) <= 2


def test_state_file_is_valid_json_after_each_ingest(settings: Settings) -> None:
    ingest(settings, progress=False)
    data = json.loads((settings.data_dir / "state.json").read_text(encoding="utf-8"))
    assert data["embedding"] == "e5" and set(data["documents"]) == {"rules:en", "rules:fr", "agenda:en"}
