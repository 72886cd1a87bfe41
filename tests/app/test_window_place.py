"""The reading window opens where the reader left it, else fitted to the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from app.shell.window_place import PREFERRED, SETTINGS_KEY, place_window, remember_geometry
from core.settings import Settings


def _area() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def test_a_first_start_fits_the_screen(qtbot, luch_home):
    window = QMainWindow()
    qtbot.addWidget(window)
    place_window(window, Settings())
    area = _area()
    assert window.width() <= area.width() and window.height() <= area.height()
    if area.width() >= PREFERRED[0] and area.height() >= PREFERRED[1]:
        assert (window.width(), window.height()) == PREFERRED
    else:  # a small screen: the whole of it, not a window cut off at its edge
        assert window.isMaximized()
    assert area.contains(window.geometry().topLeft())


def test_the_last_geometry_comes_back_and_a_lost_one_is_ignored(qtbot, luch_home):
    settings = Settings()
    first = QMainWindow()
    qtbot.addWidget(first)
    area = _area()
    first.setGeometry(area.left() + 20, area.top() + 30, 400, 300)
    remember_geometry(first, settings)
    assert settings.get(SETTINGS_KEY)

    again = QMainWindow()
    qtbot.addWidget(again)
    place_window(again, Settings())  # read back from the file
    assert (again.width(), again.height()) == (400, 300)
    assert (again.x(), again.y()) == (first.x(), first.y())

    far = QMainWindow()  # left on a monitor that is gone
    qtbot.addWidget(far)
    far.setGeometry(area.right() + 5000, area.top(), 400, 300)
    remember_geometry(far, settings)
    moved = QMainWindow()
    qtbot.addWidget(moved)
    place_window(moved, settings)
    assert area.intersects(moved.geometry())

    settings.set(SETTINGS_KEY, "not geometry")
    broken = QMainWindow()
    qtbot.addWidget(broken)
    place_window(broken, settings)
    assert area.intersects(broken.geometry())


def test_a_maximised_window_comes_back_over_the_whole_screen(qtbot, luch_home):
    """Walkthrough (Xvfb, no window manager): the window maximised at the first start came
    back at the next one at its normal geometry moved by a guessed title bar (1, 25 and
    26 px short), since no window manager was there to maximise it. It asks for the whole
    available screen itself, before any window manager has a say."""
    settings = Settings()
    first = QMainWindow()
    qtbot.addWidget(first)
    first.showMaximized()
    qtbot.waitUntil(first.isMaximized, timeout=5000)
    remember_geometry(first, settings)
    area = _area()
    for _start in range(3):
        again = QMainWindow()
        qtbot.addWidget(again)
        place_window(again, Settings())
        assert again.isMaximized()
        assert again.frameGeometry().topLeft() == area.topLeft(), "it came back lower"
        assert again.size() == area.size()
        again.show()
        remember_geometry(again, settings)
        again.close()
