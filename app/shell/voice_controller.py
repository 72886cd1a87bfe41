"""The hand microphone and the foot pedal in the app: HID buttons -> dictation and form actions.

:class:`dictation.controller.HidReader` reads the device on its own thread (and reconnects
after unplugging); :class:`dictation.controller.VoiceController` maps buttons to actions with
the user's mapping; this adapter carries the actions to the UI thread and performs them.
Push-to-talk records only while the button is held (a session that is not hands-free).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from app.shell.input_router import KEYS, input_router
from core.settings import Settings
from dictation.controller import ButtonEvent, ControllerMapping, HidReader, VoiceController

log = logging.getLogger(__name__)
MAPPING_KEY = "dictation.controller.mapping"


class VoiceControllerAdapter(QObject):
    """Drives a :class:`app.workflow.Workflow` from controller buttons."""

    _action = Signal(str)
    status = Signal(str)
    activity = Signal()  # a button was used (counts as input for the idle lock)

    def __init__(self, workflow, settings: Settings | None = None) -> None:
        super().__init__(workflow)
        self.workflow = workflow
        self.performed: list[str] = []
        mapping = ControllerMapping.from_settings((settings or Settings()).get(MAPPING_KEY))
        self.controller = VoiceController(mapping, self._action.emit)
        self._action.connect(self._perform, Qt.ConnectionType.QueuedConnection)
        self.reader: HidReader | None = None
        self.blocked: Callable[[], bool] = lambda: False  # True while the station is locked
        self._window: QWidget | None = None

    def start_hid(self) -> None:
        """Listen for a known dictation microphone or pedal (hidapi); safe with none attached."""
        self.reader = HidReader(self.controller.button, self.status.emit)
        self.reader.start()

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()

    def watch_keyboard(self, window: QWidget) -> None:
        """Take the mapped keyboard keys (press and release) while ``window`` is active (and
        no longer once it is closed)."""
        self._window = window
        input_router().add(self, KEYS, self._on_key, window=window)

    def _on_key(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in KEYS:
            return False
        if self._window is None or QApplication.activeWindow() is not self._window:
            return False
        key = QKeySequence(event.keyCombination()).toString(
            QKeySequence.SequenceFormat.PortableText)
        if key not in self.controller.mapping.keys:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # ours, not a menu shortcut's
        elif not event.isAutoRepeat():
            self.controller.key(key, pressed=kind == QEvent.Type.KeyPress)
        return kind != QEvent.Type.ShortcutOverride

    def button(self, event: ButtonEvent) -> None:
        """A button press or release, from any thread."""
        self.controller.button(event)

    def _perform(self, action: str) -> None:
        self.activity.emit()
        if self.blocked():  # a locked station neither records, signs nor shows anything
            if action != "record_stop":
                self.status.emit(self.tr("Luch is locked: unlock it to use the microphone"))
            return
        self.performed.append(action)
        dictation, form = self.workflow.dictation, self.workflow.report.form
        if action == "record_start":
            if dictation.session is None:
                dictation.start(hands_free=False)
            if dictation.session is not None:
                dictation.session.record_start()
        elif action == "record_stop":
            if dictation.session is not None:
                dictation.session.record_stop()
        elif action == "next_field":
            form.next_field()
        elif action == "previous_field":
            form.previous_field()
        elif action == "accept_ai_values":
            self.workflow.ai.accept()
        elif action == "sign_report":
            self.workflow.report.sign()
        elif action == "stop_dictation":
            dictation.stop()
        elif action == "insert_template":
            self.workflow.insert_template(None)  # the first template (a normal chest CT)
        elif action == "play":  # play / pause; from the dictated word at the cursor
            self.workflow.play_back()
        elif action == "rewind":
            self.workflow.rewind()
        elif action == "fast_forward":
            self.workflow.fast_forward()
        else:
            self.status.emit(self.tr("“%s” is not available yet") % action)
