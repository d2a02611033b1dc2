"""Official texts as they are published (printed PDF, HTML rules in two languages) -> chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.chunks import Chunk
from assistant.corpus.load import load_text, reflow
from assistant.corpus.manifest import DocumentEntry
from assistant.corpus.split import split_document
from tests.official_documents import CONVENTION_LINES, RESOLUTION_LINES, RULES_EN, RULES_FR, write_printed_pdf

ART_32 = "Article 32 — Conference of the Parties to the Convention"
RULE_17 = "Rule 17 — Participation of non-governmental organizations"
ARTICLE_17 = "Article 17 — Participation des organisations non gouvernementales"
ANNEX = "Annex — Procedures and rules for the functioning of the Mechanism"


def chunks_of(tmp_path: Path, name: str, kind: str, lang: str) -> list[Chunk]:
    path = tmp_path / name
    if name.endswith(".pdf"):
        write_printed_pdf(path, CONVENTION_LINES if kind == "convention" else RESOLUTION_LINES)
    else:
        path.write_text(RULES_EN if lang == "en" else RULES_FR, encoding="utf-8")
    entry = DocumentEntry(id="doc", title="Official text", lang=lang, kind=kind, url="https://x.org")
    return split_document(load_text(path), entry)


@pytest.mark.parametrize(
    ("name", "kind", "lang", "expected"),
    [
        ("untoc.pdf", "convention", "en", [
            ("para-1", ""), ("art-31-para-1", "Article 31 — Prevention"),
            ("art-32-para-1", ART_32), ("art-32-para-2", ART_32), ("art-32-para-3", ART_32),
            ("art-32-para-4", ART_32),
            ("art-33-para-1", "Article 33 — Secretariat"), ("art-33-para-2", "Article 33 — Secretariat"),
        ]),
        ("rules.en.html", "rules", "en", [
            ("rule-1", "Rule 1 — Use of terms"), ("rule-17-para-1", RULE_17),
            ("rule-17-para-2", RULE_17), ("rule-17", RULE_17),
        ]),
        ("rules.fr.html", "rules", "fr", [
            ("rule-1", "Article premier — Terminologie"), ("rule-17-para-1", ARTICLE_17),
            ("rule-17-para-2", ARTICLE_17),
        ]),
        ("res-9-1.pdf", "resolution", "en", [
            ("res-9-1", "Resolution 9/1"), ("res-9-1-para-1", "Resolution 9/1"),
            ("res-9-1-para-2", "Resolution 9/1"), ("res-9-1-para-3", "Resolution 9/1"),
            ("res-9-1-para-4", "Resolution 9/1"), ("annex-para-46", ANNEX), ("annex-para-47", ANNEX),
        ]),
    ],
)
def test_official_formats_give_pinpoint_locators_and_headings(
        tmp_path: Path, name: str, kind: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.locator, c.heading) for c in chunks_of(tmp_path, name, kind, lang)] == expected


def test_sub_paragraphs_stay_with_their_paragraph_in_both_languages(tmp_path: Path) -> None:
    para_3 = chunks_of(tmp_path, "untoc.pdf", "convention", "en")[4]
    assert para_3.text.startswith("3. The Conference of the Parties shall agree")
    assert "\n(b) Facilitating the exchange of information" in para_3.text
    assert para_3.text.endswith("(c) Reviewing periodically the implementation of this Convention.")
    rule_1 = chunks_of(tmp_path, "rules.fr.html", "rules", "fr")[0]
    assert rule_1.text.startswith("Aux fins du présent règlement :\na) Le terme « Convention »")


def test_cross_references_that_open_a_printed_line_do_not_cut_a_paragraph(tmp_path: Path) -> None:
    chunks = {c.locator: c.text for c in chunks_of(tmp_path, "untoc.pdf", "convention", "en")}
    assert "may recommend pursuant to Article 32 of the Convention, which they" in chunks["art-31-para-1"]
    assert chunks["art-33-para-1"].endswith("the body that is established under Article 32.")
    assert "its subparagraphs (a) and (b), the Conference" in chunks["art-32-para-4"]
    resolution = {c.locator: c.text for c in chunks_of(tmp_path, "res-9-1.pdf", "resolution", "en")}
    assert resolution["res-9-1-para-4"].endswith("that are annexed to Resolution 9/1.")


def test_preambular_paragraphs_stay_under_the_resolution_not_the_annex(tmp_path: Path) -> None:
    preamble = chunks_of(tmp_path, "res-9-1.pdf", "resolution", "en")[0]
    assert preamble.locator == "res-9-1"
    assert "\n\nRecalling article 32 of the Convention" in preamble.text
    assert "\n\nReaffirming its decision 1/2" in preamble.text


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        # a heading, its title, a paragraph: each its own block
        (["Rule 18. Submission of credentials", "The credentials shall be submitted to the secretariat."],
         ["Rule 18. Submission of credentials", "The credentials shall be submitted to the secretariat."]),
        # a wrapped line that starts with "Rule 21" or "3." continues the sentence
        (["1. Observers may attend the meetings of the Conference and its bodies in accordance with",
          "Rule 21 of these rules and with the decisions that the Conference takes about them.",
          "2. Any State may speak at the invitation of the President under article 32, paragraph",
          "3. of the Convention, subject to the rules adopted by the Conference of the Parties."],
         ["1. Observers may attend the meetings of the Conference and its bodies in accordance with "
          "Rule 21 of these rules and with the decisions that the Conference takes about them.",
          "2. Any State may speak at the invitation of the President under article 32, paragraph "
          "3. of the Convention, subject to the rules adopted by the Conference of the Parties."]),
    ],
)
def test_reflow_tells_headings_from_wrapped_cross_references(lines: list[str], paragraphs: list[str]) -> None:
    assert reflow("\n".join(lines)).split("\n\n") == paragraphs


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("### Rule 17\n\n#### Participation of NGOs\n\n1. NGOs may attend.", "rules",
         [("rule-17-para-1", "Rule 17 — Participation of NGOs")]),
        ("### Rule 16\n\n## V. Participation\n\n### Rule 17 Participation of NGOs\n\n1. NGOs may attend.",
         "rules", [("rule-17-para-1", "Rule 17 — Participation of NGOs")]),
        ("Rule 18. Submission of credentials\n\nThe credentials shall be submitted.", "rules",
         [("rule-18", "Rule 18 — Submission of credentials")]),
        ("Article 1er. Objet\n\nLa présente Convention a pour objet de promouvoir la coopération.", "convention",
         [("art-1", "Article 1er — Objet")]),
        ("Rule 17\n\nParticipation\n\n1. NGOs may attend.\n\nrule 21.\n\n2. They may speak.", "rules",
         [("rule-17-para-1", "Rule 17 — Participation"), ("rule-17", "Rule 17 — Participation"),
          ("rule-17-para-2", "Rule 17 — Participation")]),
    ],
)
def test_heading_styles_of_html_and_print_give_one_readable_heading(
        text: str, kind: str, expected: list[tuple[str, str]]) -> None:
    entry = DocumentEntry(id="doc", title="Official text", lang="en", kind=kind)
    assert [(c.locator, c.heading) for c in split_document(text, entry)] == expected
