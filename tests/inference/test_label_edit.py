"""The Qt-free label editor: brush, eraser, threshold fill, erase component, undo and redo."""

from __future__ import annotations

import numpy as np
import pytest

from inference.label_edit import (
    CONSOLIDATION_CLASS,
    ERASE,
    GGO_CLASS,
    LUNG,
    PAINT,
    THRESHOLD,
    LabelEditor,
)
from inference.labels import Label
from studies import SeriesInfo, Volume

AXIAL = (0.0, 0.0, 1.0)


@pytest.fixture
def chest():
    """20 x 40 x 40 voxels of 2 x 1 x 1 mm (x, y: 1 mm, z: 2 mm): right lung at low x,
    left lung at high x, a ground-glass blob in the left lung and HU to match."""
    hu = np.full((20, 40, 40), 40, np.int16)
    labels = np.zeros(hu.shape, np.uint8)
    labels[2:18, 5:35, 3:18] = Label.LUNG_RIGHT
    labels[2:18, 5:35, 22:37] = Label.LUNG_LEFT
    hu[labels > 0] = -850
    labels[8:11, 15:19, 25:29] = Label.GGO_LEFT  # a false lesion: 3 x 4 x 4 voxels
    labels[9, 16, 29] = Label.CONSOLIDATION_LEFT  # touching it: the same lesion
    labels[14, 25, 8] = Label.GGO_RIGHT  # another lesion, far away
    hu[5, 10:14, 5:10] = -500  # denser lung, to threshold-fill
    volume = Volume(voxels=hu, spacing=(1.0, 1.0, 2.0), origin=(-20.0, -20.0, 0.0),
                    info=SeriesInfo(modality="CT"))
    return volume, labels


def lps(volume, k, j, i):
    return volume.index_to_lps(np.array([i, j, k], float))


def test_brush_paints_a_disc_in_the_plane_and_one_stroke_is_one_undo(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    seen = []
    ed.subscribe(lambda name, value: seen.append(name))
    ed.set_radius(3.0)
    ed.begin_stroke()
    ed.stroke(PAINT, lps(volume, 12, 20, 10), AXIAL)
    ed.stroke(PAINT, lps(volume, 12, 20, 14), AXIAL, previous_lps=lps(volume, 12, 20, 10))
    assert ed.end_stroke() > 0
    painted = ed.labels != labels
    assert set(np.flatnonzero(painted.any(axis=(1, 2)))) == {12}  # one slice only
    assert (ed.labels[painted] == Label.GGO_RIGHT).all()  # right lung: right-sided GGO
    assert painted[12, 20, 10:15].all()  # the drag is continuous
    assert not painted[12, 20 + 4, 10] and painted[12, 20 + 3, 10]  # radius 3 mm
    assert "labels" in seen and ed.edited and ed.unsaved
    assert ed.undo() and np.array_equal(ed.labels, labels) and not ed.can_undo
    assert ed.redo() and int(painted.sum()) == ed.changed_voxels()


def test_brush_in_a_coronal_view_paints_across_slices(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    ed.set_label_class(CONSOLIDATION_CLASS)
    ed.set_radius(4.0)
    ed.stroke(PAINT, lps(volume, 10, 20, 30), (0.0, 1.0, 0.0))
    painted = np.argwhere(ed.labels != labels)
    assert set(painted[:, 1]) == {20}  # one coronal row
    assert set(painted[:, 0]) == {8, 9, 10, 11, 12}  # +-4 mm over 2 mm slices
    assert (ed.labels[ed.labels != labels] == Label.CONSOLIDATION_LEFT).all()


def test_eraser_takes_the_chosen_label_back_to_lung_and_lung_to_background(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    ed.set_radius(10.0)
    ed.stroke(ERASE, lps(volume, 9, 17, 27), AXIAL)  # ground glass: back to left lung
    assert (ed.labels[9, 15:19, 25:29] == Label.LUNG_LEFT).all()
    assert ed.labels[9, 16, 29] == Label.CONSOLIDATION_LEFT  # another label: kept
    assert ed.labels[8, 16, 26] == Label.GGO_LEFT  # another slice: kept
    ed.set_label_class(LUNG)
    ed.stroke(ERASE, lps(volume, 9, 17, 27), AXIAL)
    assert ed.labels[9, 17, 27] == 0 and ed.labels[9, 16, 29] == 0


def test_threshold_fill_paints_only_lung_voxels_in_the_hu_range(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    assert ed.hu_range == (-750, -300)
    ed.set_radius(12.0)
    ed.stroke(THRESHOLD, lps(volume, 5, 12, 7), AXIAL)
    changed = ed.labels != labels
    assert changed[5, 10:14, 5:10].all() and int(changed.sum()) == 20
    hu_outside = volume.voxels.copy()
    hu_outside[5, 2:5, 5:10] = -500  # dense but outside the lung: never painted
    ed2 = LabelEditor(Volume(hu_outside, volume.spacing, volume.origin, info=volume.info),
                      labels)
    ed2.set_radius(12.0)
    ed2.stroke(THRESHOLD, lps(volume, 5, 12, 7), AXIAL)
    assert not (ed2.labels[5, 2:5] != labels[5, 2:5]).any()


def test_erase_component_removes_the_whole_3d_lesion_under_the_cursor(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    assert ed.erase_component(lps(volume, 5, 25, 8)) == 0  # plain lung: nothing
    n = ed.erase_component(lps(volume, 10, 18, 25))
    assert n == 3 * 4 * 4 + 1  # ground glass and the consolidation touching it
    assert (ed.labels[8:11, 15:19, 25:30] != Label.GGO_LEFT).all()
    assert ed.labels[9, 16, 29] == Label.LUNG_LEFT
    assert ed.labels[14, 25, 8] == Label.GGO_RIGHT  # the other lesion stays
    assert ed.undo() and np.array_equal(ed.labels, labels)
    assert ed.redo() and ed.changed_voxels() == n
    ed.mark_saved()
    assert not ed.unsaved and ed.undo() and ed.unsaved


def test_erase_component_reaches_a_lesion_just_beside_the_click(chest):
    """Zoomed out, a screen pixel covers more than a voxel: a click on a thin red sliver
    landed one voxel beside it and nothing happened (the Philips chest, walkthrough)."""
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    beside = lps(volume, 9, 17, 31)  # two voxels (2 mm) right of the consolidation
    assert ed.erase_component(beside) == 0  # no reach: nothing, as before
    assert ed.erase_component(beside, AXIAL, reach_mm=1.5) == 0  # not far enough
    assert ed.erase_component(beside, AXIAL, reach_mm=2.5) == 3 * 4 * 4 + 1
    assert ed.labels[14, 25, 8] == Label.GGO_RIGHT  # the lesion far away stays
    assert ed.erase_component(lps(volume, 14, 25, 12), AXIAL, reach_mm=2.5) == 0
    # reach stays in the plane shown: the lesion one slice up is not taken
    assert ed.erase_component(lps(volume, 13, 25, 8), AXIAL, reach_mm=2.5) == 0


def test_settings_are_bounded_and_follow_the_label(chest):
    volume, labels = chest
    ed = LabelEditor(volume, labels)
    ed.set_radius(500)
    assert ed.radius_mm == 50.0
    assert ed.cycle_label_class() == CONSOLIDATION_CLASS and ed.hu_range == (-300, 100)
    assert ed.cycle_label_class() == LUNG and ed.cycle_label_class() == GGO_CLASS
    with pytest.raises(ValueError):
        LabelEditor(volume, labels[1:])


def test_erase_component_follows_a_lesion_longer_than_its_first_box():
    labels = np.full((6, 120, 120), Label.LUNG_LEFT, np.uint8)
    labels[2, 5:115, 60] = Label.GGO_LEFT  # 110 voxels long, one voxel thick
    labels[3, 114, 61:118] = Label.CONSOLIDATION_LEFT  # and round a corner, diagonally
    labels[4, 10, 10] = Label.GGO_LEFT  # not touching it
    volume = Volume(np.zeros(labels.shape, np.int16), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0),
                    info=SeriesInfo(modality="CT"))
    ed = LabelEditor(volume, labels)
    assert ed.erase_component(lps(volume, 2, 7, 60)) == 110 + 57
    assert ed.labels[4, 10, 10] == Label.GGO_LEFT and (ed.labels[:4] == Label.LUNG_LEFT).all()


def test_a_saved_correction_is_restored_as_saved(chest):
    """A study opened again starts from the reader's saved correction: the AI's map stays
    the original (a new edit is measured against it), nothing is unsaved, nothing to undo."""
    volume, labels = chest
    corrected = labels.copy()
    corrected[labels == Label.GGO_LEFT] = Label.LUNG_LEFT
    corrected[labels == Label.CONSOLIDATION_LEFT] = Label.LUNG_LEFT
    ed = LabelEditor(volume, labels)
    seen = []
    ed.subscribe(lambda field, value: seen.append(field))
    assert ed.restore_saved(corrected) == 3 * 4 * 4 + 1
    assert (ed.labels == corrected).all() and (ed.original == labels).all()
    assert ed.edited and not ed.unsaved and not ed.can_undo
    assert "labels" in seen
    with pytest.raises(ValueError):
        ed.restore_saved(corrected[1:])
