"""Measuring with the mouse in a real view, and measurements kept with the series."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.viewer.phantoms import show_in_view
from viewer.measure_tool import describe
from viewer.measurement_store import load_measurements, save_measurements
from viewer.measurements import Measurement
from viewer.slice_view import SliceView


@pytest.fixture
def view(qtbot):
    return show_in_view(qtbot, SliceView())


def drag(qtbot, widget, start: QPoint, end: QPoint, steps: int = 5) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for n in range(1, steps + 1):
        qtbot.mouseMove(widget, start + (end - start) * n / steps)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_distance_drawn_with_the_mouse_matches_the_screen_scale(view, qtbot):
    added = []
    view.measurement_added.connect(added.append)
    view.set_tool("distance")
    drag(qtbot, view.interactor, QPoint(100, 200), QPoint(300, 200))
    assert len(added) == 1 and added[0].kind == "distance"
    mm_per_pixel = 2 * view.renderer.GetActiveCamera().GetParallelScale() / view.height()
    assert describe(view.volume, added[0]) == f"{200 * mm_per_pixel:.1f} mm"
    assert view.window() != (0, 0)


def test_ellipse_roi_drawn_on_the_marker_reads_its_hu(view, qtbot):
    view.set_slice_index(35)
    view.set_tool("ellipse")
    # The marker occupies i 70-84, j 15-29: draw inside it, through the display mapping.
    a = view.lps_to_display(view.volume.index_to_lps([72, 17, 35]))
    b = view.lps_to_display(view.volume.index_to_lps([82, 27, 35]))
    h = view.interactor.height()
    drag(qtbot, view.interactor, QPoint(round(a[0]), h - round(a[1])),
         QPoint(round(b[0]), h - round(b[1])))
    roi = view.measurements[-1]
    assert describe(view.volume, roi).startswith("mean 1000.0 HU  SD 0.0")


def test_window_level_drag_still_works_without_a_tool(view, qtbot):
    before = view.window()
    drag(qtbot, view.interactor, QPoint(200, 200), QPoint(260, 240))
    assert view.window() != before
    assert view.measurements == []


def test_measurements_reopen_with_the_series(luch_home):
    m = Measurement("distance", [(0.0, 0.0, 0.0), (10.0, 0.0, 0.0)])
    save_measurements("1.2.3.4", [m])
    assert load_measurements("1.2.3.4") == [m]
    assert load_measurements("9.9.9") == []
    files = list((luch_home / "measurements").glob("*.json"))
    assert len(files) == 1 and "1.2.3.4" not in files[0].name
