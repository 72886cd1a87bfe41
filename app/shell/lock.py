"""Idle lock: after some minutes without user input, hide all patient data behind a lock screen.

:class:`IdleLock` watches the application's input events (keys, mouse, wheel, touch, tablet)
through the station's one event filter (:mod:`app.shell.input_router`).
When the station has been idle for the configured time it conceals the main window's content
(central widget, docks, toolbars, menu and status bar, other top-level windows) and shows a
lock panel with the reader's name and an *Unlock* button.

VTK views render into native windows that a sibling overlay widget cannot reliably cover, so
the content is *hidden*, not just covered, and restored on unlock. While locked, the window's
actions and shortcuts are disabled, and every shortcut key is refused (an action that app logic
enables behind the lock, e.g. the label tools when an AI result arrives, stays unreachable), so
that no key can open, sign or show anything.

Unlocking asks for the reader's PIN when one is set (Settings > General; a salted hash in the
OS keyring, :mod:`core.unlock_pin`), with wrong guesses throttled; without a PIN it is a click
or Enter, and the lock panel says so. Where the station asks who signs in (``app.sign_in``)
the panel also offers *Sign out* (:meth:`IdleLock.offer_sign_out`): the next reader signs in
without the locked reader's PIN. Input that does not pass through Qt (HID dictation
buttons, foot pedals, speech) does not count as activity unless the caller reports it with
:meth:`IdleLock.notice_activity`. Modal dialogs open at lock
time are cancelled (they would block the lock panel and may show patient data); native file
dialogs run by the desktop (portals) are outside Qt's reach and stay visible.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.shell.input_router import input_router
from core import unlock_pin

log = logging.getLogger(__name__)

SETTINGS_KEY = "app.autolock_minutes"  # minutes of idleness before the lock; 0 = never
DEFAULT_MINUTES = 10

USER_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})
# While locked, a widget shown may show patient data, and the lock panel follows the window;
# a shortcut is refused even for an action that app logic enabled behind the lock.
WATCHED = USER_INPUT | {QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.ShortcutOverride}


class LockPanel(QWidget):
    """What the locked window shows: who is signed in and how to unlock. No patient data."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget, user: str) -> None:
        super().__init__(parent)
        self.setObjectName("lock-panel")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self.tr("Luch is locked"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        if font.pointSizeF() > 0:  # -1 when the size is given in pixels
            font.setPointSizeF(font.pointSizeF() * 1.6)
            self.title.setFont(font)
        self.user_label = QLabel()
        self.user_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_user(user)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setMaximumWidth(220)  # Enter reaches keyPressEvent below (QLineEdit ignores it)
        self.pin.hide()
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock_requested)
        self.sign_out_button = QPushButton(self.tr("Sign &out"))  # another reader signs in
        self.sign_out_button.setObjectName("lock-sign-out")
        self.sign_out_button.hide()  # only where the station asks who signs in
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.user_label)
        layout.addWidget(self.pin, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_pin_required(self, required: bool) -> None:
        self.pin.clear()
        self.pin.setVisible(required)
        self.message.setText("" if required else self.tr(
            "No PIN is set, so anyone can unlock: set one in Settings > General."))
        (self.pin if required else self.unlock_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_user(self, user: str) -> None:
        self.user_label.setText(self.tr("Signed in: %1").replace("%1", user) if user else "")

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.unlock_requested.emit()
        else:
            super().keyPressEvent(event)


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without user input (0 = never). ``timeout_ms``, when
    given, overrides ``minutes`` (tests, kiosks). ``pin_source(user)`` gives the reader's PIN
    hash (None: no PIN)."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, minutes: float = DEFAULT_MINUTES, user: str = "",
                 timeout_ms: int | None = None,
                 pin_source: Callable[[str], str | None] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.user = user  # the signed-in reader: whose PIN unlocks
        self.panel = LockPanel(window, user)
        self.panel.hide()
        self.panel.unlock_requested.connect(self.try_unlock)
        self._pin_source = pin_source or (lambda _user: None)
        self._pin_hash: str | None = None
        self.refresh_pin()
        self.throttle = unlock_pin.Throttle()
        self._locked = False
        self._timeout_ms = 0
        self._last_input = time.monotonic()
        self._hidden: list[QWidget] = []  # what conceal() hid and unlock() shows again
        self._disabled: list[QObject] = []  # actions and shortcuts switched off while locked
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check_idle)
        input_router().add(window, WATCHED, self._on_event, window=window)
        self.set_timeout_ms(timeout_ms if timeout_ms is not None else int(minutes * 60_000))

    # -- configuration ----------------------------------------------------------------------------
    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_minutes(self, minutes: float) -> None:
        self.set_timeout_ms(int(minutes * 60_000))

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """Idle time before locking; 0 switches the lock off (an open lock stays)."""
        self._timeout_ms = max(0, int(timeout_ms))
        self._timer.stop()
        self.notice_activity()

    def set_user(self, user: str) -> None:
        self.user = user
        self.panel.set_user(user)
        self.refresh_pin()

    def offer_sign_out(self, sign_out: Callable[[], None]) -> None:
        """A *Sign out* button on the lock panel: another reader takes the station without
        the locked reader's PIN (their draft is saved; the sign-in dialog follows)."""
        self.panel.sign_out_button.clicked.connect(sign_out)
        self.panel.sign_out_button.show()

    def refresh_pin(self) -> None:
        """Read the reader's PIN hash now (start-up, a new reader, saved settings), not when
        the lock closes: the OS keyring may block or ask for its own password, which must not
        happen behind a lock screen. If it cannot be read, the PIN known before stays."""
        try:
            self._pin_hash = self._pin_source(self.user)
        except unlock_pin.PinError as err:
            log.warning("unlock PIN unavailable: %s", err)

    # -- activity ---------------------------------------------------------------------------------
    def notice_activity(self) -> None:
        """Count activity Qt does not see (a dictation button, a foot pedal) as input."""
        self._last_input = time.monotonic()
        if self._timeout_ms and not self._locked:
            if not self._timer.isActive():
                self._timer.start(self._timeout_ms)
        else:
            self._timer.stop()

    def _check_idle(self) -> None:
        if self._locked or not self._timeout_ms:
            return
        if not self.window.isVisible():  # a closed window shows nothing to hide: the timer
            return  # stops (its input handlers went with the close)
        idle_ms = (time.monotonic() - self._last_input) * 1000
        if idle_ms >= self._timeout_ms - 5:  # timers may fire a few ms early
            self.lock()
        else:
            self._timer.start(max(1, int(self._timeout_ms - idle_ms)))

    def _on_event(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in USER_INPUT:
            if not self._locked:
                # Cheap on every mouse move: a time stamp; the timer re-arms only when it fires.
                self._last_input = time.monotonic()
        elif self._locked:
            if kind == QEvent.Type.ShortcutOverride and self._in_window(watched):
                # Accepting it tells Qt the focus widget takes the key itself, so no shortcut
                # fires; consuming it here keeps the widget from seeing it as well.
                event.accept()
                return True
            if kind == QEvent.Type.Show and self._may_show_data(watched):
                # Something appeared while locked (a study finished loading): hide it too.
                QTimer.singleShot(0, self._conceal)
            elif kind == QEvent.Type.Resize and watched is self.window:
                self.panel.setGeometry(self.window.rect())
        return False

    def _in_window(self, obj: QObject) -> bool:
        """Whether ``obj`` is a widget of this lock's (shown) window: another window's keys are
        not this lock's business."""
        return (isinstance(obj, QWidget) and obj.window() is self.window
                and self.window.isVisible())

    def _may_show_data(self, widget: QObject) -> bool:
        if not isinstance(widget, QWidget) or widget is self.panel:
            return False
        if self.panel.isAncestorOf(widget):
            return False
        return widget.isWindow() or widget.window() is self.window

    # -- locking ----------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    def lock(self) -> None:
        if self._locked:
            return
        self._locked = True
        self._timer.stop()
        self._conceal()
        self.panel.setGeometry(self.window.rect())
        self.panel.show()
        self.panel.raise_()
        self.panel.set_pin_required(self._pin_hash is not None)
        self.locked_changed.emit(True)

    def try_unlock(self) -> bool:
        """Unlock if no PIN is set or the panel holds the right one; True when unlocked."""
        if not self._locked:
            return True
        if self._pin_hash is not None:
            wait = self.throttle.wait_s()
            if wait > 0:
                self.panel.message.setText(self.tr("Too many wrong PINs: try again in %1 s.")
                                           .replace("%1", str(int(wait + 0.999))))
                self.panel.pin.clear()
                return False
            if not unlock_pin.verify_pin(self.panel.pin.text(), self._pin_hash):
                self.throttle.failed()
                log.warning("wrong unlock PIN (%d in a row)", self.throttle.failures)
                self.panel.message.setText(self.tr("Wrong PIN."))
                self.panel.pin.clear()
                return False
            self.throttle.succeeded()
        self.unlock()
        return True

    def unlock(self) -> None:
        if not self._locked:
            return
        self._locked = False
        self.panel.pin.clear()
        self.panel.hide()
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        central = self.window.centralWidget()
        if central is not None:
            central.show()  # a layout installed while locked replaces the one hidden
        for item in self._disabled:
            if shiboken6.isValid(item):
                item.setEnabled(True)
        self._hidden, self._disabled = [], []
        self.notice_activity()
        self.locked_changed.emit(False)

    def _conceal(self) -> None:
        """Hide everything that may show patient data and switch off every action."""
        if not self._locked or not shiboken6.isValid(self.window) or not self.window.isVisible():
            return  # a closed window: nothing of it is on screen
        window = self.window
        parts: list[QWidget] = [window.centralWidget(), window.menuWidget(),
                                *window.findChildren(QStatusBar), *window.findChildren(QDockWidget),
                                *window.findChildren(QToolBar)]
        for widget in parts:
            if widget is not None and widget.isVisible():
                widget.hide()
                self._hidden.append(widget)
        for top in QApplication.topLevelWidgets():
            if top is window or not top.isVisible():
                continue
            if isinstance(top, QDialog) and top.isModal():
                top.reject()  # it would block the lock panel; cancelling loses only its input
            elif top.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog):
                top.hide()  # a detached view, a tool window
                self._hidden.append(top)
            else:
                top.hide()  # popups, menus, tooltips: not worth restoring
        for item in [*window.findChildren(QAction), *window.findChildren(QShortcut)]:
            if item.isEnabled():
                item.setEnabled(False)
                self._disabled.append(item)
        self.panel.raise_()


def idle_minutes(settings) -> float:
    """The idle time before the lock from ``settings`` (minutes, 0 = never; default if unset
    or unreadable)."""
    try:
        return max(0.0, float(settings.get(SETTINGS_KEY, DEFAULT_MINUTES)))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES


def install_idle_lock(window, user: str) -> IdleLock:
    """Give a :class:`~app.shell.main_window.MainWindow` its idle lock (minutes from settings) and a
    *File > Lock screen* action (Ctrl+L), placed before *Quit*."""
    lock = IdleLock(window, idle_minutes(window.settings), user,
                    pin_source=unlock_pin.load_pin_hash)
    text = QCoreApplication.translate("IdleLock", "&Lock screen")
    add_before_quit(window, "lock", text, lock.lock, "Ctrl+L")
    return lock


def add_before_quit(window, action_id: str, text: str, slot, shortcut: str | None) -> QAction:
    """A rebindable action in the menu that holds *Quit* (File), just above it."""
    quit_action = window.actions.get("quit")
    menus = [o for o in quit_action.associatedObjects() if isinstance(o, QMenu)] \
        if quit_action is not None else []
    menu = menus[0] if menus else window.menuBar().addMenu(
        QCoreApplication.translate("IdleLock", "&File"))
    action = window._add_action(menu, action_id, text, slot, shortcut)
    if menus:
        menu.removeAction(action)
        menu.insertAction(quit_action, action)
    return action
