"""The reading workflow around the viewer: worklist -> study -> AI pre-fill -> dictate -> sign ->
sync. :func:`install_workflow` adds the panels to a :class:`MainWindow` and wires them."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from app.ai_panel import AiPanel
from app.dictation_panel import DictationPanel
from app.main_window import MainWindow
from app.prefill import protocol_values
from app.report_panel import ReportPanel
from app.tasks import Task
from app.worklist_panel import WorklistPanel, WorklistRow
from core.errors import LuchError
from records import Store
from records.protocol import load_protocol
from records.worklist import build_worklist
from studies import Volume

log = logging.getLogger(__name__)
PROTOCOL = "moscow-chest-ct-covid"

STATUS_POLL_MS = 5000


def study_uid_of(volume: Volume, path: Path) -> str:
    """The Study Instance UID, or a stable local one for files without (NIfTI)."""
    if volume.info.study_instance_uid:
        return volume.info.study_instance_uid
    digest = int(hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:30], 16)
    return f"2.25.{digest}"


class Workflow(QObject):
    """The panels of one reading station and the wiring between them and the viewer."""

    def __init__(self, window: MainWindow, store: Store, reader: str, ui_lang: str = "en",
                 report_lang: str = "ru", session_factory=None, archive=None) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        self.archive = archive  # a DicomWebClient, or None when working offline
        self.study_uid: str | None = None
        self.study_path: Path | None = None
        protocol = load_protocol(PROTOCOL)

        self.worklist = WorklistPanel()
        self.worklist.open_requested.connect(self.open_study)
        self.ai = AiPanel(store, reader)
        self.report = ReportPanel(store, protocol, reader, ui_lang, report_lang)
        self.dictation = DictationPanel(self.report.form, session_factory or _no_dictation,
                                        ui_lang)
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

        window.volume_loaded.connect(self._study_opened)
        self.ai.result_ready.connect(self._ai_done)
        self.ai.accepted.connect(self._prefill)
        self.ai.failed.connect(window.statusBar().showMessage)
        self.report.signed.connect(self._signed)
        self.report.message.connect(window.statusBar().showMessage)
        self.dictation.message.connect(window.statusBar().showMessage)
        self.dictation.command.connect(self._voice_command)
        self._add_actions()
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
            ("sync", self.tr("S&ync now"), self.sync, "F5"),
            ("next-study", self.tr("Open next s&tudy"), self.open_next, "Ctrl+N"),
            ("dictate", self.tr("&Dictate"), self.dictation.record.toggle, "F9"),
        ):
            self.window._add_action(menu, action_id, text, slot, key)

    # -- worklist ---------------------------------------------------------------------------------
    def refresh_worklist(self) -> None:
        items = build_worklist(self.store, None, include_reported=True)
        headers = self.store.study_header_infos({i.study_instance_uid for i in items})
        rows = []
        for item in items:
            patient, _ = headers.get(item.study_instance_uid, ({}, {}))
            reports = self.store.reports_for_study(item.study_instance_uid)
            status = reports[-1].status.value if reports else self.tr("unread")
            study = self.store.study(item.study_instance_uid)
            rows.append(WorklistRow(item.study_instance_uid, item.priority,
                                    patient.get("name", "") or patient.get("patient_id", ""),
                                    item.study_date, (study.modalities if study else "") or "CT",
                                    item.ai_grade or "", status, item.description))
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

    def open_study(self, study_uid: str) -> None:
        study = self.store.study(study_uid)
        if study is None or not study.local_path:
            self.window.statusBar().showMessage(
                self.tr("This study is not on this station yet; sync to fetch it"))
            return
        self.window.open_path(study.local_path)

    def open_next(self) -> None:
        uids = self.worklist.visible_study_uids()
        if self.study_uid in uids and uids.index(self.study_uid) + 1 < len(uids):
            self.open_study(uids[uids.index(self.study_uid) + 1])
        elif uids:
            self.open_study(uids[0])

    # -- reading ----------------------------------------------------------------------------------
    def _study_opened(self, volume: Volume) -> None:
        path = self.window.current_path
        self.study_uid = study_uid_of(volume, path) if path else None
        if self.study_uid is None:
            return
        study = self.store.study(self.study_uid)
        if study is None or not study.local_path:
            self.add_local_study(path, volume)
        self.store.audit(self.reader, "opened", self.study_uid)
        self.worklist.select_study(self.study_uid)
        restored = self.report.begin(self.study_uid)
        if restored:
            self.window.statusBar().showMessage(self.tr("Unsigned draft restored"))
        if self.window.settings.get("ai.autorun", True):
            self.ai.run(volume, self.study_uid)

    def _ai_done(self, result) -> None:
        volume = self.window.volume
        if volume is None or result.labels.shape != volume.shape:
            return
        labels = Volume(voxels=result.labels, spacing=volume.spacing, origin=volume.origin,
                        direction=volume.direction, info=volume.info)
        self.window.show_labels(labels)
        self.refresh_worklist()

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

    def _voice_command(self, name: str, _argument) -> None:
        if name == "accept_ai_values":
            self.ai.accept()
        elif name == "sign_report":
            self.report.sign()

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
        if error:
            self.window.statusBar().showMessage(
                self.tr("Archive unreachable; reports stay queued: %s") % error)
        self.update_status()

    def update_status(self) -> None:
        counts = self.store.outbox_counts()
        unsent = counts.get("pending", 0) + counts.get("failed", 0)
        state = self.tr("offline") if self.archive is None else self.tr("online")
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


def _no_dictation(on_event):
    raise LuchError("no speech engine is configured")
