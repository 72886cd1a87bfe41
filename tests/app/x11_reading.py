"""Run inside a real X server (by test_viewer_x11.py): open the demo in the reading window,
scroll, change layout and window by keys, and report what the screen shows, as JSON."""

from __future__ import annotations

import json
import sys

import numpy as np


def screen_pixels(app, widget) -> np.ndarray:
    """What the X server shows in ``widget``'s rectangle (VTK's GL pixels included)."""
    from PySide6.QtGui import QImage

    app.processEvents()
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    shot = app.primaryScreen().grabWindow(0, top_left.x(), top_left.y(), widget.width(),
                                         widget.height())
    image = shot.toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, :w * 3].reshape(h, w, 3).copy()


def green_row(rgb: np.ndarray) -> float:
    r, g, b = (rgb[..., n].astype(int) for n in range(3))
    rows = np.flatnonzero(((g > 100) & (g - r > 60) & (g - b > 60)).sum(axis=1)
                          > rgb.shape[1] * 0.5)
    return float(rows.mean()) if rows.size else -1.0


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from core.paths import DEMO_STUDY
    from core.settings import Settings
    from records import open_store

    app = QApplication(sys.argv)
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    workflow = Workflow(window, open_store(), "dr.x11", ui_lang="en", report_lang="en")
    window.resize(1600, 950)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 10_000)
    done = []
    window.volume_loaded.connect(lambda _v: done.append(True))
    window.open_path(DEMO_STUDY, layout="mpr")
    while not done:
        app.processEvents()
        QTest.qWait(50)
    QTest.qWait(500)
    out = {}
    axial, coronal = window.reading.views[0], window.reading.views[1]
    out["coronal_line_before"] = green_row(screen_pixels(app, coronal.interactor))
    out["slice_before"] = axial.slice_number
    for _ in range(10):
        QTest.keyClick(axial.interactor, Qt.Key.Key_Up)
    QTest.qWait(300)
    out["slice_after"] = axial.slice_number
    out["coronal_line_after"] = green_row(screen_pixels(app, window.reading.views[1].interactor))
    # Layout by key over the image, then a window key: focus stays on the image.
    QTest.keyClick(window.view.interactor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    QTest.qWait(300)
    out["layout"] = window.reading.layout_name
    out["slice_after_layout"] = window.view.slice_number
    focus = app.focusWidget()
    out["focus_in_view"] = any(focus is v.interactor for v in window.reading.views)
    QTest.keyClick(focus or window, Qt.Key.Key_3)
    QTest.qWait(200)
    out["window"] = list(window.view.window())
    out["search_text"] = workflow.worklist.search.text()
    # Corner text over the image: the dark box behind it on the real screen.
    rgb = screen_pixels(app, window.view.interactor)
    h = rgb.shape[0]
    corner = rgb[h - 40:h - 2, 2:120].mean(axis=2)
    out["corner_dark_share"] = float((corner < 80).mean())
    out["corner_bright_share"] = float((corner > 150).mean())
    print("RESULT " + json.dumps(out))
    window.close()


if __name__ == "__main__":
    main()
