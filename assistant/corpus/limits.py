"""How much work one document may cost: bytes unpacked, seconds parsing, passages indexed.

A small file can unpack to gigabytes (a DOCX is a zip of XML) or keep a parser busy for
hours; such a document is refused by name, quickly, and the others are indexed. The time
limit is checked between pages, paragraphs and tags, and in the main thread an alarm also
interrupts a parser stuck inside one of them.
"""

from __future__ import annotations

import io
import signal
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from assistant.errors import LoadError

PARSE_SECONDS = 30.0
MAX_UNPACKED = 128 * 1024 * 1024  # all members of a DOCX together
MAX_XML = 16 * 1024 * 1024  # its XML parts: python-docx reads about 2.5 MB a second
MAX_MEMBERS = 5000
MAX_PASSAGES = 5000  # per document: the UNTOC with its Protocols is about 1,500
MIN_DISTINCT = 0.2  # a document of copies of a few passages is refused


class ParseTimeout(BaseException):
    """Raised inside a parser when its time is up (a BaseException, so no parser swallows it)."""


class Deadline:
    """The time one document's parser may take; ``check()`` raises ``LoadError`` once it is past."""

    def __init__(self, path: Path, seconds: float | None = None) -> None:
        self.path = path
        self.seconds = PARSE_SECONDS if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise self.error()

    def error(self) -> LoadError:
        return LoadError(self.path, f"took more than {self.seconds:g} s to read (a decompression bomb "
                                    "or a damaged file?); not indexed")

    @contextmanager
    def alarm(self) -> Iterator[None]:
        """In the main thread, interrupt the parser itself when the time is up."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def expire(signum: int, frame: object) -> None:
            raise ParseTimeout()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(self.ends - time.monotonic(), 0.001))
        try:
            yield
        except ParseTimeout:
            raise self.error() from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def check_archive(data: bytes, path: Path) -> None:
    """Refuse a zip (DOCX) whose members would unpack beyond the limits, before unpacking any."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise LoadError(path, f"is not a readable DOCX file ({exc})") from None
    unpacked = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED or xml > MAX_XML:
        raise LoadError(path, f"would unpack to {unpacked // 2**20} MB in {len(members)} parts, {xml // 2**20} MB "
                              f"of it XML (limits {MAX_UNPACKED // 2**20} MB, {MAX_MEMBERS} parts, "
                              f"{MAX_XML // 2**20} MB of XML): a decompression bomb?; not indexed")


def check_passages(texts: Sequence[str], size: int, path: Path) -> None:
    """Refuse a document whose passage count is absurd: too many, or mostly copies of a few."""
    distinct = len(set(texts))
    if len(texts) >= 50 and distinct < MIN_DISTINCT * len(texts):
        raise LoadError(path, f"repeats the same passages ({distinct} different in {len(texts)}, "
                              f"{size // 1024} KB); not indexed")
    if len(texts) > MAX_PASSAGES:
        raise LoadError(path, f"would make {len(texts)} passages of {size // 1024} KB (the limit is "
                              f"{MAX_PASSAGES} per document); split it into smaller files")
