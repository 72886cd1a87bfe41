"""The app applies the cache limits at start, off the UI thread: an old study goes, one with
unsent work stays."""

from __future__ import annotations

import time
from pathlib import Path

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.cache import ImageCache
from core.settings import Settings
from records import open_store
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
