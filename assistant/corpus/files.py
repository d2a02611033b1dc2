"""Open document files safely: regular files inside their folder, read with a bound.

Without ``follow_links``, a file is read only when no part of its path below its folder
is a symbolic link, so nothing outside the folder (``knowledge/``, a folder named on the
command line) can be reached through the folder's content. FIFOs, devices and folders
are refused by name before any read can block, and a file is read only up to the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistant.errors import LoadError

MAX_BYTES = 20 * 1024 * 1024
BLOCK = 1024 * 1024
FOLLOW_HINT = "pass --follow-links to index what it points to"
NOT_REGULAR = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device",
               stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def read_document(path: Path, root: Path | None = None, follow_links: bool = False,
                  max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` (at most ``max_bytes``); ``LoadError`` naming the file and the reason."""
    check_place(path, root, follow_links)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise LoadError(path, f"cannot be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb", buffering=0) as file:
        _check_regular(path, os.fstat(fd))  # the file may have changed since it was checked
        return _read_bounded(path, file, max_bytes)


def check_place(path: Path, root: Path | None, follow_links: bool) -> None:
    """Refuse a missing file, a link (unless followed), a path leaving ``root``, a non-regular file."""
    try:
        info = os.stat(path) if follow_links else os.lstat(path)
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise LoadError(path, f"is a symbolic link (to {os.readlink(path)}); {FOLLOW_HINT}")
    if root is not None and not follow_links:
        _check_inside(path, root)
    _check_regular(path, info)


def _check_inside(path: Path, root: Path) -> None:
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        raise LoadError(path, f"is outside {root}")
    expected = os.path.join(os.path.realpath(root), relative)
    if os.path.realpath(path) != expected:
        raise LoadError(path, f"is reached through a symbolic link (it leads to {os.path.realpath(path)}); "
                              f"{FOLLOW_HINT}")


def _check_regular(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        what = NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise LoadError(path, f"is {what}, not a document file")


def _read_bounded(path: Path, file, max_bytes: int) -> bytes:  # type: ignore[no-untyped-def]
    size = os.fstat(file.fileno()).st_size
    if size > max_bytes:
        raise LoadError(path, f"too large ({size // 2**20} MB; the limit is {max_bytes // 2**20} MB)")
    blocks, total = [], 0
    while block := file.read(BLOCK):
        total += len(block)
        if total > max_bytes:  # it grew while being read
            raise LoadError(path, f"too large (over {max_bytes // 2**20} MB while reading it)")
        blocks.append(block)
    return b"".join(blocks)


def find_files(folder: Path, suffixes: tuple[str, ...], follow_links: bool = False,
               ) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files under ``folder`` with one of ``suffixes``, and (path, reason) for links not followed."""
    found: list[Path] = []
    refused: list[tuple[str, str]] = []
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=follow_links):
        real = os.path.realpath(top)
        if real in seen:  # a link loop, or a folder reached twice through links
            dirs[:] = []
            continue
        seen.add(real)
        for name in sorted(dirs):
            if not follow_links and os.path.islink(os.path.join(top, name)):
                refused.append((os.path.join(top, name), f"is a symbolic link to a folder; {FOLLOW_HINT}"))
        found += [Path(top) / name for name in names if Path(name).suffix.lower() in suffixes]
    return sorted(found), refused
