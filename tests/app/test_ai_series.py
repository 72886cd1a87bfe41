"""The AI result belongs to the series it read: switching series in a study never paints its
labels over another series' images (same matrix size or not)."""

from __future__ import annotations

from studies.synthetic import write_ct_series
from tests.app import windows


def test_another_series_of_the_study_gets_no_foreign_labels(qtbot, luch_home, tmp_path):
    study = "1.2.826.0.1.3680043.8.498.77"
    coronal = "1.2.826.0.1.3680043.8.498.78"
    axial = "1.2.826.0.1.3680043.8.498.79"
    # One coronal image and one axial image of the same 64x64 matrix: the same array shape.
    write_ct_series(tmp_path / "s" / "a", slices=1, orientation=(1, 0, 0, 0, 0, -1),
                    study_uid=study, series_uid=coronal)
    write_ct_series(tmp_path / "s" / "b", slices=1, study_uid=study, series_uid=axial)
    window, workflow = windows.station(qtbot, "dr.smirnova")
    window.settings.set("ai.autorun", True)
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=120_000):
        windows.open_demo(qtbot, window, tmp_path / "s", series=coronal)
    assert workflow.ai.volume.info.series_instance_uid == coronal
    assert not workflow.ai.assessable
    assert "ai" not in window.study.labels, "lesions painted for a study the AI could not read"
    assert window.label_tools.editor is None
    first = workflow.ai.result
    drawn: list = []
    window.show_labels = lambda labels, source="ai": drawn.append(labels)  # what gets painted
    with (qtbot.waitSignal(workflow.ai.result_ready, timeout=120_000),
          qtbot.waitSignal(window.volume_loaded, timeout=60_000)):
        window.open_series(axial)
    # The first result could not grade one coronal image: the axial series is read anew.
    assert workflow.ai.result is not first
    assert workflow.ai.volume.info.series_instance_uid == axial
    assert all(labels.voxels is workflow.ai.result.labels for labels in drawn), \
        "the coronal image's labels were painted over the axial image"
