"""Read a document file into plain text with one paragraph per block.

Markdown and plain text are decoded as they are; HTML, PDF and DOCX go through
well-kept parsers (BeautifulSoup, pypdf, python-docx), imported only when used.
Headings found in HTML and DOCX become Markdown ``#`` lines so the splitter sees them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from assistant.errors import LoadError

MAX_BYTES = 20 * 1024 * 1024
HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote")


def load_text(path: Path) -> str:
    """Return the document's text; raise ``LoadError`` naming the file and the reason."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(path, f"unsupported file type {path.suffix or '(none)'}; "
                              f"use one of {', '.join(sorted(LOADERS))}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, f"cannot read it ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise LoadError(path, f"too large ({size // 2**20} MB; the limit is {MAX_BYTES // 2**20} MB)")
    text = loader(path).strip()
    if not text:
        raise LoadError(path, "holds no text")
    return text


def decode(data: bytes, path: Path) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise LoadError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _plain(path: Path) -> str:
    return decode(path.read_bytes(), path).replace("\r\n", "\n")


def _html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(path.read_bytes(), path), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    blocks = []
    for tag in soup.find_all(HTML_BLOCKS):
        if tag.find(HTML_BLOCKS):
            continue  # keep only innermost blocks, so no text appears twice
        text = " ".join(tag.get_text(" ").split())
        if text:
            level = int(tag.name[1]) if re.fullmatch(r"h[1-6]", tag.name) else 0
            blocks.append("#" * level + " " + text if level else text)
    return "\n\n".join(blocks)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise LoadError(path, f"is not a readable PDF ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(path, "has no text layer (a scanned PDF?); run OCR on it first")
    return reflow(text)


def _docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise LoadError(path, f"is not a readable DOCX file ({exc})") from None
    blocks = []
    for para in document.paragraphs:
        text = para.text.strip()
        style = (para.style.name or "") if para.style is not None else ""
        level = re.match(r"Heading (\d)", style)
        if text:
            blocks.append("#" * int(level.group(1)) + " " + text if level else text)
    return "\n\n".join(blocks)


STRUCTURE_START = re.compile(
    r"^(?:(?:Article|Rule|Règle|Chapter|Chapitre|Annex|Annexe|Resolution|Résolution)\b"
    r"|\d{1,3}\.\s|\([a-z]{1,4}\)\s|[IVX]{1,5}\.\s)"
)
HEADING_ONLY = re.compile(
    r"^(?:Article|Rule|Règle|Chapter|Chapitre|Annex|Annexe|Resolution|Résolution)\b[^.]{0,12}$"
)
SENTENCE_END = re.compile(r"[.:;!?»\"]\s*$")


def reflow(text: str) -> str:
    """Join hard-wrapped PDF lines into paragraphs separated by blank lines.

    A line starts a new paragraph when it opens a structural unit (article, rule,
    numbered paragraph), follows a bare heading ("Article 32"), or when the previous
    line ended a sentence and was short.
    """
    lines = [line.strip() for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        ended = (bool(SENTENCE_END.search(previous)) and len(previous) < 0.8 * width
                 or bool(HEADING_ONLY.match(previous)))
        if not line:
            paragraphs.append("")
        elif not paragraphs or not paragraphs[-1] or STRUCTURE_START.match(line) or ended:
            paragraphs.append(line)
        else:
            joiner = "" if paragraphs[-1].endswith("-") else " "
            paragraphs[-1] += joiner + line
        previous = line
    return "\n\n".join(p for p in paragraphs if p)


LOADERS: dict[str, Callable[[Path], str]] = {
    ".md": _plain, ".markdown": _plain, ".txt": _plain,
    ".html": _html, ".htm": _html, ".pdf": _pdf, ".docx": _docx,
}
