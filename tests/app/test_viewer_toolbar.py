"""The viewer's toolbar, right-click menu and the active tool shown with how to leave it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.app import windows


@pytest.fixture
def window(qtbot, luch_home):
    win = windows.shown_window(qtbot)
    win.show()
    windows.open_demo(qtbot, win, layout="1x2")
    return win


def test_toolbar_has_tools_windows_and_layouts_with_their_keys(window):
    buttons = {a.iconText(): a for a in window.toolbar.actions() if not a.isSeparator()}
    for name, key in (("Distance", "D"), ("Ellipse", "E"), ("lung", "1"), ("2×2", "Ctrl+4")):
        assert name in buttons, f"no {name} button: {sorted(buttons)}"
        assert f"({key})" in buttons[name].toolTip(), buttons[name].toolTip()
    buttons["2×2"].trigger()
    assert window.reading.layout_name == "2x2"


def test_the_active_tool_is_shown_with_how_to_leave_it(window, qtbot):
    assert window.tool_label.isHidden()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_D)
    assert all(v.tool == "distance" for v in window.reading.views)
    assert window.tool_label.isVisible()
    assert "Distance" in window.tool_label.text() and "Esc" in window.tool_label.text()
    assert window.actions["tool-distance"].isChecked()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_Escape)
    assert window.view.tool is None and window.tool_label.isHidden()
    assert window.actions["tool-none"].isChecked()


def test_right_click_opens_the_view_menu(window, qtbot):
    view = window.view
    with qtbot.waitSignal(view.context_menu_requested, timeout=2000) as signal:
        qtbot.mouseClick(view.interactor, Qt.MouseButton.RightButton, pos=QPoint(200, 150))
    assert signal.args[0] == QPoint(200, 150)
    menu = window._context_menu
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert "Distance" in texts and any("lung" in t for t in texts)
    menu.close()
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_toolbar_button_is_in_view_on_a_1400_px_screen(qtbot, luch_home, lang,
                                                            monkeypatch):
    """Beside the viewer tools, the label-editing bar ran past 1400 px: the label box,
    undo, redo and save sat behind the overflow arrow (Russian labels are longer)."""
    from PySide6.QtWidgets import QToolButton

    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", lang)
    install_translator(QApplication.instance())
    try:
        win = windows.shown_window(qtbot, size=(1400, 900))
        win.show()
        qtbot.waitExposed(win)
        assert not win.label_toolbar.isVisible(), "the label bar takes a row only to edit"
        central = win.centralWidget().geometry()
        win.actions["label-bar"].trigger()
        qtbot.waitUntil(win.label_toolbar.isVisible)
        QApplication.processEvents()
        assert not win.toolbar.isVisible(), "the label bar takes the viewer tools' place"
        assert win.centralWidget().geometry() == central, "the views moved"
        assert win.actions["label-bar"] in win.label_toolbar.actions()  # the way back
        for bar in (win.label_toolbar, win.toolbar):  # each shown in turn
            arrow = bar.findChild(QToolButton, "qt_toolbar_ext_button")
            assert arrow is None or not arrow.isVisible(), \
                f"{bar.objectName()} overflows in {lang}"
            if bar is win.label_toolbar:
                win.actions["label-bar"].trigger()  # "Labels" again: the viewer tools back
                qtbot.waitUntil(win.toolbar.isVisible)
                assert not win.label_toolbar.isVisible()
    finally:
        remove_translators(QApplication.instance())
