"""The reading workflow around the viewer: worklist -> study -> AI pre-fill -> dictate -> sign
-> sync. :class:`Workflow` adds the worklist and report panels to a :class:`MainWindow` and
wires them, and the parts in :mod:`app.reading`, to the records store, the archive, the AI
and dictation."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.panels import terms
from app.panels.ai_panel import AiPanel
from app.panels.dictation_panel import DictationPanel
from app.panels.report_panel import ReportPanel
from app.panels.worklist_panel import WorklistPanel
from app.playback.player import Player
from app.reading.ai_prefill import AiPrefill
from app.reading.archive_link import STATUS_POLL_MS, ArchiveLink
from app.reading.dictation_glue import DictationGlue
from app.reading.label_correction import LabelCorrection
from app.reading.referrals import ReferralFlow
from app.reading.study import StudyFlow
from app.reading.study_uid import study_uid_of
from app.reading.templates import TemplateInserter
from app.reading.transport import Transport
from app.reading.worklist import WORKLIST_POLL_MS, WorklistFlow
from app.shell.input_router import input_router
from app.shell.main_window import MainWindow
from app.shell.tasks import Task
from records import Store
from records.directory import Directory
from records.protocol import load_protocol
from records.templates import load_templates
from studies import Volume

__all__ = ["PROTOCOL", "STATUS_POLL_MS", "WORKLIST_POLL_MS", "Workflow", "study_uid_of"]

log = logging.getLogger(__name__)
PROTOCOL = "moscow-chest-ct-covid"
INPUT_EVENTS = (QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)
REPORT_LANGUAGE = "report.language"  # settings: the report's language (app.settings_dialog)
SAID_MS = 20_000  # how long a message of the report or of dictation stays in the status bar


class Workflow(QObject):
    """The panels of one reading station and the wiring between them and the viewer."""

    def __init__(self, window: MainWindow, store: Store, reader: str, ui_lang: str = "en",
                 report_lang: str | None = None, session_factory=None, archive=None) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        protocol = load_protocol(PROTOCOL)
        self.templates = load_templates(protocol)
        # The report's language: the setting shown (and changed) in the report panel,
        # the interface language until one is chosen.
        report_lang = report_lang or window.settings.get(REPORT_LANGUAGE) or ui_lang
        self.ui_lang = ui_lang

        self.worklist = WorklistPanel()
        self.ai = AiPanel(store, reader)
        self.report = ReportPanel(store, protocol, reader, ui_lang, report_lang)
        self.report.ai_values = lambda: self.ai.result_json
        self.report.key_images = window.key_images.as_dicts  # named and sent with the report
        # the reader's centre in the user directory, else the station's (referral.centre)
        self.report.centre = Directory.from_settings(window.settings).centre_of(reader)
        window.key_images.subscribe(self._key_images_changed)
        self.report.report_language_changed.connect(
            lambda lang: window.settings.set(REPORT_LANGUAGE, lang))
        self.words = self.report.words
        self.words.player = Player(window.settings.get("dictation.output_device"))
        self.dictation_glue = DictationGlue(self, store, self.report, self.words,
                                            study_uid=lambda: self.study_uid,
                                            player=lambda: self.player)
        self.dictation = DictationPanel(
            self.report.form, self.dictation_glue.with_word_times(session_factory), ui_lang)
        self.dictation.record.toggled.connect(self.report.form.set_dictating)
        self.transport = Transport(window, self.words.player, self.words, self.dictation)
        self.words.about_to_play.connect(self.transport.stop_listening,
                                         Qt.ConnectionType.DirectConnection)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.ai)
        column.addWidget(self.dictation)
        column.addWidget(self.report, 1)
        self.blind_note = QLabel(self.tr(
            "Blind read: this study's reports are shown after you save your own read in the "
            "review."))
        self.blind_note.setObjectName("blind-note")
        self.blind_note.setWordWrap(True)
        self.blind_note.hide()
        column.addWidget(self.blind_note)
        self.worklist_dock = _dock(window, self.tr("Worklist"), self.worklist, "worklist",
                                   Qt.DockWidgetArea.LeftDockWidgetArea)
        self.report_dock = _dock(window, self.tr("Report"), right, "report",
                                 Qt.DockWidgetArea.RightDockWidgetArea)
        # The key images leave their tab group while the column is split (split out, the
        # measurements left a second tab bar behind over the series' title), then go back in.
        window.removeDockWidget(window.key_image_dock)
        for dock in (window.series_dock, window.measurement_dock):  # the worklist on top
            window.splitDockWidget(self.worklist_dock, dock, Qt.Orientation.Vertical)
        window.tabifyDockWidget(window.measurement_dock, window.key_image_dock)
        window.key_image_dock.show()  # removing hid it
        window.measurement_dock.raise_()
        QTimer.singleShot(0, self, self._fit_left_column)  # once the window has its size

        self.archive_link = ArchiveLink(window, store, archive)
        self.archive_link.counted.connect(self.report.note_archived)
        self.worklist_flow = WorklistFlow(window, store, reader, self.worklist, self.archive_link)
        self.worklist_flow.prune_cache()  # the cache limits, off the UI thread
        self.study_flow = StudyFlow(window, store, reader, self.ai, self.report,
                                    add_local_study=self.worklist_flow.add_local_study,
                                    select_study=self.worklist.select_study,
                                    fetch_prior=self.worklist_flow.fetch_prior)
        self.ai_prefill = AiPrefill(window, self.ai, self.report)
        self.label_correction = LabelCorrection(window, store, reader, self.ai)
        self.template_inserter = TemplateInserter(window, self.report, self.templates, ui_lang)
        self.referrals = ReferralFlow(window, store, reader, lambda: self.report.report_uid,
                                      self.archive_link, window.settings,
                                      selected_study=self.worklist.selected_study,
                                      open_study=self.open_study)
        self.referrals.reviews_arrived.connect(lambda _ids: self.worklist_flow.show_reviews())
        self.referrals.answered.connect(lambda _id: self.worklist_flow.show_reviews())
        self.referrals.show_reviewed.connect(self._show_reviewed)
        self.referrals.blind.connect(self._blind)
        self.referrals.dictation_fields.connect(lambda fields, on: [
            (self.dictation.add_outside_editor if on else self.dictation.remove_outside_editor)(
                field) for field in fields])
        self._blind_study: str | None = None
        self._said: tuple[str, str | None] | None = None  # the last message and its study

        self._give_way_to_the_reader()
        self.worklist.open_requested.connect(self.open_study)
        self.worklist.search_left.connect(window.focus_image)
        # first: what the last study's report said goes before this one's can speak
        window.study_arriving.connect(self._forget_said)
        window.volume_loaded.connect(self._forget_said)
        window.volume_loaded.connect(self.study_flow.opened)
        window.volume_loaded.connect(self._leave_blind)
        window.volume_loaded.connect(lambda _v: self.worklist_flow.opening(self.study_uid))
        window.study_arriving.connect(self.study_flow.arriving)
        window.study_arriving.connect(lambda _v: self.worklist_flow.opening(self.study_uid))
        self.ai.result_ready.connect(self._ai_done)
        self.ai.accepted.connect(self.ai_prefill.prefill)
        self.ai.rejected.connect(lambda: window.hide_overlay(self.tr(
            "AI result rejected: its overlay is hidden (O shows it)")))
        self.ai.show_voxel.connect(window.go_to_voxel)
        self.ai.failed.connect(window.statusBar().showMessage)
        self.report.signed.connect(self._signed)
        self.report.locked_changed.connect(self.ai.set_report_locked)
        self.report.message.connect(self._say)
        self.dictation.message.connect(self._say)
        self.dictation.command.connect(self._voice_command)
        self.report.previewing.connect(  # "sign" / "cancel" answer the signing preview
            lambda on: self.dictation.set_answering(self.report.answer_preview if on else None))
        self.dictation.recorded.connect(self.dictation_glue.keep_recording)
        self.dictation.written.connect(self.dictation_glue.link_words)
        self._add_actions()
        window.actions["anonymize"].triggered.connect(self._anonymize)
        self.refresh_worklist()
        self.update_status()

    def _anonymize(self) -> None:
        """Names hidden on screen or shown again: the worklist and the signing preview."""
        self.worklist.set_anonymize(self.window.anonymize)
        self.report.anonymize = self.window.anonymize

    def _give_way_to_the_reader(self) -> None:
        """The background pre-read stops while a study loads, while the panel's pre-read
        runs, and for a moment after each scroll, key or click."""
        background, window = self.worklist_flow.background, self.window
        window.loading.connect(lambda on: background.hold("loading") if on
                               else (background.release("loading"), background.nudge()))
        self.ai.running.connect(lambda on: background.hold("ai") if on
                                else background.release("ai"))

        def input_event(_watched, _event) -> bool:
            if background.busy():
                background.nudge()
            return False

        input_router().add(window, INPUT_EVENTS, input_event, window=window)

    def _add_actions(self) -> None:
        menu = self.window.menuBar().addMenu(self.tr("&Report"))
        for action_id, text, slot, key in (
            ("ai-run", self.tr("Run &AI pre-read"), lambda: self.ai.run(
                self.window.volume, self.study_uid or "", self.window.current_path), "Ctrl+R"),
            ("ai-accept", self.tr("&Accept AI values"), self.ai.accept, "Ctrl+Shift+Y"),
            ("ai-reject", self.tr("Re&ject AI result"), self.ai.reject, "Ctrl+Shift+N"),
            ("ai-findings", self.tr("Insert the AI's &findings as text"),
             lambda: self.report.insert_ai_findings(), "Ctrl+Shift+F"),
            ("next-field", self.tr("&Next field"), self.report.form.next_field,
             "Ctrl+Down"),
            ("previous-field", self.tr("&Previous field"),
             self.report.form.previous_field, "Ctrl+Up"),
            ("sign", self.tr("&Sign report"), self.report.sign, "Ctrl+Shift+S"),
            ("addendum", self.tr("Add a&ddendum to the signed report…"),
             lambda: self.report.start_addendum(), "Ctrl+Shift+D"),
            ("sign-next", self.tr("Sign and open the ne&xt study"), self.sign_and_next,
             "Ctrl+Shift+Return"),
            ("request-second-opinion", self.tr("Request a second &opinion…"),
             lambda: self.referrals.request(), None),
            ("answer-review", self.tr("Ans&wer the review of this report…"),
             lambda: self.referrals.answer(), None),
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
            ("find-study", self.tr("F&ind a patient in the worklist"), self.find_study,
             "Ctrl+F"),
        ):
            self.window._add_action(menu, action_id, text, slot, key)
        if self.referrals.panel is not None:  # a reference-centre station
            self.window._add_action(menu, "audit-sample", self.tr("Draw the &audit sample…"),
                                    lambda: self.referrals.audit_sample(), None)
            self.window._add_action(menu, "audit-stats", self.tr("A&udit statistics…"),
                                    lambda: self.referrals.audit_stats(), None)
        self.report.addendum_keys = self.window.actions["addendum"].shortcut().toString(
            QKeySequence.SequenceFormat.NativeText)
        self.report.sign_keys = lambda: [
            self.window.actions["sign"].shortcut().toString(), "Ctrl+Return"]
        templates = menu.addMenu(self.tr("Insert &template"))
        for n, template in enumerate(self.templates):
            self.window._add_action(
                templates, f"template-{template.key}",
                template.title.get(self.ui_lang, template.key),
                lambda _=False, k=template.key: self.insert_template(k),
                "Ctrl+T" if n == 0 else None)

    def find_study(self) -> None:
        """Ctrl+F: the worklist's search box takes the keys (the panels come back if hidden)."""
        if self.window.images_only:
            self.window.toggle_images_only()
        self.worklist_dock.show()
        self.worklist_dock.raise_()
        self.worklist.find()

    # -- state shared by the parts ----------------------------------------------------------------
    @property
    def study_uid(self) -> str | None:
        """The study being read."""
        return self.study_flow.study_uid

    @study_uid.setter
    def study_uid(self, uid: str | None) -> None:
        self.study_flow.study_uid = uid

    @property
    def report_lang(self) -> str:
        return self.report.report_lang

    @property
    def prior_path(self) -> Path | None:
        return self.study_flow.prior_path

    @property
    def player(self) -> Player:
        """Plays dictations back (the transport's and the word links')."""
        return self.transport.player

    @player.setter
    def player(self, player: Player) -> None:
        self.transport.player = player

    @property
    def archive(self):
        """The archive client (a DicomWebClient), or None when working offline."""
        return self.archive_link.archive

    @archive.setter
    def archive(self, archive) -> None:
        self.archive_link.archive = archive

    @property
    def reachable(self) -> bool | None:
        """The last contact with the archive: ok (True), failed (False), none yet (None)."""
        return self.archive_link.reachable

    @property
    def online(self):
        """The archive state in the status bar."""
        return self.archive_link.online

    @property
    def _prefetcher(self):
        return self.worklist_flow.prefetcher

    def _image_cache(self):
        return self.worklist_flow.image_cache()

    # -- worklist ---------------------------------------------------------------------------------
    def refresh_worklist(self) -> None:
        self.worklist_flow.refresh()
        self.referrals.fetch_reviews()  # reviews of this station's requests, if any

    def _blind(self, study_uid: str, on: bool) -> None:
        """An expert reads ``study_uid`` blind: the report panel, which would show a first
        report this station holds, is hidden until the own read is saved (the AI panel
        stays); another study opened shows it again."""
        if not on and study_uid != self._blind_study:
            return  # an earlier request's read saved: the study read blind now stays so
        self._blind_study = study_uid if on else None
        self.report.setVisible(not on)
        self.blind_note.setVisible(on)

    def _say(self, message: str) -> None:
        """A message of the report or of dictation, about the study being read: it goes
        after a while, and when another study opens ("“35%.” does not fit this field"
        stood in the status bar on the next study)."""
        self._said = (message, self.study_uid)
        self.window.statusBar().showMessage(message, SAID_MS)

    def _forget_said(self, volume: Volume) -> None:
        """A study opens (before its report can speak): a message said of another goes."""
        message, study = self._said or (None, None)
        path = self.window.current_path
        if message and study != (study_uid_of(volume, path) if path else None):
            if self.window.statusBar().currentMessage() == message:
                self.window.statusBar().clearMessage()
            self._said = None

    def _leave_blind(self, _volume) -> None:
        if self._blind_study is not None and self.study_uid != self._blind_study:
            self._blind(self._blind_study, False)

    def _show_reviewed(self) -> None:
        """The worklist's "Reviewed" filter, the worklist in view."""
        self.worklist_dock.show()
        self.worklist_dock.raise_()
        combo = self.worklist.status_filter
        combo.setCurrentIndex(combo.findData("reviewed"))

    def add_local_study(self, path: Path, volume: Volume | None = None) -> str:
        return self.worklist_flow.add_local_study(path, volume)

    def open_study(self, study_uid: str) -> Task | None:
        return self.worklist_flow.open_study(study_uid)

    def open_next(self) -> None:
        self.worklist_flow.open_next(self.study_uid)

    def stop(self) -> None:
        """At exit: stop background fetching; wipe the image cache if the setting says so."""
        self.worklist_flow.stop()
        self.worklist_flow.wipe_cache_on_exit()

    # -- reading ----------------------------------------------------------------------------------
    def compare_prior(self) -> None:
        self.study_flow.compare_prior()

    def _ai_done(self, result) -> None:
        if self.ai_prefill.show_result(result):
            self.refresh_worklist()
            if self.window.images_only:  # the AI panel is hidden: say it is there
                self.window.statusBar().showMessage(self.tr(
                    "AI pre-read ready: %1 (F11 shows the panels)").replace(
                    "%1", terms.grade(self.ai.result_json.get("grade"))), 15000)

    def insert_template(self, spoken: str | None = None) -> bool:
        return self.template_inserter.insert(spoken)

    def play_back(self) -> None:
        self.transport.play_back()

    def rewind(self) -> None:
        self.transport.rewind()

    def fast_forward(self) -> None:
        self.transport.fast_forward()

    def _voice_command(self, name: str, argument) -> None:
        if name == "accept_ai_values":
            self.ai.accept()
        elif name == "sign_report":
            self.report.sign()
        elif name == "insert_template":
            self.insert_template(argument)

    # -- signing and sync -------------------------------------------------------------------------
    def sign_and_next(self) -> None:
        """Sign the report; once it is stored, open the next study of the worklist."""
        signed: list = []
        self.report.signed.connect(signed.append)
        try:
            self.report.sign()
        finally:
            self.report.signed.disconnect(signed.append)
        if signed:
            self.worklist_flow.open_next_unsigned(self.study_uid)

    def _key_images_changed(self) -> None:
        if isValid(self.report):
            self.report.refresh_text()

    def _signed(self, record) -> None:
        self.dictation.stop()  # the signed report is locked: its late words are not written
        bar = self.window.statusBar()
        if self.ai_prefill.said and bar.currentMessage() == self.ai_prefill.said:
            bar.clearMessage()  # "AI values filled in; check them": nothing is left to check
        self.ai.record_correction(record.fields.get("grade"))
        # The pre-read and the verdicts on it go to the archive with the signed report.
        self.ai.queue_for_archive(record.study_instance_uid, also=self.report.ai_result_id)
        self.store.audit(self.reader, "signed", record.study_instance_uid,
                         report=record.report_uid, version=record.version)
        self.refresh_worklist()
        self.update_status()
        self.sync()

    def sync(self) -> Task | None:
        """Drain the outbox to the archive in the background (no-op when offline)."""
        self.referrals.fetch_reviews()
        return self.archive_link.sync()

    def _fit_left_column(self) -> None:
        """The worklist gets most of the left column: it is what the reader goes through;
        a study has few measurements (the tab showed 7 worklist rows over an empty list)."""
        window = self.window
        if not isValid(window):
            return
        docks = [self.worklist_dock, window.measurement_dock, window.series_dock]
        height = sum(d.height() for d in docks)
        if height > 0:
            window.resizeDocks(docks, [height * 50 // 100, height * 18 // 100,
                                       height * 32 // 100], Qt.Orientation.Vertical)

    def update_status(self) -> None:
        self.archive_link.update_status()


def _dock(window: MainWindow, title: str, widget: QWidget, name: str,
          area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock-{name}")
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock
