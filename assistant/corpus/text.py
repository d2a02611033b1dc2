"""Bytes to text, text that is not prose refused, and text without its accents.

Text files are UTF-8 (with or without BOM), UTF-16 with a BOM, or else Windows-1252 /
Latin-1. Whatever the decoding, text in which control or unprintable characters are more
than a trace is not prose (random bytes, a binary file with a text name) and is refused.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from assistant.errors import LoadError

UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff\ud800-\udfff]")
MAX_UNPRINTABLE = 0.02
COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Accents removed, typographic apostrophes made plain (lengths kept for Latin text): how
    the keyword index, the glossary and the evaluation compare words."""
    text = text.replace("’", "'").replace("‘", "'")
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def decode(data: bytes, path: Path) -> str:
    """Decode text bytes: UTF-16 with BOM, UTF-8 (BOM optional), else Windows-1252 or Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise LoadError(path, "starts like UTF-16 text but is not valid UTF-16") from None
    if b"\x00" in data:
        raise LoadError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def check_prose(text: str, path: Path) -> None:
    """Refuse text whose share of control or unprintable characters betrays bytes that are not text."""
    bad = len(UNPRINTABLE.findall(text))
    if bad > MAX_UNPRINTABLE * len(text):
        raise LoadError(path, f"does not read as text ({bad * 100 // len(text)}% control or unprintable "
                              "characters); save it as UTF-8 text or give the original document")
