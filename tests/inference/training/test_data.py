"""Training data: chest crops get sound lung truth, and their padding is ignored."""

import numpy as np

from inference.geometry import Orientation
from inference.lungs import segment_lungs
from inference.training import data
from studies import SeriesInfo, Volume
from tests.inference.conftest import make_phantom

CROP = (slice(None), slice(10, 80), slice(35, 95))  # j: air in front to mid-lung; i: both


def _crop_through_the_lungs() -> Volume:
    """The phantom cut at both lungs' lateral sides and behind them, like the crops."""
    v = make_phantom()
    return Volume(voxels=v.voxels[CROP].copy(), spacing=v.spacing, origin=(0.0, 0.0, 0.0),
                  info=SeriesInfo(modality="CT"))


def test_cut_open_lungs_are_found_only_with_the_padding():
    crop = _crop_through_the_lungs()
    orient = Orientation.of(crop)
    right, left = segment_lungs(crop.voxels, crop.spacing, orient, hull=False)
    assert (right | left).sum() < 0.2 * (crop.voxels < -400).sum()  # open to the outside
    valid = data._pad_crop(crop)
    right, left = segment_lungs(crop.voxels, crop.spacing, orient, hull=False)
    v = make_phantom()
    full_r, full_l = segment_lungs(v.voxels, v.spacing, orient, hull=False)
    for found, truth in ((right, full_r[CROP]), (left, full_l[CROP])):
        found = found[valid].reshape(truth.shape)
        assert 2 * (found & truth).sum() / (found.sum() + truth.sum()) > 0.95
    assert np.abs(crop.voxels[~valid].astype(float) - 40).mean() < 20  # soft tissue


def test_padding_is_ignored_in_the_class_maps():
    crop = _crop_through_the_lungs()
    valid = data._pad_crop(crop)
    series = data.CleanSeries("crop", crop, *segment_lungs(
        crop.voxels, crop.spacing, Orientation.of(crop), hull=False), valid)
    case = next(data.cases(series, [2], 0, extra_negatives=True))
    x, y = data.to_training_slices(case, crop.spacing, valid)
    assert x.shape[0] == y.shape[0] == crop.shape[0]
    assert (y == data.IGNORE).any() and (y == 1).any() and (y == 2).any()
    _, y_full = data.to_training_slices(case, crop.spacing)
    assert not (y_full == data.IGNORE).any()
