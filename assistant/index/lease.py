"""The writer lease (server mode): one ingest at a time across machines sharing a server.

Writers on different machines share only the Chroma server, so the file lock of one data
directory cannot keep them apart. Each writer writes a record ``lease:<holder>`` in the
state collection, naming the version it builds and when the lease ends, then lists the
leases: it goes on only if no other lease is live, else it withdraws its record, waits a
random moment and tries again (of two writers starting together, at least one sees the
other). The holder renews its lease while it works; clean-up never deletes a version
that a live lease names. A lease ends with its writer: a writer killed on this machine is
noticed at once (its process is gone), one on another machine when its lease runs out.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import socket
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from assistant.errors import AssistantError
from assistant.index import vectors

PREFIX = "lease:"
TTL = 60.0  # seconds a lease lasts unless renewed; assumes the machines' clocks agree within seconds
RENEW = 10.0


@dataclass(frozen=True)
class Lease:
    holder: str
    place: str  # this machine and process namespace: where ``pid`` means something
    host: str
    pid: int
    version: str
    expires: float

    def live(self) -> bool:
        if self.expires < time.time():
            return False
        return self.place != here() or _running(self.pid)


@contextmanager
def holding(client, version: str) -> Iterator[Lease]:  # type: ignore[no-untyped-def]
    """Hold the lease for building ``version`` (waiting for another writer), renewed until the end."""
    lease = acquire(client, version)
    stop = threading.Event()
    keeper = threading.Thread(target=_keep, args=(client, lease, stop), daemon=True)
    keeper.start()
    try:
        yield lease
    finally:
        stop.set()
        keeper.join(timeout=5)
        _withdraw(client, lease)


def acquire(client, version: str) -> Lease:  # type: ignore[no-untyped-def]
    """Write our lease; go on once no other live lease exists."""
    lease = Lease(holder=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}", place=here(),
                  host=socket.gethostname(), pid=os.getpid(), version=version, expires=0.0)
    told = False
    while True:
        lease = _write(client, lease)
        others = [other for other in leases(client) if other.holder != lease.holder]
        live = [other for other in others if other.live()]
        for dead in set(others) - set(live):
            _withdraw(client, dead)
        if not live:
            return lease
        _withdraw(client, lease)
        if not told:
            print(f"waiting: an ingest is already running on {live[0].host} (pid {live[0].pid})", file=sys.stderr)
            told = True
        time.sleep(random.uniform(0.3, 1.5))


def confirm(client, lease: Lease) -> None:  # type: ignore[no-untyped-def]
    """Before switching: our lease must still be ours (another writer may have found it expired)."""
    if not any(other.holder == lease.holder for other in leases(client)):
        raise AssistantError("this ingest lost its writer lease (was it paused for over a minute?); "
                             "the index in use is unchanged; run assistant ingest again")
    _write(client, lease)


def protected(client, holder: str | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    """Versions named by live leases other than ``holder``'s: never to be deleted."""
    return {lease.version for lease in leases(client) if lease.holder != holder and lease.live()}


def leases(client) -> list[Lease]:  # type: ignore[no-untyped-def]
    found = []
    for text in vectors.read_records(client, PREFIX).values():
        try:
            found.append(Lease(**json.loads(text)))
        except (ValueError, TypeError):
            continue  # not a lease we wrote: ignore it
    return found


def _write(client, lease: Lease) -> Lease:  # type: ignore[no-untyped-def]
    lease = replace(lease, expires=time.time() + TTL)
    vectors.write_record(client, PREFIX + lease.holder, json.dumps(asdict(lease)))
    return lease


def _withdraw(client, lease: Lease) -> None:  # type: ignore[no-untyped-def]
    try:
        vectors.delete_record(client, PREFIX + lease.holder)
    except AssistantError:
        pass  # the server is gone: the lease runs out by itself


def _keep(client, lease: Lease, stop: threading.Event) -> None:  # type: ignore[no-untyped-def]
    while not stop.wait(RENEW):
        try:
            _write(client, lease)
        except Exception:  # the server may blink; the writer itself reports a lasting failure
            continue


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@lru_cache(maxsize=1)
def here() -> str:
    """This machine (host name, boot) and process namespace, as a short token."""
    parts = [socket.gethostname()]
    for source in ("/proc/sys/kernel/random/boot_id",):
        try:
            parts.append(Path(source).read_text().strip())
        except OSError:
            pass
    try:
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    except OSError:
        pass
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
