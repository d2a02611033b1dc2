"""Cut a document's text along its legal structure into chunks.

Recognises Markdown headings (``## Rule 41 — Quorum {#rule-41}``), articles and
rules ("Article 32", "Article premier", "Rule 41"; in a ``rules`` document a French
"Article 41" is rule 41), resolutions ("Resolution 9/1"), annexes, numbered
paragraphs ("3.") and sub-paragraphs ("(a)", "(i)"). Numbered paragraphs become
their own chunks (``art-32-para-3``); unnumbered paragraphs of a section are
grouped; a chunk never cuts a sentence and always carries its heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.corpus.chunks import Chunk
from assistant.corpus.manifest import DocumentEntry
from assistant.corpus.sentences import split_sentences

MAX_CHARS = 1200

MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*(?:\{#([a-z0-9][a-z0-9-]*)\})?\s*$")
PROVISION = re.compile(
    r"^(?P<word>Article|Art\.|Rule|Règle)\s+(?P<num>\d{1,3}|premier|first)(?:er)?"
    r"(?:\s*(?:[.:—–-]|\s[—–-])\s*(?P<title>[^.;]{0,100}?))?\.?\s*$",
    re.IGNORECASE,
)
# Only for lines already known to be headings (HTML/DOCX/Markdown): "Rule 17 Participation …".
HEADING_PROVISION = re.compile(
    r"^(?P<word>Article|Art\.|Rule|Règle)\s+(?P<num>\d{1,3}|premier|first)(?:er)?\s+(?P<title>\S.{0,100})$",
    re.IGNORECASE,
)
RESOLUTION = re.compile(r"^(?:Resolution|Résolution)\s+(\d{1,3})/(\d{1,3})\b(?:\s*[.:—–-]\s*(.{0,150}))?\s*$",
                        re.IGNORECASE)
ANNEX = re.compile(r"^(?:Annex|Annexe)(?:\s+([IVX]{1,5}|\d{1,2}))?\s*$", re.IGNORECASE)
CHAPTER = re.compile(
    r"^(?:(?:Chapter|Chapitre)\s+[IVXLC]+\b.{0,100}|[IVX]{1,5}\.\s+[^.]{1,100}|[A-H]\.\s+[^.]{1,100})$"
)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+\S")
SUBPARA = re.compile(r"^\(?([a-z]{1,4})\)\s+\S")  # "(a) …" and the French "a) …"
SOURCE_LINE = re.compile(r"^Sources?\s*:\s*(.*)$", re.IGNORECASE)
LINK = re.compile(r"\((https?://[^)\s]+)\)|(https?://\S+)")


@dataclass
class Section:
    """The provision or heading that paragraphs currently belong to."""

    locator: str = ""
    heading: str = ""
    url: str | None = None
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (locator, text)


def split_document(text: str, entry: DocumentEntry) -> list[Chunk]:
    """Split one document's text into chunks carrying the entry's metadata."""
    sections = _sections(_blocks(text), entry)
    pieces = [piece for section in sections for piece in _pieces(section)]
    return [
        Chunk(doc_id=entry.id, lang=entry.lang, kind=entry.kind, title=entry.title,
              locator=locator, heading=heading, url=url or entry.url, text=body, seq=seq)
        for seq, (locator, heading, url, body) in enumerate(pieces)
    ]


def _blocks(text: str) -> list[str]:
    """Paragraph blocks: blank-line separated, or one per line when there are no blank lines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    blocks: list[str] = []
    for block in raw:
        current: list[str] = []
        for line in (line.strip() for line in block.split("\n")):
            if not line:
                continue
            if current and (_opens_unit(line) or _is_heading_line(current[-1])):
                blocks.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            blocks.append(" ".join(current))
    return blocks


def _is_heading_line(line: str) -> bool:
    return bool(MD_HEADING.match(line) or PROVISION.match(line) or RESOLUTION.match(line)
                or ANNEX.match(line) or (CHAPTER.match(line) and len(line) < 40))


def _opens_unit(line: str) -> bool:
    return bool(_is_heading_line(line) or NUMBERED.match(line) or SUBPARA.match(line)
                or SOURCE_LINE.match(line))


def _sections(blocks: list[str], entry: DocumentEntry) -> list[Section]:
    sections = [Section()]
    prefix = ""  # "res-9-1" or "annex": numbered paragraphs hang under it
    pending_title = False
    loose = 0  # unnumbered paragraphs outside any section: para-1, para-2, ...
    for block in blocks:
        current = sections[-1]
        title = _title(block, entry) if pending_title else None
        if title:
            current.heading += f" — {title}"
            pending_title = False
            continue
        pending_title = False
        heading = _heading(block, entry)
        if heading is not None:
            locator, readable, explicit_title = heading
            if locator.startswith(("res-", "annex")):
                prefix = locator
            elif not locator.startswith(("rule-", "art-")):
                prefix = ""
            sections.append(Section(locator=locator, heading=readable))
            pending_title = not explicit_title and locator != ""
            continue
        if CHAPTER.match(block) and len(block) < 110:
            sections.append(Section(locator=prefix, heading=block if prefix else ""))
            pending_title = True
            continue
        source = SOURCE_LINE.match(block)
        if source:
            link = LINK.search(source.group(1))
            current.url = (link.group(1) or link.group(2)) if link else current.url
            continue
        if SUBPARA.match(block) and current.paragraphs:
            locator, previous = current.paragraphs[-1]
            current.paragraphs[-1] = (locator, f"{previous}\n{block}")
            continue
        numbered = NUMBERED.match(block)
        base = current.locator or prefix
        if numbered:
            locator = f"{base}-para-{numbered.group(1)}" if base else f"para-{numbered.group(1)}"
        elif base:
            locator = base
        else:
            loose += 1
            locator = f"para-{loose}"
        current.paragraphs.append((locator, block))
    return [section for section in sections if section.paragraphs]


def _heading(block: str, entry: DocumentEntry) -> tuple[str, str, bool] | None:
    """(locator, readable heading, has a title) when ``block`` is a heading line."""
    markdown = MD_HEADING.match(block)
    if not markdown:
        return _structural(block, entry) if block[:1].isupper() else None  # "rule 21 …" runs on
    text = markdown.group(2)
    structural = _structural(text, entry, known_heading=True)
    if markdown.group(3) or not structural:
        return markdown.group(3) or slugify(text), text, True
    return structural


def _structural(text: str, entry: DocumentEntry, known_heading: bool = False,
                ) -> tuple[str, str, bool] | None:
    provision = PROVISION.match(text) or (HEADING_PROVISION.match(text) if known_heading else None)
    if provision:
        word = provision.group("word").lower()
        num = provision.group("num").lower()
        number = "1" if num in ("premier", "first") else num
        is_rule = word in ("rule", "règle") or entry.kind == "rules"
        return f"{'rule' if is_rule else 'art'}-{number}", _readable(provision), bool(provision.group("title"))
    resolution = RESOLUTION.match(text)
    if resolution:
        return f"res-{resolution.group(1)}-{resolution.group(2)}", text, bool(resolution.group(3))
    annex = ANNEX.match(text)
    if annex:
        suffix = f"-{annex.group(1).lower()}" if annex.group(1) else ""
        return f"annex{suffix}", text, False
    return None


def _readable(provision: re.Match[str]) -> str:
    """ "Rule 18. Submission of credentials" -> "Rule 18 — Submission of credentials"."""
    title = provision.group("title")
    if not title:
        return provision.group(0).rstrip(" .:—–-")
    label = provision.string[:provision.start("title")].rstrip(" .:—–-")
    return f"{label} — {title.strip()}"


def _title(block: str, entry: DocumentEntry) -> str | None:
    """The line under a bare "Article 32" that names it; not a sentence, paragraph or heading.

    Resolution titles run long; a preambular paragraph ends with a comma.
    """
    markdown = MD_HEADING.match(block)
    if (markdown and not markdown.group(3) and not CHAPTER.match(markdown.group(2))
            and not _structural(markdown.group(2), entry, True)):
        block = markdown.group(2)  # HTML: <h3>Rule 17</h3><h4>Participation of …</h4>
    elif _opens_unit(block):
        return None
    return block if len(block) <= 200 and not block.endswith((".", ";", ":", ",")) else None


def _pieces(section: Section) -> list[tuple[str, str, str | None, str]]:
    """Group a section's paragraphs into chunks of at most ``MAX_CHARS``."""
    pieces: list[tuple[str, str, str | None, str]] = []
    group: list[str] = []
    group_locator = ""

    def flush() -> None:
        if group:
            pieces.append((group_locator, section.heading, section.url, "\n\n".join(group)))
            group.clear()

    for locator, text in section.paragraphs:
        for sub_locator, part in _fit(locator, text):
            numbered = sub_locator != section.locator
            if group and (numbered or group_locator != sub_locator
                          or sum(map(len, group)) + len(part) > MAX_CHARS):
                flush()
            group_locator = sub_locator
            group.append(part)
            if numbered:
                flush()
    flush()
    return pieces


def _fit(locator: str, text: str) -> list[tuple[str, str]]:
    """Split an over-long paragraph at sub-paragraphs, then at sentences."""
    if len(text) <= MAX_CHARS:
        return [(locator, text)]
    parts = re.split(r"\n(?=\(?[a-z]{1,4}\)\s)", text)
    out: list[tuple[str, str]] = []
    for part in parts:
        sub = SUBPARA.match(part)
        sub_locator = f"{locator}-{sub.group(1)}" if sub and locator else locator
        out.extend((sub_locator, piece) for piece in _by_sentences(part))
    return out


def _by_sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if pieces and len(pieces[-1]) + len(sentence) < MAX_CHARS:
            pieces[-1] += " " + sentence
        else:
            pieces.append(sentence)
    return pieces


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by ``-``: "Séances publiques" -> "seances-publiques"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "section"
