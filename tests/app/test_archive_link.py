"""The archive link's background sync (app.reading.archive_link)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

import records.sync
from app.reading.archive_link import ArchiveLink
from records import open_store


def test_a_sync_asked_while_one_runs_runs_once_more_after_it(qtbot, luch_home: Path,
                                                             monkeypatch) -> None:
    """A job queued during a drain (the request right after the signing's sync) is sent by
    one more drain, not left to the next sync someone asks for; asked twice, still once."""
    drains: list[int] = []
    release = threading.Event()

    class Engine:
        def __init__(self, store, archive) -> None:
            pass

        def drain(self, progress=None, cancel=None) -> None:
            drains.append(1)
            release.wait(10)

    monkeypatch.setattr(records.sync, "SyncEngine", Engine)
    window = QMainWindow()
    qtbot.addWidget(window)
    store = open_store()
    link = ArchiveLink(window, store, archive=object())
    assert link.sync() is not None
    qtbot.waitUntil(lambda: drains == [1], timeout=10_000)
    assert link.sync() is None and link.sync() is None  # while it runs
    release.set()
    qtbot.waitUntil(lambda: len(drains) == 2 and link._sync_task is None, timeout=10_000)
    qtbot.wait(300)
    assert len(drains) == 2 and link.reachable is True
    store.close()
