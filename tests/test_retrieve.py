"""Hybrid retrieval over the shipped knowledge: language preference and cross-language reach."""

from __future__ import annotations

from assistant.answers.retriever import from_document


def top(assistant, question: str, k: int = 5):  # type: ignore[no-untyped-def]
    return [from_document(d).chunk for d in assistant.retriever.model_copy(update={"k": k}).invoke(question)]


def test_a_french_question_gets_the_french_version_of_a_provision(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    chunks = top(shipped_assistant, "Quel est le quorum requis pour prendre une décision ?")
    assert (chunks[0].doc_id, chunks[0].locator, chunks[0].lang) == ("guide-rules", "rule-41", "fr")


def test_an_english_question_gets_the_english_version(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    chunks = top(shipped_assistant, "How early must the provisional agenda be circulated?")
    assert (chunks[0].doc_id, chunks[0].locator, chunks[0].lang) == ("guide-rules", "rule-9", "en")


def test_one_language_version_per_provision(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    chunks = top(shipped_assistant, "quorum", k=10)
    provisions = [(c.doc_id, c.locator) for c in chunks]
    assert len(provisions) == len(set(provisions))


def test_an_english_question_is_answered_from_a_french_only_source(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = shipped_assistant.ask("Have all resolutions so far been adopted by consensus?")
    assert answer.answered and answer.language == "en"
    assert [(c.doc_id, c.locator, c.lang) for c in answer.citations] == [("cop-overview", "para-9", "fr")]
    assert "another language" in answer.answer  # the reader is told the source is not in English



def test_a_long_provision_indexed_in_several_chunks_is_read_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.answers.service import Assistant
    from assistant.index.ingest import ingest
    from assistant.settings import Settings
    from tests.conftest import make_knowledge

    seating = [f"Under rule 70({n}), delegation number {n} sits in row {n} of the plenary hall, behind the "
               f"delegations before it, and keeps that seat for every meeting of the session, plenary and "
               f"committee alike, unless the Bureau decides otherwise." for n in range(1, 6)]
    booths = "Under rule 70(6), the secretariat allocates interpreters' booths forty-eight (48) hours before opening."
    (tmp_path / "rules.md").write_text("# Rules\n\n## Rule 70 — Seating and booths {#rule-70}\n\n"
                                       + "\n\n".join(seating + [booths]) + "\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=make_knowledge(tmp_path, {
        "rules.md": ("guide-rules", "en", "guide")}))
    ingest(settings, progress=False)
    assistant = Assistant(settings)
    assert len(assistant.searcher.reader.chunks) > 1  # the rule is longer than one chunk

    hit = assistant.searcher.search("where does delegation number 2 sit?", "en", 5).hits[0]
    assert hit.chunk.text.startswith(seating[0]) and hit.chunk.text.endswith(booths)
    answer = assistant.ask("how many hours ahead are the interpreters' booths allocated?")
    assert "forty-eight (48) hours" in answer.answer and [c.locator for c in answer.citations] == ["rule-70"]


def test_a_passage_on_a_body_the_question_does_not_name_is_marked(shipped_assistant) -> None:  # type: ignore[no-untyped-def]
    def cosp(question: str):  # type: ignore[no-untyped-def]
        hits = shipped_assistant.searcher.search(question, "en", 10).hits
        return next(hit for hit in hits if hit.chunk.locator == "cosp")

    assert cosp("How often does the Conference of the Parties meet?").elsewhere  # the COSP is not asked about
    assert not cosp("How often does the COSP meet?").elsewhere
