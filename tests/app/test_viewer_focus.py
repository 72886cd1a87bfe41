"""Keyboard focus in the reading window: keys go to the image, never into a search box the
reader did not click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.app import windows


@pytest.fixture
def station(qtbot, luch_home):
    window, workflow = windows.station(qtbot, "dr.focus", ui_lang="en", report_lang="en")
    windows.open_demo(qtbot, window, layout="1x1", preset="mediastinum")
    return window, workflow


def _in_view(window) -> bool:
    focus = QApplication.focusWidget()
    return any(focus is v.interactor for v in window.reading.views)


def test_ctrl_digit_over_the_image_changes_the_layout_and_keeps_focus_on_it(station, qtbot):
    window, workflow = station
    assert _in_view(window)
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.layout_name == "1x2"
    assert window.view.window() == (40, 400), "Ctrl+2 changed the window, not only the layout"
    assert _in_view(window), f"focus went to {QApplication.focusWidget()!r}"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    assert workflow.worklist.search.text() == ""
    assert window.view.window() == (-600, 1500), "1 did not apply the lung window"


def test_layout_from_the_menu_returns_focus_to_the_image(station, qtbot):
    window, workflow = station
    window.actions["layout-mpr"].trigger()
    assert _in_view(window), f"focus went to {QApplication.focusWidget()!r}"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert workflow.worklist.search.text() == ""
    assert window.view.window() == (300, 1500)


def test_the_search_box_takes_focus_only_when_clicked(station, qtbot):
    window, workflow = station
    search = workflow.worklist.search
    assert search.focusPolicy() == Qt.FocusPolicy.ClickFocus
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    qtbot.keyClick(search, Qt.Key.Key_1)
    assert search.text() == "1" and window.view.window() == (40, 400)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert _in_view(window), "Esc in the search box did not hand the keys back to the image"


def test_ctrl_f_finds_a_patient_even_from_images_only_and_esc_goes_back(station, qtbot):
    window, workflow = station
    search = workflow.worklist.search
    search.setText("old")
    window.toggle_images_only()
    assert not workflow.worklist_dock.isVisible()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workflow.worklist_dock.isVisible() and not window.images_only
    assert QApplication.focusWidget() is search and search.selectedText() == "old"
    assert window.state.tool is None, "Ctrl+F also chose the freehand tool"
    qtbot.keyClicks(search, "dem")
    assert search.text() == "dem"
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert _in_view(window)


def test_letters_typed_in_the_list_go_to_the_search_not_the_image_tools(station, qtbot):
    window, workflow = station
    table = workflow.worklist.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_D)
    qtbot.keyClicks(QApplication.focusWidget(), "emo")
    assert workflow.worklist.search.text() == "demo"
    assert window.state.tool is None, "D in the list chose the distance tool"


def test_window_keys_are_in_the_view_menu_and_the_hotkeys_tab(station):
    from app.settings_dialog.hotkeys_page import HotkeysPage

    window, _ = station
    keys = {name: window.actions[f"preset-{name}"].shortcut().toString()
            for name in ("lung", "mediastinum", "bone", "soft-tissue")}
    assert keys == {"lung": "1", "mediastinum": "2", "bone": "3", "soft-tissue": "4"}
    page = HotkeysPage(window.settings, window.actions)
    row = page.rows["preset-lung"]
    assert page.table.item(row, 1).text() == "1"
    # The mouse and the view's fixed keys are listed too (as docs/reading.md lists them).
    from PySide6.QtWidgets import QTableWidget

    inputs = page.findChild(QTableWidget, "view-inputs")
    rows = [inputs.item(r, 0).text() for r in range(inputs.rowCount())]
    assert "Right click" in rows and "Home / End" in rows


def test_a_click_on_the_black_beside_the_image_takes_the_keys_not_the_crosshair(station, qtbot):
    from PySide6.QtCore import QPoint

    from viewer.slice_view import inside

    window, workflow = station
    search = workflow.worklist.search
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is search
    view = window.view
    point, cursor = window.state.point.copy(), view.cursor.copy()
    w, h = view.interactor.width(), view.interactor.height()
    ratio = view.interactor.devicePixelRatioF() or 1.0

    def on_image(x: int, y: int) -> bool:
        return inside(window.volume, view.display_to_lps(x * ratio, (h - 1 - y) * ratio))

    # Beside the fitted image: left/right of it in a wide view, above/below in a tall one.
    x, y = next(p for p in ((12, h // 4), (w // 4, 12), (w - 12, h // 4), (w // 4, h - 12))
                if not on_image(*p))
    qtbot.mouseClick(view.interactor, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert QApplication.focusWidget() is view.interactor, "the click did not take the keys"
    assert (window.state.point == point).all() and (view.cursor == cursor).all(), \
        "a click beside the image moved the crosshair"
    qtbot.keyClick(view.interactor, Qt.Key.Key_1)
    assert search.text() == "" and view.window() == (-600, 1500)
    # On the image, a click still sets the crosshair.
    cx, cy = view.interactor.width() // 2 + 20, view.interactor.height() // 2 + 15
    qtbot.mouseClick(view.interactor, Qt.MouseButton.LeftButton, pos=QPoint(cx, cy))
    assert not (window.state.point == point).all()
