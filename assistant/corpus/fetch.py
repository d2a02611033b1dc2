"""Download one URL safely: timeouts, retries with back-off, and an atomic write.

The body goes to a hidden temporary file next to the target and is renamed into place
only when it is complete (every announced byte, a PDF's end-of-file marker), so an
interrupted transfer never leaves a partial document where ingest would read it.
Only failures that a later attempt can cure (time-outs, resets, 5xx, cut transfers)
are retried; "no network", 404 or an unreadable type fail at once.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assistant.corpus.files import MAX_BYTES
from assistant.errors import AssistantError

USER_AGENT = "assistant-sync/0.1 (UNTOC COP knowledge base)"
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
CONTENT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf"}
URL_SUFFIXES = {".html": ".html", ".htm": ".html", ".pdf": ".pdf"}
NO_NETWORK = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})


class FetchError(AssistantError):
    """A download failed for good; ``reason`` is one line a user can act on."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class _Transient(Exception):
    """A failure worth another attempt."""


@dataclass(frozen=True)
class FetchPolicy:
    """How patient a download is; the defaults suit the UN and UNODC sites."""

    timeout: float = 30.0  # seconds for the connection and for each read
    attempts: int = 4
    backoff: float = 1.0  # pause after the first failed attempt; doubles each time
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Fetched:
    path: Path
    sha256: str
    size: int
    content_type: str


def fetch(url: str, stem: Path, policy: FetchPolicy = FetchPolicy()) -> Fetched:
    """Download ``url`` to ``stem`` + ``.html`` or ``.pdf``; raise ``FetchError`` naming the reason."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(url, "only http and https addresses can be fetched; fix the url in the manifest")
    for attempt in range(1, policy.attempts + 1):
        try:
            return _attempt(url, stem, policy)
        except _Transient as exc:
            if attempt == policy.attempts:
                tries = f"{attempt} attempts" if attempt > 1 else "1 attempt"
                raise FetchError(url, f"{exc} (gave up after {tries})") from None
            time.sleep(policy.backoff * 2 ** (attempt - 1))
    raise FetchError(url, "no attempt made (attempts must be at least 1)")


def _attempt(url: str, stem: Path, policy: FetchPolicy) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=policy.timeout)
    except urllib.error.HTTPError as exc:
        status = f"the server answered HTTP {exc.code} {exc.reason}"
        raise (_Transient(status) if exc.code in RETRY_STATUSES else FetchError(url, status)) from None
    except urllib.error.URLError as exc:
        raise _connection_failure(url, exc.reason) from None
    except (OSError, http.client.HTTPException) as exc:
        raise _connection_failure(url, exc) from None
    with response:
        content_type = response.headers.get_content_type()
        length = response.headers.get("Content-Length", "")
        return _save(url, response, stem, content_type, int(length) if length.isdigit() else None, policy)


def _connection_failure(url: str, reason: object) -> Exception:
    """Time-outs and resets are retried; no network, no DNS or a bad certificate are not."""
    if isinstance(reason, socket.gaierror):
        return FetchError(url, f"cannot resolve the host name (no network or no DNS?): {reason}")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return FetchError(url, f"the server's certificate was refused: {reason.verify_message}")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Transient("no answer within the time-out")
    if isinstance(reason, (ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError,
                           http.client.HTTPException)):
        return _Transient(f"the connection failed ({reason or type(reason).__name__})")
    if isinstance(reason, OSError) and reason.errno in NO_NETWORK:
        return FetchError(url, f"no network ({reason.strerror})")
    return FetchError(url, f"cannot connect ({reason})")


def _save(url: str, body: BinaryIO, stem: Path, content_type: str, length: int | None,
          policy: FetchPolicy) -> Fetched:
    fd, temp_name = tempfile.mkstemp(dir=stem.parent, prefix=f".{stem.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size = _copy(url, body, out, policy.max_bytes)
        if length is not None and size != length:
            raise _Transient(f"the transfer was cut after {size} of {length} bytes")
        suffix = _suffix(url, content_type, temp)
        target = stem.with_name(stem.name + suffix)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Fetched(path=target, sha256=digest, size=size, content_type=content_type)


def _copy(url: str, body: BinaryIO, out: BinaryIO, max_bytes: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    try:
        while block := body.read(64 * 1024):
            size += len(block)
            if size > max_bytes:
                raise FetchError(url, f"larger than {max_bytes // 2**20} MB; not a text to index")
            digest.update(block)
            out.write(block)
    except (TimeoutError, socket.timeout):
        raise _Transient(f"the transfer stalled after {size} bytes") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _Transient(f"the transfer was cut after {size} bytes ({type(exc).__name__})") from None
    if size == 0:
        raise _Transient("the server sent an empty document")
    return digest.hexdigest(), size


def _suffix(url: str, content_type: str, path: Path) -> str:
    """``.html`` or ``.pdf`` from the Content-Type, else the URL, else the first bytes."""
    with path.open("rb") as file:
        head = file.read(1024)
        file.seek(max(0, path.stat().st_size - 2048))
        tail = file.read()
    suffix = (CONTENT_TYPES.get(content_type)
              or URL_SUFFIXES.get(Path(urllib.parse.urlsplit(url).path).suffix.lower())
              or (".pdf" if b"%PDF-" in head else None)
              or (".html" if b"<html" in head.lower() or b"<!doctype html" in head.lower() else None))
    if suffix is None:
        raise FetchError(url, f"the server sent {content_type}; sync reads HTML and PDF only")
    if suffix == ".pdf" and b"%PDF-" not in head:
        raise FetchError(url, f"announced a PDF but sent something else ({content_type})")
    if suffix == ".pdf" and b"%%EOF" not in tail:
        raise _Transient("the PDF arrived incomplete (no end-of-file marker)")
    return suffix
