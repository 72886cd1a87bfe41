"""One application event filter for the station: the idle lock, the shortcut guard and the
voice controller's keys all go through it, each getting only the events it asked for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMainWindow

from app.shell.input_router import InputRouter, input_router
from app.shell.lock import install_idle_lock
from app.shell.main_window import MainWindow
from app.shell.voice_controller import VoiceControllerAdapter
from app.workflow import Workflow
from core.paths import DEMO_STUDY
from core.settings import Settings
from records import open_store


@pytest.fixture
def station(qtbot, luch_home):
    """Wired as ``luch open`` wires it: window, workflow, idle lock, keyboard controller."""
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), "dr.a", ui_lang="en", report_lang="en")
    lock = install_idle_lock(window, "dr.a")
    adapter = VoiceControllerAdapter(workflow, settings)
    adapter.watch_keyboard(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield window, workflow, lock, adapter
    lock.set_timeout_ms(0)


def test_the_three_watchers_share_one_filter_and_stop_with_it(station, qtbot):
    window, workflow, lock, adapter = station
    app = QApplication.instance()
    routers = app.findChildren(InputRouter)
    assert len(routers) == 1 and routers[0] is input_router()
    router = routers[0]
    # Only the watchers that asked get an event type, the one added last first (windows of
    # earlier tests that are not destroyed yet keep theirs, after these).
    assert router.handlers(QEvent.Type.KeyPress)[:2] == [adapter._on_key, lock._on_event]
    assert router.handlers(QEvent.Type.MouseMove)[0] == lock._on_event
    overrides = router.handlers(QEvent.Type.ShortcutOverride)
    # The lock sees shortcut overrides too: while locked it refuses every shortcut.
    assert overrides[:2] == [adapter._on_key, lock._on_event]
    assert overrides[-1].__name__ == "on_shortcut_override"  # the guard, installed first
    assert router.handlers(QEvent.Type.Paint) == []

    form = workflow.report.form
    box = QComboBox(window)
    box.addItems(["none", "diffuse", "focal"])
    box.show()

    def exercise() -> tuple[bool, bool, bool]:
        """(the controller took F6, typing counted as activity, the box kept its letter)"""
        form.focus_field("conclusion")
        performed = len(adapter.performed)
        qtbot.keyClick(form.editors["conclusion"], Qt.Key.Key_F6)  # mapped: next field
        qtbot.wait(50)  # the controller's action is queued to the UI thread
        took = len(adapter.performed) > performed
        form.focus_field("conclusion")
        before = lock._last_input
        qtbot.keyClicks(form.editors["conclusion"], "x")
        active = lock._last_input > before
        box.setCurrentIndex(0)
        box.setFocus()
        qtbot.waitUntil(box.hasFocus, timeout=5000)
        qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new keyboard search
        qtbot.keyClick(box, "d")
        kept = box.currentText() == "diffuse"
        return took, active, kept

    assert exercise() == (True, True, True)
    app.removeEventFilter(router)  # without the one filter, none of the three sees a thing
    try:
        assert exercise() == (False, False, False)
    finally:
        app.installEventFilter(router)
    assert exercise() == (True, True, True)


def test_a_watcher_goes_with_its_owner(qtbot):
    from app.shell.lock import IdleLock

    router = input_router()
    window = QMainWindow()
    lock = IdleLock(window, timeout_ms=0)
    handler = lock._on_event
    assert handler in router.handlers(QEvent.Type.MouseMove)
    window.deleteLater()
    qtbot.waitUntil(lambda: handler not in router.handlers(QEvent.Type.MouseMove),
                    timeout=2000)
    qtbot.mouseMove(QMainWindow())  # events after it are fine (nothing calls a dead lock)


def test_a_closed_window_takes_its_watchers_with_it(qtbot, luch_home):
    """A closed window is hidden, not deleted: its idle lock's and its voice controller's
    handlers go at the close, not only once it is destroyed."""
    from PySide6.QtCore import QObject
    from shiboken6 import isValid

    from app.shell.lock import IdleLock

    router = input_router()
    window = QMainWindow()
    qtbot.addWidget(window)
    lock = IdleLock(window, timeout_ms=0)
    adapter = VoiceControllerAdapter(QObject(window), Settings())
    adapter.watch_keyboard(window)
    window.show()
    qtbot.waitExposed(window)
    assert lock._on_event in router.handlers(QEvent.Type.MouseMove)
    assert adapter._on_key in router.handlers(QEvent.Type.KeyPress)
    window.close()
    qtbot.waitUntil(lambda: lock._on_event not in router.handlers(QEvent.Type.MouseMove)
                    and lock._on_event not in router.handlers(QEvent.Type.KeyPress)
                    and adapter._on_key not in router.handlers(QEvent.Type.KeyPress),
                    timeout=2000)
    assert isValid(window) and isValid(lock) and isValid(adapter)  # closed, not deleted


def test_a_refused_close_keeps_the_watchers(qtbot):
    from app.shell.lock import IdleLock

    class Refusing(QMainWindow):
        def closeEvent(self, event) -> None:
            event.ignore()

    router = input_router()
    window = Refusing()
    qtbot.addWidget(window)
    lock = IdleLock(window, timeout_ms=0)
    window.show()
    qtbot.waitExposed(window)
    assert not window.close()
    qtbot.wait(100)
    assert window.isVisible() and lock._on_event in router.handlers(QEvent.Type.MouseMove)
