"""The worklist: local studies at once, the archive's in the background; opening a study
from disk or fetched from the archive, and prefetching the next ones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer

from app.panels.worklist_panel import WorklistPanel, WorklistRow
from app.reading.archive_link import ArchiveLink
from app.reading.study_uid import adopt_path_uid, study_uid_of
from app.shell.main_window import MainWindow
from app.shell.tasks import Task
from archive.cache import ImageCache, Prefetcher
from archive.dicomweb import DicomWebClient
from records import Store
from records.worklist import build_worklist, triage_key
from studies import Volume

WORKLIST_POLL_MS = 60_000


class WorklistFlow(QObject):
    """Fills a :class:`WorklistPanel` from the store and the archive and opens its studies."""

    def __init__(self, window: MainWindow, store: Store, reader: str, panel: WorklistPanel,
                 link: ArchiveLink) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        self.panel, self.link = panel, link
        self.cache = None
        self.prefetcher = None
        self._items: list = []
        self._worklist_task: Task | None = None
        self._fetch_task: Task | None = None
        self._fetch_message = ""  # the status line shown while a study is fetched
        self._timer = QTimer(window)  # new studies arrive all day
        self._timer.timeout.connect(self.refresh)
        self._timer.start(WORKLIST_POLL_MS)

    def refresh(self) -> None:
        """Show the local worklist now; then, when online, fetch the archive's in the background."""
        self._show(build_worklist(self.store, None, include_reported=True))
        archive = self.link.archive
        if archive is None or self._worklist_task is not None:
            return
        store = self.store

        def work(progress, cancel) -> list:
            return with_archived_prereads(
                store, archive, build_worklist(store, archive, include_reported=True))

        task = Task(work, QT_TRANSLATE_NOOP("Task", "worklist"))
        task.succeeded.connect(self._archive_worklist)
        task.failed.connect(self._archive_failed)
        self._worklist_task = task
        task.start()

    def _archive_worklist(self, items: list) -> None:
        self._worklist_task = None
        self.link.reachable = True
        local = build_worklist(self.store, None, include_reported=True)
        seen = {i.study_instance_uid for i in items}
        self._show(items + [i for i in local if i.study_instance_uid not in seen])
        self.link.update_status()

    def _archive_failed(self, message: str) -> None:
        self._worklist_task = None
        self.link.reachable = False
        self.window.statusBar().showMessage(
            self.tr("Archive unreachable; working offline: %s") % message)
        self.link.update_status()

    def _show(self, items: list) -> None:
        self._items = sorted(items, key=triage_key)
        details = self.store.worklist_details({i.study_instance_uid for i in self._items})
        rows = []
        for item in self._items:
            patient, modalities, status = details.get(item.study_instance_uid, ("", "", None))
            rows.append(WorklistRow(item.study_instance_uid, item.priority, patient,
                                    item.study_date, modalities or "CT", item.ai_grade or "",
                                    status or self.tr("unread"), item.description))
        self.panel.set_rows(rows)

    def add_local_study(self, path: Path, volume: Volume | None = None) -> str:
        """Put a study on disk into the local worklist (read from its headers)."""
        from studies import open_volume  # deferred: the readers load on the first open

        volume = volume or open_volume(path)
        adopt_path_uid(self.store, volume, path, self.reader)
        uid = study_uid_of(volume, path)
        info = volume.info
        self.store.upsert_study(uid, patient_id=info.patient_id, patient_name=info.patient_name,
                                birth_date=info.patient_birth_date, sex=info.patient_sex,
                                study_date=info.study_date, study_time=info.study_time,
                                description=info.study_description or info.series_description,
                                accession_number=info.accession_number,
                                modalities=info.modality, local_path=str(Path(path).resolve()),
                                uid_derived=info.study_is_local)
        self.refresh()
        return uid

    def open_study(self, study_uid: str) -> Task | None:
        """Open a worklist study: from disk, or fetched from the archive into the image cache."""
        study = self.store.study(study_uid)
        if study is not None and study.local_path and Path(study.local_path).exists():
            self.window.open_path(study.local_path)
            return None
        if self.link.archive is None:
            self.window.statusBar().showMessage(
                self.tr("This study is not on this station and the archive is not reachable"))
            return None
        from records.access import open_archive_study  # deferred: loads on the first fetch

        cache, archive, store, reader = self.image_cache(), self.link.archive, self.store, \
            self.reader
        self._fetch_message = self.tr("Fetching the study from the archive…")
        self.window.statusBar().showMessage(self._fetch_message)
        task = Task(lambda progress, cancel: open_archive_study(
            store, cache, archive, study_uid, reader, progress=progress, cancel=cancel),
            QT_TRANSLATE_NOOP("Task", "fetching the study"))
        task.succeeded.connect(lambda folder: self._fetched(study_uid, folder))
        task.failed.connect(self._archive_failed)
        self._fetch_task = task
        return task.start()

    def _fetched(self, study_uid: str, folder: Path) -> None:
        self._fetch_task = None
        self.link.reachable = True
        bar = self.window.statusBar()
        if bar.currentMessage() == self._fetch_message:
            bar.clearMessage()  # it is here: the message would stay for the whole reading
        self.store.upsert_study(study_uid, local_path=str(folder))
        self.window.open_path(folder)
        self._prefetch_after(study_uid)

    def image_cache(self):
        if self.cache is None:
            self.cache = ImageCache()
        return self.cache

    def _prefetch_after(self, study_uid: str) -> None:
        """Home readers on a VPN: fetch the next studies of the worklist in the background."""
        if self.link.archive is None:
            return
        from records.access import prefetch_next  # deferred: loads on the first fetch

        if self.prefetcher is None:
            self.prefetcher = Prefetcher(self.image_cache(), self.link.archive)
        prefetch_next(self.prefetcher, self._items, study_uid)

    def stop(self) -> None:
        """At exit: stop background fetching."""
        if self.prefetcher is not None:
            self.prefetcher.stop()

    def open_next(self, current: str | None) -> None:
        """Open the study after ``current`` in the worklist as shown (the first if none)."""
        uids = self.panel.visible_study_uids()
        if not uids:
            self.window.statusBar().showMessage(self.tr("The worklist shows no study"), 8000)
        elif current not in uids:
            self.open_study(uids[0])
        elif uids.index(current) + 1 < len(uids):
            self.open_study(uids[uids.index(current) + 1])
        else:  # not round to the first again: the reader would read a study twice
            self.window.statusBar().showMessage(self.tr(
                "This is the last study of the worklist as shown (search and filters apply)"),
                8000)


# -- hook: the central service's pre-reads (issue 19) ------------------------------------------
def with_archived_prereads(store: Store, archive: DicomWebClient, items: list) -> list:
    """The worklist ``items`` with the grades of pre-reads the archive holds by this station's
    model version imported into the store (off the UI thread: the model version loads torch)."""
    from prereads.station import fill_from_archive  # deferred: loads the AI stack, off the UI

    return fill_from_archive(store, archive, items)

