"""A pre-read stored before the study was opened (made in the background, or imported from
the archive's SEG and SR) is shown as soon as the study opens from the archive, while its
images still arrive: the grade and each lung's involvement in the AI panel at once, the overlay
over the slices already here, filling in with them, whole when the study is. It waited for
the whole study (issue 19)."""

from __future__ import annotations

import shutil

import numpy as np

from app.panels.ai_files import current_model_version, write_label_map
from inference.labels import Label
from studies import open_volume
from tests.app.test_workflow_archive import make_station, slow_archive

VALUES = {
    "grade": "CT-2", "grade_worst_lung": "CT-2", "grade_both_lungs": "CT-1",
    "involvement_percent": {"right": 31.5, "left": 12.0, "total": 22.4},
    "volumes_ml": {"ggo": 410.0, "consolidation": 35.0, "lung_right": 2600.0,
                   "lung_left": 2300.0},
    "probability": "high", "quality_flags": [], "engine": "unet", "device": "cpu",
    "seconds": 11.0,
}


def _stored_preread(store, study: str, files, tmp_path) -> np.ndarray:
    """A pre-read of ``study`` in the station's store, as the background queue leaves it:
    the values and a label map on the series' grid (read from the same files)."""
    folder = tmp_path / "series"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    volume = open_volume(folder)
    labels = np.zeros(volume.shape, np.uint8)
    labels[:, 100:400, 60:250] = int(Label.LUNG_RIGHT)
    labels[:, 100:400, 270:460] = int(Label.LUNG_LEFT)
    labels[:, 200:260, 100:160] = int(Label.GGO_RIGHT)
    path = write_label_map(labels, volume)
    store.save_ai_result(study, model_name="luch-unet", model_version=current_model_version(),
                         values=VALUES, mask_files=[str(path)], sync=False,
                         series_instance_uid=volume.info.series_instance_uid)
    return labels


def test_a_stored_preread_shows_while_the_study_arrives(
        qtbot, luch_home, orthanc, orthanc_ct, link_proxy, tmp_path):
    study, files = next((u, f) for u, f in orthanc_ct.items() if len(f) == 20)
    client = slow_archive(orthanc, link_proxy)  # 200 ms a round trip: about 5 s to arrive
    window, workflow, store = make_station(qtbot, client)
    labels = _stored_preread(store, study, files, tmp_path)
    announced: list = []
    window.volume_loaded.connect(announced.append)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    ai = workflow.ai
    workflow.open_study(study)
    qtbot.waitUntil(lambda: ai.result is not None or bool(announced), timeout=60_000)
    assert not announced and workflow.worklist_flow._fetch_task is not None, \
        "the pre-read was shown only once the whole study had arrived"
    arrived = np.array(window._arrived, copy=True)
    assert not arrived.all(), "the link was too fast to look"
    # The grade and the involvement per lung, at once.
    assert ai.grade.text() == "CT-2"
    assert "right 31.5%, left 12.0%" in ai.details.text()
    assert ai.accept_button.isEnabled()  # the values are the whole study's
    assert not ai.run_button.isEnabled()  # the model may not read a study half here
    assert ai.run(window.volume) is None
    # The overlay: drawn over the slices that have arrived, none over those still to come.
    shown = window.study.labels["ai"].voxels
    assert window.overlays["ai"], "no AI overlay while the study arrives"
    here = np.array(window._arrived, copy=True)  # (only grows, on the fetch's thread)
    assert shown.any() and not shown[~here].any()
    assert not np.array_equal(shown, labels)  # (every slice of the map has lungs)
    qtbot.waitUntil(lambda: np.array_equal(window.study.labels["ai"].voxels[arrived],
                                           labels[arrived]), timeout=5_000)
    # An edit by the label tools meanwhile shows on the slices here (the tools edit the map).
    editor = window.label_tools.editor
    k = int(np.flatnonzero(here)[0])
    editor.labels[k, 10:20, 10:20] = int(Label.CONSOLIDATION_RIGHT)
    labels[k, 10:20, 10:20] = int(Label.CONSOLIDATION_RIGHT)
    window.refresh_labels("ai")
    assert (window.study.labels["ai"].voxels[k, 10:20, 10:20] == Label.CONSOLIDATION_RIGHT).all()
    # It fills in as the slices come, and is whole with the study: the map the tools edit.
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        pass
    assert announced == [window.volume]
    assert np.array_equal(window.study.labels["ai"].voxels, labels)
    assert window.study.labels["ai"].voxels is window.label_tools.editor.labels
    assert ai.result is not None and ai.grade.text() == "CT-2"
    assert ai.run_button.isEnabled()  # whole now: the reader may read it again
    assert workflow.worklist_flow._fetch_task is None
    workflow.stop()
    store.close()
