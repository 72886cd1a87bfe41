"""The app applies the cache limits at start and after a fetch, off the UI thread: an old
study goes; one with unsent work, or open, stays."""

from __future__ import annotations

import time
from pathlib import Path

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from core.settings import Settings
from records import open_store
from tests.app.test_workflow_archive import make_station
from tests.archive.test_cache_policy import cache_study


def test_start_prunes_old_studies_but_not_unsent_ones(qtbot, luch_home: Path,
                                                      shared_data: Path) -> None:
    ct, old = shared_data / "ct", time.time() - 40 * 86400
    cache = ImageCache()
    stale = cache_study(cache, sorted((ct / "lidc-idri-0001").glob("*.dcm"))[:2], used=old)
    unsent = cache_study(cache, sorted((ct / "lidc-idri-0003").glob("*.dcm"))[:2], used=old)
    fresh = cache_study(cache, sorted((ct / "popi-philips-phase00").glob("*.dcm"))[:2])
    store = open_store()
    store.enqueue("report", 7, unsent)
    settings = Settings()
    settings.set("ai.autorun", False)
    settings.set("cache.max_age_days", 30)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, store, reader="dr.cache")
    task = workflow.worklist_flow._prune_task
    assert task is not None  # started with the app, on the thread pool
    qtbot.waitUntil(task.done.is_set, timeout=30_000)
    assert sorted(cache.studies()) == sorted([unsent, fresh])
    assert stale not in cache.studies()


def test_a_fetch_prunes_others_but_never_the_study_opened(qtbot, luch_home: Path, orthanc,
                                                          orthanc_ct, shared_data: Path) -> None:
    cache = ImageCache()
    stale = cache_study(cache, sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:2])
    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: set(orthanc_ct) <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    assert stale in cache.studies()  # no limits set at start: nothing went
    Settings().set("cache.max_gb", 1e-6)  # about 1 KB: every study over it
    first = workflow.worklist.visible_study_uids()[0]
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        workflow.open_study(first)
    qtbot.waitUntil(lambda: stale not in cache.studies(), timeout=30_000)
    assert cache.has_study(first)  # open: pinned
