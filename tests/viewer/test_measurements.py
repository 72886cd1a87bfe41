"""Distance and ROI values on a phantom of known geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studies import Volume
from viewer.measurements import Measurement, distance_mm, roi_mask, roi_stats


@pytest.fixture
def phantom() -> Volume:
    """0.7 x 0.7 x 2.5 mm voxels; a 40 HU disc of radius 30 mm centred in slice 10; -1000 HU air
    elsewhere; a 200 HU bar in columns 150-159 of every slice."""
    nk, nj, ni = 20, 200, 200
    spacing = (0.7, 0.7, 2.5)
    voxels = np.full((nk, nj, ni), -1000, dtype=np.int16)
    jj, ii = np.mgrid[0:nj, 0:ni]
    disc = ((ii - 100) * spacing[0]) ** 2 + ((jj - 100) * spacing[1]) ** 2 <= 30.0**2
    voxels[10][disc] = 40
    voxels[:, :, 150:160] = 200
    return Volume(voxels=voxels, spacing=spacing, origin=(-70.0, -70.0, 0.0))


def lps(volume: Volume, i: float, j: float, k: float) -> tuple[float, float, float]:
    return tuple(volume.index_to_lps(np.array([i, j, k])))


def test_distance_in_mm_between_known_voxels(phantom):
    a, b = lps(phantom, 10, 20, 3), lps(phantom, 110, 20, 3)  # 100 columns apart
    assert distance_mm(a, b) == pytest.approx(70.0, abs=0.5)
    c = lps(phantom, 10, 20, 7)  # 4 slices higher
    assert distance_mm(a, c) == pytest.approx(10.0, abs=0.5)


def test_ellipse_inside_the_disc_has_the_exact_hu(phantom):
    centre = np.array(lps(phantom, 100, 100, 10))
    half = np.array([20.0, 10.0, 0.0])
    roi = Measurement("ellipse", [tuple(centre - half), tuple(centre + half)])
    stats = roi_stats(phantom, roi)
    assert stats.mean == 40.0 and stats.sd == 0.0
    assert (stats.min, stats.max) == (40.0, 40.0)
    assert stats.area_mm2 == pytest.approx(math.pi * 20 * 10)
    assert stats.pixels * 0.49 == pytest.approx(stats.area_mm2, rel=0.03)


def test_roi_over_two_materials_gives_the_exact_mixture(phantom):
    # A rectangle (freehand) over columns 140-169 of slice 3: 10 of 30 columns are the 200 HU bar.
    corners = [lps(phantom, 139.5, 39.5, 3), lps(phantom, 169.5, 39.5, 3),
               lps(phantom, 169.5, 59.5, 3), lps(phantom, 139.5, 59.5, 3)]
    stats = roi_stats(phantom, Measurement("freehand", corners))
    assert stats.pixels == 30 * 20
    assert stats.mean == pytest.approx((10 * 200 + 20 * -1000) / 30)
    assert (stats.min, stats.max) == (-1000.0, 200.0)
    assert stats.area_mm2 == pytest.approx(30 * 0.7 * 20 * 0.7)


def test_coronal_roi_uses_the_coronal_slice(phantom):
    # Coronal plane through row j=100: the disc (slice 10) appears as one line of 40 HU voxels.
    a, b = lps(phantom, 79.5, 100, 8.5), lps(phantom, 120.5, 100, 11.5)  # slices 9, 10, 11
    roi = Measurement("freehand", [a, (b[0], a[1], a[2]), b, (a[0], b[1], b[2])],
                      normal=(0.0, 1.0, 0.0))
    _mask, k_axis, k = roi_mask(phantom, roi)
    assert (k_axis, k) == (1, 100)
    stats = roi_stats(phantom, roi)
    assert stats.pixels == 41 * 3
    assert stats.mean == pytest.approx((41 * 40 + 82 * -1000) / 123)


def test_degenerate_rois_are_refused(phantom):
    p = lps(phantom, 100, 100, 10)
    with pytest.raises(ValueError, match="no area"):
        roi_stats(phantom, Measurement("ellipse", [p, p]))
    with pytest.raises(ValueError, match="not an area"):
        roi_stats(phantom, Measurement("distance", [p, p]))


def test_measurement_round_trips_through_a_dict():
    m = Measurement("distance", [(0.0, 1.0, 2.0), (3.0, 4.0, 5.0)], label="nodule")
    assert Measurement.from_dict(m.to_dict()) == m


@pytest.mark.parametrize("kind", ["ellipse", "freehand"])
def test_roi_mask_equals_a_whole_slice_evaluation_on_rotated_axes(phantom, kind):
    from viewer.measurements import _in_plane, _inside_polygon

    angle = np.radians(30)
    phantom.direction = np.array([[np.cos(angle), -np.sin(angle), 0],
                                  [np.sin(angle), np.cos(angle), 0], [0, 0, 1.0]])
    a, b = lps(phantom, 80, 90, 10), lps(phantom, 120, 105, 10)
    points = [a, b] if kind == "ellipse" else [a, (b[0], a[1], a[2]), b, (a[0], b[1], b[2])]
    roi = Measurement(kind, points)
    mask, _, k = roi_mask(phantom, roi)
    jj, ii = np.mgrid[0:200, 0:200]
    ijk = np.stack([ii.ravel(), jj.ravel(), np.full(ii.size, k)], axis=1)
    centres = _in_plane(phantom.index_to_lps(ijk), np.array([0.0, 0.0, 1.0]))
    shape_uv = _in_plane(np.asarray(points, float), np.array([0.0, 0.0, 1.0]))
    if kind == "ellipse":
        semi = np.abs(shape_uv[1] - shape_uv[0]) / 2
        expected = (((centres - shape_uv.mean(axis=0)) / semi) ** 2).sum(axis=1) <= 1
    else:
        expected = _inside_polygon(centres, shape_uv)
    np.testing.assert_array_equal(mask, expected.reshape(200, 200))
    assert mask.sum() > 100
