from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.load import load_text
from assistant.errors import LoadError
from tests.documents import RULES, write_docx, write_html, write_pdf


def test_pdf_paragraphs_and_articles_come_out_as_blocks(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "c.pdf", [
        "Article 32", "Conference of the Parties to the Convention",
        "1. A Conference of the Parties to the Convention is hereby established to improve the "
        "capacity of States Parties to combat transnational organized crime and to promote and "
        "review the implementation of this Convention.",
        "2. The Secretary-General of the United Nations shall convene the Conference.",
    ])
    blocks = load_text(path).split("\n\n")
    assert blocks[0] == "Article 32"
    assert blocks[2].startswith("1. A Conference") and blocks[2].endswith("this Convention.")
    assert blocks[3].startswith("2. The Secretary-General")


def test_html_keeps_headings_and_drops_scripts_and_menus(tmp_path: Path) -> None:
    text = load_text(write_html(tmp_path / "rules.html"))
    assert "## Rule 41 — Quorum" in text
    assert RULES[0][2] in text
    assert "var x" not in text and "Menu" not in text


def test_docx_headings_become_markdown_headings(tmp_path: Path) -> None:
    text = load_text(write_docx(tmp_path / "g.docx", "Rule 41 — Quorum", ["One third."]))
    assert text.split("\n\n") == ["## Rule 41 — Quorum", "One third."]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Quorum : un tiers des États".encode("latin-1"), "Quorum : un tiers des États"),
        ("Quorum : un tiers des États".encode("utf-16"), "Quorum : un tiers des États"),
        ("\ufeffQuorum".encode("utf-8"), "Quorum"),
    ],
)
def test_text_in_other_encodings_is_decoded(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    assert load_text(path) == expected


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("empty.md", b"  \n\n", "no text"),
        ("broken.docx", b"PK\x03\x04 nonsense", "not a readable DOCX"),
        ("table.xlsx", b"whatever", "unsupported file type"),
    ],
)
def test_bad_files_raise_an_error_naming_file_and_reason(tmp_path: Path, name: str, data: bytes,
                                                         reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as error:
        load_text(path)
    assert name in str(error.value) and reason in str(error.value)


def test_pdf_without_text_layer_says_so(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(LoadError, match="no text layer"):
        load_text(tmp_path / "scan.pdf")
