"""Server mode: writers on several machines take turns and never delete each other's unfinished version."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from assistant.index import lease, vectors
from assistant.index.ingest import ingest
from assistant.index.store import IndexStore
from assistant.settings import ChromaServer, Settings
from tests.reliability.conftest import write_rules

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(tmp_path: Path, own_chroma: ChromaServer) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=write_rules(tmp_path / "knowledge", sections=5),
                    chroma_host=own_chroma.host, chroma_port=own_chroma.port)


def other_machine_builds(store: IndexStore, version: str, seconds: float, pid: int = 4242) -> None:
    """What a writer on another machine leaves on the server while it works: a collection and its lease."""
    vectors.VectorCollection(store.client, version, create=True).add(
        ["x:en:0000"], np.ones((1, 384), dtype=np.float32), ["x:en"], ["{}"])
    record = lease.Lease(holder=f"elsewhere:{pid}:abcd", place="elsewhere", host="elsewhere", pid=pid,
                         version=version, expires=time.time() + seconds)
    vectors.write_record(store.client, lease.PREFIX + record.holder, json.dumps(asdict(record)))


def test_clean_up_never_deletes_a_version_another_machine_is_building(settings: Settings) -> None:
    ingest(settings, rebuild=True, progress=False)
    store = IndexStore.for_settings(settings)
    other_machine_builds(store, "20990101-000000-000001", seconds=60)
    store.clean_up(keep=set())  # whatever this writer keeps, a live lease's version stays
    assert "20990101-000000-000001" in vectors.versions(store.client)
    vectors.delete_record(store.client, lease.PREFIX + "elsewhere:4242:abcd")
    store.clean_up(keep=set())
    assert "20990101-000000-000001" not in vectors.versions(store.client)


def test_an_ingest_waits_for_another_machines_lease_then_clears_what_it_left(
        settings: Settings, capfd: pytest.CaptureFixture[str]) -> None:
    ingest(settings, rebuild=True, progress=False)
    store = IndexStore.for_settings(settings)
    other_machine_builds(store, "20990101-000000-000002", seconds=3)  # then it dies without a word
    started = time.monotonic()
    report = ingest(settings, progress=False)
    assert time.monotonic() - started >= 2.5  # it waited for the lease to run out
    assert "waiting: an ingest is already running on elsewhere (pid 4242)" in capfd.readouterr().err
    state = store.state()
    assert state is not None and state.version == report.version
    assert set(vectors.versions(store.client)) == state.in_use()  # the dead writer's version is gone
    assert vectors.read_records(store.client, lease.PREFIX) == {}


def test_a_writer_that_lost_its_lease_does_not_switch(settings: Settings) -> None:
    ingest(settings, rebuild=True, progress=False)
    store = IndexStore.for_settings(settings)
    before = store.state()
    with store.writer_lock("20990101-000000-000003"):
        vectors.delete_record(store.client, lease.PREFIX + store._lease.holder)  # type: ignore[union-attr]
        with pytest.raises(Exception, match="lost its writer lease"):
            store.activate(before.__class__(version="20990101-000000-000003", embedding="e5"))
    assert store.state() == before
