"""Save what an X server shows (the whole screen) as a PNG: ``python x11_shot.py OUT.png``.

Run with DISPLAY set; a process of its own, so the app under test is not touched."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

if __name__ == "__main__":
    app = QGuiApplication(["x11_shot", "-platform", "xcb"])
    if not app.primaryScreen().grabWindow(0).save(sys.argv[1], "PNG"):
        sys.exit(f"cannot write {sys.argv[1]}")
