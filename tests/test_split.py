from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from assistant.corpus.load import load_text
from assistant.corpus.manifest import DocumentEntry
from assistant.corpus.split import MAX_CHARS, split_document
from tests.conftest import KNOWLEDGE


def entry(kind: str = "convention", lang: str = "en") -> DocumentEntry:
    return DocumentEntry(id="doc", title="Doc", lang=lang, kind=kind, url="https://example.org/doc")


def locators(text: str, kind: str = "convention", lang: str = "en") -> list[str]:
    return [c.locator for c in split_document(text, entry(kind, lang))]


def test_overview_page_is_one_chunk_per_line_para_1_to_12() -> None:
    doc = DocumentEntry(id="cop-overview", title="t", lang="fr", kind="web-page")
    chunks = split_document(load_text(KNOWLEDGE / "cop-overview.fr.txt"), doc)
    assert [c.locator for c in chunks] == [f"para-{n}" for n in range(1, 13)]
    assert "ONUDC assure le secrétariat" in chunks[10].text


ARTICLE = """Article 32
Conference of the Parties to the Convention

1. A Conference of the Parties to the Convention is hereby established.

2. The Secretary-General shall convene the Conference not later than one year.

3. The Conference shall agree upon mechanisms for achieving the objectives, including:
(a) Facilitating activities by States Parties;
(b) Facilitating the exchange of information;
(i) first point;
(ii) second point.
"""


def test_articles_and_numbered_paragraphs_get_pinpoint_locators() -> None:
    chunks = split_document(ARTICLE, entry())
    assert [c.locator for c in chunks] == ["art-32-para-1", "art-32-para-2", "art-32-para-3"]
    assert all(c.heading == "Article 32 — Conference of the Parties to the Convention" for c in chunks)
    assert "(b) Facilitating the exchange" in chunks[2].text  # sub-paragraphs stay with their paragraph


@pytest.mark.parametrize(
    ("text", "kind", "lang", "expected"),
    [
        ("Rule 41\nQuorum\n\nOne third of the States Parties shall constitute a quorum.", "rules", "en", ["rule-41"]),
        ("Article 41\nQuorum\n\nLe tiers des États Parties constitue le quorum.", "rules", "fr", ["rule-41"]),
        ("Article premier\nTerminologie\n\nAux fins du présent règlement.", "rules", "fr", ["rule-1"]),
        ("Article premier\nObjet\n\nLa présente Convention a pour objet.", "convention", "fr", ["art-1"]),
        ("## Rule 9 — Agenda {#rule-9}\n\nSixty days before.", "guide", "en", ["rule-9"]),
        ("## Séances publiques\n\nLes séances sont publiques.", "guide", "fr", ["seances-publiques"]),
        ("Resolution 9/1\nMechanism\n\nRecalling its work,\n\n4. Decides to launch.", "resolution", "en",
         ["res-9-1", "res-9-1-para-4"]),
        ("Annex\n\n47. The secretariat shall support the Mechanism.", "resolution", "en", ["annex-para-47"]),
    ],
)
def test_structure_gives_language_neutral_locators(text: str, kind: str, lang: str, expected: list[str]) -> None:
    assert locators(text, kind, lang) == expected


def test_cross_references_are_never_headings() -> None:
    text = ("Rule 17\nParticipation of non-governmental organizations\n\n"
            "1. Such organizations may attend in accordance with rule 21.\n\n"
            "Rule 21 applies to them as well, and article 32 of the Convention too.")
    assert locators(text, "rules") == ["rule-17-para-1", "rule-17"]


def test_a_long_provision_splits_at_paragraphs_and_each_piece_repeats_its_heading() -> None:
    body = "\n\n".join(f"Paragraph {n} says something long enough to matter here. " * 8 for n in range(6))
    chunks = split_document(f"## Rule 3 — Sessions {{#rule-3}}\n\n{body}", entry("guide"))
    assert len(chunks) > 1
    assert all(c.heading == "Rule 3 — Sessions" and c.locator == "rule-3" for c in chunks)
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.startswith("Paragraph") for c in chunks)  # cut at paragraph starts only


def test_guide_source_lines_become_the_chunk_link_not_text() -> None:
    text = "## Rule 41 — Quorum {#rule-41}\n\nOne third.\n\nSource: [Rules, rule 41](https://www.unodc.org/r41)"
    (chunk,) = split_document(text, entry("guide"))
    assert chunk.url == "https://www.unodc.org/r41"
    assert "Source" not in chunk.text


VOCABULARY = ["quorum", "session", "rule", "parties", "agenda", "vote", "art.", "para.", "(a)", "9/1"]
SENTENCE = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=30).map(
    lambda words: " ".join(words).capitalize() + ".")


@hsettings(max_examples=80, deadline=None)
@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=40), min_size=1, max_size=6))
def test_no_chunk_ever_cuts_a_sentence(paragraphs: list[list[str]]) -> None:
    text = "## Topic {#topic}\n\n" + "\n\n".join(" ".join(p) for p in paragraphs)
    chunks = split_document(text, entry("guide"))
    sentence_ends, words = set(), 0
    for sentence in (s for p in paragraphs for s in p):
        words += len(sentence.split())
        sentence_ends.add(words)
    chunk_ends, words = [], 0
    for chunk in chunks:
        words += len(chunk.text.split())
        chunk_ends.append(words)
    assert " ".join(c.text for c in chunks).split() == " ".join(" ".join(p) for p in paragraphs).split()
    assert set(chunk_ends) <= sentence_ends
