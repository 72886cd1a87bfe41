"""The measurement list: select to go there, rename, delete; kept with the series."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.app import windows
from viewer import vtk_api as vtk
from viewer.measurement_store import load_measurements
from viewer.measurements import Measurement


@pytest.fixture
def window(qtbot, luch_home):
    win = windows.shown_window(qtbot)
    win.show()
    windows.open_demo(qtbot, win, layout="1x2")
    return win


def _distance(window, k: float) -> Measurement:
    a = window.volume.index_to_lps(np.array([100.0, 120.0, k]))
    b = window.volume.index_to_lps(np.array([140.0, 120.0, k]))
    return Measurement("distance", [tuple(a), tuple(b)], normal=(0.0, 0.0, 1.0))


def _texts(view) -> list[str]:
    return [a.GetInput() for a in view._measure_layer._actors if isinstance(a, vtk.vtkTextActor)]


def test_list_selects_renames_and_deletes_measurements(window, qtbot):
    first, second = _distance(window, 10), _distance(window, 50)
    for m in (first, second):
        window.view.measurement_added.emit(m)  # as drawn with the distance tool
    items = window.measurement_list.list
    # Each with its value: on main the list said only "Distance 1".
    mm = f"{np.linalg.norm(np.subtract(*first.points)):.1f} mm"
    assert items.count() == 2 and items.item(0).text() == f"Distance 1  {mm}"
    # Select the second: every view goes to it.
    items.setCurrentRow(1)
    assert window.view.slice_index == 50
    assert window.view.cursor == pytest.approx(np.mean(second.points, axis=0))
    # Rename it: the list, the label in the image and the stored copy follow.
    items.editItem(items.item(1))
    editor = items.findChild(QLineEdit)
    assert editor.text() == "Distance 2", "renaming edits the name, not the value"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    items.item(1).setText("RUL nodule")
    assert second.label == "RUL nodule" and items.item(1).text() == f"RUL nodule  {mm}"
    assert any(t.startswith("RUL nodule\n") for t in _texts(window.view))
    uid = window.volume.info.series_instance_uid
    assert [m.label for m in load_measurements(uid)] == ["", "RUL nodule"]
    # Delete it with the Delete key.
    qtbot.keyClick(items, Qt.Key.Key_Delete)
    assert [m.id for m in window.measurements] == [first.id]
    assert items.count() == 1 and _texts(window.view) == []
    assert [m.id for m in load_measurements(uid)] == [first.id]


def test_a_measurement_drawn_with_the_mouse_is_listed_once(window, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    window.actions["tool-distance"].trigger()
    target = window.view.interactor

    def send(kind, x, buttons):
        event = QMouseEvent(kind, QPoint(x, 200), target.mapToGlobal(QPoint(x, 200)),
                            Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, event)

    left = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, 150, left)
    send(QMouseEvent.Type.MouseMove, 220, left)
    send(QMouseEvent.Type.MouseButtonRelease, 250, Qt.MouseButton.NoButton)
    assert len(window.measurements) == 1, "drawn once, listed twice"
    assert window.measurement_list.list.count() == 1


@pytest.mark.parametrize("layout", ["mpr", "1x1", "2x2"])
def test_changing_the_layout_keeps_the_reader_where_they_were(window, qtbot, layout):
    """Walkthrough (popi): reading at slice 91 with a measurement listed from slice 71, the
    MPR button and back put every view on slice 71. The old views' focus fell to the list,
    which made its first row current, and the list took that for the reader's choice."""
    window.view.measurement_added.emit(_distance(window, 10))
    items = window.measurement_list.list
    items.setCurrentItem(None)  # as listed when a study opens: no row chosen
    window.activateWindow()
    window.focus_image()
    window.view.set_slice_index(30)
    qtbot.waitUntil(lambda: window.view.interactor.hasFocus(), timeout=3000)
    window.set_layout(layout)
    qtbot.wait(50)
    assert window.view.slice_index == 30, "the layout change moved the reader"
    assert window.view.interactor.hasFocus(), "the keyboard went to a side panel"
    assert not items.selectedItems(), "a row the reader did not choose is shown chosen"
    # A row the reader picks still takes every view there.
    items.setCurrentRow(0)
    assert window.view.slice_index == 10
