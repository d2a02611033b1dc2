"""Small documents of every supported format, written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

RULES = [
    ("Rule 41", "Quorum", "One third of the States Parties shall constitute a quorum."),
    ("Rule 9", "Communication of the provisional agenda",
     "The provisional agenda shall be circulated at least sixty days before the session."),
]


def write_pdf(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def write_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=2)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def write_html(path: Path) -> Path:
    body = "".join(f"<h2>{rule} — {title}</h2><p>{text}</p>" for rule, title, text in RULES)
    path.write_text(f"<html><head><style>p{{}}</style><script>var x;</script></head>"
                    f"<body><nav>Menu</nav>{body}</body></html>", encoding="utf-8")
    return path
