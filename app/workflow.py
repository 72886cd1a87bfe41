"""The reading workflow around the viewer: worklist -> study -> AI pre-fill -> dictate -> sign ->
sync. :class:`Workflow` adds the worklist and report panels to a :class:`MainWindow` and wires
them to the records store, the archive, the AI and dictation."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from app.ai_panel import AiPanel
from app.dictation_panel import DictationPanel
from app.main_window import MainWindow
from app.playback import SEEK_SECONDS, Player
from app.prefill import protocol_values
from app.report_panel import ReportPanel
from app.tasks import Task
from app.worklist_panel import WorklistPanel, WorklistRow
from core.errors import LuchError
from records import Store
from records.protocol import load_protocol
from records.templates import find_template, load_templates
from records.worklist import build_worklist
from studies import Volume

log = logging.getLogger(__name__)
PROTOCOL = "moscow-chest-ct-covid"

STATUS_POLL_MS = 5000
WORKLIST_POLL_MS = 60_000


def study_uid_of(volume: Volume, path: Path) -> str:
    """The Study Instance UID, or a stable local one for files without (NIfTI)."""
    if volume.info.study_instance_uid:
        return volume.info.study_instance_uid
    digest = int(hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:30], 16)
    return f"2.25.{digest}"


class Workflow(QObject):
    """The panels of one reading station and the wiring between them and the viewer."""

    # Words just placed by dictation: session key, field transcript, its word spans with
    # times. Emitted on the recogniser thread right after the dictation panel's own event,
    # so it arrives (queued) after the panel has written the transcript into the field.
    _words_placed = Signal(str, str, object)

    def __init__(self, window: MainWindow, store: Store, reader: str, ui_lang: str = "en",
                 report_lang: str = "ru", session_factory=None, archive=None) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        self.archive = archive  # a DicomWebClient, or None when working offline
        self.reachable: bool | None = None  # last contact with the archive: ok, failed, none
        self.study_uid: str | None = None
        self.prior_path: Path | None = None
        self._cache = None
        self._prefetcher = None
        self._items: list = []
        self._worklist_task: Task | None = None
        self._fetch_task: Task | None = None
        protocol = load_protocol(PROTOCOL)
        self.templates = load_templates(protocol)
        self.player = Player(window.settings.get("dictation.output_device"))
        self.ui_lang, self.report_lang = ui_lang, report_lang

        self.worklist = WorklistPanel()
        self.worklist.open_requested.connect(self.open_study)
        self.ai = AiPanel(store, reader)
        self.report = ReportPanel(store, protocol, reader, ui_lang, report_lang)
        self.words = self.report.words
        self.words.player = self.player
        self._session_key: str | None = None
        self._sessions = 0
        self._play_anchor = None  # the word "play back" last started from
        self._words_placed.connect(self.words.placed, Qt.ConnectionType.QueuedConnection)
        self.words.about_to_play.connect(self._stop_listening, Qt.ConnectionType.DirectConnection)
        self.dictation = DictationPanel(
            self.report.form, self._with_word_times(session_factory or _no_dictation), ui_lang)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.ai)
        column.addWidget(self.dictation)
        column.addWidget(self.report, 1)
        self.worklist_dock = _dock(window, self.tr("Worklist"), self.worklist, "worklist",
                                   Qt.DockWidgetArea.LeftDockWidgetArea)
        self.report_dock = _dock(window, self.tr("Report"), right, "report",
                                 Qt.DockWidgetArea.RightDockWidgetArea)

        self.online = QLabel()
        self.online.setObjectName("online-status")
        window.statusBar().addPermanentWidget(self.online)
        self._sync_task: Task | None = None
        self._timer = QTimer(window)
        self._timer.timeout.connect(self.update_status)
        self._timer.start(STATUS_POLL_MS)
        self._worklist_timer = QTimer(window)  # new studies arrive all day
        self._worklist_timer.timeout.connect(self.refresh_worklist)
        self._worklist_timer.start(WORKLIST_POLL_MS)

        window.volume_loaded.connect(self._study_opened)
        self.ai.result_ready.connect(self._ai_done)
        self.ai.accepted.connect(self._prefill)
        self.ai.failed.connect(window.statusBar().showMessage)
        self.report.signed.connect(self._signed)
        self.report.message.connect(window.statusBar().showMessage)
        self.dictation.message.connect(window.statusBar().showMessage)
        self.dictation.command.connect(self._voice_command)
        self.dictation.recorded.connect(self._keep_recording)
        self._add_actions()
        window.actions["anonymize"].triggered.connect(
            lambda: self.worklist.set_anonymize(window.anonymize))
        self.refresh_worklist()
        self.update_status()

    def _add_actions(self) -> None:
        menu = self.window.menuBar().addMenu(self.tr("&Report"))
        for action_id, text, slot, key in (
            ("ai-run", self.tr("Run &AI pre-read"), lambda: self.ai.run(
                self.window.volume, self.study_uid or ""), "Ctrl+R"),
            ("ai-accept", self.tr("&Accept AI values"), self.ai.accept, "Ctrl+Shift+Y"),
            ("ai-reject", self.tr("Re&ject AI result"), self.ai.reject, "Ctrl+Shift+N"),
            ("next-field", self.tr("&Next field"), self.report.form.next_field,
             "Ctrl+Down"),
            ("previous-field", self.tr("&Previous field"),
             self.report.form.previous_field, "Ctrl+Up"),
            ("sign", self.tr("&Sign report"), self.report.sign, "Ctrl+Shift+S"),
            ("sign-next", self.tr("Sign and open the ne&xt study"), self.sign_and_next,
             "Ctrl+Shift+Return"),
            ("sync", self.tr("S&ync now"), self.sync, "F5"),
            ("next-study", self.tr("Open next s&tudy"), self.open_next, "Ctrl+N"),
            ("dictate", self.tr("&Dictate"), self.dictation.record.toggle, "F9"),
            ("play-dictation", self.tr("&Play back (from the dictated word at the cursor)"),
             self.play_back, "F10"),
            ("play-word", self.tr("&Hear the dictated word at the cursor"),
             self.words.play_word_at_cursor, "Ctrl+F10"),
            ("rewind-dictation", self.tr("Re&wind the playback"), self.rewind, "Ctrl+F11"),
            ("forward-dictation", self.tr("&Fast-forward the playback"), self.fast_forward,
             "Ctrl+F12"),
            ("compare-prior", self.tr("&Compare with the prior study"), self.compare_prior,
             "Ctrl+P"),
            ("refresh-worklist", self.tr("&Refresh worklist"), self.refresh_worklist,
             "Ctrl+F5"),
        ):
            self.window._add_action(menu, action_id, text, slot, key)
        templates = menu.addMenu(self.tr("Insert &template"))
        for n, template in enumerate(self.templates):
            self.window._add_action(
                templates, f"template-{template.key}",
                template.title.get(self.ui_lang, template.key),
                lambda _=False, k=template.key: self.insert_template(k),
                "Ctrl+T" if n == 0 else None)

    # -- worklist ---------------------------------------------------------------------------------
    def refresh_worklist(self) -> None:
        """Show the local worklist now; then, when online, fetch the archive's in the background."""
        self._show_worklist(build_worklist(self.store, None, include_reported=True))
        if self.archive is None or self._worklist_task is not None:
            return
        archive, store = self.archive, self.store
        task = Task(lambda progress, cancel: build_worklist(store, archive, include_reported=True),
                    "worklist")
        task.succeeded.connect(self._archive_worklist)
        task.failed.connect(self._archive_failed)
        self._worklist_task = task
        task.start()

    def _archive_worklist(self, items: list) -> None:
        self._worklist_task = None
        self.reachable = True
        local = build_worklist(self.store, None, include_reported=True)
        seen = {i.study_instance_uid for i in items}
        self._show_worklist(items + [i for i in local if i.study_instance_uid not in seen])
        self.update_status()

    def _archive_failed(self, message: str) -> None:
        self._worklist_task = None
        self.reachable = False
        self.window.statusBar().showMessage(
            self.tr("Archive unreachable; working offline: %s") % message)
        self.update_status()

    def _show_worklist(self, items: list) -> None:
        from records.worklist import triage_key

        self._items = sorted(items, key=triage_key)
        details = self.store.worklist_details({i.study_instance_uid for i in self._items})
        rows = []
        for item in self._items:
            patient, modalities, status = details.get(item.study_instance_uid, ("", "", None))
            rows.append(WorklistRow(item.study_instance_uid, item.priority, patient,
                                    item.study_date, modalities or "CT", item.ai_grade or "",
                                    status or self.tr("unread"), item.description))
        self.worklist.set_rows(rows)

    def add_local_study(self, path: Path, volume: Volume | None = None) -> str:
        """Put a study on disk into the local worklist (read from its headers)."""
        from studies import open_volume

        volume = volume or open_volume(path)
        uid = study_uid_of(volume, path)
        info = volume.info
        self.store.upsert_study(uid, patient_id=info.patient_id, patient_name=info.patient_name,
                                birth_date=info.patient_birth_date, sex=info.patient_sex,
                                study_date=info.study_date, study_time=info.study_time,
                                description=info.study_description or info.series_description,
                                accession_number=info.accession_number,
                                modalities=info.modality, local_path=str(Path(path).resolve()))
        self.refresh_worklist()
        return uid

    def open_study(self, study_uid: str) -> Task | None:
        """Open a worklist study: from disk, or fetched from the archive into the image cache."""
        study = self.store.study(study_uid)
        if study is not None and study.local_path and Path(study.local_path).exists():
            self.window.open_path(study.local_path)
            return None
        if self.archive is None:
            self.window.statusBar().showMessage(
                self.tr("This study is not on this station and the archive is not reachable"))
            return None
        from records.access import open_archive_study

        cache, archive, store, reader = self._image_cache(), self.archive, self.store, self.reader
        self.window.statusBar().showMessage(self.tr("Fetching the study from the archive…"))
        task = Task(lambda progress, cancel: open_archive_study(
            store, cache, archive, study_uid, reader, progress=progress, cancel=cancel),
            "fetching the study")
        task.succeeded.connect(lambda folder: self._fetched(study_uid, folder))
        task.failed.connect(self._archive_failed)
        self._fetch_task = task
        return task.start()

    def _fetched(self, study_uid: str, folder: Path) -> None:
        self._fetch_task = None
        self.reachable = True
        self.store.upsert_study(study_uid, local_path=str(folder))
        self.window.open_path(folder)
        self._prefetch_after(study_uid)

    def _image_cache(self):
        if self._cache is None:
            from archive.cache import ImageCache

            self._cache = ImageCache()
        return self._cache

    def _prefetch_after(self, study_uid: str) -> None:
        """Home readers on a VPN: fetch the next studies of the worklist in the background."""
        if self.archive is None:
            return
        from archive.cache import Prefetcher
        from records.access import prefetch_next

        if self._prefetcher is None:
            self._prefetcher = Prefetcher(self._image_cache(), self.archive)
        prefetch_next(self._prefetcher, self._items, study_uid)

    def stop(self) -> None:
        """At exit: stop background fetching."""
        if self._prefetcher is not None:
            self._prefetcher.stop()

    def open_next(self) -> None:
        uids = self.worklist.visible_study_uids()
        if self.study_uid in uids and uids.index(self.study_uid) + 1 < len(uids):
            self.open_study(uids[uids.index(self.study_uid) + 1])
        elif uids:
            self.open_study(uids[0])

    # -- reading ----------------------------------------------------------------------------------
    def _study_opened(self, volume: Volume) -> None:
        path = self.window.current_path
        uid = study_uid_of(volume, path) if path else None
        if uid is not None and uid == self.study_uid and self.ai.result is not None:
            # The same study again (e.g. now with its prior): keep the form and the AI result.
            self.window.show_labels(self._labels_volume(self.ai.result.labels, volume))
            return
        self.study_uid = uid
        if self.study_uid is None:
            return
        study = self.store.study(self.study_uid)
        if study is None or not study.local_path:
            self.add_local_study(path, volume)
        self.store.audit(self.reader, "opened", self.study_uid)
        self.worklist.select_study(self.study_uid)
        self._offer_prior(self.study_uid)
        restored = self.report.begin(self.study_uid)
        if restored:
            self.window.statusBar().showMessage(self.tr("Unsigned draft restored"))
        if self.window.settings.get("ai.autorun", True):
            self.ai.run(volume, self.study_uid)

    def _offer_prior(self, study_uid: str) -> None:
        """Find this patient's latest earlier study on the station and offer it for comparison."""
        from sqlalchemy import select

        from records.models import Study

        self.prior_path = None
        with self.store.session() as s:
            current = s.scalar(select(Study).where(Study.study_instance_uid == study_uid))
            if current is None or current.patient_pk is None:
                return
            priors = s.scalars(select(Study).where(
                Study.patient_pk == current.patient_pk, Study.id != current.id,
                Study.local_path.is_not(None), Study.study_date < (current.study_date or "9"))
                .order_by(Study.study_date.desc())).all()
            prior = next((p for p in priors if Path(p.local_path).exists()), None)
            if prior is None:
                return
            self.prior_path, date = Path(prior.local_path), prior.study_date
        self.window.statusBar().showMessage(
            self.tr("A prior study of this patient (%1) is here: Ctrl+P compares")
            .replace("%1", f"{date[6:8]}.{date[4:6]}.{date[:4]}" if len(date) == 8 else date))

    def compare_prior(self) -> None:
        if self.prior_path is not None and self.window.current_path is not None:
            self.window.open_path(self.window.current_path, prior=self.prior_path)

    def _ai_done(self, result) -> None:
        volume = self.window.volume
        if volume is None or result.labels.shape != volume.shape:
            return
        self.window.show_labels(self._labels_volume(result.labels, volume))
        self.refresh_worklist()

    @staticmethod
    def _labels_volume(labels, volume: Volume) -> Volume:
        return Volume(voxels=labels, spacing=volume.spacing, origin=volume.origin,
                      direction=volume.direction, info=volume.info)

    def _prefill(self, ai_json: dict) -> None:
        values = protocol_values(ai_json)
        if not values:
            self.window.statusBar().showMessage(
                self.tr("The AI could not assess this study: nothing to pre-fill"))
            return
        for key, value in values.items():
            self.report.form.set_value(key, value)
        self.report.ai_result_id = self.ai.ai_result_id
        self.window.statusBar().showMessage(self.tr("AI values filled in; check them"))

    # -- playback transport (F10, Ctrl+F10-F12, the microphone's play, rewind, fast-forward) --
    def play_back(self) -> None:
        """Play / pause. Plays from the dictated word at the cursor when the cursor moved to
        one, else resumes the paused playback, else plays the last dictation."""
        player = self.player
        if player.playing:
            player.pause()
            return
        self._stop_listening()
        found = self.words.link_at_cursor()
        link = found[1] if found is not None else None
        unfinished = player.programme is not None and \
            (player.position() or 0.0) < player.programme.end
        if link is not None and (link != self._play_anchor or not unfinished):
            self._play_anchor = link
            self.words.play_from(link)
            return
        try:
            seconds = player.resume() if unfinished else player.play()
        except OSError as err:
            self.window.statusBar().showMessage(self.tr("Cannot play the dictation: %s") % err)
            return
        if not seconds:
            self.window.statusBar().showMessage(self.tr("Nothing dictated to play back yet"))

    def _stop_listening(self) -> None:
        """Playback and hands-free dictation exclude each other: the microphone would take
        the loudspeaker's words for the reader's. Push-to-talk only listens while held."""
        session = self.dictation.session
        if session is not None and getattr(session, "hands_free", False):
            self.dictation.stop()
            self.window.statusBar().showMessage(self.tr("Dictation stopped for playback"))

    def rewind(self) -> None:
        self._seek(-SEEK_SECONDS)

    def fast_forward(self) -> None:
        self._seek(SEEK_SECONDS)

    def _seek(self, delta: float) -> None:
        if self.player.programme is None:
            self.window.statusBar().showMessage(self.tr("Nothing is being played back"))
            return
        try:
            position = self.player.seek(delta)
        except OSError as err:
            self.window.statusBar().showMessage(self.tr("Cannot play the dictation: %s") % err)
            return
        self.window.statusBar().showMessage(
            self.tr("Playback at %s s") % f"{position:.1f}", 2000)

    def _with_word_times(self, factory):
        """Wrap the dictation session factory so each final result's word spans (with their
        times in the session's audio) reach the word links after the text is placed."""

        def make(on_event, hands_free: bool = True):
            self._sessions += 1
            key = f"session:{self._sessions}"
            made: list = []

            def relay(event) -> None:  # on the recogniser thread
                spans = _rendered_spans(made[0], event.text) \
                    if made and event.kind == "final" else None
                on_event(event)
                if spans is not None:
                    self._words_placed.emit(key, event.text, spans)

            session = factory(on_event=relay, hands_free=hands_free)
            made.append(session)
            self._session_key = key
            self.words.dictating(key, session)
            return session

        return make

    def sign_and_next(self) -> None:
        """Sign the report; once it is stored, open the next study of the worklist."""
        signed: list = []
        self.report.signed.connect(signed.append)
        try:
            self.report.sign()
        finally:
            self.report.signed.disconnect(signed.append)
        if signed:
            self.open_next()

    def insert_template(self, spoken: str | None = None) -> bool:
        """Fill the form from a template (by key or spoken name; the first when none given)."""
        template = find_template(self.templates, spoken)
        if template is None:
            self.window.statusBar().showMessage(self.tr("No template called “%s”") % spoken)
            return False
        for key, value in template.values(self.report_lang).items():
            self.report.form.set_value(key, value)
        self.window.statusBar().showMessage(
            self.tr("Template inserted: %s") % template.title.get(self.ui_lang, template.key))
        return True

    def _keep_recording(self, recording, engine: str) -> None:
        """Dictated audio is kept (FLAC + word times) and recorded with the study's report."""
        self.player.last = recording
        if self.study_uid is None:
            self.words.kept(self._session_key or "", recording, None)
            return
        from datetime import UTC, datetime

        from core.files import uid_name
        from core.paths import app_subdir

        folder = app_subdir("dictations") / uid_name(self.study_uid)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = recording.save(folder / f"{stamp}.flac")
        self.words.kept(self._session_key or "", recording, path)
        self.store.save_dictation(
            self.study_uid, audio_path=path, transcript=" ".join(w.word for w in recording.words),
            timings=[w.as_dict() for w in recording.words], engine=engine,
            report_uid=self.report.report_uid)

    def _voice_command(self, name: str, argument) -> None:
        if name == "accept_ai_values":
            self.ai.accept()
        elif name == "sign_report":
            self.report.sign()
        elif name == "insert_template":
            self.insert_template(argument)

    def _signed(self, record) -> None:
        self.ai.record_correction(record.fields.get("grade"))
        self.store.audit(self.reader, "signed", record.study_instance_uid,
                         report=record.report_uid, version=record.version)
        self.refresh_worklist()
        self.update_status()
        self.sync()

    # -- sync -------------------------------------------------------------------------------------
    def sync(self) -> Task | None:
        """Drain the outbox to the archive in the background (no-op when offline)."""
        if self.archive is None or self._sync_task is not None:
            return None
        from records.sync import SyncEngine

        engine = SyncEngine(self.store, self.archive)
        task = Task(lambda progress, cancel: engine.drain(progress, cancel), "sync")
        task.succeeded.connect(lambda _r: self._sync_done(None))
        task.failed.connect(self._sync_done)
        self._sync_task = task
        return task.start()

    def _sync_done(self, error: str | None) -> None:
        self._sync_task = None
        self.reachable = error is None
        if error:
            self.window.statusBar().showMessage(
                self.tr("Archive unreachable; reports stay queued: %s") % error)
        self.update_status()

    def update_status(self) -> None:
        counts = self.store.outbox_counts()
        unsent = counts.get("pending", 0) + counts.get("failed", 0)
        if self.archive is None or self.reachable is False:
            state = self.tr("offline")
        else:
            state = self.tr("online") if self.reachable else self.tr("connecting")
        self.online.setText(self.tr("Archive: %1 · unsent: %2")
                            .replace("%1", state).replace("%2", str(unsent)))


def _dock(window: MainWindow, title: str, widget: QWidget, name: str,
          area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock-{name}")
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock


def _no_dictation(on_event, hands_free: bool = True):
    raise LuchError("no speech engine is configured")


def _rendered_spans(session, text: str) -> list[tuple[int, int, float | None, float | None]]:
    """The word spans of the session's field transcript, if it renders to ``text`` (called on
    the recogniser thread, where the transcript is not being changed)."""
    transcript = getattr(getattr(session, "processor", None), "transcript", None)
    if transcript is None:
        return []
    rendered, spans = transcript.render()
    if rendered != text:
        return []
    return [(s.char_start, s.char_end, s.start, s.end) for s in spans]
