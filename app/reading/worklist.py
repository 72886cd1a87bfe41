"""The worklist: local studies at once, the archive's in the background; opening a study
from disk or fetched from the archive, and prefetching the next ones."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal

from app.panels.ai_files import current_model_version, model_version_signature
from app.panels.drafts import has_draft
from app.panels.worklist_panel import WorklistPanel, WorklistRow
from app.reading.archive_link import ArchiveLink
from app.reading.background_preread import SETTING as BACKGROUND_SETTING
from app.reading.background_preread import BackgroundPreread
from app.reading.study_uid import adopt_path_uid, study_uid_of
from app.shell.main_window import MainWindow
from app.shell.tasks import Task
from archive.cache import ImageCache, Prefetcher
from archive.cache_policy import (
    CACHE_WIPED,
    WIPE_ON_EXIT_KEY,
    CacheLimits,
    prune,
    wipe_on_exit,
)
from archive.dicomweb import DicomWebClient
from core.errors import LuchError
from records import Store
from records.worklist import build_worklist, triage_key
from studies import Volume
from studies.errors import StudyError

WORKLIST_POLL_MS = 60_000


class _Arrivals(QObject):
    """Carries a :class:`archive.progressive.ProgressiveStudy`'s events to the UI thread."""

    event = Signal(str, object)


class WorklistFlow(QObject):
    """Fills a :class:`WorklistPanel` from the store and the archive and opens its studies;
    the studies it prefetched are pre-read in the background (:attr:`background`)."""

    prefetched = Signal(str)  # a study is in the image cache (emitted on the fetching thread)

    def __init__(self, window: MainWindow, store: Store, reader: str, panel: WorklistPanel,
                 link: ArchiveLink) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        self.panel, self.link = panel, link
        self.cache = None
        self.prefetcher = None
        self._items: list = []
        self._worklist_task: Task | None = None
        self._fetch_task: Task | None = None  # the study being fetched to open, and its UID
        self._fetch_uid = ""
        self._fetch_message = ""  # the status line shown while a study is fetched
        self._details: dict = {}
        self._drafts: set[str] = set()
        self._notes: dict[str, str] = {}  # study UID -> " · partly cached …" (or "")
        self._reviews: dict = {}  # study UID -> the newest review of this station's report
        self._opened: str | None = None  # read in the foreground, not in the background
        # The list shown (study UIDs) when the study being read was opened: the reader's
        # place in it, which a re-sort since (an AI grade arriving) does not move.
        self._read_order: tuple[str | None, list[str]] = (None, [])
        self._streamed: tuple = ()  # (progressive study, its task): the last one shown arriving
        self._prune_task: Task | None = None
        # Studies whose archived AI results are not this station's pre-read (by their flat
        # SRs): not looked at again at each refresh (prereads.station.fill_from_archive).
        self._not_ours: dict[str, frozenset[str]] = {}
        # The station's current AI model version (read off the UI thread: the registry's
        # module loads scipy); None until known, and then no grade is called outdated.
        self.model_version: str | None = None
        self._version_task: Task | None = None
        # The registry's stat signature when model_version was read: read again only when it
        # changes (an activation, a rollback, a new site version), not at every refresh.
        self._version_signature: tuple | None = None
        self._reading_signature: tuple | None = None  # taken before the read now running
        self._refresh_after_task = False  # the version came while the archive was asked
        self.background = BackgroundPreread(store, self)
        self.background.changed.connect(self._show_markers)
        self.background.stored.connect(lambda _uid: self.refresh())
        self.prefetched.connect(lambda _uid: self._queue_background())
        self.prefetched.connect(lambda _uid: self.prune_cache())
        # an entry makes the study's folder about twice its images: the size limit again
        self.background.warmed.connect(lambda _uid: self.prune_cache())
        self._redraw = QTimer(window)  # a study arriving: its new slices drawn together
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(250)
        self._redraw.timeout.connect(window.slices_arrived)
        self._timer = QTimer(window)  # new studies arrive all day
        self._timer.timeout.connect(self.refresh)
        self._timer.start(WORKLIST_POLL_MS)

    def refresh(self) -> None:
        """Show the local worklist now; then, when online, fetch the archive's in the background."""
        self._check_model_version()
        self._show(build_worklist(self.store, None, include_reported=True,
                                  model_version=self.model_version))
        archive = self.link.archive
        if archive is None or self._worklist_task is not None:
            return
        store, not_ours, version = self.store, self._not_ours, self.model_version

        def work(progress, cancel) -> list:
            return with_archived_prereads(
                store, archive, build_worklist(store, archive, include_reported=True,
                                               model_version=version), not_ours)

        task = Task(work, QT_TRANSLATE_NOOP("Task", "worklist"))
        task.succeeded.connect(self._archive_worklist)
        task.failed.connect(self._archive_failed)
        self._worklist_task = task
        task.start()

    def _check_model_version(self) -> None:
        """Read the current model version in the background (a rollback or a new site
        version changes it); the worklist is shown again when it changed."""
        if self._version_task is not None:
            return
        signature = model_version_signature()
        if signature is not None and signature == self._version_signature:
            return  # the registry's files are as when the version was read
        task = Task(lambda progress, cancel: current_model_version(),  # it loads scipy
                    QT_TRANSLATE_NOOP("Task", "reading the AI model version"))
        self._reading_signature = signature
        task.succeeded.connect(self._model_version_read)
        task.failed.connect(lambda _message: setattr(self, "_version_task", None))
        self._version_task = task
        task.start()

    def _model_version_read(self, version: str | None) -> None:
        self._version_task = None
        self._version_signature = self._reading_signature if version is not None else None
        if version != self.model_version:
            self.model_version = version
            if self._worklist_task is None:
                self.refresh()
            else:  # its rows were built without it: shown again when it is back (a refresh
                self._refresh_after_task = True  # now showed the archive's rows half done)

    def _archive_worklist(self, items: list) -> None:
        self._worklist_task = None
        self.link.reachable = True
        local = build_worklist(self.store, None, include_reported=True,
                               model_version=self.model_version)
        seen = {i.study_instance_uid for i in items}
        self._show(items + [i for i in local if i.study_instance_uid not in seen])
        self.link.update_status()
        self._refresh_if_asked()

    def _archive_failed(self, message: str) -> None:
        self._worklist_task = None
        self.link.reachable = False
        self.window.statusBar().showMessage(
            self.tr("Archive unreachable; working offline: %s") % message)
        self.link.update_status()
        self._refresh_if_asked()

    def _refresh_if_asked(self) -> None:
        if self._refresh_after_task:
            self._refresh_after_task = False
            self.refresh()

    def _show(self, items: list) -> None:
        self._items = sorted(items, key=triage_key)
        self._details = self.store.worklist_details({i.study_instance_uid for i in self._items})
        # read from disk once per refresh, not at every marker change of the background queue
        self._notes = {i.study_instance_uid: self._cached_note(i.study_instance_uid)
                       for i in self._items}
        # Begun and not signed: a draft file is kept (written as the reader works), though
        # no report is stored yet; "unread" would send them to read it from the start.
        self._drafts = {i.study_instance_uid for i in self._items
                        if self._details.get(i.study_instance_uid, ("", "", None))[2] is None
                        and has_draft(i.study_instance_uid)}
        self._reviews = self.store.reviewed_studies()
        self._queue_background()
        self._show_markers()

    def show_reviews(self) -> None:
        """Reviews of this station's reports arrived: their markers, without a new query of
        the archive."""
        self._reviews = self.store.reviewed_studies()
        self._show_markers()

    def _review_note(self, uid: str) -> str:
        review = self._reviews.get(uid)
        if review is None:
            return ""
        note = self.tr("Reviewed by %1: score %2").replace("%1", review.expert).replace(
            "%2", str(review.score))
        return note + (self.tr(" (answered)") if review.answered else self.tr(
            " (not answered yet)"))

    def _show_markers(self) -> None:
        """The rows, with the background pre-read's state where a study has no grade yet or
        one by an older model version (shown as outdated)."""
        states = self.background.states
        rows = []
        for item in self._items:
            uid = item.study_instance_uid
            patient, modalities, status = self._details.get(uid, ("", "", None))
            outdated = not item.ai_current and bool(item.ai_grade)
            rows.append(WorklistRow(uid, item.priority, patient, item.study_date,
                                    modalities or "CT", item.ai_grade or "",
                                    status or ("draft" if uid in self._drafts
                                               else "unread"), item.description,
                                    states.get(uid, "") if outdated or not item.ai_grade
                                    else "",
                                    self._notes.get(uid, ""), self._review_note(uid),
                                    item.accession_number or "",
                                    (item.ai_model_version or "?", self.model_version or "?")
                                    if outdated else ()))
        self.panel.set_rows(rows)

    def _queue_background(self) -> None:
        """Queue the prefetched studies that are unread and not pre-read yet, in worklist
        order (most urgent first), for the background pre-read; then, at low priority, those
        whose grade an older model version computed (outdated). Before them, the sealed
        ones with no decoded-volume entry yet are warmed up (their first open is then one
        decryption)."""
        self.background.enabled = bool(self.window.settings.get(BACKGROUND_SETTING, True))
        if self.cache is None:
            return
        studies, outdated, warm = [], [], []
        for item in self._items:
            uid = item.study_instance_uid
            unread = self._details.get(uid, ("", "", None))[2] is None
            if not unread or uid == self._opened or not self.cache.has_study(uid):
                continue
            if self.cache.lacks_volume_entry(uid):
                warm.append((uid, str(self.cache.study_dir(uid))))
            if item.ai_grade is None:
                studies.append((uid, str(self.cache.study_dir(uid))))
            elif not item.ai_current:
                outdated.append((uid, str(self.cache.study_dir(uid))))
        self.background.set_queue(studies + outdated, warm)

    def _cached_note(self, study_uid: str) -> str:
        """`` · partly cached (n of m)`` for a study a fetch left half done (a dropped VPN)."""
        try:
            state = self.image_cache().study_state(study_uid)
        except (LuchError, OSError):  # a UID unfit for the cache, an unreadable folder
            return ""
        if not state.partial:
            return ""
        if state.expected:
            return " · " + self.tr("partly cached (%1 of %2 images)").replace(
                "%1", str(state.cached)).replace("%2", str(state.expected))
        return " · " + self.tr("partly cached")

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

    def open_study(self, study_uid: str, note: str = "") -> Task | None:
        """Open a worklist study: from disk, or fetched from the archive into the image cache;
        ``note`` (why this study, e.g. Ctrl+N went round the list) is said in the status bar,
        beside "Fetching…" while it comes, never instead of it."""
        if study_uid != self._opened:
            # the status line is this study's from now on: the last study's "Unsigned draft
            # restored" stood under the next one, which had none
            self.window.statusBar().clearMessage()
        self.opening(study_uid)
        pending = self._fetch_task
        if pending is not None and self._fetch_uid == study_uid:
            return pending  # clicked again while it comes: one fetch, one opening
        if pending is not None:  # another study asked for: that one must not open over it
            pending.cancel()
            self._fetch_task = None
        study = self.store.study(study_uid)
        if study is not None and study.local_path and Path(study.local_path).exists():
            self.window.open_path(study.local_path)
            if note:
                self._say(note)
            return None
        if self.link.archive is None:
            self.window.statusBar().showMessage(
                self.tr("This study is not on this station and the archive is not reachable"))
            return None
        if not self.image_cache().has_study(study_uid):
            return self._open_arriving(study_uid, note)
        from records.access import open_archive_study  # deferred: loads on the first fetch

        cache, archive, store, reader = self.image_cache(), self.link.archive, self.store, \
            self.reader
        self._fetch_message = self._fetching_text(note)
        self.window.statusBar().showMessage(self._fetch_message)
        task = Task(lambda progress, cancel: open_archive_study(
            store, cache, archive, study_uid, reader, progress=progress, cancel=cancel),
            QT_TRANSLATE_NOOP("Task", "fetching the study"))
        self.window.track_task(task)  # progress and Cancel while it comes over a thin link
        self._watch_fetch(task, study_uid, lambda folder: self._fetched(study_uid, folder))
        return task.start()

    def fetch_prior(self, study_uid: str) -> Task | None:
        """Fetch the prior ``study_uid`` from the archive (audited, with progress and Cancel)
        and compare the study on screen with it, unless another study is on screen by then."""
        if self.link.archive is None:
            self.window.statusBar().showMessage(self.tr(
                "The prior study is in the archive, which is not reachable now"), 8000)
            return None
        from records.access import open_archive_study  # deferred: loads on the first fetch

        cache, archive, store, reader = self.image_cache(), self.link.archive, self.store, \
            self.reader
        shown = self.window.study
        self.window.statusBar().showMessage(self.tr("Fetching the prior study from the archive…"))
        task = Task(lambda progress, cancel: open_archive_study(
            store, cache, archive, study_uid, reader, progress=progress, cancel=cancel),
            QT_TRANSLATE_NOOP("Task", "fetching the prior study"))
        self.window.track_task(task)

        def fetched(folder: Path) -> None:
            self.store.upsert_study(study_uid, local_path=str(folder))
            if self.window.study is shown:  # the reader still reads the study it was for
                self.window.statusBar().clearMessage()
                self.window.open_prior(folder)

        task.succeeded.connect(fetched)
        task.failed.connect(self._archive_failed)
        return task.start()

    def _watch_fetch(self, task: Task, study_uid: str, done) -> None:
        """``task`` fetches ``study_uid`` to open it; only the latest such fetch is heard
        (a study asked for since must not have the earlier one open over it)."""
        task.succeeded.connect(lambda folder: task is self._fetch_task and done(folder))
        task.failed.connect(lambda message: task is self._fetch_task
                            and self._fetch_failed(message))
        task.cancelled.connect(lambda: task is self._fetch_task and self._fetch_cancelled())
        self._fetch_task, self._fetch_uid = task, study_uid
        if self.prefetcher is not None:  # the link and the CPU are this study's now
            self.prefetcher.pause()
        for signal in (task.succeeded, task.failed, task.cancelled):
            signal.connect(lambda *_: self._resume_prefetch())  # after the handlers above

    def _resume_prefetch(self) -> None:
        """No study of the reader's own is being fetched: prefetching goes on."""
        if self._fetch_task is None and self.prefetcher is not None:
            self.prefetcher.resume()

    def _fetch_failed(self, message: str) -> None:
        self._fetch_task = None
        self._archive_failed(message)

    def _fetching_text(self, note: str) -> str:
        """"Fetching the study…", after ``note`` when there is one (both are read)."""
        fetching = self.tr("Fetching the study from the archive…")
        return f"{note} · {fetching}" if note else fetching

    def _say(self, text: str) -> None:
        """A passing word in the status bar (8 s), never over "Fetching the study…"."""
        bar = self.window.statusBar()
        if self._fetch_task is not None and bar.currentMessage() == self._fetch_message:
            return
        bar.showMessage(text, 8000)

    def _open_arriving(self, study_uid: str, note: str = "") -> Task:
        """Progressive open: the study is shown once its headers and middle slice are here,
        fills in from the middle outwards, and is announced (the AI starts) when whole."""
        from archive.progressive import ProgressiveStudy  # deferred: loads on the first fetch
        from records.outbox import OPENED  # deferred: with the fetch

        cache, store, reader = self.image_cache(), self.store, self.reader
        study = ProgressiveStudy(self.link.archive, cache, study_uid)
        if self._streamed and self._goes_on(*self._streamed, study_uid):
            study.continue_from(self._streamed[0])  # in the views on screen, where it stopped
        bridge = _Arrivals(self)  # the worker's events, queued to the UI thread
        study.subscribe(bridge.event.emit)
        bridge.event.connect(lambda kind, _value: self._arriving(study, kind))
        self._fetch_message = self._fetching_text(note)
        self.window.statusBar().showMessage(self._fetch_message)

        def work(progress, cancel):
            study.subscribe(lambda kind, _v: progress(float(study.arrived.mean()))
                            if kind == "slice" else None)
            try:
                study.open()
            except StudyError:  # not a stack it can place: fetched whole, opened as usual
                cache.fetch_study(study.client, study_uid, progress=progress, cancel=cancel)
            else:
                study.stream(cancel=cancel)
            store.audit(reader, OPENED, study_uid, source="archive")
            return cache.study_dir(study_uid)

        task = Task(work, QT_TRANSLATE_NOOP("Task", "fetching the study"))
        self.window.track_task(task)
        self._watch_fetch(task, study_uid,
                          lambda folder: self._fetched(study_uid, folder, study))
        self._streamed = (study, task)
        return task.start()

    def _goes_on(self, earlier, task: Task, study_uid: str) -> bool:
        """Whether a stream of ``study_uid`` that stopped (cancelled, or the link dropped)
        is still on screen, so a new one goes on in its views (no layout built again, the
        reader's place kept) rather than showing the study anew."""
        return (earlier.study_uid == study_uid and earlier.volume is not None
                and self.window.volume is earlier.volume and not earlier.complete
                and task.done.wait(2.0))  # its last decode is in (it ends as it signals)

    def _arriving(self, study, kind: str) -> None:
        if self._fetch_task is None or self._fetch_uid != study.study_uid \
                or study.volume is None:
            return  # cancelled, failed or another study asked for since
        if kind == "first":
            self.window.show_arriving(study.volume, self.image_cache().study_dir(
                study.study_uid), study.arrived)
        elif kind == "slice" and self.window.volume is study.volume \
                and not self._redraw.isActive():
            self._redraw.start()  # at most 4 redraws a second, not one per slice

    def _fetch_cancelled(self) -> None:
        self._fetch_task = None
        bar = self.window.statusBar()
        if bar.currentMessage() == self._fetch_message:
            bar.showMessage(self.tr("Fetching stopped; what arrived stays cached for the next "
                                    "try"), 8000)
        self.refresh()  # the study now shows as partly cached

    def _fetched(self, study_uid: str, folder: Path, arriving=None) -> None:
        """The study asked for is here: show it (``arriving``: the progressive study already
        on screen is whole now) and prefetch the next ones."""
        self._fetch_task = None
        self.link.reachable = True
        bar = self.window.statusBar()
        if bar.currentMessage() == self._fetch_message:
            bar.clearMessage()  # it is here: the message would stay for the whole reading
        self.store.upsert_study(study_uid, local_path=str(folder))
        if arriving is not None and arriving.volume is not None \
                and self.window.volume is arriving.volume:
            self.window.arrival_complete(arriving.volume)
        else:  # fetched whole, or never shown (no middle slice reached the window)
            self.window.open_path(folder)
        self._prefetch_after(study_uid)
        self.prune_cache()

    def opening(self, study_uid: str | None) -> None:
        """The reader opens this study: its pre-read is the panel's, not the background's."""
        self._opened = study_uid
        if study_uid is not None:
            self.background.drop(study_uid)
            if study_uid != self._read_order[0]:
                self._read_order = (study_uid, self.panel.visible_study_uids())

    def prune_cache(self) -> Task | None:
        """Apply ``cache.max_gb`` and ``cache.max_age_days`` off the UI thread (at start and
        after each fetch); the open study, the one coming and those with unsent work stay."""
        if self._prune_task is not None:
            return None
        cache = self.image_cache()

        def work(progress, cancel) -> list[str]:
            limits = CacheLimits.from_settings()
            if not limits.max_bytes and not limits.max_age_s:
                return []  # no limits set: the store is not asked
            return prune(cache, limits)  # the pinned studies stay

        task = Task(work, QT_TRANSLATE_NOOP("Task", "tidying the image cache"))
        task.succeeded.connect(self._pruned)
        task.failed.connect(lambda _message: self._pruned([]))
        self._prune_task = task
        return task.start()

    def _pruned(self, removed: list[str]) -> None:
        self._prune_task = None
        if removed:
            self.refresh()  # the removed studies no longer show as cached

    def wipe_cache_on_exit(self) -> None:
        """At quit (after :meth:`stop`): ``cache.wipe_on_exit`` empties the image cache, but
        for studies with unsent work; a fetch still running is stopped first."""
        if self.window.settings.get(WIPE_ON_EXIT_KEY, False) is not True:
            return
        for task in (self._fetch_task, self._prune_task):
            if task is not None:
                task.cancel()
                task.done.wait(10)
        cache = self.image_cache()
        before = set(cache.studies())
        wipe_on_exit(self.window.settings, cache, self.store.unsent_study_uids())
        for uid in sorted(before - set(cache.studies())):  # the access log says where they went
            self.store.audit(self.reader, CACHE_WIPED, uid, source="exit")

    def image_cache(self):
        if self.cache is None:
            self.cache = ImageCache()
            self.cache.pinned = self._pinned
        return self.cache

    def _pinned(self) -> set[str]:
        """Never evicted or pruned (asked on worker threads): the open study, the one
        coming, and studies with unsent work."""
        uids = {uid for uid in (self._opened, self._fetch_uid) if uid}
        return uids | self.store.unsent_study_uids()

    def _prefetch_after(self, study_uid: str) -> None:
        """Home readers on a VPN: fetch the next studies of the worklist in the background."""
        if self.link.archive is None:
            return
        from records.access import prefetch_next  # deferred: loads on the first fetch

        if self.prefetcher is None:
            self.prefetcher = Prefetcher(self.image_cache(), self.link.archive,
                                         on_fetched=self._on_fetched)
        prefetch_next(self.prefetcher, self._items, study_uid)

    def _on_fetched(self, study_uid: str) -> None:
        """On the fetching thread: hand the news to the UI thread (unless the window went)."""
        with contextlib.suppress(RuntimeError):
            self.prefetched.emit(study_uid)

    def stop(self) -> None:
        """At exit: stop background fetching and the background pre-read."""
        if self.prefetcher is not None:
            self.prefetcher.stop()
        self.background.stop()

    def open_next(self, current: str | None) -> None:
        """Ctrl+N: the next study shown whose report is not signed (a signed study is never
        opened this way: it would be read twice); see :meth:`_open_unsigned`."""
        if not self.panel.visible_study_uids():
            self._say(self.tr("The worklist shows no study"))
            return
        self._open_unsigned(current, self.tr(
            "No more unread studies: every other study of the worklist as shown is signed "
            "(search and filters apply)"))

    def open_next_unsigned(self, current: str | None) -> None:
        """After signing: as :meth:`open_next` (the triage order may have moved the signed
        study down past studies still to read)."""
        self._open_unsigned(current, self.tr(
            "Every study of the worklist as shown is signed (search and filters apply)"))

    def _open_unsigned(self, current: str | None, none_left: str) -> None:
        """Open the next study shown whose report is not signed below ``current`` (from the
        top when it is not shown), else the first such above it, saying that it went round;
        ``none_left`` is said when no other is left. Below means as the list stood when
        ``current`` was opened: an AI grade that re-sorted the list since (the study read
        went down among the graded ones) neither sends the reader back to the studies above
        it nor skips those that were below."""
        todo = [u for u in self.panel.unsigned_study_uids() if u != current]
        if not todo:
            self._say(none_left)
            return
        passed = self._passed(current)
        after = [u for u in todo if u not in passed]
        if after:
            self.open_study(after[0])
        else:
            self.open_study(todo[0], note=self.tr(
                "End of the worklist: went on to the first unread study from the top"))

    def _passed(self, current: str | None) -> set[str]:
        """The studies above ``current`` (and itself) in the list shown when it was opened,
        else in the list shown now; none when it is in neither."""
        opened, order = self._read_order
        if opened != current or current not in order:
            order = self.panel.visible_study_uids()
        return set(order[:order.index(current) + 1]) if current in order else set()


# -- hook: the central service's pre-reads (issue 19) ------------------------------------------
def with_archived_prereads(store: Store, archive: DicomWebClient, items: list,
                           not_ours: dict | None = None) -> list:
    """The worklist ``items`` with the grades of pre-reads the archive holds by this station's
    model version imported into the store (off the UI thread: the model version loads torch);
    one QIDO-RS request a refresh for up to 100 ungraded studies (``not_ours``: see
    :func:`prereads.station.fill_from_archive`)."""
    from prereads.station import fill_from_archive  # deferred: loads the AI stack, off the UI

    return fill_from_archive(store, archive, items, not_ours=not_ours)

