"""Fault tests: every object ends up in the archive exactly once and nothing is lost locally.

- the archive is stopped in the middle of a drain and comes back;
- the connection is cut in the middle of an upload, and a response is lost after the archive
  stored the objects (a small loopback TCP proxy);
- the sync process is killed with SIGKILL mid-drain and started again.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pydicom
import pytest

from archive.dicomweb import DicomWebClient
from records import JobState, Store, open_store
from tests.records.conftest import PROJECT_ROOT, client_for, engine_for
from tests.records.tcp_proxy import CuttingProxy


class SpyClient(DicomWebClient):
    """The real client, remembering which objects each successful STOW-RS carried."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.delivered: collections.Counter[str] = collections.Counter()

    def store(self, objects):
        objects = list(objects)
        result = super().store(objects)
        self.delivered.update(result.stored)
        return result


def _fill(store: Store, n: int) -> set[str]:
    study = pydicom.uid.generate_uid()
    store.upsert_study(study, patient_id="FAULT-1", patient_name="Fault^Test")
    return {store.save_report(study, author="Reader A", text=f"report {i}",
                              fields={"grade": f"CT-{i % 5}"}, status="final").sop_instance_uid
            for i in range(n)}


def _drain_all(engine, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine.drain()
        counts = engine.store.outbox_counts()
        if counts["pending"] == counts["in_progress"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"outbox did not drain: {engine.store.outbox_counts()}")


def _assert_exactly_once(server, store: Store, expected: set[str]) -> None:
    in_archive = server.sop_instance_uids()
    assert sorted(in_archive) == sorted(expected)  # each once, none missing, none extra
    stores = server.store_counts()  # every arrival, a resend overwriting a copy included
    assert set(stores) == expected and max(stores.values()) == 1
    counts = store.outbox_counts()
    assert counts["done"] == len(expected) and counts["pending"] == counts["failed"] == 0
    with store.session() as s:  # nothing lost locally
        from sqlalchemy import func, select

        from records.models import ReportVersion
        assert s.scalar(select(func.count()).select_from(ReportVersion)) == len(expected)


def test_archive_stopped_mid_drain(store: Store, orthanc_factory) -> None:
    server = orthanc_factory()
    expected = _fill(store, 120)
    client = SpyClient(client_for(server).config)
    engine = engine_for(store, client, batch_size=5)

    def stop_archive_midway(fraction: float) -> None:
        if fraction >= 0.25 and server.proc.poll() is None:
            server.stop()  # a batch may be in flight right now

    first = engine.drain(progress=stop_archive_midway)
    counts = store.outbox_counts()
    assert 0 < counts["done"] < 120 and counts["pending"] > 0 and first.retried > 0
    server.start()
    _drain_all(engine)
    _assert_exactly_once(server, store, expected)
    assert max(client.delivered.values()) == 1  # no object was stored twice


@pytest.mark.parametrize("fault", ["cut_upload", "lost_response"])
def test_connection_cut_mid_upload(store: Store, orthanc_factory, fault: str) -> None:
    server = orthanc_factory()
    proxy = CuttingProxy(server.http_port)
    try:
        expected = _fill(store, 40)
        client = SpyClient(client_for(server, f"http://127.0.0.1:{proxy.port}/dicom-web").config)
        if fault == "cut_upload":
            proxy.cut_upload_after(20_000)  # inside the first STOW-RS body
        else:
            proxy.cut_response()
        engine = engine_for(store, client, batch_size=20)
        first = engine.drain()
        assert proxy.cuts == 1
        if fault == "cut_upload":  # the first batch never arrived: it waits for a retry
            assert first.retried == 20 and first.done == 20
        else:  # the archive stored the first batch; asking it shows that, nothing is resent
            assert (first.retried, first.done, first.sent) == (0, 40, 20)
        _drain_all(engine)
        _assert_exactly_once(server, store, expected)
        assert max(client.delivered.values()) == 1
    finally:
        proxy.close()


def test_lost_response_then_link_down_next_drain_asks_before_resending(
        store: Store, orthanc_factory) -> None:
    """The archive stored a batch, its answer was lost and the link stayed down, so the sync
    could not ask then: the next drain asks the archive first and resends nothing."""
    server = orthanc_factory()
    proxy = CuttingProxy(server.http_port)
    try:
        expected = _fill(store, 20)
        client = SpyClient(client_for(server, f"http://127.0.0.1:{proxy.port}/dicom-web").config)
        engine = engine_for(store, client, batch_size=20)
        proxy.cut_response(then_dark=True)
        first = engine.drain()
        assert proxy.cuts == 1 and (first.done, first.retried, first.sent) == (0, 20, 0)
        assert sorted(server.sop_instance_uids()) == sorted(expected)  # stored, unconfirmed
        proxy.heal()
        time.sleep(0.1)  # past the (test) backoff
        second = engine.drain()
        assert (second.done, second.sent, second.already_there) == (20, 0, 20)
        _assert_exactly_once(server, store, expected)
        assert not client.delivered  # no STOW-RS of this station ever succeeded twice, or once
    finally:
        proxy.close()


def test_sync_process_killed_mid_drain_and_restarted(orthanc_factory, tmp_path: Path) -> None:
    server = orthanc_factory()
    home = tmp_path / "home"
    store = open_store(home / "records.sqlite3")
    expected = _fill(store, 200)
    env = {**os.environ, "LUCH_HOME": str(home), "LUCH_ARCHIVE_URL": server.dicomweb_url,
           "LUCH_ARCHIVE_USER": server.user, "LUCH_ARCHIVE_PASSWORD": server.password}
    cmd = [sys.executable, str(PROJECT_ROOT / "main.py"), "sync", "--once", "--batch", "5"]
    proc = subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while len(server.instances()) < 10 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    counts = store.outbox_counts()
    assert counts["done"] < 200  # killed mid-drain, leases of the dead process left behind
    again = subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    _assert_exactly_once(server, store, expected)
    assert all(j.state is JobState.DONE for j in store.jobs())
    store.close()
