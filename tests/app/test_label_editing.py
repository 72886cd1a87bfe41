"""Editing the AI overlay in the viewer with the mouse: brush, eraser, threshold fill and
erase component in every plane, undo/redo by key, the overlay redrawn in all views."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from core.paths import DEMO_STUDY
from inference.labels import Label
from studies import Volume
from tests.app import windows
from viewer.screenshot import render_window_pixels


@pytest.fixture
def window(qtbot, luch_home):
    win = windows.shown_window(qtbot, size=(1400, 900))
    win.show()
    windows.open_demo(qtbot, win, layout="mpr")
    win.activateWindow()
    return win


def ai_labels(volume: Volume) -> Volume:
    """Lungs by a threshold, split at the middle column, with one ground-glass box."""
    labels = np.zeros(volume.shape, np.uint8)
    lung = volume.voxels < -400
    lung[:, :12], lung[:, -12:], lung[:, :, :12], lung[:, :, -12:] = False, False, False, False
    half = volume.shape[2] // 2
    labels[:, :, :half][lung[:, :, :half]] = Label.LUNG_RIGHT  # low i: patient's right
    labels[:, :, half:][lung[:, :, half:]] = Label.LUNG_LEFT
    return Volume(labels, volume.spacing, volume.origin, volume.direction, volume.info)


def view_of(window, plane: str):
    return next(v for v in window.reading.views if v.plane.name == plane)


def qt_point(view, lps) -> QPoint:
    x, y = view.lps_to_display(lps)
    return QPoint(round(x), view.interactor.height() - round(y))


def pixel(view, lps) -> np.ndarray:
    x, y = view.lps_to_display(lps)
    frame = render_window_pixels(view.render_window)
    return frame[frame.shape[0] - 1 - round(y), round(x)].astype(int)


def hover(widget, pos: QPoint) -> None:
    """A mouse move with no button (QTest's offscreen mouseMove sends none without one)."""
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def lung_voxel(labels: np.ndarray, value: int) -> tuple[int, int, int]:
    """(k, j, i) deep inside the lung of ``value`` (at the middle slice)."""
    from scipy import ndimage as ndi

    k = labels.shape[0] // 2
    inner = ndi.binary_erosion(labels[k] == value, iterations=8)
    j, i = np.argwhere(inner)[len(np.argwhere(inner)) // 2]
    return k, int(j), int(i)


def test_brush_in_the_coronal_view_redraws_every_view_and_ctrl_z_undoes_it(window, qtbot):
    volume = window.volume
    window.show_labels(ai_labels(volume))
    editor = window.label_tools.editor
    k, j, i = lung_voxel(editor.labels, Label.LUNG_RIGHT)
    at = volume.index_to_lps(np.array([i, j, k], float))
    window.go_to_voxel((i, j, k))
    axial, coronal = view_of(window, "axial"), view_of(window, "coronal")
    window.actions["tool-paint"].trigger()  # (its bar shows: the views shrink by a row)
    assert window.state.tool == "paint" and window.actions["tool-paint"].isChecked()
    qtbot.wait(50)
    before = pixel(axial, at)
    assert "GGO" in window.tool_label.text()
    step = np.array([4.0, 0.0, 0.0])  # 4 mm along x, in the coronal plane
    start, end = qt_point(coronal, at - step), qt_point(coronal, at + step)
    hover(coronal.interactor, start)  # the brush's ring follows the mouse
    assert coronal._ring.actor.GetVisibility()
    qtbot.mousePress(coronal.interactor, Qt.MouseButton.LeftButton, pos=start)
    for n in range(1, 5):
        qtbot.mouseMove(coronal.interactor, start + (end - start) * n / 4)
    qtbot.mouseRelease(coronal.interactor, Qt.MouseButton.LeftButton, pos=end)
    assert editor.labels[k, j, i] == Label.GGO_RIGHT
    painted = np.argwhere(editor.labels != editor.original)
    assert set(painted[:, 1]) == {j}  # the coronal plane only
    assert len(set(painted[:, 0])) > 1  # across axial slices
    after = pixel(axial, at)  # the axial view shows the coronal stroke
    assert after[0] > before[0] + 30 and after[1] > before[1] + 20  # yellow over grey
    assert window.actions["label-undo"].isEnabled() and window.actions["label-save"].isEnabled()
    qtbot.keyClick(axial.interactor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(editor.labels, editor.original)
    assert np.abs(pixel(axial, at) - before).max() <= 2
    qtbot.keyClick(axial.interactor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.labels[k, j, i] == Label.GGO_RIGHT
    window.actions["label-undo"].trigger()
    qtbot.keyClick(axial.interactor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert editor.labels[k, j, i] == Label.GGO_RIGHT


def test_erase_component_in_the_sagittal_view_and_eraser_and_threshold(window, qtbot):
    volume = window.volume
    labels = ai_labels(volume)
    k, j, i = lung_voxel(labels.voxels, Label.LUNG_LEFT)
    blob = (slice(k - 2, k + 3), slice(j - 3, j + 4), slice(i - 3, i + 4))
    labels.voxels[blob] = Label.GGO_LEFT
    labels.voxels[k, j, i + 3] = Label.CONSOLIDATION_LEFT
    window.show_labels(labels)
    editor = window.label_tools.editor
    window.go_to_voxel((i, j, k))
    sagittal, axial = view_of(window, "sagittal"), view_of(window, "axial")
    at = volume.index_to_lps(np.array([i, j + 1, k + 1], float))
    window.actions["tool-erase-component"].trigger()
    qtbot.mouseClick(sagittal.interactor, Qt.MouseButton.LeftButton, pos=qt_point(sagittal, at))
    assert not np.isin(editor.labels[blob], (Label.GGO_LEFT, Label.CONSOLIDATION_LEFT)).any()
    assert (editor.labels[blob] == Label.LUNG_LEFT).all()
    window.actions["label-undo"].trigger()
    assert editor.labels[k, j, i] == Label.GGO_LEFT

    # the eraser takes the ground glass away where it passes (the label chosen: GGO)
    window.actions["tool-erase"].trigger()
    centre = volume.index_to_lps(np.array([i, j, k], float))
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton, pos=qt_point(axial, centre))
    assert editor.labels[k, j, i] == Label.LUNG_LEFT
    assert editor.labels[k + 2, j, i] == Label.GGO_LEFT  # another axial slice: kept

    # threshold fill: consolidation range, painted only on lung voxels in that range
    editor.set_label_class("consolidation")
    assert window.label_tools.label_box.currentText() == "Consolidation"
    assert (window.label_tools.low_box.value(), window.label_tools.high_box.value()) == (-300, 100)
    window.actions["tool-threshold"].trigger()
    editor.set_radius(15)
    k2, j2, i2 = lung_voxel(editor.labels, Label.LUNG_RIGHT)
    window.go_to_voxel((i2, j2, k2))
    where = volume.index_to_lps(np.array([i2, j2, k2], float))
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton, pos=qt_point(axial, where))
    filled = (editor.labels == Label.CONSOLIDATION_RIGHT) & (editor.original != editor.labels)
    hu = volume.voxels[filled]
    assert ((hu >= -300) & (hu <= 100)).all()
    assert np.isin(editor.original[filled], (Label.LUNG_RIGHT,)).all()


def test_label_tools_need_an_ai_overlay_and_are_in_the_menus(window):
    assert window.label_tools.editor is None
    assert not window.actions["tool-paint"].isEnabled()
    window.set_tool("paint")
    assert window.state.tool is None and "AI pre-read" in window.statusBar().currentMessage()
    menu = [a.text() for a in window.context_menu().actions()]
    assert any("Brush" in t for t in menu) and any("Undo label" in t for t in menu)
    toolbar = [a.iconText() for a in window.label_toolbar.actions()]
    assert {"Brush", "Eraser", "Threshold", "Erase component", "Undo", "Redo"} <= set(toolbar)
    window.show_labels(ai_labels(window.volume))
    assert window.actions["tool-paint"].isEnabled()
    assert not window.label_toolbar.isVisible()
    window.actions["tool-paint"].trigger()
    assert window.label_toolbar.isVisible(), "arming a label tool shows its bar"
    window.actions["brush-bigger"].trigger()
    assert window.label_tools.size_box.value() == 8 and "8 mm" in window.tool_label.text()
    window.actions["label-next"].trigger()
    assert window.label_tools.label_box.currentData() == "consolidation"


def test_unsaved_edits_are_named_when_another_study_opens(window, qtbot):
    window.show_labels(ai_labels(window.volume))
    editor = window.label_tools.editor
    k, j, i = lung_voxel(editor.labels, Label.LUNG_RIGHT)
    assert editor.erase_component(window.volume.index_to_lps([i, j, k])) == 0
    editor.stroke("paint", window.volume.index_to_lps([i, j, k]), (0, 0, 1))
    assert editor.unsaved
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="mpr")
    assert window.label_tools.editor is None and not window.actions["tool-paint"].isEnabled()
    assert "not saved" in window.statusBar().currentMessage()


def test_erase_component_beside_a_thin_lesion_takes_it_and_a_miss_is_said(window, qtbot):
    """A click one voxel beside a thin red sliver (zoomed out) did nothing, silently."""
    volume = window.volume
    labels = ai_labels(volume)
    k, j, i = lung_voxel(labels.voxels, Label.LUNG_LEFT)
    labels.voxels[k, j - 3:j + 4, i] = Label.CONSOLIDATION_LEFT  # one voxel wide
    window.show_labels(labels)
    editor = window.label_tools.editor
    window.go_to_voxel((i, j, k))
    axial = view_of(window, "axial")
    window.actions["tool-erase-component"].trigger()
    beside = volume.index_to_lps(np.array([i + 1, j, k], float))
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton, pos=qt_point(axial, beside))
    assert not (editor.labels == Label.CONSOLIDATION_LEFT).any()
    far = volume.index_to_lps(np.array([i + 12, j, k], float))
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton, pos=qt_point(axial, far))
    assert "nothing erased" in window.statusBar().currentMessage()


def test_edits_of_one_series_are_not_taken_for_another_with_the_same_map(window, qtbot):
    """The label tools keep a reopened series' edits (the same map again), keyed by the
    series: another series on the same grid with the same AI map (a second reconstruction
    of one acquisition) starts from its own map, not from the first series' edits."""
    import dataclasses

    from app.shell.main_window import LoadedStudy

    first = window.volume
    window.show_labels(ai_labels(first))
    editor = window.label_tools.editor
    k, j, i = lung_voxel(editor.labels, Label.LUNG_RIGHT)
    editor.stroke("paint", first.index_to_lps([i, j, k]), (0, 0, 1))
    edited = editor.labels.copy()
    assert not np.array_equal(edited, editor.original)
    window.show_labels(ai_labels(first))  # the same series again: its edits stay
    assert np.array_equal(window.label_tools.editor.labels, edited)

    info = dataclasses.replace(first.info, series_instance_uid=first.info.series_instance_uid
                               + ".2")
    other = dataclasses.replace(first, info=info)
    window._show_study(LoadedStudy(other), "mpr", None)
    window.show_labels(ai_labels(other))
    assert window.label_tools.editor.volume is other
    assert np.array_equal(window.label_tools.editor.labels, ai_labels(other).voxels)
