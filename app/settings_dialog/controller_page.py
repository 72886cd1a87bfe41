"""The Voice controller tab: which button or key does what."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.settings_dialog.base import (
    CONTROLLER_KEY,
    InvalidSetting,
    KeySequenceDelegate,
    Page,
    _combo,
    _hint,
    _read_only,
    native,
    portable,
)
from app.shell.error_text import error_text
from core.settings import Settings
from dictation.controller import ACTIONS, RECORD_MODES, ControllerMapping, device_profiles
from dictation.errors import DictationError


class ControllerPage(Page):
    """Dictation microphone and foot pedal buttons, and keyboard keys -> dictation actions.

    Stored under ``dictation.controller.mapping`` as the differences from the shipped defaults,
    which :meth:`ControllerMapping.from_settings` lays over them."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.actions = ACTIONS
        self.defaults = ControllerMapping.defaults()
        try:
            current = ControllerMapping.from_settings(settings.get(CONTROLLER_KEY))
        except DictationError:
            current = self.defaults  # a damaged mapping: show the defaults, save over it
        self.mode = _combo([(m, self._mode_title(m)) for m in RECORD_MODES], current.record_mode)
        devices: dict[str, list[str]] = {}
        for profile in device_profiles().values():
            for button in profile.buttons:
                devices.setdefault(button, []).append(profile.title)

        self.buttons = QTableWidget(len(devices), 3)
        self.buttons.setHorizontalHeaderLabels([self.tr("Button"), self.tr("Devices"),
                                                self.tr("Action")])
        for row, button in enumerate(sorted(devices)):
            self.buttons.setItem(row, 0, _read_only(button))
            self.buttons.setItem(row, 1, _read_only(", ".join(devices[button])))
            self.buttons.setCellWidget(row, 2, self._action_combo(
                current.buttons.get(button), can_clear=button not in self.defaults.buttons))
        self.keys = QTableWidget(0, 2)
        self.keys.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Action")])
        self.keys.setItemDelegateForColumn(0, KeySequenceDelegate(self.keys))
        for key, action in current.keys.items():
            self._add_key_row(key, action)
        add_key = QPushButton(self.tr("&Add key"))
        add_key.clicked.connect(lambda: self._add_key_row("", self.actions[0], edit=True))
        self.remove_key = QPushButton(self.tr("&Remove key"))
        self.remove_key.clicked.connect(self._remove_key_row)
        for table in (self.buttons, self.keys):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move on

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("&Record button:"), self.mode)
        layout.addLayout(form)
        buttons_label = QLabel(self.tr("Device &buttons:"))
        buttons_label.setBuddy(self.buttons)
        layout.addWidget(buttons_label)
        layout.addWidget(self.buttons, 2)
        keys_label = QLabel(self.tr("&Keyboard keys (select a key cell and press F2 to record):"))
        keys_label.setBuddy(self.keys)
        layout.addWidget(keys_label)
        layout.addWidget(self.keys, 1)
        row = QHBoxLayout()
        row.addWidget(add_key)
        row.addWidget(self.remove_key)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_hint(self.tr("Shipped keys and buttons can be given another action "
                                       "but not removed.")))
        self.initial = {CONTROLLER_KEY: self._mapping_value(current)}

    def title(self) -> str:
        return self.tr("Voice controller")

    def _mode_title(self, mode: str) -> str:
        return {"push_to_talk": self.tr("Push to talk (record while held)"),
                "toggle": self.tr("Toggle (press to start, press to stop)")}.get(mode, mode)

    def action_title(self, action: str) -> str:
        return {
            "record": self.tr("Record"), "next_field": self.tr("Next field"),
            "previous_field": self.tr("Previous field"), "play": self.tr("Play"),
            "rewind": self.tr("Rewind"), "fast_forward": self.tr("Fast forward"),
            "insert_template": self.tr("Insert template"),
            "accept_ai_values": self.tr("Accept AI values"), "sign_report": self.tr("Sign report"),
            "stop_dictation": self.tr("Stop dictation"),
        }.get(action, action.replace("_", " "))

    def _action_combo(self, current: str | None, can_clear: bool = False) -> QComboBox:
        items = [(None, self.tr("(nothing)"))] if can_clear or not current else []
        return _combo(items + [(a, self.action_title(a)) for a in self.actions], current)

    def _add_key_row(self, key: str, action: str, edit: bool = False) -> None:
        row = self.keys.rowCount()
        self.keys.insertRow(row)
        item = QTableWidgetItem(native(key))
        item.setData(Qt.ItemDataRole.UserRole, portable(key))
        if key in self.defaults.keys:  # defaults come back if removed: keep them fixed
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.keys.setItem(row, 0, item)
        self.keys.setCellWidget(row, 1, self._action_combo(action))
        if edit:
            self.keys.setCurrentCell(row, 0)
            self.keys.editItem(item)

    def _remove_key_row(self) -> None:
        row = self.keys.currentRow()
        if row < 0:
            return
        key = self.keys.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if key in self.defaults.keys:
            return
        self.keys.removeRow(row)

    def key_bindings(self) -> dict[str, str]:
        """Keyboard key (portable text) -> action, as entered."""
        out: dict[str, str] = {}
        for row in range(self.keys.rowCount()):
            key = self.keys.item(row, 0).data(Qt.ItemDataRole.UserRole) or ""
            if not key:
                continue
            if key in out:
                raise InvalidSetting(self.tr("The key %1 is listed twice; give it one action.")
                                     .replace("%1", native(key)), self.keys)
            out[key] = self.keys.cellWidget(row, 1).currentData()
        return out

    def values(self) -> dict[str, Any]:
        buttons = {}
        for row in range(self.buttons.rowCount()):
            action = self.buttons.cellWidget(row, 2).currentData()
            if action:
                buttons[self.buttons.item(row, 0).text()] = action
        mapping = ControllerMapping(buttons, self.key_bindings(), self.mode.currentData())
        try:
            mapping.validate()
        except DictationError as err:
            raise InvalidSetting(error_text(err), self.mode) from err
        return {CONTROLLER_KEY: self._mapping_value(mapping)}

    def _mapping_value(self, mapping) -> dict:
        """Only what differs from the defaults, so later default changes still reach users."""
        return {
            "buttons": {b: a for b, a in mapping.buttons.items()
                        if self.defaults.buttons.get(b) != a},
            "keys": {k: a for k, a in mapping.keys.items() if self.defaults.keys.get(k) != a},
            "record_mode": mapping.record_mode,
        }


