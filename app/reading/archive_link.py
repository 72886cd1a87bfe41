"""The archive link: draining the outbox (sync) and the status bar's archive state."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from app.panels.ai_panel import prune_dicom_outputs
from app.shell.tasks import Task
from records import Store

STATUS_POLL_MS = 5000


class ArchiveLink(QObject):
    """The archive client (None when offline), whether it answered last time, the unsent
    count in the status bar, and background sync."""

    counted = Signal()  # the outbox was counted again (after a sync, and every few seconds)

    def __init__(self, window: QMainWindow, store: Store, archive=None) -> None:
        super().__init__(window)
        self.window, self.store = window, store
        self.archive = archive  # a DicomWebClient, or None when working offline
        self.reachable: bool | None = None  # last contact with the archive: ok, failed, none
        self.online = QLabel()
        self.online.setObjectName("online-status")
        window.statusBar().addPermanentWidget(self.online)
        self._sync_task: Task | None = None
        self._sync_again = False  # sync asked while one ran
        self._timer = QTimer(window)
        self._timer.timeout.connect(self.update_status)
        self._timer.start(STATUS_POLL_MS)

    def sync(self) -> Task | None:
        """Drain the outbox to the archive in the background (no-op when offline). Asked
        while a drain runs (a request right after the signing's sync), once more after it:
        a job queued meanwhile does not wait for the next sync asked."""
        if self.archive is None:
            return None
        if self._sync_task is not None:
            self._sync_again = True
            return None
        from records.sync import SyncEngine  # deferred: loads with the first sync, not at start-up

        engine = SyncEngine(self.store, self.archive)
        task = Task(lambda progress, cancel: engine.drain(progress, cancel),
                    QT_TRANSLATE_NOOP("Task", "sync"))
        task.succeeded.connect(lambda _r: self._sync_done(None))
        task.failed.connect(self._sync_done)
        self._sync_task = task
        return task.start()

    def _sync_done(self, error: str | None) -> None:
        self._sync_task = None
        again, self._sync_again = self._sync_again, False
        self.reachable = error is None
        if error is None:  # what the archive now holds needs no local copy
            prune_dicom_outputs(self.store)
        if error:
            self.window.statusBar().showMessage(
                self.tr("Archive unreachable; reports stay queued: %s") % error)
        self.update_status()
        if again and error is None:  # not again on a failure: the next sync asked retries
            self.sync()

    def update_status(self) -> None:
        counts = self.store.outbox_counts()
        unsent = counts.get("pending", 0) + counts.get("failed", 0)
        if self.archive is None or self.reachable is False:
            state = self.tr("offline")
        else:
            state = self.tr("online") if self.reachable else self.tr("connecting")
        self.online.setText(self.tr("Archive: %1 · unsent: %2")
                            .replace("%1", state).replace("%2", str(unsent)))
        self.counted.emit()
