"""Slices are numbered head first (1 = most cranial), and a single-slice series says why
it has no coronal or sagittal picture instead of leaving the pane blank."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from studies import SeriesInfo, Volume
from tests.viewer.phantoms import marker_phantom, show_in_view
from viewer.layouts import ReadingLayout
from viewer.orientation import CORONAL, SAGITTAL
from viewer.screenshot import render_window_pixels
from viewer.slice_view import SliceView


def test_axial_slice_one_is_the_most_cranial(qtbot):
    view = show_in_view(qtbot, SliceView())
    view.set_slice_index(view.slice_count - 1)  # highest z: most cranial (LPS +z = head)
    assert view.slice_number == 1
    assert view.corner_text.text(0).startswith("Axial 1/60")
    view.set_slice_index(0)
    assert view.slice_number == 60
    qtbot.keyClick(view.interactor, Qt.Key.Key_Home)
    assert view.slice_number == 1 and view.slice_index == view.slice_count - 1
    qtbot.keyClick(view.interactor, Qt.Key.Key_End)
    assert view.slice_number == 60


def test_coronal_counts_from_the_front_and_sagittal_from_the_right(qtbot):
    coronal = show_in_view(qtbot, SliceView(CORONAL))
    coronal.move_to_point(coronal.volume.index_to_lps(np.array([0.0, 0.0, 0.0])))  # anterior
    assert coronal.slice_number == 1
    sagittal = show_in_view(qtbot, SliceView(SAGITTAL))
    sagittal.move_to_point(sagittal.volume.index_to_lps(np.array([0.0, 0.0, 0.0])))  # right
    assert sagittal.slice_number == 1


def single_slice() -> Volume:
    source = marker_phantom()
    return Volume(voxels=source.voxels[35:36].copy(), spacing=source.spacing,
                  origin=source.origin, info=SeriesInfo(series_description="scout"))


def test_a_single_slice_series_says_so_in_its_coronal_and_sagittal_panes(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("mpr"), single_slice(), size=(900, 300))
    axial, coronal, sagittal = layout.views
    assert render_window_pixels(axial.render_window).max() > 200, "the axial slice is drawn"
    for view in (coronal, sagittal):
        assert "single slice" in view.note_text().lower()
        rgb = render_window_pixels(view.render_window)
        h, w, _ = rgb.shape
        rows = (rgb[h // 4:3 * h // 4, w // 6:5 * w // 6].max(axis=2) > 150).any(axis=1)
        assert rows.sum() >= 8, f"{view.plane.name}: only the slice's edge, a thin line"
    assert axial.note_text() == ""


def test_a_scroll_bar_beside_the_view_shows_and_sets_the_slice(qtbot):
    view = show_in_view(qtbot, SliceView())
    slider = view.slider
    assert slider.isVisible() and (slider.minimum(), slider.maximum()) == (1, 60)
    assert slider.value() == view.slice_number
    view.scroll(5)  # head-wards: the number (and the bar, top = slice 1) goes up the view
    assert slider.value() == view.slice_number
    slider.setValue(1)
    assert view.slice_number == 1 and view.slice_index == view.slice_count - 1
    view.start_cine(50)
    qtbot.waitUntil(lambda: slider.value() != 1, timeout=2000)
    view.stop_cine()
    assert slider.value() == view.slice_number
    assert slider.focusPolicy() == Qt.FocusPolicy.NoFocus
