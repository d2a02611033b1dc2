"""Read a document file into plain text with one paragraph per block.

Files are opened by ``corpus.files`` (regular files only, no links, a size bound).
Markdown and plain text are decoded as they are; HTML, PDF and DOCX go through
well-kept parsers (BeautifulSoup, pypdf, python-docx), imported only when used, within
the limits of ``corpus.limits``. Whatever a parser raises skips that file by name.
Headings found in HTML and DOCX become Markdown ``#`` lines so the splitter sees them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Callable

from assistant.corpus.files import check_place, read_document
from assistant.corpus.limits import Deadline, check_archive
from assistant.corpus.text import check_prose, decode
from assistant.errors import LoadError

HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote")
Loader = Callable[[bytes, Path, Deadline], str]


def load_text(path: Path, root: Path | None = None, follow_links: bool = False) -> str:
    """Return the document's text; raise ``LoadError`` naming the file and the reason.

    ``root`` is the folder the file was found in: without ``follow_links``, a file reached
    through a symbolic link, or outside ``root``, is refused (see ``corpus.files``).
    """
    check_place(path, root, follow_links)  # a folder, a pipe or a link says so, whatever its name
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(path, f"unsupported file type {path.suffix or '(none)'}; "
                              f"use one of {', '.join(sorted(LOADERS))}")
    data = read_document(path, root, follow_links)
    text = _parse(loader, data, path).strip()
    if not text:
        raise LoadError(path, "holds no text")
    check_prose(text, path)
    return text


def _parse(loader: Loader, data: bytes, path: Path) -> str:
    """Run a parser within the time limit; any failure of it skips this file only."""
    deadline = Deadline(path)
    try:
        with deadline.alarm():
            return loader(data, path, deadline)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(path, "is too large to parse in memory; not indexed") from None
    except Exception as exc:  # parsers raise anything on damaged input: it costs this file, not the ingest
        kind = path.suffix.lstrip(".").upper()
        raise LoadError(path, f"is not a readable {kind} file ({type(exc).__name__}: {exc})"[:300]) from None


def _plain(data: bytes, path: Path, deadline: Deadline) -> str:
    return decode(data, path).replace("\r\n", "\n")


def _html(data: bytes, path: Path, deadline: Deadline) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data, path), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    blocks = []
    for tag in soup.find_all(HTML_BLOCKS):
        deadline.check()
        if tag.find(HTML_BLOCKS):
            continue  # keep only innermost blocks, so no text appears twice
        text = " ".join(tag.get_text(" ").split())
        if text:
            level = int(tag.name[1]) if re.fullmatch(r"h[1-6]", tag.name) else 0
            blocks.append("#" * level + " " + text if level else text)
    return "\n\n".join(blocks)


def _pdf(data: bytes, path: Path, deadline: Deadline) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    pages = []
    try:
        for page in PdfReader(io.BytesIO(data)).pages:
            deadline.check()
            page.get_contents()  # text extraction hides a decompression limit reached; this raises it
            pages.append(page.extract_text() or "")
    except LimitReachedError as exc:
        raise LoadError(path, f"unpacks beyond pypdf's limits ({exc}): a decompression bomb?; not indexed") from None
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise LoadError(path, f"is not a readable PDF ({exc})"[:300]) from None
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(path, "has no text layer (a scanned PDF?); run OCR on it first")
    return reflow(text)


def _docx(data: bytes, path: Path, deadline: Deadline) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_archive(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise LoadError(path, f"is not a readable DOCX file ({exc})") from None
    blocks = []
    for para in document.paragraphs:
        deadline.check()
        text = para.text.strip()
        style = (para.style.name or "") if para.style is not None else ""
        level = re.match(r"Heading (\d)", style)
        if text:
            blocks.append("#" * int(level.group(1)) + " " + text if level else text)
    return "\n\n".join(blocks)


HEADING_LINE = re.compile(
    r"^(?:Article|Rule|Règle|Chapter|Chapitre|Annex|Annexe|Resolution|Résolution)"
    r"(?:\s+(?:\d{1,3}(?:/\d{1,3})?|premier|first|1er|[IVXLC]{1,6}))?"
    r"(?:\s*[.:—–-]\s*[^.;:]{0,100})?\.?$"
)
NEW_UNIT = re.compile(r"^(?:\d{1,3}\.\s|\(?[a-z]{1,4}\)\s|[IVX]{1,5}\.\s)")
CLOSING = re.compile(r"[.:;,!?»\"]\s*$")


def reflow(text: str) -> str:
    """Join hard-wrapped PDF lines into paragraphs separated by blank lines.

    A line opens a paragraph after a blank line or a heading ("Article 32"), after a
    short line that closed a sentence or clause, or when it starts a unit (heading,
    "3.", "(a)") after a line that could end a paragraph. A line that merely wraps a
    sentence ("... in accordance with" / "Article 32 of the Convention, ...") never
    opens one, so a cross-reference cannot become a heading.
    """
    lines = [line.strip() for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paragraphs = [""]
    previous = ""
    for line in lines:
        if not line:
            paragraphs.append("")
        elif not paragraphs[-1] or _opens_paragraph(line, previous, paragraphs[-1], width):
            paragraphs.append(line)
        else:
            joiner = "" if paragraphs[-1].endswith("-") else " "
            paragraphs[-1] += joiner + line
        previous = line
    return "\n\n".join(p for p in paragraphs if p)


def _opens_paragraph(line: str, previous: str, current: str, width: int) -> bool:
    if HEADING_LINE.match(current):
        return True  # the paragraph so far is a heading: what follows is its title or text
    closes = bool(CLOSING.search(previous))
    short = len(previous) < 0.8 * width
    if NEW_UNIT.match(line) or HEADING_LINE.match(line):
        return closes or short
    return closes and short


LOADERS: dict[str, Loader] = {
    ".md": _plain, ".markdown": _plain, ".txt": _plain,
    ".html": _html, ".htm": _html, ".pdf": _pdf, ".docx": _docx,
}
