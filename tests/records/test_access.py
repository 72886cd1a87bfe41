"""Opening archive studies: WADO-RS into the cache, audited; prefetch of the next ones."""

from __future__ import annotations

from pathlib import Path

from archive.cache import ImageCache, Prefetcher
from records import Store
from records.access import open_archive_study, prefetch_next
from records.worklist import WorklistItem
from tests.records.conftest import client_for


def test_open_is_audited_and_next_studies_prefetched(store: Store, orthanc, orthanc_ct,
                                                     tmp_path: Path) -> None:
    client = client_for(orthanc)
    cache = ImageCache(tmp_path / "cache")
    first, second = sorted(orthanc_ct)
    folder = open_archive_study(store, cache, client, first, actor="dr A")
    assert len(list(folder.rglob("*.dcm"))) >= len(orthanc_ct[first])
    open_archive_study(store, cache, client, first, actor="dr B")
    events = [(e.actor, e.action, e.detail["source"]) for e in store.audit_events(first)]
    assert events == [("dr A", "opened", "archive"), ("dr B", "opened", "cache")]

    worklist = [WorklistItem(u, "", "", "", "", "routine", None) for u in (first, second)]
    prefetcher = Prefetcher(cache, client)
    try:
        assert prefetch_next(prefetcher, worklist, current=first) == [second]
        assert prefetcher.wait_idle(120)
    finally:
        prefetcher.stop()
    assert cache.has_study(second)
