"""One reading state shared by a layout's views: reference lines follow, place survives."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from tests.viewer.phantoms import show_in_view
from viewer.layouts import ReadingLayout
from viewer.reading_state import ReadingState
from viewer.screenshot import render_window_pixels


def green_rows(view) -> np.ndarray:
    """Rows where the green crosshair (reference line) runs across most of the view."""
    rgb = render_window_pixels(view.render_window).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    green = (g > 100) & (g - r > 60) & (g - b > 60)
    return np.flatnonzero(green.sum(axis=1) > rgb.shape[1] * 0.5)


def test_scrolling_axial_moves_its_reference_line_in_coronal_and_sagittal(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("mpr"), size=(900, 300))
    axial, coronal, sagittal = layout.views
    before = {v.plane.name: green_rows(v).mean() for v in (coronal, sagittal)}
    axial.scroll(10)  # 10 slices of 2 mm head-wards: the line goes up on screen
    after = {v.plane.name: green_rows(v).mean() for v in (coronal, sagittal)}
    for name in before:
        assert before[name] - after[name] > 5, f"{name} reference line did not move up"
    assert layout.state.point[2] == pytest.approx(axial.slice_position())


def test_scrolling_coronal_moves_the_axial_view_line_not_its_slice(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("mpr"), size=(900, 300))
    axial, coronal, _ = layout.views
    index = axial.slice_index
    rows = green_rows(axial).mean()
    coronal.scroll(-15)
    assert axial.slice_index == index
    assert abs(green_rows(axial).mean() - rows) > 5, "axial: coronal line did not follow"


def test_a_layout_rebuilt_on_the_state_keeps_slice_cursor_window_zoom_and_tool(qtbot):
    state = ReadingState()
    first = show_in_view(qtbot, ReadingLayout("mpr", state=state), size=(900, 300))
    first.views[0].set_slice_index(42)
    first.set_cursor(first.volume.index_to_lps(np.array([70.0, 20.0, 42.0])), move=False)
    first.set_window(-600, 1500)
    first.views[0].set_zoom(2.0)
    state.set_zoom("axial", 2.0)
    state.set_tool("distance")
    point = state.point.copy()
    first.release()
    second = show_in_view(qtbot, ReadingLayout("2x2", state=state), size=(600, 600))
    axial = second.views[0]
    assert axial.slice_index == 42
    np.testing.assert_allclose(axial.cursor, point)
    assert axial.window() == (-600, 1500)
    assert axial.zoom_factor() == pytest.approx(2.0, rel=1e-3)
    assert all(v.tool == "distance" for v in second.views)
    first.views[0].scroll(5)  # the old layout no longer drives the state
    assert second.views[0].slice_index == 42


def test_state_outside_a_new_volume_falls_back_to_its_centre(qtbot):
    state = ReadingState()
    state.set_point((1e4, 1e4, 1e4))
    layout = show_in_view(qtbot, ReadingLayout("1x1", state=state))
    assert layout.views[0].slice_index == layout.views[0].slice_count // 2


def test_the_3d_planes_follow_scrolling_in_2x2(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("2x2"), size=(600, 600))
    axial = layout.views[0]
    axial.scroll(7)
    origins = {name: plane.GetOrigin() for name, plane in layout.three_d.planes.items()}
    assert all(o[2] == pytest.approx(axial.slice_position()) for o in origins.values())


def _middle_drag(qtbot, view, start: QPoint, end: QPoint) -> None:
    """A real middle-button drag (VTK's pan) from ``start`` to ``end``."""
    widget = view.interactor
    qtbot.mousePress(widget, Qt.MouseButton.MiddleButton, pos=start)
    for n in range(1, 6):
        qtbot.mouseMove(widget, start + (end - start) * n / 5)
    qtbot.mouseRelease(widget, Qt.MouseButton.MiddleButton, pos=end)


def _marker_centre(view) -> np.ndarray:
    gray = render_window_pixels(view.render_window).mean(axis=2)
    return np.argwhere(gray > 240).mean(axis=0)


def test_pan_is_kept_in_the_state_across_a_layout_rebuild_and_a_detached_view(qtbot):
    state = ReadingState()
    first = show_in_view(qtbot, ReadingLayout("1x2", state=state), size=(800, 400))
    first.set_window(0, 2000)
    axial = first.views[0]
    axial.set_slice_index(35)
    before = _marker_centre(axial)
    _middle_drag(qtbot, axial, QPoint(200, 200), QPoint(260, 170))
    moved = _marker_centre(axial)
    assert np.abs(moved - before).max() > 10, "the middle drag did not pan"
    right, up = state.pan["axial"]
    assert abs(right) > 5 and abs(up) > 5
    assert axial.pan_offset() == pytest.approx((right, up), abs=1e-3)
    first.release()
    second = show_in_view(qtbot, ReadingLayout("1x2", state=state), size=(800, 400))
    second.views[0].set_slice_index(35)
    assert second.views[0].pan_offset() == pytest.approx((right, up), abs=1e-3)
    np.testing.assert_allclose(_marker_centre(second.views[0]), moved, atol=1.5)
    coronal = second.views[1]
    _middle_drag(qtbot, coronal, QPoint(100, 100), QPoint(140, 100))
    pan = coronal.pan_offset()
    window = second.detach(coronal)  # a new window of another size: the same place
    qtbot.waitExposed(window)
    window.resize(700, 500)
    qtbot.wait(50)
    assert coronal.pan_offset() == pytest.approx(pan, abs=1e-3)
    assert state.pan["coronal"] == pytest.approx(pan, abs=1e-3)
    window.close()


def test_label_groups_and_opacity_are_reading_state():
    """Hidden label groups and the overlay opacity live in the state (a rebuilt layout shows
    them); the opacity stays within its steps."""
    state = ReadingState()
    seen = []
    state.subscribe(lambda field, value: seen.append((field, value)))
    state.set_label_group("lungs", visible=False)
    state.set_label_group("lungs", visible=False)  # no change, no event
    state.scale_opacity(1.5)
    assert state.labels == (frozenset({"lungs"}), 1.5)
    assert [f for f, _ in seen] == ["labels", "labels"]
    for _ in range(20):
        state.scale_opacity(1 / 1.5)
    assert state.labels[1] == pytest.approx(1.5 ** -6)
    state.set_label_group("lungs", visible=True)
    assert state.labels[0] == frozenset()
