"""The local image cache: WADO-RS retrieval, LRU eviction within a size bound, prefetch."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pydicom
import pytest

from archive.cache import FetchCancelled, ImageCache, Prefetcher
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveRejected


def _client(server) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(server.dicomweb_url, server.user, server.password))


def test_fetch_study_retrieves_every_instance_intact(orthanc, orthanc_ct, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    study_uid, files = next((u, f) for u, f in orthanc_ct.items() if len(f) == 12)
    seen: list[float] = []
    folder = cache.fetch_study(_client(orthanc), study_uid, progress=seen.append)
    got = sorted(folder.rglob("*.dcm"))
    assert len(got) == 12 and cache.has_study(study_uid)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    originals = {pydicom.dcmread(f).SOPInstanceUID: f for f in files}
    for path in got:
        ds = pydicom.dcmread(path)
        assert (ds.pixel_array == pydicom.dcmread(originals[ds.SOPInstanceUID]).pixel_array).all()
    # A second fetch is served from disk.
    assert cache.fetch_study(_client(orthanc), study_uid) == folder


def test_lru_eviction_keeps_the_cache_within_bounds(orthanc, orthanc_ct, tmp_path: Path) -> None:
    client = _client(orthanc)
    small, large = sorted(orthanc_ct, key=lambda u: len(orthanc_ct[u]))
    cache = ImageCache(tmp_path / "cache", max_bytes=10**12)
    cache.fetch_study(client, small)
    cache.fetch_study(client, large)
    old = time.time() - 100
    os.utime(cache.study_dir(small) / ".complete", (old, old))  # used long ago
    cache.max_bytes = cache.size() - 1
    assert cache.evict() == [small]
    assert not cache.study_dir(small).exists() and cache.has_study(large)
    cache.max_bytes = 0
    assert cache.evict(keep=[large]) == []  # a study in use is never evicted


def test_cancel_keeps_partial_download_and_resumes(orthanc, orthanc_ct, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    study_uid = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    cancel = threading.Event()

    def stop_after_some(fraction: float) -> None:
        if fraction >= 0.2:
            cancel.set()

    with pytest.raises(FetchCancelled):
        cache.fetch_study(_client(orthanc), study_uid, progress=stop_after_some, cancel=cancel,
                          workers=1)
    partial = len(list(cache.study_dir(study_uid).rglob("*.dcm")))
    assert 0 < partial < 20 and not cache.has_study(study_uid)
    state = cache.study_state(study_uid)  # what the worklist shows
    assert (state.state, state.cached, state.expected, state.partial) == (
        "partial", partial, 20, True)
    cache.fetch_study(_client(orthanc), study_uid)  # resumes
    assert len(list(cache.study_dir(study_uid).rglob("*.dcm"))) == 20
    assert cache.study_state(study_uid).state == "complete"
    assert cache.study_state("1.2.3.4").state == "absent"
    # A partial download left behind counts against the bound and is evicted like the rest.
    cache.max_bytes = 0
    assert cache.evict() == [study_uid]
    cache.max_bytes = 10**12
    cancel.clear()
    with pytest.raises(FetchCancelled):
        cache.fetch_study(_client(orthanc), study_uid, progress=stop_after_some, cancel=cancel,
                          workers=1)
    assert cache.evict() == []
    cache.max_bytes = 0
    assert cache.evict() == [study_uid] and not cache.study_dir(study_uid).exists()


def test_prefetch_fetches_the_next_studies(orthanc, orthanc_ct, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    prefetcher = Prefetcher(cache, _client(orthanc))
    try:
        prefetcher.prefetch(list(orthanc_ct))
        assert prefetcher.wait_idle(120)
    finally:
        prefetcher.stop()
    assert all(cache.has_study(u) for u in orthanc_ct)


def test_unknown_study_is_an_error_not_an_empty_cache_entry(orthanc, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    with pytest.raises(ArchiveRejected, match="no images"):
        cache.fetch_study(_client(orthanc), "1.2.3.999")
    assert not cache.has_study("1.2.3.999")


def test_uids_from_the_archive_cannot_escape_the_cache(tmp_path: Path) -> None:
    with pytest.raises(ArchiveRejected):
        ImageCache(tmp_path).study_dir("../../etc")


def test_a_paused_prefetch_stops_mid_study_and_resumes_without_fetching_twice(
        orthanc, orthanc_ct, link_proxy, tmp_path: Path) -> None:
    """While the reader's own study is fetched the prefetch holds: the study under way stops
    at its next instance and, resumed, only the rest is fetched. Its threads run niced."""
    proxy = link_proxy(("127.0.0.1", orthanc.http_port), delay_s=0.05)
    client = DicomWebClient(ArchiveConfig(url=f"http://127.0.0.1:{proxy.port}/dicom-web",
                                          user=orthanc.auth[0], password=orthanc.auth[1],
                                          parallel=1))
    fetched: list[str] = []
    retrieve = client.retrieve_instance

    def counting(study_uid, series_uid, sop_uid):
        fetched.append(sop_uid)
        return retrieve(study_uid, series_uid, sop_uid)

    client.retrieve_instance = counting
    study_uid, files = next((u, f) for u, f in orthanc_ct.items() if len(f) == 20)
    cache = ImageCache(tmp_path / "cache")
    prefetcher = Prefetcher(cache, client)
    try:
        prefetcher.prefetch([study_uid])
        deadline = time.monotonic() + 60
        while len(fetched) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        if sys.platform == "linux":  # a thread's own nice value
            assert os.getpriority(os.PRIO_PROCESS, prefetcher._thread.native_id) >= 10
        prefetcher.pause()
        time.sleep(1.0)  # the requests under way finish
        held = len(fetched)
        time.sleep(1.5)
        assert len(fetched) == held < len(files), "fetching went on while paused"
        assert not cache.has_study(study_uid) and prefetcher.paused
        prefetcher.resume()
        assert prefetcher.wait_idle(120)
    finally:
        prefetcher.stop()
    assert cache.has_study(study_uid)
    assert sorted(fetched) == sorted(set(fetched)) and len(fetched) == len(files)
