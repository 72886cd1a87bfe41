"""The slice view on real VTK pixels: orientation, scrolling, window/level, input events."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.viewer.phantoms import show_in_view
from viewer.orientation import CORONAL
from viewer.screenshot import render_window_pixels
from viewer.slice_view import SliceView


@pytest.fixture
def view(qtbot):
    widget = show_in_view(qtbot, SliceView())
    widget.set_window(0, 2000)  # -1000 -> black, 0 -> mid grey, +1000 -> white
    return widget


def bright_centroid(view: SliceView) -> tuple[float, float] | None:
    """Centroid (x right, y down, as fractions of the view) of white pixels, or None."""
    gray = render_window_pixels(view.render_window).mean(axis=2)
    ys, xs = np.where(gray > 240)
    if ys.size == 0:
        return None
    h, w = gray.shape
    return xs.mean() / w, ys.mean() / h


def test_axial_view_is_in_radiological_convention(view):
    view.set_slice_index(35 * 1)  # slices are 2 mm apart along z; index counts slices
    centroid = bright_centroid(view)
    assert centroid is not None, "marker slice shows no marker"
    x, y = centroid
    assert x > 0.6, "patient's left must be on the screen's right"
    assert y < 0.4, "anterior must be at the top"


def test_marker_only_on_its_slices(view):
    view.set_slice_index(10)
    assert bright_centroid(view) is None
    view.set_slice_index(35)
    assert bright_centroid(view) is not None


def test_body_is_grey_and_air_black_in_the_chosen_window(view):
    view.set_slice_index(5)
    gray = render_window_pixels(view.render_window).mean(axis=2)
    h, w = gray.shape
    assert 100 < gray[h // 2, w // 2] < 160, "0 HU must be mid-grey in a -1000..1000 window"
    assert gray[h // 2, w // 16] < 10, "air outside the body must be black"


def test_keys_and_wheel_scroll(view, qtbot):
    start = view.slice_index
    qtbot.keyClick(view.interactor, Qt.Key.Key_Up)
    assert view.slice_index == start + 1
    qtbot.keyClick(view.interactor, Qt.Key.Key_Down)
    qtbot.keyClick(view.interactor, Qt.Key.Key_Down)
    assert view.slice_index == start - 1
    qtbot.keyClick(view.interactor, Qt.Key.Key_PageUp)
    assert view.slice_index == start + 9
    qtbot.keyClick(view.interactor, Qt.Key.Key_Home)  # slice 1: the most cranial
    assert view.slice_index == view.slice_count - 1
    qtbot.keyClick(view.interactor, Qt.Key.Key_End)
    assert view.slice_index == 0

    wheel = QWheelEvent(QPointF(200, 200), QPointF(200, 200), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.interactor, wheel)
    assert view.slice_index == 1


def test_scrolling_stops_at_the_ends(view):
    view.set_slice_index(-5)
    assert view.slice_index == 0
    view.set_slice_index(10_000)
    assert view.slice_index == view.slice_count - 1 == 59


def test_number_key_applies_preset(view, qtbot):
    qtbot.keyClick(view.interactor, Qt.Key.Key_2)
    assert view.window() == (40, 400)
    qtbot.keyClick(view.interactor, Qt.Key.Key_1)
    assert view.window() == (-600, 1500)


def test_slice_position_in_mm(view):
    view.set_slice_index(0)
    assert view.slice_position() == pytest.approx(100.0)
    view.set_slice_index(10)
    assert view.slice_position() == pytest.approx(120.0)


def test_coronal_view_shows_anterior_marker_on_patient_left(qtbot):
    widget = show_in_view(qtbot, SliceView(CORONAL))
    volume = widget.volume
    widget.set_window(0, 2000)
    widget.move_to_point(volume.index_to_lps(np.array([77, 22, 35])))
    centroid = bright_centroid(widget)
    assert centroid is not None
    assert centroid[0] > 0.6, "patient's left is on the screen's right in coronal view"


def test_scale_bar_is_a_round_length_matching_the_zoom(view):
    camera = view.renderer.GetActiveCamera()
    view._update_text()
    mm_per_pixel = 2 * camera.GetParallelScale() / view.height()
    assert view.scale_bar.length_mm in view.scale_bar.STEPS_MM
    assert view.scale_bar.length_mm <= mm_per_pixel * view.width() / 5
    camera.SetParallelScale(camera.GetParallelScale() / 4)  # zoom in: a shorter bar
    before = view.scale_bar.length_mm
    view._update_text()
    assert view.scale_bar.length_mm < before


def test_anonymize_hides_patient_name(view):
    view._update_text()
    assert "PHANTOM" in view.corner_text.text(2)
    view.anonymize = True
    view._update_text()
    assert "PHANTOM" not in view.corner_text.text(2)
