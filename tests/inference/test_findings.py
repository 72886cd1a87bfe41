"""The largest lesions of a pre-read and where to look at each."""

import numpy as np

from inference.findings import largest_lesions
from inference.labels import Label
from inference.preread import PreReadOptions, analyze
from tests.inference.conftest import ellipsoid, make_phantom

SPACING = (1.0, 1.0, 2.0)  # x, y, z mm: a voxel is 0.002 mL


def _map() -> np.ndarray:
    labels = np.full((20, 64, 64), Label.LUNG_RIGHT, np.uint8)
    labels[:, :, 32:] = Label.LUNG_LEFT
    # Left: a C-shaped ground-glass lesion (its centre of mass lies in the gap) with a
    # consolidated bit: 2 slices of 100 + 30 ground glass and 30 consolidation voxels.
    labels[4:6, 10:20, 40:50] = Label.GGO_LEFT
    labels[4:6, 10:13, 50:60] = Label.GGO_LEFT
    labels[4:6, 17:20, 50:60] = Label.CONSOLIDATION_LEFT
    # Right: a smaller consolidation block on slices 11-13, and a one-voxel speck.
    labels[10:13, 40:45, 5:10] = Label.CONSOLIDATION_RIGHT
    labels[18, 60, 2] = Label.GGO_RIGHT
    return labels


def test_lesions_largest_first_with_side_extent_and_a_point_on_each():
    labels = _map()
    found = largest_lesions(labels, SPACING)
    assert [(f.side, f.first_slice, f.last_slice) for f in found] == [
        ("left", 4, 5), ("right", 10, 12), ("right", 18, 18)]
    assert [f.ml for f in found] == [round(320 * 0.002, 1), round(75 * 0.002, 1), 0.0]
    assert found[0].ggo_share == round(260 / 320, 2) and found[1].ggo_share == 0.0
    for f in found:  # going to ``at`` lands on the lesion, even for the C shape
        i, j, k = f.at
        assert labels[k, j, i] in (Label.GGO_LEFT, Label.GGO_RIGHT, Label.CONSOLIDATION_LEFT,
                                   Label.CONSOLIDATION_RIGHT)
    assert found[0].to_dict() == {"side": "left", "slices": "5-6", "ml": found[0].ml,
                                  "ggo_share": found[0].ggo_share, "at": list(found[0].at)}
    assert largest_lesions(labels, SPACING, top=1) == found[:1]
    assert largest_lesions(labels, SPACING, top=None) == found


def test_no_lesion_no_list():
    labels = _map()
    labels[labels >= Label.GGO_RIGHT] = Label.LUNG_RIGHT
    assert largest_lesions(labels, SPACING) == []


def test_the_preread_json_lists_the_lesions():
    """A ground-glass patch in the phantom's right lung is the largest lesion in the JSON."""
    volume = make_phantom()
    volume.voxels[ellipsoid((105, 160, 100), (15, 15, 20))] = -500
    result = analyze(volume, PreReadOptions(engine="classical"))
    lesions = result.to_json()["lesions"]
    assert lesions and len(lesions) <= 5
    assert lesions[0]["side"] == "right" and lesions[0]["ml"] > 10
    assert [x["ml"] for x in lesions] == sorted((x["ml"] for x in lesions), reverse=True)
    i, j, k = lesions[0]["at"]
    assert result.labels[k, j, i] in (Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT)


def test_slices_are_numbered_from_the_head_when_k_points_to_it():
    from inference.findings import head_up, slice_range

    assert slice_range(4, 5) == "5-6"  # orientation unknown: k + 1
    assert slice_range(7, 8, count=10, head_up=True) == "2-3"
    assert slice_range(0, 1, count=10, head_up=True) == "9-10"  # the lowest slices come last
    assert head_up(np.eye(3)) and not head_up(np.diag([1.0, 1.0, -1.0]))


def test_head_up_numbering_counts_the_whole_volume_not_the_lesions_box():
    """Lesions on k 4-5 and 10-12 of 20 head-up slices are slices 15-16 and 8-10 from the
    head (the viewer's numbers). Counting only the lesions' box (k 4-18) gave "1-2"/"-5--3"
    style nonsense: seen as "slices -29--20" on LIDC-IDRI-0003."""
    found = largest_lesions(_map(), SPACING, k_head_up=True)
    assert [f.to_dict()["slices"] for f in found] == ["15-16", "8-10", "2-2"]
