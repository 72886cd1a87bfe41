"""The reading window as the app tests build it: headless, shown, the demo study opened."""

from __future__ import annotations

from collections.abc import Callable
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


def archive_station(qtbot, orthanc, study: Path) -> tuple[MainWindow, Workflow, str]:
    """A headless window and workflow (reader Petrov, English) wired to the ``orthanc``
    archive, the pre-read classical on the CPU and not run by itself, with ``study`` added
    to the store and opened; returns the window, the workflow and the study's UID."""
    # deferred: the archive client and the pre-read's options only for the tests that use them
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from inference.preread import PreReadOptions

    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="Petrov P.P.", ui_lang="en",
                        report_lang="en", archive=client)
    workflow.ai.options = PreReadOptions(engine="classical", device="cpu")
    uid = workflow.add_local_study(study)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(uid)
    return window, workflow, uid


def home_station(qtbot, client, study_uid: str) -> tuple[MainWindow, Workflow]:
    """A home reader's headless window (Russian reports, no AI run by itself nor in the
    background) on the ``client`` archive, with ``study_uid`` opened from its worklist."""
    settings = Settings()
    settings.set("ai.autorun", False)
    settings.set("ai.background", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.home", report_lang="ru",
                        archive=client)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: study_uid in workflow.worklist.visible_study_uids(), timeout=30_000)
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        workflow.open_study(study_uid)
    return window, workflow


def run_app_until(qapp, done: Callable[[MainWindow | None], bool], timeout_ms: int = 120_000,
                  **kwargs) -> int:
    """``luch`` in this process (``app.commands.open.run_app(**kwargs)``, offscreen):
    ``done(window)`` is called every 100 ms with the shown main window (None before) until it
    returns True or raises, then the app quits; after ``timeout_ms`` it quits anyway.
    Returns run_app's exit code."""
    from PySide6.QtCore import QTimer

    from app.commands.open import run_app

    def poll() -> None:
        window = next((w for w in qapp.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        finished = True
        try:
            finished = done(window)
        finally:
            if finished:
                timer.stop()
                qapp.quit()

    timer, deadline = QTimer(), QTimer()
    timer.timeout.connect(poll)
    timer.start(100)
    deadline.setSingleShot(True)
    deadline.timeout.connect(qapp.quit)  # never hang the suite
    deadline.start(timeout_ms)
    try:
        return run_app(**{"path": None, **kwargs})
    finally:
        timer.stop()
        deadline.stop()
        # run_app closes its window after the event loop ended; the last window closing
        # asks the application to quit, which would end every later test's event loop at
        # once. A turn of the application's own loop clears that.
        QTimer.singleShot(0, qapp.quit)
        qapp.exec()
