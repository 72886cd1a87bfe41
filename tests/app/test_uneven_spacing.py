"""A series acquired with uneven slice gaps (real LIDC-IDRI-0001 slices with some dropped):
the viewer draws its slices evenly spaced, as it keeps every acquired slice (the AI, its SEG
read back and the key images are on them), and says so in the status bar; slice positions
and measurements along the slice axis are given where the slices were acquired."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest

from studies import open_volume
from tests.app import windows
from viewer.measure_tool import describe
from viewer.measurements import Measurement, distance_mm, length_mm
from viewer.numbers import decimal
from viewer.orientation import AXIAL, CORONAL

# of 24 adjacent slices 2.5 mm apart, these are dropped: gaps of 2.5, 5 and 7.5 mm
DROPPED = (5, 9, 10, 15, 19)


@pytest.fixture
def uneven_series(shared_data, tmp_path) -> tuple[Path, np.ndarray]:
    """The series folder and its slices' positions along the normal (mm), ascending."""
    files = sorted((shared_data / "ct" / "lidc-idri-0001").rglob("*.dcm"), key=lambda f: float(
        pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2]))
    series = tmp_path / "uneven"
    series.mkdir()
    kept = [f for n, f in enumerate(files[60:84]) if n not in DROPPED]
    for f in kept:
        shutil.copy(f, series / f.name)
    z = np.array([float(pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2])
                  for f in kept])
    return series, z


def test_positions_and_lengths_along_the_slice_axis_are_the_acquired_ones(uneven_series):
    series, z = uneven_series
    volume = open_volume(series)
    assert volume.uneven and volume.shape[0] == len(z)
    nk, nj, ni = volume.shape
    normal = volume.direction[:, 2]
    drawn = volume.index_to_lps(np.array([[ni / 2, nj / 2, k] for k in range(nk)]))
    acquired = volume.acquired_lps(drawn)
    assert np.allclose(acquired @ normal, np.sort(z * normal[2]), atol=0.01)
    assert not np.allclose(drawn @ normal, acquired @ normal, atol=1.0)  # drawn evenly
    # A distance from the first slice to the last, drawn in a reformat: the acquired span.
    ends = Measurement("distance", [tuple(drawn[0]), tuple(drawn[-1])], normal=(0, 1, 0))
    assert length_mm(volume, ends) == pytest.approx(abs(z[-1] - z[0]), abs=0.01)
    assert abs(distance_mm(*ends.points) - abs(z[-1] - z[0])) > 2.0, "the test proves nothing"
    assert describe(volume, ends).startswith(decimal(abs(z[-1] - z[0])))
    # Within one slice nothing changes.
    across = Measurement("distance", [tuple(drawn[3]), tuple(drawn[3] + [30.0, 40.0, 0.0])])
    assert length_mm(volume, across) == pytest.approx(50.0)


def test_an_evenly_spaced_series_is_left_as_it_is(shared_data):
    volume = open_volume(shared_data / "ct" / "lidc-idri-0001")
    assert not volume.uneven
    point = volume.index_to_lps(np.array([10.0, 20.0, 30.0]))
    assert np.array_equal(volume.acquired_lps(point), point)


def test_the_window_says_so_and_shows_each_slice_where_it_was_acquired(qtbot, luch_home,
                                                                     uneven_series):
    series, z = uneven_series
    window = windows.shown_window(qtbot)
    window.show()
    windows.open_demo(qtbot, window, series, layout="1x2")
    note = window.spacing_label
    assert note.isVisible() and note.text() == "Uneven slice spacing 2.50–7.50 mm"
    assert "acquired" in note.toolTip()
    axial = next(v for v in window.reading.views if v.plane is AXIAL)
    positions = np.sort(z)
    for k in (0, 7, len(z) - 1):  # before and after the gaps
        axial.move_to_point(window.volume.index_to_lps(np.array([0.0, 0.0, k])))
        assert axial.acquired_index() == k
        assert f"{decimal(positions[k])} mm" in axial.corner_text.text(0)
    assert any(v.plane is CORONAL for v in window.reading.views)
    windows.open_demo(qtbot, window)  # an evenly spaced study: no note
    assert not note.isVisible()
