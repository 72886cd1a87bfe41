"""A series acquired in another plane than axial is hung as acquired in the main view."""

from __future__ import annotations

from studies.synthetic import write_ct_series
from tests.app import windows
from viewer.orientation import AXIAL, CORONAL


def test_a_single_coronal_image_opens_in_the_coronal_plane(qtbot, luch_home, tmp_path):
    write_ct_series(tmp_path / "coronal", slices=1, orientation=(1, 0, 0, 0, 0, -1))
    write_ct_series(tmp_path / "axial", slices=8)
    window = windows.shown_window(qtbot)
    window.show()
    windows.open_demo(qtbot, window, tmp_path / "coronal")
    assert window.reading.layout_name == "1x1"
    assert window.view.plane == CORONAL, "one coronal image cut across as an axial line"
    windows.open_demo(qtbot, window, tmp_path / "axial", layout="1x2")
    assert window.reading.views[0].plane == AXIAL
