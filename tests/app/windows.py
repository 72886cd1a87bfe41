"""The reading window as the app tests build it: headless, shown, the demo study opened."""

from __future__ import annotations

from pathlib import Path

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from core.paths import DEMO_STUDY
from core.settings import Settings
from records import open_store


def shown_window(qtbot, settings: Settings | None = None,
                 size: tuple[int, int] = (1300, 800)) -> MainWindow:
    """A headless main window, shown (not yet active)."""
    window = MainWindow(settings if settings is not None else Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    window.resize(*size)
    return window


def open_demo(qtbot, window: MainWindow, path: Path = DEMO_STUDY, **kwargs) -> None:
    """Open ``path`` (the demo study) and wait until its volume is loaded."""
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(path, **kwargs)


def station(qtbot, reader: str, size: tuple[int, int] = (1400, 900),
            **workflow_kwargs) -> tuple[MainWindow, Workflow]:
    """Window and workflow wired as ``luch open`` wires them, the AI not run by itself;
    shown and active, nothing opened."""
    settings = Settings()
    settings.set("ai.autorun", False)
    window = shown_window(qtbot, settings, size)
    workflow = Workflow(window, open_store(), reader=reader, **workflow_kwargs)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    return window, workflow
