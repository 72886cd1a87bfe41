"""Where the reading window opens: where the reader left it, else fitted to the screen.

The geometry (position, size, maximised) is kept in settings when the app quits and given
back at the next start, if it still lies on a screen (a second monitor may be gone). Without
one, the window takes its preferred size where the screen allows, and the whole screen where
it is smaller, so no panel starts cut off at the screen's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SETTINGS_KEY = "app.window_geometry"  # base64 of QWidget.saveGeometry()
PREFERRED = (1600, 1000)


def place_window(window: QWidget, settings) -> None:
    """Restore the window's last geometry, or fit the preferred size to the available screen."""
    saved = settings.get(SETTINGS_KEY)
    if isinstance(saved, str) and saved:
        before = window.geometry()
        if window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))) and _on_screen(
                window.geometry()):
            if window.isMaximized():
                # Qt gives a maximised window back its normal geometry moved by a guessed
                # title bar (25 px lower, 26 px shorter), then asks the window manager to
                # maximise it: without one (a kiosk X, Xvfb) none does, and the window stood
                # lower. It asks for the whole screen itself.
                _fill(window, QGuiApplication.screenAt(window.geometry().center()))
            return
        window.setGeometry(before)  # damaged, or on a monitor no longer there
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, *PREFERRED)
    width, height = PREFERRED
    if width > area.width() or height > area.height():
        window.resize(min(width, area.width()), min(height, area.height()))
        window.move(area.topLeft())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    window.resize(width, height)
    window.move(area.center() - window.rect().center())


def _fill(window: QWidget, screen) -> None:
    """Maximised over ``screen``'s available area (the window's or the primary screen's if
    None), at that size and place already: what a window manager would make of it, and
    what shows where there is none."""
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        window.resize(area.size())
        window.move(area.topLeft())
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def remember_geometry(window: QWidget, settings) -> None:
    """Keep the window's geometry for the next start (call when the app quits)."""
    settings.set(SETTINGS_KEY, bytes(window.saveGeometry().toBase64()).decode("ascii"))


def _on_screen(rect: QRect) -> bool:
    """Whether a good part of ``rect`` (a quarter, and its title bar) lies on some screen."""
    for screen in QGuiApplication.screens():
        area = screen.availableGeometry()
        shared = area.intersected(rect)
        title = QRect(rect.left(), rect.top(), rect.width(), 30)
        if (shared.width() * shared.height() * 4 >= rect.width() * rect.height()
                and area.intersects(title)):
            return True
    return False
