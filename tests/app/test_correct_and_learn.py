"""Issue 17's loop end to end on a real chest: the AI's false lesion is erased in the viewer
with real key and mouse events, the corrected grade is stored and pre-filled, ``train
--site`` learns from that correction, ``evaluate`` measures the candidate, the gate decides,
and rollback restores the version before."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from app.cli import main
from app.shell.main_window import MainWindow
from app.workflow import Workflow
from core.settings import Settings
from inference.labels import CONSOLIDATION, GGO
from inference.registry import ModelRegistry
from records import open_store
from tests.inference import truth_folders as tf


@pytest.fixture
def station(qtbot, luch_home, shared_data):
    """The reading window with its workflow, and a real chest (LIDC-IDRI-0001, 48 slices at
    half resolution) saved as a NIfTI study, on which the shipped model reads one false
    lesion (CT-1)."""
    crop = tf.chest_crop(shared_data)
    ct = luch_home / "chest.nii.gz"
    tf._write_nifti(ct, crop.volume.voxels, crop.volume)
    store = open_store()
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, store, reader="dr.edit", ui_lang="en", report_lang="en")
    window.resize(1400, 900)
    window.show()
    yield window, workflow, store, crop, ct
    workflow.ai.cancel()
    store.close()


def test_erase_a_false_component_in_the_viewer_then_train_evaluate_gate_rollback(
        station, qtbot, luch_home, tmp_path):
    window, workflow, store, crop, ct = station
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=300_000):
        window.open_path(ct, layout="mpr")  # the pre-read runs when a study opens
    window.activateWindow()
    assert workflow.ai.result_json["grade"] == "CT-1"  # a false lesion on a clean chest
    rid = workflow.ai.ai_result_id
    editor = window.label_tools.editor
    lesion = np.argwhere(np.isin(editor.labels, GGO + CONSOLIDATION))
    k, j, i = lesion[np.argmin(((lesion - lesion.mean(axis=0)) ** 2).sum(axis=1))]
    window.go_to_voxel((i, j, k))  # every view through the lesion
    axial = next(v for v in window.reading.views if v.plane.name == "axial")
    assert axial.slice_index == k

    # "erase component"
    qtbot.keyClick(axial.interactor, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert window.state.tool == "erase-component"
    x, y = axial.lps_to_display(window.volume.index_to_lps(np.array([i, j, k], float)))
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(x), axial.interactor.height() - round(y)))
    assert not np.isin(editor.labels, GGO + CONSOLIDATION).any()
    with qtbot.waitSignal(workflow.label_correction.saved, timeout=120_000):
        qtbot.keyClick(axial.interactor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)  # save the correction

    (saved,) = store.ai_corrections(rid)
    assert saved.reader == "dr.edit" and saved.source_path == str(ct)
    assert (saved.values["grade"], saved.values["ai_grade"]) == ("CT-0", "CT-1")
    assert saved.values["corrected"] is True and saved.values["lesions"] == []
    removed = sum(v["removed"] for name, v in saved.changes["labels"].items()
                  if "lung" not in name)
    assert removed == len(lesion) and saved.changes["voxels_changed"] == len(lesion)
    assert store.ai_result(rid).values["grade"] == "CT-1"  # the AI's own result stays
    assert "corrected" in workflow.ai.grade.text() and "CT-0" in workflow.ai.grade.text()
    assert not window.actions["label-save"].isEnabled()  # nothing unsaved now
    workflow.ai.accept()
    assert workflow.report.form.values()["grade"] == "CT-0"
    assert "corrected" in workflow.report.prefill_note.text()

    # the study opened again on the station started afresh: the correction counts, as saved
    # (it showed the AI's own CT-1 and filled it in; the overlay drew the AI's map)
    again = MainWindow(Settings())
    again.setProperty("headless", True)
    qtbot.addWidget(again)
    flow = Workflow(again, store, reader="dr.edit", ui_lang="en", report_lang="en")
    again.resize(1400, 900)
    again.show()
    with qtbot.waitSignal(flow.ai.result_ready, timeout=120_000):
        again.open_path(ct, layout="mpr")
    assert flow.ai.ai_result_id == rid and flow.ai.correction_id == saved.id
    assert "corrected" in flow.ai.grade.text() and flow.ai.result_json["grade"] == "CT-0"
    assert flow.ai.ai_json["grade"] == "CT-1"  # the AI's own values, for its feedback
    shown = again.label_tools.editor
    assert not np.isin(shown.labels, GGO + CONSOLIDATION).any() and not shown.unsaved
    assert np.isin(shown.original, GGO + CONSOLIDATION).any()  # a new edit diffs the AI's
    flow.ai.cancel()  # (accepted in the first window already: the verdict stands here)

    # train --site on that correction (tiny budget), gated by evaluate on held-apart studies
    hold = tf.mosmed_folder(tmp_path / "hold", crop, [(0, 31, "full"), (2, 32, "full")])
    out = tmp_path / "candidate.json"
    assert main(["train", "--site", "--device", "cpu", "--budget-steps", "2", "--holdout",
                 str(hold), "--json", str(out)]) == 0
    side = json.loads(out.read_text())
    registry = ModelRegistry(luch_home / "models")
    base, version = registry.shipped().version, side["version"]
    assert side["parent_version"] == base and len(side["training"]["data"]) == 1
    assert side["gate"]["state"] in ("passed", "failed")
    measured = tmp_path / "evaluate.json"
    assert main(["evaluate", str(hold), "--model", version, "--device", "cpu", "--json",
                 str(measured)]) == 0
    report = json.loads(measured.read_text())
    assert report["model_version"].startswith(version)
    assert len(report["studies"]) == 2
    if side["gate"]["passed"]:
        assert registry.active().version == version
        assert main(["model", "rollback"]) == 0
    else:
        assert main(["model", "activate", version]) == 2  # the gate refused it
    assert registry.active().version == base  # the version before is back
