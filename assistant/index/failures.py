"""Storage failures as one line with the fix: a full disk, damaged Chroma files, a server gone."""

from __future__ import annotations

import errno
import shutil
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

from assistant.errors import IndexNotReadyError

DISK_FULL = ("database or disk is full", "no space left on device")
LOW_SPACE = 8 * 2**20
DAMAGED = ("file is not a database", "database disk image is malformed", "(code: 26)", "(code: 11)")


def disk_full(exc: BaseException, folder: Path | None = None) -> bool:
    """ENOSPC, raised by Python or reported by SQLite; or any failure with ``folder``'s disk (nearly) full.

    Chroma may report a full disk only as a failed compaction, hence the look at free space.
    """
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or _says(exc, DISK_FULL):
        return True
    try:
        return folder is not None and shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def damaged(exc: BaseException) -> bool:
    """Chroma's SQLite file is not a database any more."""
    return _says(exc, DAMAGED)


def damaged_file(database: Path) -> bool:
    """SQLite itself finds ``database`` damaged (checked without Chroma, which caches a failed open)."""
    import sqlite3

    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            return connection.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True


def unreachable(exc: BaseException) -> bool:
    """The server refused, dropped or never answered the connection."""
    import httpx

    return isinstance(exc, (httpx.TransportError, ConnectionError))


def _says(exc: BaseException, phrases: tuple[str, ...]) -> bool:
    text = str(exc).lower()
    return any(phrase in text for phrase in phrases)


def server_gone(where: str, exc: BaseException) -> IndexNotReadyError:
    return IndexNotReadyError(f"cannot reach the Chroma server at {where} ({type(exc).__name__}); "
                              "start it (chroma run --path DIR --port N) or unset CHROMA_HOST")


@contextmanager
def server_calls(where: str) -> Iterator[None]:
    """Turn a lost connection to the Chroma server into one clear line."""
    try:
        yield
    except Exception as exc:
        if unreachable(exc):
            raise server_gone(where, exc) from None
        raise
