"""The AI pre-read panel: runs in the background with progress and cancel, shows the grade and
% involvement, and records the radiologist's verdict (accept / reject) as feedback.

For a DICOM study the worker also writes the result as a DICOM SEG and a TID 1500 SR under
``LUCH_HOME/ai-dicom``; they are listed with the stored result and go to the archive with it
once a report on the study is signed. A NIfTI study (no DICOM identity) gets neither."""

from __future__ import annotations

import html
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from app.panels.ai_files import (  # write_dicom_outputs, DICOM_DIR: found here too
    DICOM_DIR,
    LABELS_SUFFIX,
    StoredPreRead,
    current_model_version,
    find_stored,
    write_dicom_outputs,
    write_label_map,
)
from app.shell.error_text import error_text
from app.shell.tasks import Task
from core import vault
from core.errors import LuchError
from core.paths import app_subdir
from core.vault import FOLDER_KEY
from records import Store, Verdict
from records.errors import RecordsError
from records.outbox import KIND_AI_RESULT
from records.retention import unsent_keep_days
from studies import Volume
from viewer.hanging import is_chest

if TYPE_CHECKING:  # the AI stack (torch, scipy) loads on the first run, not at start-up
    from inference.preread import PreReadOptions, PreReadResult

log = logging.getLogger(__name__)


ORPHAN_AGE_S = 3600.0  # files no result lists yet: a pre-read may be saving them right now
CORRECTIONS_DIR = "corrections"  # app.reading.label_correction.FOLDER: its files share the keys


def prune_dicom_outputs(store: Store, now: float | None = None) -> list[Path]:
    """Delete the SEG/SR files under ``LUCH_HOME/ai-dicom`` that no AI result still needs:
    those of results the archive now holds (their job is done), those of pre-reads never
    queued within :data:`UNSENT_KEEP_DAYS` (released from the result, audited) and, after an
    hour, files no result lists (a session ended before saving its pre-read). The key of a
    study none of whose AI files is left is deleted with them. Returns them.

    A sent result's label map (about 0.2 MB, never sent) stays as long as an unsent
    pre-read would: a signed study opened again in that time shows its pre-read at once
    instead of reading the whole study again (it was deleted with the SEG and SR)."""
    now = time.time() if now is None else now
    keep_s = unsent_keep_days() * 86400.0
    folder = app_subdir(DICOM_DIR)
    removed = [Path(f) for f in store.release_unsent_ai_files(
        datetime.fromtimestamp(now - keep_s, UTC), folder)]
    for path in removed:
        path.unlink(missing_ok=True)
    needed = store.ai_files_needed()
    for path in folder.iterdir():
        if path.name == FOLDER_KEY:  # the folder's data key (encryption at rest): kept
            continue
        need = needed.get(str(path))
        age = now - path.stat().st_mtime
        if need is None and age < ORPHAN_AGE_S:
            continue
        if need is False and path.name.endswith(LABELS_SUFFIX) and age < keep_s:
            continue  # the sent pre-read's own label map: shown again on reopening
        if not need:
            path.unlink(missing_ok=True)
            removed.append(path)
    try:
        keys = vault.reader() if removed else None
    except (vault.KeyMissing, vault.KeyringUnavailable):  # nothing sealed here, or no key
        keys = None
    if keys is not None:  # a study whose AI files are all gone: its key goes too
        vault.drop_unused_study_keys(keys, [folder, app_subdir(CORRECTIONS_DIR)],
                                     ORPHAN_AGE_S, now)
    return removed


class FitScroll(QScrollArea):
    """As tall as its content at its width while the column has room (no scroll bar); squeezed
    by a tall report form below, it scrolls instead of cutting the content's last lines."""

    MIN_LINES = 3  # squeezed, it still shows this many lines and its scroll bar

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        content.installEventFilter(self)  # its lines shown or hidden: a new height

    def sizeHint(self) -> QSize:
        content = self.widget()
        width = self.viewport().width() if self.isVisible() else content.sizeHint().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        return QSize(content.sizeHint().width(),
                     (height if height >= 0 else content.sizeHint().height())
                     + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, min(self.sizeHint().height(),
                            self.MIN_LINES * self.fontMetrics().lineSpacing()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # wrapped anew: another height
            self.updateGeometry()


NO_LUNGS = "not-assessable:lungs-missing-or-barely-in-view"  # inference.quality's flag


class AiPanel(QWidget):
    """``result_ready(PreReadResult)`` once the pre-read is done; ``accepted(dict)`` with its
    JSON when the reader accepts it; ``rejected()`` when they reject it."""

    result_ready = Signal(object)
    accepted = Signal(dict)
    rejected = Signal()
    failed = Signal(str)
    declined = Signal(str)  # not run by itself on a study, saying why (not a chest CT)
    show_voxel = Signal(object)  # (i, j, k) of a finding the reader asked to see
    running = Signal(bool)  # the panel's own pre-read started (True) or ended (False)

    def __init__(self, store: Store, reader: str, options: PreReadOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.reader = store, reader
        self.options = options
        self.result: PreReadResult | None = None
        self.result_json: dict | None = None
        self.ai_result_id: int | None = None
        self.ai_json: dict | None = None  # the AI's own values (result_json once corrected)
        self.correction_id: int | None = None  # the reader's saved correction of the labels
        self.study_uid = ""
        self.dicom_files: list[Path] = []  # the SEG and SR of the current pre-read
        self._task: Task | None = None
        self._arriving = False  # the study is still arriving: the model may not read it yet
        self._generation = 0  # a stored result looked up for an older open is not shown

        # The same words as inference.preread.INVESTIGATIONAL, as a literal so it is translated.
        self.notice = QLabel("<i>" + self.tr(
            "Investigational AI pre-read, not a medical device: a radiologist must review "
            "every result.") + "</i>")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b35c00")
        self.grade = QLabel("—")
        self.grade.setObjectName("ai-grade")
        self.grade.setStyleSheet("font-size: 22px; font-weight: bold")
        self.verdict = QLabel()  # the reader's verdict on this result, once given
        self.rejected_here = False  # the reader rejected the result shown
        # The model version of an earlier result of this study the reader rejected, while
        # the result shown (a newer one) has no verdict of theirs: said, its overlay hidden
        # unless the reader asked for it (:attr:`overlay_hidden`).
        self.earlier_rejection: str | None = None
        self._asked = False  # the result shown was asked for (Run AI, Ctrl+R)
        self.verdict.setObjectName("ai-verdict")
        self.verdict.setStyleSheet("font-weight: bold")
        self.verdict.setWordWrap(True)  # a long one ("You rejected the earlier...") widened
        # the report column over the images
        self.verdict.hide()
        self.details = QLabel()
        self.details.setObjectName("ai-details")
        self.details.setWordWrap(True)
        # Squeezed by the report form below, its lines go from the bottom, not the top (the
        # first line, the involvement, stood half cut off above the rest).
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # One line (the involvement, or why not assessable) and the rest folded away, so the
        # report form keeps the height of the column on a 768-pixel screen.
        self.summary = QLabel()
        self.summary.setObjectName("ai-summary")
        self.summary.setWordWrap(True)
        self.more = QToolButton()
        self.more.setObjectName("ai-more")
        self.more.setText(self.tr("Details"))
        self.more.setCheckable(True)
        self.more.setToolTip(self.tr("Show or hide the AI's details"))
        self.more.toggled.connect(self._fold)
        # Findings set aside from the grade (solid foci), each a link that shows it.
        self.findings = QLabel()
        self.findings.setObjectName("ai-findings")
        self.findings.setWordWrap(True)
        self.findings.linkActivated.connect(self._link)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.run_button = QPushButton(self.tr("Run AI"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.accept_button = QPushButton(self.tr("Accept AI values"))
        self.accept_button.setObjectName("accept-ai")
        self.reject_button = QPushButton(self.tr("Reject"))
        self.run_button.clicked.connect(lambda: self.run(self._volume))
        self.cancel_button.clicked.connect(self.cancel)
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("AI grade")), 0, 0)
        grid.addWidget(self.grade, 0, 1)
        grid.addWidget(self.verdict, 1, 0, 1, 2)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.cancel_button, self.accept_button, self.reject_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(grid)
        summary = QHBoxLayout()
        summary.addWidget(self.summary, 1)
        summary.addWidget(self.more)
        layout.addLayout(summary)
        # The details and findings scroll when the report form leaves them too little room
        # (unfolded, their last lines and links were cut off at the bottom).
        sheet = QWidget()
        sheet_layout = QVBoxLayout(sheet)
        sheet_layout.setContentsMargins(0, 0, 0, 0)
        sheet_layout.addWidget(self.details)
        sheet_layout.addWidget(self.findings)
        self.details_scroll = FitScroll(sheet)
        self.details_scroll.setObjectName("ai-details-scroll")
        layout.addWidget(self.details_scroll)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._volume: Volume | None = None
        self._show_findings([])
        self._report_locked = False  # the report is signed: nothing to accept into it
        self._set_state("idle")
        self._fold(False)

    def _fold(self, unfolded: bool) -> None:
        """The details shown in full, or as their first line (with a button to unfold)."""
        text = self.details.text()
        first, _, rest = text.partition("\n")
        self.summary.setText(first)
        folded = bool(rest) and not unfolded
        self.summary.setVisible(folded)
        self.details.setVisible(not folded and bool(text))
        self.more.setVisible(bool(rest))
        self.more.setText(self.tr("Less") if unfolded else self.tr("Details"))

    @property
    def volume(self) -> Volume | None:
        """The series the current (or running) pre-read reads."""
        return self._volume

    @property
    def assessable(self) -> bool:
        """The current result graded the study (CT-0..4); a not-assessable one has no values
        to accept, no percentages and no lesions to show."""
        return bool(self.result_json) and str(self.result_json.get("grade", "")).startswith("CT-")

    def set_report_locked(self, locked: bool) -> None:
        """The report is signed: its values cannot be accepted into it, nor the result
        rejected for it (on a reopened signed study both buttons stood enabled)."""
        self._report_locked = locked
        self._set_state(self._state)

    def _set_state(self, state: str) -> None:
        self._state = state
        open_report = not self._report_locked
        running, done = state == "running", state == "done"
        if running != getattr(self, "_running", False):
            self._running = running
            self.running.emit(running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.run_button.setEnabled(not running and self._volume is not None
                                   and not self._arriving)
        self.accept_button.setEnabled(done and self.assessable and open_report)
        self.reject_button.setEnabled(done and open_report)
        if state != "idle":
            self.verdict.clear()
            self.verdict.hide()  # no empty line under the grade
            self.rejected_here = False
            self.earlier_rejection = None

    @property
    def overlay_hidden(self) -> bool:
        """The result's overlay stays hidden (O shows it): the reader rejected it, or
        rejected an earlier result of the study and did not ask for this one."""
        return self.rejected_here or (self.earlier_rejection is not None and not self._asked)

    def run(self, volume: Volume | None, study_uid: str = "",
            source: Path | None = None, asked: bool = True) -> Task | None:
        """Start the pre-read of ``volume`` off the UI thread; with ``source`` (the study's
        DICOM files) also write its SEG and SR. ``asked``: the reader asked for it (not a
        study opened with no stored pre-read by the current model)."""
        if volume is None:
            return None
        if self._arriving and volume is self._volume:  # (Ctrl+R while it arrives)
            self.failed.emit(self._waiting_text())
            return None
        self.cancel()
        self._generation += 1
        self._forget(volume, study_uid or self.study_uid, self.tr("AI pre-read running…"))
        self.grade.setText("…")
        self.progress.setValue(0)
        options = self.options

        dicom = source is not None and not volume.info.study_is_local

        def work(progress, cancel):
            from inference.preread import analyze  # deferred: the AI stack loads on the first run

            result = analyze(volume, options, progress, cancel)
            try:  # kept to be shown again when the study is reopened
                files = [write_label_map(result.labels, volume)]
            except Exception as err:  # the result stands without it (it runs again next time)
                log.warning("AI label map not written: %s", type(err).__name__)
                files = []
            if not dicom:
                return result, files, None
            try:
                return result, [*files, *write_dicom_outputs(result, volume, source)], None
            except Exception as err:  # the result stands without its DICOM copies
                log.warning("AI SEG/SR not written: %s", type(err).__name__)
                return result, files, err

        task = Task(work, QT_TRANSLATE_NOOP("Task", "AI pre-read"))
        task.progress.connect(lambda f: self.progress.setValue(int(100 * f)))
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self._task = task
        self._set_state("running")
        self._asked = asked
        return task.start()

    def open_study(self, volume: Volume, study_uid: str, source: Path | None = None,
                   run: bool = True, arriving: bool = False) -> Task | None:
        """A study opened: show its stored pre-read of this series by this model version
        (made here, in the background or imported) if there is one, else run the model
        (with ``run``).
        "Run AI pre-read" (:meth:`run`) always runs it again.

        ``arriving``: the study is shown while its images still arrive (progressive open);
        its stored pre-read is shown at once (the grid is known from the headers), but the
        model waits for every image (:meth:`arrived`)."""
        self.cancel()
        self._generation += 1
        generation = self._generation
        if (study_uid and study_uid != self.study_uid) or self._volume is not volume or (
                self._arriving and not arriving and self.result is None):  # ("starts when…")
            self._forget(volume, study_uid or self.study_uid,
                         self._waiting_text() if arriving else "")  # not the last study's
        self._volume, self.study_uid = volume, study_uid or self.study_uid
        self._arriving = arriving
        if arriving:
            self._set_state("idle")  # no "Run AI" on the images not here yet
        run = run and not arriving
        store = self.store

        def work(progress, cancel):
            try:
                return find_stored(store, study_uid, volume, current_model_version())
            except Exception as err:  # a damaged store row or file: run the model instead
                log.warning("stored AI result not read: %s", type(err).__name__)
                return None

        def found(stored: StoredPreRead | None) -> None:
            if generation != self._generation:
                return  # another study since, or the reader ran the AI meanwhile
            if stored is not None:
                self.show_stored(volume, study_uid, stored)
            elif run and is_chest(volume.info) is False:  # an abdomen CT: no lungs to read
                self.details.setText(self.tr(
                    "Not a chest CT by its description: the AI pre-read reads chests only, so "
                    "it was not run (Run AI reads it anyway); the reader grades it."))
                self._fold(self.more.isChecked())
                self.declined.emit(self.details.text())
            elif run:
                self.run(volume, study_uid, source=source, asked=False)

        task = Task(work, QT_TRANSLATE_NOOP("Task", "reading the stored AI result"))
        task.succeeded.connect(found)
        self._lookup = task
        return task.start()

    def _waiting_text(self) -> str:
        return self.tr("The AI pre-read starts when the whole study has arrived")

    def shows(self, volume: Volume) -> bool:
        """Whether the panel shows a result of ``volume`` (e.g. one found while it arrived)."""
        return self.result is not None and self._volume is volume

    def arrived(self) -> None:
        """The study shown while it arrived is whole: the model may read it now."""
        self._arriving = False
        self._set_state("done" if self.result is not None else "idle")

    def _forget(self, volume: Volume | None, study_uid: str, text: str) -> None:
        """No result shown: the panel belongs to ``study_uid`` now (``volume``, if here)."""
        self._volume, self.study_uid = volume, study_uid
        self._arriving = False
        self.result = self.result_json = self.ai_result_id = self.ai_json = None
        self.correction_id = None
        self.dicom_files = []
        self.grade.setText("—")
        self.details.setText(text)
        self._fold(self.more.isChecked())
        self._show_findings([])
        self._set_state("idle")
        self.verdict.clear()
        self.verdict.hide()
        self.rejected_here = False
        self.earlier_rejection = None

    def show_stored(self, volume: Volume, study_uid: str, stored: StoredPreRead) -> None:
        """Show a stored result of ``volume`` as if it had just been read (no model run)."""
        self.cancel()
        self._volume, self.study_uid = volume, study_uid
        self.result, self.result_json = stored, stored.to_json()
        self.ai_json, self.ai_result_id = self.result_json, stored.ai_result_id
        # the reader's saved correction of it counts, as when it was saved (ai_json stays the
        # AI's own values; the overlay draws the corrected map, ``AiPrefill.show_result``)
        self.correction_id = stored.correction_id
        if stored.corrected_values is not None:
            self.result_json = dict(stored.corrected_values)
        self.dicom_files = [f for f in stored.files if f.name.endswith(".dcm")]
        self._show_values(self.result_json, [self.tr(
            "Read before this study was opened (stored); Run AI pre-read reads it again")])
        self._set_state("done")
        self._asked = False
        given = [f.verdict for f in self.store.ai_feedback(stored.ai_result_id)
                 if f.reader == self.reader] if stored.ai_result_id is not None else []
        if given:  # reopened (a draft kept): the verdict stands, as when it was given
            self._show_verdict(given[-1])
        else:
            self._show_earlier_rejection()
        self.result_ready.emit(stored)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _cancelled(self) -> None:
        self._task = None
        self.grade.setText("—")
        self.details.setText(self.tr("AI pre-read cancelled"))
        self._fold(self.more.isChecked())
        self._set_state("idle")

    def _failed(self, message: str) -> None:
        self._task = None
        self.grade.setText("—")
        self.details.setText(message)
        self._fold(self.more.isChecked())
        self._set_state("idle")
        self.failed.emit(message)

    def _done(self, outcome) -> None:
        self._task = None
        result, files, dicom_error = outcome
        self.dicom_files = [f for f in files if f.name.endswith(".dcm")]
        self.result, self.result_json = result, result.to_json()
        self.ai_json = self.result_json
        j = self.result_json
        extra = []
        if dicom_error is not None:
            reason = error_text(dicom_error) if isinstance(dicom_error, LuchError) else ""
            extra.append(self.tr("The result is kept, but its DICOM SEG and SR could not be "
                                 "written: %s") % (reason or type(dicom_error).__name__))
        self._show_values(j, extra)
        if self.study_uid:
            self.ai_result_id = self.store.save_ai_result(
                self.study_uid, model_name=j["engine"], model_version=j["model_version"],
                values=j, mask_files=[str(p) for p in files], sync=False,
                series_instance_uid=self._volume.info.series_instance_uid
                if self._volume is not None else "")
        self._set_state("done")
        self._show_earlier_rejection()
        self.result_ready.emit(result)

    def _show_values(self, j: dict, extra: list[str] = ()) -> None:
        """The grade, involvement, volumes and findings of ``j`` (a result's JSON)."""
        corrected = bool(j.get("corrected"))
        grade = terms.grade(j["grade"])
        self.grade.setText(self.tr("%1 (corrected)").replace("%1", grade) if corrected
                           else grade)
        if self.assessable:
            inv, vol = j["involvement_percent"], j["volumes_ml"]
            lines = [
                self.tr("Involvement: right %1%, left %2%, total %3%")
                .replace("%1", terms.number(inv["right"])).replace("%2", terms.number(inv["left"]))
                .replace("%3", terms.number(inv["total"])),
                self.tr("Grade by the worse lung %1, by both lungs %2")
                .replace("%1", terms.grade(j["grade_worst_lung"]))
                .replace("%2", terms.grade(j["grade_both_lungs"])),
                self.tr("GGO %1 mL, consolidation %2 mL").replace("%1", terms.number(vol["ggo"], 0))
                .replace("%2", terms.number(vol["consolidation"], 0)),
                self.tr("COVID-19 pattern: %s") % terms.term(j["probability"]),
            ]
        elif NO_LUNGS in j.get("quality_flags", []) or (
                self._volume is not None and is_chest(self._volume.info) is False):
            lines = [self.tr("The AI could not assess this study: no lungs in view (not a "
                             "chest CT, or too little of one; the AI reads chests only); the "
                             "reader grades it.")]
        else:  # nothing measured means anything: only why, and no values to accept
            lines = [self.tr("The AI could not assess this study; the reader grades it.")]
        if corrected:  # after the involvement, which stays the line shown folded
            lines.insert(1 if self.assessable else 0, self.tr(
                "Corrected by the reader: recomputed from the edited labels (the AI read %1)")
                .replace("%1", terms.grade(str(j.get("ai_grade", "")))))
        # A stored result made elsewhere (an imported one) may lack the run's details.
        flags = [f for f in j.get("quality_flags", []) if not f.startswith("corrected")]
        if flags:
            lines.append(self.tr("Quality: %s") % "; ".join(terms.quality_flag(f) for f in flags))
        if all(k in j for k in ("engine", "device", "seconds")):
            lines.append(self.tr("%1 on %2 in %3 s").replace("%1", terms.engine(j["engine"]))
                         .replace("%2", terms.device(j["device"]))
                         .replace("%3", terms.number(j["seconds"])))
        self.details.setText("\n".join([*lines, *extra]))
        self._fold(self.more.isChecked())
        if self.assessable:
            self._show_findings(j.get("quality_flags", []), j.get("lesions", []))
        else:
            self._show_findings([])

    def show_corrected(self, values: dict, correction_id: int) -> None:
        """The reader's saved correction: its recomputed values are shown (marked corrected)
        and are what "accept" fills in from now on."""
        self.result_json, self.correction_id = values, correction_id
        self._show_values(values)
        self._set_state("done")

    def _show_findings(self, flags: list[str], lesions: list[dict] = ()) -> None:
        """Links that put the crosshair on each solid focus set aside and on each of the
        largest lesions (``lesions`` of the result's JSON), to check them in the images."""
        links = []
        for flag in flags:
            at = terms.finding_voxel(flag)
            if at is not None:
                text = self.tr("Show the solid focus (slices %s)") % terms.finding_slices(flag)
                links.append((text, at))
        for n, lesion in enumerate(lesions, 1):
            text = (self.tr("Show lesion %1: %2, slices %3, %4 mL")
                    .replace("%1", str(n)).replace("%2", terms.lung(lesion["side"]))
                    .replace("%3", lesion["slices"]).replace("%4", terms.number(lesion["ml"])))
            links.append((text, tuple(lesion["at"])))
        self.findings.setText("<br>".join(
            '<a href="voxel:{},{},{}">{}</a>'.format(*at, html.escape(text))
            for text, at in links))
        self.findings.setVisible(bool(links))

    def _link(self, href: str) -> None:
        kind, _, value = href.partition(":")
        if kind == "voxel":
            self.show_voxel.emit(tuple(int(v) for v in value.split(",")))

    def accept(self) -> None:
        """Agree with the result and fill the form from it (only a graded one: Ctrl+Shift+Y
        or the voice command on a not-assessable result does nothing)."""
        if not self.accept_button.isEnabled():
            return
        j, ai = self.result_json or {}, self.ai_json or {}
        if j.get("corrected") and j.get("grade") != ai.get("grade"):  # labels corrected
            self._feedback(Verdict.PARTLY, corrected_grade=j.get("grade"))
        else:
            self._feedback(Verdict.AGREE)
        self.accepted.emit(j)

    def reject(self) -> None:
        if not self.reject_button.isEnabled():  # nothing shown, or the report is signed
            return
        self._feedback(Verdict.DISAGREE)
        self.rejected.emit()

    def _feedback(self, verdict: Verdict, corrected_grade: str | None = None) -> None:
        if self.ai_result_id is not None:
            self.store.save_ai_feedback(self.ai_result_id, reader=self.reader, verdict=verdict,
                                        corrected_grade=corrected_grade)
        self._show_verdict(verdict)

    def _earlier_rejection(self) -> str | None:
        """The model version of a result of this study by another model version than the
        one shown, when the reader's latest verdict on such results is a rejection (None:
        none, or one since accepted). The same model read again is a run the reader asked
        for, with its own verdict to come."""
        if not self.study_uid or self.ai_result_id is None:
            return None
        shown = (self.result_json or {}).get("model_version")
        latest = None
        for result in self.store.ai_results_of(self.study_uid):
            if result.id == self.ai_result_id or result.model_version == shown:
                continue
            for given in self.store.ai_feedback(result.id):
                if given.reader == self.reader and (latest is None or given.id > latest[0].id):
                    latest = (given, result.model_version)
        return latest[1] if latest is not None and latest[0].verdict is Verdict.DISAGREE \
            else None

    def _show_earlier_rejection(self) -> None:
        """A new result (another model version) of a study whose earlier result the reader
        rejected: said under the grade, the buttons left on for a verdict
        on this one. Not stored as this result's verdict: the reader has not judged it."""
        self.earlier_rejection = self._earlier_rejection()
        if self.earlier_rejection is None:
            return
        version = (self.result_json or {}).get("model_version", "")
        self.verdict.setText(self.tr(
            "You rejected the earlier AI result of this study (model %1); this result is new "
            "(model %2): accept or reject it").replace("%1", self.earlier_rejection)
            .replace("%2", str(version or "?")))
        self.verdict.setStyleSheet("font-weight: bold; color: #a66a00")
        self.verdict.show()

    def _show_verdict(self, verdict: Verdict) -> None:
        """The reader's verdict under the grade; accepting or rejecting again is off."""
        self._set_state("idle")
        self.earlier_rejection = None
        self.rejected_here = verdict is Verdict.DISAGREE  # its overlay stays hidden
        self.verdict.setText({
            Verdict.AGREE: self.tr("You accepted the AI values"),
            Verdict.PARTLY: self.tr("You accepted the AI values as corrected"),
            Verdict.DISAGREE: self.tr("You rejected the AI result: its values are not used"),
        }[verdict])
        self.verdict.setStyleSheet("font-weight: bold; color: %s" % (
            "#a61b1b" if verdict is Verdict.DISAGREE else "#1b6e2e"))
        self.verdict.show()

    def record_correction(self, signed_grade: str | None) -> None:
        """After signing: a grade that differs from the accepted AI grade is a partial verdict."""
        if self.ai_result_id is None or not self.result_json or signed_grade is None:
            return
        given = [f.verdict for f in self.store.ai_feedback(self.ai_result_id)
                 if f.reader == self.reader]
        if given and given[-1] is Verdict.DISAGREE:  # rejected stays rejected: not "accepted
            return  # as corrected" when the reader then grades the study their own way
        if not given and self.earlier_rejection is not None:  # nor a result never judged
            return  # after the study's earlier one was rejected
        if signed_grade != (self.ai_json or self.result_json)["grade"]:
            self.store.save_ai_feedback(self.ai_result_id, reader=self.reader,
                                        verdict=Verdict.PARTLY, corrected_grade=signed_grade)

    def queue_for_archive(self, study_uid: str, also: int | None = None) -> list[int]:
        """After signing: queue this study's stored pre-read (and ``also``, e.g. the one the
        report was filled from in an earlier session) for the archive, with its verdicts.

        Queuing is idempotent per result; a pre-read of another study is never queued, and
        one of a study whose UID was derived here stays local (the store audits it).
        Returns the ids queued."""
        queued = []
        for ai_id in dict.fromkeys(i for i in (self.ai_result_id, also) if i is not None):
            try:
                same_study = self.store.ai_result(ai_id).study.study_instance_uid == study_uid
            except RecordsError:  # a draft naming a result this store does not hold
                continue
            if same_study:
                self.store.enqueue(KIND_AI_RESULT, ai_id, study_uid)
                queued.append(ai_id)
        return queued
