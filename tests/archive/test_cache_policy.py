"""Cache status, wipe and the size/age prune, on a cache filled with real CT slices."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pydicom
import pytest

from archive.cache import ImageCache
from archive.cache_policy import CacheLimits, cache_status, prune, uid_hash, wipe
from core.settings import Policy, Settings


def cache_study(cache: ImageCache, files: list[Path], expected: int | None = None,
                complete: bool = True, used: float | None = None) -> str:
    """Put real DICOM files into the cache's layout, as a fetch leaves them."""
    head = pydicom.dcmread(files[0], stop_before_pixels=True)
    uid = str(head.StudyInstanceUID)
    for f in files:
        ds = pydicom.dcmread(f, stop_before_pixels=True)
        target = cache.instance_path(uid, str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    cache.note_expected(uid, expected or len(files))
    if complete:
        (cache.study_dir(uid) / ".complete").touch()
    if used is not None:
        marker = cache.study_dir(uid) / (".complete" if complete else "")
        os.utime(marker, (used, used))
    return uid


@pytest.fixture
def three(shared_data: Path, tmp_path: Path):
    """A cache of three real studies: A used 10 days ago, B 2 days ago, C partly cached."""
    ct = shared_data / "ct"
    cache = ImageCache(tmp_path / "images")
    now = time.time()
    a = cache_study(cache, sorted((ct / "lidc-idri-0001").glob("*.dcm"))[:6], used=now - 10 * 86400)
    b = cache_study(cache, sorted((ct / "lidc-idri-0003").glob("*.dcm"))[:4], used=now - 2 * 86400)
    c = cache_study(cache, sorted((ct / "popi-philips-phase00").glob("*.dcm"))[:5], expected=20,
                    complete=False, used=now - 3600)
    return cache, a, b, c, now


def test_status_counts_studies_images_size_age_and_partial(three) -> None:
    cache, a, b, c, now = three
    status = cache_status(cache, now=now)
    files = list(cache.root.rglob("*.dcm"))
    assert (status.studies, status.complete, status.images) == (3, 2, 15)
    assert status.bytes == sum(f.stat().st_size for f in files) > 0
    assert status.oldest_age_days == pytest.approx(10, abs=0.01)
    assert [(p.study, p.cached, p.expected) for p in status.partial] == [(uid_hash(c), 5, 20)]
    text = json.dumps(status.as_dict())
    assert not any(uid in text for uid in (a, b, c))  # hashes, not UIDs


def test_wipe_removes_images_only_and_keeps_what_is_kept(three, tmp_path: Path) -> None:
    cache, _, b, _, _ = three
    beside = tmp_path / "drafts.json"  # something else under the same home survives
    beside.write_text("{}")
    size_b = sum(f.stat().st_size for f in cache.study_dir(b).rglob("*.dcm"))
    total = cache.size()
    freed = wipe(cache, keep={b})
    assert (freed.studies, freed.images, freed.bytes) == (2, 11, total - size_b)
    assert cache.studies() == [b] and cache.size() == size_b
    assert beside.exists() and cache.root.is_dir()
    assert wipe(cache).studies == 1 and cache.studies() == []


def test_prune_by_age_removes_only_studies_unused_past_the_limit(three) -> None:
    cache, a, b, c, now = three
    limits = CacheLimits(max_bytes=0, max_age_s=5 * 86400)
    assert prune(cache, limits, keep=(), now=now) == [a]
    assert sorted(cache.studies()) == sorted([b, c])
    assert prune(cache, CacheLimits(0, 0), now=now + 100 * 86400) == []  # 0: no limit


def test_prune_by_size_goes_lru_complete_first_and_spares_kept(three) -> None:
    cache, a, b, c, now = three

    def size(uid: str) -> int:
        return sum(f.stat().st_size for f in cache.study_dir(uid).rglob("*.dcm"))

    size_a, size_c = size(a), size(c)
    # Room for A and C: B goes, though A is older, because A is kept (open, unsent work).
    limits = CacheLimits(max_bytes=size_a + size_c + 1, max_age_s=0)
    assert prune(cache, CacheLimits(max_bytes=1, max_age_s=0), keep={a, b, c}, now=now) == []
    assert prune(cache, limits, keep={a}, now=now) == [b]
    assert sorted(cache.studies()) == sorted([a, c])
    # Room for C only: the complete study A goes before the partly cached C.
    assert prune(cache, CacheLimits(max_bytes=size_c + 1, max_age_s=0), now=now) == [a]
    assert cache.studies() == [c]
    assert prune(cache, CacheLimits(max_bytes=1, max_age_s=0), now=now) == [c]
    assert cache.size() == 0


def test_limits_from_settings_and_bad_values(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json", Policy())
    assert CacheLimits.from_settings(settings) == CacheLimits(0, 0)
    settings.set("cache.max_gb", 1.5)
    settings.set("cache.max_age_days", 30)
    assert CacheLimits.from_settings(settings) == CacheLimits(int(1.5 * 1024**3), 30 * 86400)
    settings.set("cache.max_gb", "lots")
    settings.set("cache.max_age_days", -1)
    assert CacheLimits.from_settings(settings) == CacheLimits(0, 0)


def test_a_study_being_fetched_is_never_removed(three) -> None:
    cache, a, _, _, now = three
    with cache._lock(a):  # fetch_study holds it for the whole fetch
        assert wipe(cache).studies == 2 and cache.studies() == [a]
        assert prune(cache, CacheLimits(max_bytes=1, max_age_s=1), now=now) == []
        assert cache.has_study(a)
    assert prune(cache, CacheLimits(max_bytes=1, max_age_s=0), now=now) == [a]


def test_pinned_studies_survive_eviction_and_prune(three) -> None:
    cache, a, b, c, now = three
    cache.pinned = lambda: {a}  # the app pins the open study and those with unsent work
    cache.max_bytes = 0
    with cache._lock(b):  # being fetched
        assert cache.evict() == [c]
    assert sorted(cache.studies()) == sorted([a, b])
    assert prune(cache, CacheLimits(max_bytes=1, max_age_s=1), now=now) == [b]
    assert cache.studies() == [a]
