"""Sample questions: a question typed like one finds its section, by meaning and by their words; they are reused,
and a broken file or damaged vectors lose nothing but themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.service import Assistant
from assistant.index.ingest import ingest
from assistant.index.store import IndexStore
from assistant.settings import Settings
from tests.conftest import guides_knowledge, make_knowledge

AGENDA = ("## Rule 9 — Communication of the provisional agenda {#rule-9}\n\n"
          "The secretariat circulates the provisional agenda at least sixty days before a regular session.\n\n"
          "## Rule 10 — Explanatory memorandum {#rule-10}\n\n"
          "Any item proposed for inclusion in the agenda is accompanied by an explanatory memorandum and, "
          "where possible, basic documents.\n")
QUESTIONS_TOML = ('[rule-10]\nen = ["what must a delegation send with its proposal for a new agenda item?"]\n'
                  'fr = ["que faut-il joindre à une demande d\'inscription d\'un point à l\'ordre du jour ?"]\n'
                  '[rule-9]\nen = ["how early does the secretariat send out the provisional agenda?"]\n')
AGENDA_FR = ("## Article 9 — Communication de l'ordre du jour provisoire {#rule-9}\n\n"
             "Le secrétariat communique l'ordre du jour provisoire soixante jours au moins avant une session "
             "ordinaire.\n\n## Article 10 — Mémoire explicatif {#rule-10}\n\n"
             "Toute question proposée pour inscription à l'ordre du jour est accompagnée d'un mémoire explicatif.\n")
TYPED = "we want to put a new point on the prov agenda, what do we send in with it?"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    return guides_knowledge(tmp_path, {"agenda.md": (AGENDA, "agenda", "en")})


def _with_questions(knowledge: Path, text: str = QUESTIONS_TOML) -> None:
    (knowledge / "questions").mkdir(exist_ok=True)
    (knowledge / "questions" / "agenda.toml").write_text(text, encoding="utf-8")


def _first(settings: Settings, question: str) -> str:
    return Assistant(settings).searcher.search(question, "en", 5).hits[0].chunk.locator


def test_a_question_typed_like_a_sample_question_finds_its_section(tmp_path: Path, knowledge: Path) -> None:
    without = Settings(data_dir=tmp_path / "without", knowledge_dir=knowledge)
    ingest(without, progress=False)
    assert _first(without, TYPED) == "rule-9"  # the agenda's words alone point at the wrong rule

    _with_questions(knowledge)
    settings = Settings(data_dir=tmp_path / "with", knowledge_dir=knowledge)
    report = ingest(settings, progress=False)
    assert report.questions == 3 and not report.failures
    assert _first(settings, TYPED) == "rule-10"
    assert Assistant(settings).searcher.search(TYPED, "en", 5).hits[0].asked_as  # by meaning, not only words
    assert Assistant(settings).ask(TYPED).citations[0].locator == "rule-10"  # first source, answered or not


def test_a_sample_questions_words_find_its_section_by_keyword_in_its_own_language(tmp_path: Path) -> None:
    knowledge = guides_knowledge(tmp_path, {"agenda.en.md": (AGENDA, "agenda", "en"),
                                            "agenda.fr.md": (AGENDA_FR, "agenda", "fr")})
    _with_questions(knowledge, '[rule-10]\nen = ["is a memo mandatory paperwork?"]\n'
                               'fr = ["cette paperasse est-elle obligatoire ?"]\n')
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    ingest(settings, progress=False)
    reader = Assistant(settings).searcher.reader

    def found(words: str) -> list[tuple[str, str]]:
        return [(reader.chunks[p].locator, reader.chunks[p].lang) for p, _ in reader.keyword.search(words, 5)]

    assert found("paperwork") == [("rule-10", "en")]  # words of the guide's text nowhere
    assert found("paperasse") == [("rule-10", "fr")]  # each version has the questions in its language
    assert found("explanatory memorandum")[0] == ("rule-10", "en")  # and keeps its own words


def test_a_section_written_in_one_language_is_found_by_its_questions_in_every_language(
        tmp_path: Path, knowledge: Path) -> None:
    _with_questions(knowledge, '[rule-10]\nfr = ["cette paperasse est-elle obligatoire ?"]\n')
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    ingest(settings, progress=False)
    reader = Assistant(settings).searcher.reader
    assert [reader.chunks[p].provision for p, _ in reader.keyword.search("paperasse", 5)] == ["agenda#rule-10"]


def test_a_version_stored_without_the_questions_languages_gives_none_to_rebuild_from(tmp_path: Path) -> None:
    """Stored before the languages were: its keyword index had no questions, a replica's has none either."""
    import numpy as np

    from assistant.corpus.questions import SampleQuestion
    from assistant.index.vectors import QUESTIONS, VectorCollection, open_client

    client = open_client(tmp_path)
    stored = VectorCollection(client, "v1", create=True, prefix=QUESTIONS)
    stored.add_questions(["a"], np.ones((1, 3)), [SampleQuestion("agenda#rule-10", "en", "what goes with it?")])
    assert stored.sample_questions() == [SampleQuestion("agenda#rule-10", "en", "what goes with it?")]
    older = client.create_collection(QUESTIONS + "v0", embedding_function=None)
    older.add(ids=["a"], embeddings=np.ones((1, 3)), metadatas=[{"provision": "agenda#rule-10"}],
              documents=["what goes with it?"])
    assert VectorCollection(client, "v0", prefix=QUESTIONS).sample_questions() == []


def test_unchanged_sample_questions_are_not_embedded_again(tmp_path: Path, knowledge: Path) -> None:
    _with_questions(knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    assert ingest(settings, progress=False).questions == 3
    assert ingest(settings, progress=False).questions == 0
    _with_questions(knowledge, QUESTIONS_TOML.replace("how early", "how long before the session"))
    assert ingest(settings, progress=False).questions == 1
    store = IndexStore.for_settings(settings)
    state = store.state()
    kept = {path.parent.name for path in (settings.data_dir / "versions").glob("*/questions.npy")}
    assert state is not None and kept == state.in_use()  # older versions' questions removed


def test_a_broken_sample_questions_file_is_named_and_the_documents_still_answer(
        tmp_path: Path, knowledge: Path) -> None:
    _with_questions(knowledge, '[rule-10]\nen = ["unclosed\n')
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    report = ingest(settings, progress=False)
    assert not report.failures and [Path(path).name for path, _ in report.warnings] == ["agenda.toml"]
    assert "fix the file and ingest again" in report.warnings[0][1]
    assert report.chunks == 2 and report.questions == 0
    answer = Assistant(settings).ask("How early is the provisional agenda circulated?")
    assert answer.answered and "sixty days" in answer.answer


def test_a_section_that_does_not_exist_is_named_and_the_others_are_used(tmp_path: Path, knowledge: Path) -> None:
    _with_questions(knowledge, QUESTIONS_TOML + '[rule-1O]\nen = ["a typo in the locator?"]\n')
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    report = ingest(settings, progress=False)
    assert [reason for _, reason in report.warnings] == [
        "no section 'rule-1O' in agenda; its sample questions are left out"]
    assert report.questions == 3 and _first(settings, TYPED) == "rule-10"


def test_damaged_sample_question_vectors_are_skipped_without_a_crash(
        tmp_path: Path, knowledge: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_questions(knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    ingest(settings, progress=False)
    store = IndexStore.for_settings(settings)
    state = store.state()
    assert state is not None
    (store.version_dir(state.version) / "questions.npy").write_bytes(b"")
    hits = Assistant(settings).searcher.search(TYPED, "en", 5).hits
    assert hits and not any(hit.asked_as for hit in hits)  # answered without their vectors: no crash
    assert "sample questions not used" in capsys.readouterr().err
    assert ingest(settings, progress=False).questions == 3  # the next ingest embeds them again


def test_a_french_question_flags_the_french_section_its_sample_question_names(
        tmp_path: Path, knowledge: Path) -> None:
    (knowledge / "agenda.fr.md").write_text(AGENDA_FR, encoding="utf-8")
    make_knowledge(knowledge, {"agenda.md": ("agenda", "en", "guide"), "agenda.fr.md": ("agenda", "fr", "guide")})
    _with_questions(knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    ingest(settings, progress=False)
    hits = Assistant(settings).searcher.search(
        "que faut-il joindre quand on demande d'ajouter un point à l'ordre du jour ?", "fr", 5).hits
    flagged = [(hit.chunk.locator, hit.chunk.lang) for hit in hits if hit.asked_as]
    assert flagged == [("rule-10", "fr")]  # its English first chunk took the rank; the French one is quoted
