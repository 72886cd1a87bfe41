"""The AI result in the reading: its label map drawn over the CT, its values pre-filled
into the protocol form when the reader accepts it."""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.panels import terms
from app.panels.ai_files import same_grid
from app.panels.ai_panel import AiPanel
from app.panels.report_panel import ReportPanel
from app.reading.prefill import protocol_values
from app.shell.main_window import MainWindow
from studies import Volume


def labels_volume(labels, volume: Volume) -> Volume:
    """A label map on the geometry of ``volume`` (to draw over it)."""
    return Volume(voxels=labels, spacing=volume.spacing, origin=volume.origin,
                  direction=volume.direction, info=volume.info)


class AiPrefill(QObject):
    """Shows a finished AI result over the study and fills the form from an accepted one."""

    def __init__(self, window: MainWindow, ai: AiPanel, report: ReportPanel) -> None:
        super().__init__(window)
        self.window, self.ai, self.report = window, ai, report
        self.said = ""  # the status bar's "AI values filled in; check them", once said

    def show_result(self, result) -> bool:
        """Draw the result's label map over the study it was made for; False if another
        study is shown now."""
        volume = self.window.volume
        if not same_grid(self.ai.volume, volume) or result.labels.shape != volume.shape:
            return False
        if not self.ai.assessable:  # "the reader grades it": no lesions painted either
            self.window.clear_labels()
            return True
        # A result asked for is shown, even after one was rejected; one the reader rejected
        # (a study opened again) stays hidden, as it was when they rejected it (O shows it),
        # as does a new one (a newer model) of a study whose earlier result they rejected.
        self.window.state.set_overlay(shown=not self.ai.overlay_hidden)
        self.window.show_labels(labels_volume(result.labels, volume))
        corrected = getattr(result, "corrected", None)
        editor = self.window.label_tools.editor
        if corrected is not None and editor is not None and not editor.edited:
            editor.restore_saved(corrected)  # the reader's saved correction, as saved
        if self.ai.earlier_rejection is not None and self.ai.overlay_hidden:
            self.window.statusBar().showMessage(self.tr(
                "A new AI result of a study whose earlier result you rejected: its overlay "
                "is hidden (O shows it)"), 8000)
        return True

    def prefill(self, ai_json: dict) -> None:
        if self.report.locked:
            self.window.statusBar().showMessage(self.tr(
                "The report is signed: add an addendum before filling in AI values"))
            return
        values = protocol_values(ai_json)
        if not values:
            self.window.statusBar().showMessage(
                self.tr("The AI could not assess this study: nothing to pre-fill"))
            return
        for key, value in values.items():
            self.report.form.set_value(key, value)
        # A solid focus the AI set aside from the grade is written too: a CT-0 ("normal")
        # text must not leave it out.
        self.report.insert_ai_findings(("focus",), quiet=True)
        self.report.ai_result_id = self.ai.ai_result_id
        if ai_json.get("corrected"):
            note = self.tr("Filled in from the AI pre-read as corrected by the reader (labels "
                           "edited; the AI read %1)").replace(
                "%1", terms.grade(str(ai_json.get("ai_grade"))))
        else:
            note = self.tr("Filled in from the AI pre-read")
        self.report.prefill_note.setText(note)
        self.report.prefill_note.show()
        self.said = (self.tr("Corrected AI values filled in; check them")
                     if ai_json.get("corrected") else self.tr("AI values filled in; check them"))
        self.window.statusBar().showMessage(self.said)
