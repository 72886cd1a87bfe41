"""Saving the reader's label edits as a correction of the stored AI result.

The edited map, the AI's own and what changed go through :mod:`inference.corrections`
(who, when, voxels per label; grade and volumes recomputed, marked corrected) into
``Store.save_ai_correction``; for a DICOM study whose pre-read wrote a SEG, a corrected SEG
that references it is written beside the correction and goes to the archive with the result
(through the outbox, once). The AI panel then shows the corrected values, and "accept" fills
them in."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from app.panels import terms
from app.panels.ai_panel import AiPanel
from app.shell.main_window import MainWindow
from app.shell.tasks import Task
from core.paths import app_subdir
from core.vault import read_folder_file, write_folder_file
from records import Store
from studies import Volume

log = logging.getLogger(__name__)
FOLDER = "corrections"  # under LUCH_HOME: the maps (.npz) and corrected SEGs


def write_corrected_seg(corrected, volume: Volume, source: Path, original_seg: Path,
                        model_version: str, reader: str, folder: Path) -> Path:
    """The corrected label map as a SEG over the study's own frames, referencing the AI's
    SEG (``original_seg``), written atomically under ``folder`` (sealed when encryption at
    rest is on)."""
    import pydicom  # deferred (this function): the correction stack loads with the first save

    from archive.dicomweb import dataset_bytes
    from inference.corrections import corrected_seg
    from inference.dicom_out import source_datasets

    original = pydicom.dcmread(io.BytesIO(read_folder_file(original_seg)),
                               stop_before_pixels=True)
    seg = corrected_seg(corrected, source_datasets(source, volume), model_version, reader,
                        original)
    return write_folder_file(folder / f"{seg.SOPInstanceUID}.seg.dcm", dataset_bytes(seg),
                             study_uid=str(seg.StudyInstanceUID))


class LabelCorrection(QObject):
    """Saves the label tools' edits (``window.label_tools``) with the AI panel's result;
    ``saved(correction_id)`` once stored."""

    saved = Signal(int)

    def __init__(self, window: MainWindow, store: Store, reader: str, ai: AiPanel) -> None:
        super().__init__(window)
        self.window, self.store, self.reader, self.ai = window, store, reader, ai
        self.task: Task | None = None
        window.label_tools.save_handler = self.save

    def save(self) -> Task | None:
        editor, ai, window = self.window.label_tools.editor, self.ai, self.window
        if editor is None or ai.result is None or ai.ai_json is None:
            return None
        if ai.ai_result_id is None or editor.volume is not window.volume:
            window.statusBar().showMessage(self.tr(
                "This AI result is not stored, so its correction cannot be saved"))
            return None
        if self.task is not None:
            return self.task
        volume, rid, reader = editor.volume, ai.ai_result_id, self.reader
        original, corrected, state = editor.original, editor.labels.copy(), editor.state()
        ai_values, source = ai.ai_json, window.current_path
        seg = next((p for p in ai.dicom_files if str(p).endswith(".seg.dcm")), None)

        def work(progress, cancel):
            from inference.corrections import build_correction  # deferred: first save loads it

            folder = app_subdir(FOLDER)
            correction = build_correction(volume, original, corrected, ai_values, reader, folder)
            progress(0.5)
            files, error = [], None
            if seg is not None and source is not None:
                try:
                    files = [write_corrected_seg(corrected, volume, source, Path(seg),
                                                 ai_values["model_version"], reader, folder)]
                except Exception as err:  # the correction stands without its SEG
                    log.warning("corrected SEG not written: %s", type(err).__name__)
                    error = err
            return correction, files, error

        def done(outcome) -> None:
            self.task = None
            correction, files, error = outcome
            cid = self.store.save_ai_correction(
                rid, **correction.record(), source_path=str(source or ""),
                files=[str(f) for f in files])
            editor.mark_saved(state)
            if ai.ai_result_id == rid:
                ai.show_corrected(correction.values, cid)
            v = correction.values
            text = self.tr("Label correction saved: %1 (the AI read %2)").replace(
                "%1", terms.grade(v["grade"])).replace("%2", terms.grade(str(v["ai_grade"])))
            if error is not None:
                text += " " + self.tr("Its DICOM SEG could not be written.")
            window.statusBar().showMessage(text)
            self.saved.emit(cid)

        def failed(message: str) -> None:
            self.task = None
            window.statusBar().showMessage(message)

        task = Task(work, QT_TRANSLATE_NOOP("Task", "saving the label correction"))
        task.succeeded.connect(done)
        task.failed.connect(failed)
        self.task = task
        window.statusBar().showMessage(self.tr("Saving the label correction…"))
        return task.start()
