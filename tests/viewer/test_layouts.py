"""Linked layouts on real pixels: crosshair clicks, window linking, overlays, slabs, detach."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from studies import SeriesInfo, Volume
from tests.viewer.phantoms import marker_labels, show_in_view
from viewer.layouts import ReadingLayout
from viewer.overlay import LabelOverlay, outline
from viewer.screenshot import render_window_pixels


def white_pixels(view) -> np.ndarray:
    gray = render_window_pixels(view.render_window).mean(axis=2)
    return np.argwhere(gray > 240)


@pytest.fixture
def mpr(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("mpr"), size=(900, 300))
    layout.set_window(0, 2000)
    return layout


def test_click_in_axial_moves_coronal_and_sagittal_to_that_point(mpr, qtbot):
    axial, coronal, sagittal = mpr.views
    axial.set_slice_index(35)
    assert white_pixels(coronal).size == 0, "the centred coronal slice misses the marker"
    rows_cols = white_pixels(axial)
    y, x = rows_cols.mean(axis=0)
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(x), int(y)))
    assert mpr.views[0].cursor is not None
    lps = axial.cursor
    i, j, k = mpr.volume.lps_to_index(lps)
    assert 70 <= i <= 85 and 15 <= j <= 30, f"clicked point {i:.0f},{j:.0f} not on the marker"
    assert k == pytest.approx(35, abs=0.6)
    assert white_pixels(coronal).size > 0, "coronal view did not move to the clicked point"
    assert white_pixels(sagittal).size > 0, "sagittal view did not move to the clicked point"


def test_window_level_is_linked(mpr):
    mpr.views[1].set_window(40, 400)
    assert all(view.window() == (40, 400) for view in mpr.views)


def test_overlay_is_drawn_where_the_mask_is(mpr):
    axial = mpr.views[0]
    labels = marker_labels(mpr.volume)
    layers = mpr.add_overlay(LabelOverlay(labels))
    assert len(layers) == 3
    axial.set_slice_index(30)
    rgb = render_window_pixels(axial.render_window).astype(int)
    reddish = (rgb[..., 0] - rgb[..., 1] > 40)
    ys, xs = np.nonzero(reddish)
    assert ys.size > 100, "consolidation label not drawn in red"
    # The mask sits on the patient's right (screen left) and posterior (screen bottom).
    assert xs.mean() < rgb.shape[1] / 2 and ys.mean() > rgb.shape[0] / 2
    layers[0].set_visible(False)
    axial.render()
    rgb = render_window_pixels(axial.render_window).astype(int)
    assert ((rgb[..., 0] - rgb[..., 1]) > 40).sum() == 0, "hidden overlay still drawn"
    axial.set_slice_index(5)


def test_outline_keeps_only_borders():
    labels = np.zeros((1, 10, 10), dtype=np.uint8)
    labels[0, 2:8, 2:8] = 3
    border = outline(labels)
    assert border[0, 2, 4] == 3 and border[0, 5, 5] == 0
    assert (border > 0).sum() == 20


def test_mip_slab_shows_a_marker_from_neighbouring_slices(mpr):
    axial = mpr.views[0]
    axial.set_slice_index(43)  # 4 slices (8 mm) above the marker's last slice
    assert white_pixels(axial).size == 0
    axial.set_slab("mip", 20.0)
    assert white_pixels(axial).size > 0, "MIP over 20 mm must include the marker"
    axial.set_slab("none")
    assert white_pixels(axial).size == 0
    with pytest.raises(ValueError, match="unknown slab"):
        axial.set_slab("median", 5)


def test_cine_plays_through_slices(mpr, qtbot):
    axial = mpr.views[0]
    start = axial.slice_index
    axial.start_cine(50)
    qtbot.waitUntil(lambda: axial.slice_index != start, timeout=2000)
    axial.stop_cine()
    assert not axial.cine_running


def test_view_detaches_to_its_own_window_and_comes_back(mpr, qtbot):
    sagittal = mpr.views[2]
    window = mpr.detach(sagittal)
    assert sagittal.window() and sagittal.parent() is window and window.isWindow()
    window.close()
    assert sagittal.parent() is mpr


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="mpr"):
        ReadingLayout("3x3")


def test_window_level_drag_in_one_view_reaches_the_others(mpr, qtbot):
    coronal = mpr.views[1]
    before = mpr.views[0].window()
    qtbot.mousePress(coronal.interactor, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    for n in range(1, 6):
        qtbot.mouseMove(coronal.interactor, QPoint(100 + 10 * n, 100 + 8 * n))
    qtbot.mouseRelease(coronal.interactor, Qt.MouseButton.LeftButton, pos=QPoint(150, 140))
    assert coronal.window() != before
    assert mpr.views[0].window() == coronal.window() == mpr.views[2].window()


def _count_renders(widgets) -> list[int]:
    counts = [0] * len(widgets)
    for n, widget in enumerate(widgets):
        widget.render_window.AddObserver(
            "StartEvent", lambda *_a, n=n: counts.__setitem__(n, counts[n] + 1))
    return counts


def test_a_scroll_redraws_each_view_once_and_an_unchanged_view_not_at_all(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("2x2"), size=(800, 800))
    widgets = [*layout.views, layout.three_d]
    counts = _count_renders(widgets)
    qtbot.keyClick(layout.views[0].interactor, Qt.Key.Key_Up)  # a real scroll of the axial
    assert counts == [1, 1, 1, 1], "a view was drawn more than once for one scroll"
    point = layout.volume.index_to_lps(np.array([40.0, 30.0, 20.0]))
    layout.set_cursor(point)
    counts[:] = [0] * 4
    layout.set_cursor(point)  # the same place again (a list clicked twice): nothing to redraw
    assert counts[:3] == [0, 0, 0]


def _coronal_single_slice() -> Volume:
    """One coronal image (rows run foot-wards), bright body in air: a localizer-like series."""
    voxels = np.full((1, 80, 100), -1000, dtype=np.int16)
    voxels[0, 10:70, 10:90] = 1000
    direction = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])  # i=x, j=-z, k=y
    return Volume(voxels=voxels, spacing=(1.0, 1.0, 2.0), origin=(-50.0, 0.0, 40.0),
                  direction=direction, info=SeriesInfo(series_description="coronal",
                                                       modality="CT"))


@pytest.mark.parametrize("layout", ["1x1", "1x2"])
def test_a_coronal_single_slice_is_shown_as_acquired_in_the_main_view(qtbot, layout):
    from viewer.layouts import layout_planes
    from viewer.orientation import AXIAL, CORONAL, acquisition_plane

    volume = _coronal_single_slice()
    assert acquisition_plane(volume.direction) == CORONAL
    assert layout_planes("mpr", CORONAL) == layout_planes("mpr")  # all three, usual places
    shown = show_in_view(qtbot, ReadingLayout(layout, acquired=CORONAL), volume, (800, 400))
    shown.set_window(0, 2000)
    assert shown.views[0].plane == CORONAL
    bright = len(white_pixels(shown.views[0])) / np.prod(shown.views[0].render_window.GetSize())
    assert bright > 0.2, "the coronal image is not on the main view"
    across = show_in_view(qtbot, ReadingLayout("1x1", acquired=AXIAL), volume, (400, 400))
    across.set_window(0, 2000)  # the old hanging: an axial cut across one coronal slice
    line = len(white_pixels(across.views[0])) / np.prod(across.views[0].render_window.GetSize())
    assert line < 0.05


def test_a_slightly_oblique_coronal_image_is_shown_whole(qtbot, shared_data):
    """A real coronal reformat about 1 degree off the coronal plane (one image, 3 mm): the
    standard coronal plane cuts it in a narrow strip; the acquired plane shows all of it."""
    import studies
    from viewer.orientation import CORONAL, acquisition_plane

    path = next((shared_data / "covid-slices" / "A027284" / "coronal").glob("*.dcm"))
    volume = studies.open_volume(path)
    acquired = acquisition_plane(volume.direction)
    assert acquired.name == "coronal" and acquired != CORONAL  # turned onto the slice

    def shown(plane) -> float:
        layout = show_in_view(qtbot, ReadingLayout("1x1", acquired=plane), volume, (400, 400))
        layout.set_window(40, 400)
        gray = render_window_pixels(layout.views[0].render_window).mean(axis=2)
        return float((gray > 20).mean())

    whole, strip = shown(acquired), shown(CORONAL)
    assert whole > 0.4, f"the acquired image fills {whole:.0%} of the view"
    assert strip < whole / 2, f"standard plane {strip:.0%} vs acquired {whole:.0%}"


def test_mpr_in_a_tall_area_puts_the_axial_on_top_and_keeps_the_place(qtbot):
    """Beside the panels the viewer is taller than wide: three views in a row were thin
    strips (136 px each at 1400x900); now the axial spans the top, the reformats below."""
    layout = show_in_view(qtbot, ReadingLayout("mpr"), size=(420, 800))
    axial, coronal, sagittal = layout.views
    axial.set_slice_index(30)
    point = layout.state.point.copy()
    qtbot.waitUntil(lambda: axial.width() > 400)
    assert axial.y() < coronal.y() and coronal.y() == sagittal.y()
    assert coronal.x() < sagittal.x() and min(coronal.width(), sagittal.width()) > 190
    layout.resize(1200, 400)  # wide again (images only): one row
    qtbot.waitUntil(lambda: axial.y() == coronal.y() == sagittal.y())
    assert axial.x() < coronal.x() < sagittal.x()
    np.testing.assert_allclose(layout.state.point, point)
    assert axial.slice_index == 30


def test_two_views_stack_in_a_tall_area(qtbot):
    layout = show_in_view(qtbot, ReadingLayout("1x2"), size=(400, 800))
    top, bottom = layout.views
    qtbot.waitUntil(lambda: top.width() > 380)
    assert top.y() < bottom.y() and bottom.width() > 380


def test_a_second_detached_view_stays_in_its_window_when_the_first_comes_back(mpr, qtbot):
    axial, coronal, sagittal = mpr.views
    first, second = mpr.detach(coronal), mpr.detach(sagittal)
    qtbot.waitUntil(lambda: axial.width() > 800)  # the one left takes the room
    first.close()
    assert coronal.parent() is mpr
    assert sagittal.parent() is second, "closing one detached window took the other's view"
    second.close()
    assert sagittal.parent() is mpr
    qtbot.waitUntil(lambda: axial.y() == coronal.y() == sagittal.y()
                    and axial.x() < coronal.x() < sagittal.x())
