"""The idle lock hides patient data after a short idle time and gives it back on unlock."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from app.shell.lock import IdleLock

IDLE_MS = 200


class Station:
    """A main window shaped like Luch's: an image in the middle, a worklist dock, a menu."""

    def __init__(self, qtbot) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.image = QLabel("IVANOV^IVAN 1961-02-03")  # stands for patient data
        self.window.setCentralWidget(self.image)
        self.worklist = QDockWidget("Worklist", self.window)
        self.worklist.setWidget(QLabel("PETROV^PETR"))
        self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.worklist)
        self.closed_dock = QDockWidget("Closed", self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.closed_dock)
        self.closed_dock.hide()
        self.sign = QAction("Sign", self.window)
        self.sign.setShortcut("Ctrl+Shift+S")
        self.window.menuBar().addMenu("&Report").addAction(self.sign)
        self.window.statusBar().showMessage("Loading IVANOV^IVAN…")
        self.window.resize(640, 480)
        self.window.show()
        qtbot.waitExposed(self.window)


@pytest.fixture
def station(qtbot):
    return Station(qtbot)


@pytest.fixture
def idle_lock(station):
    lock = IdleLock(station.window, user="dr.smirnova", timeout_ms=IDLE_MS)
    yield lock
    lock.set_timeout_ms(0)  # no stray lock firing in later tests


def assert_concealed(station: Station, lock: IdleLock) -> None:
    assert lock.locked
    assert not station.image.isVisible()
    assert not station.worklist.isVisible()
    assert not station.window.menuBar().isVisible()
    assert not station.window.statusBar().isVisible()
    assert not station.sign.isEnabled()
    assert lock.panel.isVisible()
    assert lock.panel.geometry() == station.window.rect()


def test_locks_after_idle_and_hides_patient_data(qtbot, station, idle_lock):
    idle_lock.notice_activity()
    start = time.monotonic()
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=3000) as blocker:
        pass
    assert blocker.args == [True]
    assert time.monotonic() - start >= (IDLE_MS - 20) / 1000
    assert_concealed(station, idle_lock)
    assert "dr.smirnova" in idle_lock.panel.user_label.text()
    assert idle_lock.panel.unlock_button.hasFocus()


def test_input_resets_the_idle_timer(qtbot, station, idle_lock):
    idle_lock.set_timeout_ms(2 * IDLE_MS)  # a margin for a busy CI machine between inputs
    deadline = time.monotonic() + 3 * 2 * IDLE_MS / 1000
    inputs = [lambda: qtbot.keyClick(station.image, Qt.Key.Key_Down),
              lambda: qtbot.mouseMove(station.image),
              lambda: qtbot.mouseClick(station.image, Qt.MouseButton.LeftButton)]
    n = 0
    while time.monotonic() < deadline:  # three idle periods of steady reading
        inputs[n % len(inputs)]()
        n += 1
        qtbot.wait(IDLE_MS // 4)
        assert not idle_lock.locked, "locked while the reader was working"
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=3000):
        pass  # and once the input stops, it locks
    assert idle_lock.locked


def test_unlock_restores_what_was_shown_and_only_that(qtbot, station, idle_lock):
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=3000):
        pass
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=1000) as blocker:
        qtbot.keyClick(idle_lock.panel.unlock_button, Qt.Key.Key_Return)
    assert blocker.args == [False]
    assert not idle_lock.locked and not idle_lock.panel.isVisible()
    assert station.image.isVisible() and station.worklist.isVisible()
    assert station.window.menuBar().isVisible() and station.window.statusBar().isVisible()
    assert station.sign.isEnabled()
    assert not station.closed_dock.isVisible(), "a dock closed before the lock stays closed"
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=3000):
        pass  # the idle timer runs again after unlocking
    assert idle_lock.locked


def test_unlock_by_mouse_click(qtbot, station, idle_lock):
    idle_lock.lock()
    assert_concealed(station, idle_lock)
    qtbot.mouseClick(idle_lock.panel.unlock_button, Qt.MouseButton.LeftButton)
    assert not idle_lock.locked and station.image.isVisible()


def test_content_that_appears_while_locked_is_hidden_too(qtbot, station, idle_lock):
    idle_lock.lock()
    late = QLabel("SIDOROV^S")  # a study that finished loading after the lock
    station.window.setCentralWidget(late)
    qtbot.waitUntil(lambda: not late.isVisible(), timeout=1000)
    idle_lock.unlock()
    assert late.isVisible()


def test_detached_windows_are_hidden_and_restored(qtbot, station, idle_lock):
    detached = QLabel("axial view of IVANOV^IVAN")
    qtbot.addWidget(detached)
    detached.show()
    idle_lock.lock()
    assert not detached.isVisible()
    idle_lock.unlock()
    assert detached.isVisible()


def test_zero_minutes_never_locks_and_timeout_is_configurable(qtbot, station, idle_lock):
    idle_lock.set_minutes(0)
    qtbot.wait(2 * IDLE_MS)
    assert not idle_lock.locked
    idle_lock.set_timeout_ms(IDLE_MS // 2)
    assert idle_lock.timeout_ms == IDLE_MS // 2
    with qtbot.waitSignal(idle_lock.locked_changed, timeout=3000):
        pass
    idle_lock.set_minutes(10)
    assert idle_lock.timeout_ms == 600_000


def test_the_real_main_window_hides_its_vtk_views(qtbot):
    from app.shell.main_window import MainWindow
    from core.settings import Settings

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lock = IdleLock(window, minutes=0)
    enabled = {name for name, a in window.actions.items() if a.isEnabled()}
    assert "tool-paint" not in enabled  # the label tools wait for an AI overlay
    lock.lock()
    assert not window.view.isVisible() and not window.reading.isVisible()
    assert not any(a.isEnabled() for a in window.actions.values())
    lock.unlock()
    assert window.view.isVisible()
    assert {name for name, a in window.actions.items() if a.isEnabled()} == enabled


# -- Unlock PIN -------------------------------------------------------------------------------
@pytest.fixture
def pin_lock(station):
    from core.unlock_pin import hash_pin

    stored = hash_pin("4017")
    lock = IdleLock(station.window, minutes=0, user="dr.smirnova",
                    pin_source={"dr.smirnova": stored}.get)
    yield lock
    lock.set_timeout_ms(0)


def test_a_set_pin_is_asked_for_and_only_the_right_one_unlocks(qtbot, station, pin_lock):
    pin_lock.lock()
    panel = pin_lock.panel
    assert panel.pin.isVisible() and panel.pin.hasFocus() and panel.message.text() == ""
    qtbot.keyClick(panel.pin, Qt.Key.Key_Return)  # no PIN typed
    assert pin_lock.locked and panel.message.text() == "Wrong PIN."
    qtbot.keyClicks(panel.pin, "4071")
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert pin_lock.locked and panel.pin.text() == ""
    assert_concealed(station, pin_lock)
    qtbot.keyClicks(panel.pin, "4017")
    with qtbot.waitSignal(pin_lock.locked_changed, timeout=1000) as blocker:
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
    assert blocker.args == [False] and station.image.isVisible()
    assert pin_lock.throttle.failures == 0 and panel.pin.text() == ""


def test_wrong_pins_are_throttled_even_before_the_right_one(qtbot, station, pin_lock):
    from core import unlock_pin

    pin_lock.lock()
    for _ in range(unlock_pin.FREE_ATTEMPTS):
        pin_lock.panel.pin.setText("0000")
        assert not pin_lock.try_unlock()
    pin_lock.panel.pin.setText("4017")
    assert not pin_lock.try_unlock()
    assert pin_lock.locked and "try again in 30 s" in pin_lock.panel.message.text()


def test_without_a_pin_the_panel_says_anyone_can_unlock(qtbot, station, idle_lock):
    idle_lock.lock()
    assert not idle_lock.panel.pin.isVisible()
    assert "No PIN is set" in idle_lock.panel.message.text()
    assert idle_lock.try_unlock() and not idle_lock.locked


def test_the_pin_comes_from_the_readers_keyring_entry(qtbot, memory_keyring):
    from app.shell.lock import install_idle_lock
    from app.shell.main_window import MainWindow
    from core import unlock_pin
    from core.settings import Settings

    unlock_pin.save_pin("dr.smirnova", "97531")
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lock = install_idle_lock(window, "dr.smirnova")
    lock.lock()
    assert lock.panel.pin.isVisible()
    lock.panel.pin.setText("97531")
    assert lock.try_unlock() and not lock.locked
    lock.set_user("dr.petrov")  # another reader, who set no PIN
    lock.lock()
    assert not lock.panel.pin.isVisible() and lock.try_unlock()
    lock.set_timeout_ms(0)


@pytest.mark.parametrize(("stored", "minutes"), [(7, 7.0), (0.5, 0.5), (-3, 0.0),
                                                 ("soon", 10.0), (None, 10.0)])
def test_idle_minutes_from_settings(luch_home, stored, minutes):
    from app.shell.lock import DEFAULT_MINUTES, SETTINGS_KEY, idle_minutes
    from core.settings import Settings

    settings = Settings()
    if stored is not None:
        settings.set(SETTINGS_KEY, stored)
    assert idle_minutes(settings) == minutes
    assert DEFAULT_MINUTES == 10


def test_the_pin_is_read_ahead_not_behind_the_lock_screen(qtbot, station):
    from core import unlock_pin
    from core.unlock_pin import PinError

    stored: list = [None]
    reads: list[str] = []

    def source(user):
        reads.append(user)
        if isinstance(stored[0], Exception):
            raise stored[0]
        return stored[0]

    lock = IdleLock(station.window, user="dr.smirnova", timeout_ms=0, pin_source=source)
    assert reads == ["dr.smirnova"]  # at start-up
    lock.lock()
    assert reads == ["dr.smirnova"], "no keyring read when the lock closes"
    assert not lock.panel.pin.isVisible()
    lock.unlock()
    stored[0] = unlock_pin.hash_pin("2580")
    lock.refresh_pin()  # what saving the settings does
    stored[0] = PinError("the OS keyring cannot be read (NoKeyringError)")
    lock.refresh_pin()  # a failing read keeps the PIN known before
    lock.lock()
    assert lock.panel.pin.isVisible() and not lock.try_unlock()
    lock.panel.pin.setText("2580")
    assert lock.try_unlock() and not lock.locked


def test_an_action_enabled_while_locked_still_cannot_be_triggered_by_its_key(qtbot, station,
                                                                              idle_lock):
    """App logic may enable an action behind the lock (an AI result arriving enables the label
    tools); its shortcut must still do nothing until the reader unlocks."""
    brush = QAction("Brush", station.window)
    brush.setShortcut("B")
    brush.setEnabled(False)  # no AI result yet
    station.window.addAction(brush)
    fired: list[str] = []
    brush.triggered.connect(lambda: fired.append("brush"))
    station.sign.triggered.connect(lambda: fired.append("sign"))
    idle_lock.lock()
    brush.setEnabled(True)  # the AI result arrives under the lock
    station.sign.setEnabled(True)  # and something re-enables signing
    for target in (idle_lock.panel, idle_lock.panel.unlock_button, station.window):
        qtbot.keyClick(target, Qt.Key.Key_B)
        qtbot.keyClick(target, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    assert fired == [], "a shortcut fired behind the lock screen"
    idle_lock.unlock()
    assert brush.isEnabled(), "the state app logic set while locked is kept"
    qtbot.keyClick(station.window, Qt.Key.Key_B)
    assert fired == ["brush"]


def test_a_closed_window_s_idle_timer_stops(qtbot, station, idle_lock):
    """A closed (hidden) window's idle timer went on firing every timeout for the rest of
    the process; it now stops (its input handlers go with the close, see input_router)."""
    station.window.close()
    qtbot.waitUntil(lambda: not station.window.isVisible())
    qtbot.wait(IDLE_MS + 300)  # one timeout after the close: the check finds it closed
    assert not idle_lock._timer.isActive() and not idle_lock.locked
