"""The main window's view actions on a loaded study: layouts, slabs, overlays, tools."""

from __future__ import annotations

import numpy as np
import pytest

from core.paths import DEMO_STUDY
from tests.app import windows
from viewer.layouts import ReadingLayout


@pytest.fixture
def window(qtbot, luch_home):
    win = windows.shown_window(qtbot, size=(1200, 800))
    win.show()
    windows.open_demo(qtbot, win, layout="mpr")
    return win


def test_layout_actions_rebuild_the_views(window):
    assert isinstance(window.reading, ReadingLayout) and len(window.reading.views) == 3
    window.actions["layout-2x2"].trigger()
    assert window.reading.three_d is not None
    window.actions["layout-1x1"].trigger()
    assert len(window.reading.views) == 1


def test_the_layout_buttons_show_the_layout_on_screen(window, qtbot):
    """The reader chose MPR on one study; the next opened in the hanging protocol's 1x2 with
    the MPR button still pressed."""
    assert window.actions["layout-mpr"].isChecked()
    windows.open_demo(qtbot, window)  # the hanging protocol's layout, not the one chosen
    name = window.reading.layout_name
    assert name != "mpr" and window.actions[f"layout-{name}"].isChecked()
    assert not window.actions["layout-mpr"].isChecked()
    with qtbot.waitSignal(window.prior_loaded, timeout=60_000):
        window.open_prior(DEMO_STUDY)
    assert not any(window.actions[f"layout-{n}"].isChecked() for n in ("1x1", "1x2", "mpr", "2x2"))


def test_slab_actions_apply_to_every_view(window):
    window.actions["slab-mip"].trigger()
    for view in window.reading.views:
        assert view.mapper.GetSlabTypeAsString() == "Max"
        assert view.mapper.GetSlabThickness() == 10.0
    window.actions["slab-thicker"].trigger()
    assert all(v.mapper.GetSlabThickness() == 20.0 for v in window.reading.views)
    window.actions["slab-none"].trigger()
    assert all(v.mapper.GetSlabThickness() == 0.0 for v in window.reading.views)


def test_overlay_toggles(window):
    labels = window.volume.voxels < -500  # anything: a label map on the study's grid
    from studies import Volume

    window.show_labels(Volume(labels.astype(np.uint8) * 2, window.volume.spacing,
                              window.volume.origin, window.volume.direction))
    layers = window.overlay_layers
    assert len(layers) == 3
    window.actions["overlay-outline"].trigger()
    assert not any(layer.filled for layer in layers)
    window.actions["overlay"].trigger()
    assert not any(layer.slice.GetVisibility() for layer in layers)


def test_a_hidden_or_outlined_overlay_stays_so_in_a_new_layout(window):
    """Walkthrough (popi, Russian): the AI result rejected, its overlay hidden; MPR brought
    it back in every view. Shown and filled are the reading state's now."""
    from studies import Volume

    labels = (window.volume.voxels < -500).astype(np.uint8) * 2
    window.show_labels(Volume(labels, window.volume.spacing, window.volume.origin,
                              window.volume.direction))
    window.hide_overlay("rejected")
    window.actions["overlay-outline"].trigger()
    for layout in ("layout-1x1", "layout-2x2", "layout-mpr"):
        window.actions[layout].trigger()
        layers = window.overlay_layers
        assert layers and not any(layer.slice.GetVisibility() for layer in layers), layout
        assert not any(layer.filled for layer in layers), layout
    window.actions["overlay"].trigger()  # O shows it again, in the views of any layout
    window.actions["layout-1x1"].trigger()
    assert all(layer.slice.GetVisibility() for layer in window.overlay_layers)


def test_tool_actions_arm_the_views(window):
    window.actions["tool-distance"].trigger()
    assert all(v.tool == "distance" for v in window.reading.views)
    window.actions["tool-none"].trigger()
    assert all(v.tool is None for v in window.reading.views)


def test_label_groups_and_opacity(window):
    from studies import Volume

    labels = np.zeros(window.volume.shape, dtype=np.uint8)
    labels[:, 100:150, 40:100] = 1  # right lung
    labels[:, 120:130, 60:80] = 3  # ground-glass, right
    window.show_labels(Volume(labels, window.volume.spacing, window.volume.origin,
                              window.volume.direction))
    layer = window.overlay_layers[0]

    def alpha(value: int) -> float:
        return layer.lookup.GetTableValue(value)[3]

    ggo_before = alpha(3)
    window.actions["overlay-lungs"].trigger()  # checked -> unchecked: lungs hidden
    assert alpha(1) == 0.0 and alpha(2) == 0.0 and alpha(3) == ggo_before
    window.actions["overlay-more"].trigger()
    assert alpha(3) == pytest.approx(min(1.0, ggo_before * 1.5), abs=0.01)  # 8-bit table
    assert window.overlay_layers[1].lookup is layer.lookup, "every view shows the same styles"


def test_label_groups_and_opacity_stay_in_a_new_layout_and_a_detached_view(window, qtbot):
    """Walkthrough: lungs hidden (Alt+1) and the overlay made more opaque (Alt+=), then a
    layout change (Ctrl+4) brought the lungs back at their first opacity: they lived in the
    layers. They are the reading state's now, as are shown and filled."""
    from PySide6.QtCore import Qt

    from studies import Volume

    labels = np.zeros(window.volume.shape, dtype=np.uint8)
    labels[:, 100:150, 40:100] = 1  # right lung
    labels[:, 120:130, 60:80] = 3  # ground-glass, right
    window.show_labels(Volume(labels, window.volume.spacing, window.volume.origin,
                              window.volume.direction))
    ggo = window.overlay_layers[0].lookup.GetTableValue(3)[3]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier

    def press(key, modifier) -> None:
        window.focus_image()
        qtbot.keyClick(window.view.interactor, key, modifier)

    def alphas(value: int) -> set[float]:  # the 8-bit table: to 1/100
        return {round(layer.lookup.GetTableValue(value)[3], 2)
                for layer in window.overlay_layers}

    press(Qt.Key.Key_1, alt)  # lungs off
    press(Qt.Key.Key_Equal, alt)  # more opaque
    more = alphas(3)
    assert alphas(1) == {0.0} and len(more) == 1
    assert more.pop() == pytest.approx(min(1.0, ggo * 1.5), abs=0.01)
    more = alphas(3)
    press(Qt.Key.Key_4, ctrl)  # 2x2: every view built again
    assert window.reading.layout_name == "2x2"
    assert alphas(1) == {0.0}, "the lungs came back in the new layout"
    assert alphas(3) == more, "the opacity went back"
    assert not window.actions["overlay-lungs"].isChecked()
    window.show_labels(Volume(labels, window.volume.spacing, window.volume.origin,
                              window.volume.direction))  # a new AI result: the same look
    assert alphas(1) == {0.0} and alphas(3) == more
    detached = window.reading.views[-1]
    own_window = window.reading.detach(detached)
    try:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        press(Qt.Key.Key_1, alt)  # lungs on again: in the detached view too
        assert all(layer.lookup.GetTableValue(1)[3] > 0 for layer in detached.overlays)
        assert window.actions["overlay-lungs"].isChecked()
    finally:
        own_window.close()  # the view goes back; no window left for the next tests


def test_letter_shortcuts_stay_out_of_combo_boxes(window, qtbot):
    from PySide6.QtWidgets import QComboBox

    box = QComboBox(window)
    box.addItems(["none", "diffuse", "focal"])
    box.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=5000)
    qtbot.keyClick(box, "d")
    assert all(v.tool is None for v in window.reading.views)
    assert box.currentText() == "diffuse"  # the letter went to the box's keyboard search
    window.reading.views[0].setFocus()
    qtbot.keyClick(window.reading.views[0], "d")
    assert all(v.tool == "distance" for v in window.reading.views)


def test_go_to_voxel_puts_the_crosshair_on_a_finding(window):
    v = window.volume
    nk, nj, ni = v.shape
    axial = next(view for view in window.reading.views if view.plane.name == "axial")
    assert window.go_to_voxel((ni // 3, nj // 2, 10))
    before = axial.slice_index
    target = (ni // 3, nj // 2, 44)
    assert window.go_to_voxel(target)
    assert abs(axial.slice_index - before) == 34
    lps = v.index_to_lps(np.array(target, float))
    assert all(np.allclose(view.cursor, lps) for view in window.reading.views)
    assert not window.go_to_voxel((0, 0, nk + 5))  # outside the study: nothing moves
    assert np.allclose(axial.cursor, lps)


def test_layout_change_keeps_slice_crosshair_window_and_tool(window):
    axial = window.view
    axial.set_slice_index(axial.slice_count // 2 + 8)
    index = axial.slice_index
    window.go_to_voxel((100, 120, index))
    point = axial.cursor.copy()
    window.reading.set_window(-500, 1200)
    window.actions["tool-distance"].trigger()
    for name in ("2x2", "1x1", "mpr"):
        window.actions[f"layout-{name}"].trigger()
        assert window.view.slice_index == index, f"{name}: slice went back"
        np.testing.assert_allclose(window.view.cursor, point)
        assert window.view.window() == (-500, 1200)
        assert all(v.tool == "distance" for v in window.reading.views)


def test_prior_opens_beside_the_current_study_without_reloading_it(window, qtbot):
    from viewer.compare import ComparisonLayout

    current = window.volume
    window.view.set_slice_index(20)
    with qtbot.waitSignal(window.prior_loaded, timeout=60_000):
        window.open_prior(DEMO_STUDY)
        # At once: the compare layout with the current study readable, the prior loading.
        assert isinstance(window.reading, ComparisonLayout)
        assert window.reading.current.volume is current
        assert window.view.slice_index == 20
        assert "Loading the prior" in window.reading.prior.note_text()
    assert window.volume is current, "the current study was loaded again"
    assert window.reading.prior.volume is not None and window.reading.prior.note_text() == ""
    assert window.reading.prior.slice_position() == pytest.approx(window.view.slice_position())
    assert "aligned" in window.status_label.text()


def test_a_loading_replaced_by_a_newer_one_leaves_the_newer_one_alone(qtbot, luch_home,
                                                                      tmp_path):
    """A study opened twice in a row (a double click, a fetch finished twice): the first
    loading, cancelled, finished while the second ran and hid its progress and forgot it;
    the status line then said "Loading 1.3.6.1…" (the cache folder's UID) for the whole
    reading. The stale loading is now ignored; the status names no UID."""
    import shutil

    from PySide6.QtWidgets import QApplication

    win = windows.shown_window(qtbot, size=(1200, 800))
    win.show()
    folder = tmp_path / "1.2.826.0.1.3680043.8.498.1"  # named as the archive cache names it
    shutil.copytree(DEMO_STUDY, folder) if DEMO_STUDY.is_dir() else \
        (folder.mkdir(), shutil.copy(DEMO_STUDY, folder / DEMO_STUDY.name))
    first = win.open_path(folder)
    assert win.status_label.text() == "Loading the study…"
    second = win.open_path(folder)
    seen, second_done = [], []
    second.succeeded.connect(lambda _study: second_done.append(True))
    first.cancelled.connect(lambda: seen.append(
        (bool(second_done), win._task is second, win.progress.isVisibleTo(win))))
    with qtbot.waitSignal(win.volume_loaded, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    QApplication.processEvents()
    if not seen[0][0]:  # the second was still loading when the first gave up (as a rule)
        assert seen[0] == (False, True, True), "the stale loading hid the newer one"
    nk, nj, ni = win.volume.shape
    assert win.status_label.text() == f"{ni} × {nj} × {nk} voxels"
    assert win._task is None and not win.progress.isVisibleTo(win)


def test_rejecting_the_ai_hides_its_overlay_and_o_shows_it_again(qtbot, luch_home):
    """A rejected pre-read kept painting its false lesion over the chest while the reader
    went on reading (seen on the Philips chest in the walkthrough)."""
    window, workflow = windows.station(qtbot, "dr.reject", ui_lang="en", report_lang="en")
    windows.open_demo(qtbot, window, layout="1x1")
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=180_000):
        window.actions["ai-run"].trigger()
    qtbot.waitUntil(lambda: bool(window.overlay_layers))
    layers = window.overlay_layers
    assert all(layer.slice.GetVisibility() for layer in layers)
    window.actions["ai-reject"].trigger()
    assert not any(layer.slice.GetVisibility() for layer in layers)
    assert "rejected" in window.statusBar().currentMessage()
    window.actions["overlay"].trigger()
    assert all(layer.slice.GetVisibility() for layer in layers)
    workflow.ai.cancel()


def test_a_series_opened_again_comes_back_where_it_was_left(qtbot, luch_home, shared_data):
    """Back to a study read a moment ago (a draft, a second look after the next one), the
    views started at its centre in the default window: the place was lost."""
    window = windows.shown_window(qtbot, size=(1200, 800))
    window.show()
    windows.open_demo(qtbot, window, layout="1x1")
    view = window.view
    view.set_slice_index(12)
    window.reading.set_window(40, 400)
    view.set_zoom(2.0)
    left = (window.state.point.copy(), window.state.zoom.get(view.plane.name))
    windows.open_demo(qtbot, window, path=shared_data / "ct" / "chest-crop-a.nii.gz",
                      layout="1x1")
    assert window.view.slice_index != 12 or window.volume.shape[0] <= 12
    windows.open_demo(qtbot, window, layout="1x1")
    assert window.view.slice_index == 12
    np.testing.assert_allclose(window.state.point, left[0])
    assert window.state.zoom.get(window.view.plane.name) == left[1]
    assert window.view.window() == (40, 400)


def test_a_study_reopened_after_a_restart_comes_back_where_it_was_left(qtbot, luch_home):
    """The places were kept in memory only: after closing the app for the night, the draft
    opened the next morning started at its centre in the default window."""
    window = windows.shown_window(qtbot, size=(1200, 800))
    windows.open_demo(qtbot, window, layout="1x1")
    window.view.set_slice_index(12)
    window.reading.set_window(40, 400)
    left = window.state.point.copy()
    window.keep_places()  # what quitting the app does
    window.close()
    again = windows.shown_window(qtbot, size=(1200, 800))
    windows.open_demo(qtbot, again, layout="1x1")
    assert again.view.slice_index == 12
    np.testing.assert_allclose(again.state.point, left)
    assert again.view.window() == (40, 400)


def test_the_place_is_on_disk_once_the_study_is_left(qtbot, luch_home, shared_data):
    """Places were written only at quit: after a crash (or kill) the whole day's were lost."""
    from viewer.place_store import load_places
    from viewer.reading_state import ReadingState

    window = windows.shown_window(qtbot, size=(1200, 800))
    windows.open_demo(qtbot, window, layout="1x1")
    window.view.set_slice_index(12)
    series = window.volume.info.series_instance_uid
    windows.open_demo(qtbot, window, path=shared_data / "ct" / "chest-crop-a.nii.gz",
                      layout="1x1")
    state = ReadingState()
    assert load_places().restore(series, state) is not None  # from disk, no quit
    window.close()
