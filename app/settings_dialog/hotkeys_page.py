"""The Hotkeys tab: rebind the menu actions' shortcuts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.settings_dialog.base import (
    InvalidSetting,
    KeySequenceDelegate,
    Page,
    _hint,
    _read_only,
    native,
    portable,
)
from app.shell.main_window import SHORTCUTS_KEY
from core.settings import Settings
from viewer.slice_view import VIEW_INPUTS


class HotkeysPage(Page):
    """The main window's actions and their shortcuts (``app.shortcuts``: id -> sequence)."""

    def __init__(self, settings: Settings, actions: Mapping[str, QAction]) -> None:
        super().__init__(settings)
        self.actions = dict(actions)
        stored = dict(settings.get(SHORTCUTS_KEY) or {})
        self.initial = {SHORTCUTS_KEY: stored}
        self.table = QTableWidget(len(self.actions), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        self.table.setItemDelegateForColumn(1, KeySequenceDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rows: dict[str, int] = {}
        for row, (action_id, action) in enumerate(self.actions.items()):
            name = _read_only(action.text().replace("&", ""))
            name.setData(Qt.ItemDataRole.UserRole, action_id)
            self.table.setItem(row, 0, name)
            sequence = portable(action.shortcut())
            shortcut = QTableWidgetItem(native(sequence))
            shortcut.setData(Qt.ItemDataRole.UserRole, sequence)
            self.table.setItem(row, 1, shortcut)
            self.rows[action_id] = row
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("&Shortcuts:"))
        label.setBuddy(self.table)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addWidget(_hint(self.tr("Select a shortcut and press F2 (or double-click) to "
                                       "record a new one; Delete clears it.")))
        layout.addWidget(QLabel(self.tr("In a view (mouse and fixed keys):")))
        layout.addWidget(_view_inputs_table())

    def title(self) -> str:
        return self.tr("Hotkeys")

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.table.currentColumn() == 1):
            self.set_shortcut(self.table.item(self.table.currentRow(), 0)
                              .data(Qt.ItemDataRole.UserRole), "")
            return True
        return False

    def set_shortcut(self, action_id: str, sequence: str) -> None:
        item = self.table.item(self.rows[action_id], 1)
        item.setData(Qt.ItemDataRole.UserRole, portable(sequence))
        item.setText(native(sequence))

    def shortcuts(self) -> dict[str, str]:
        """Action id -> key sequence (portable text, "" for none), as shown in the table."""
        return {action_id: self.table.item(row, 1).data(Qt.ItemDataRole.UserRole) or ""
                for action_id, row in self.rows.items()}

    def values(self) -> dict[str, Any]:
        shortcuts = self.shortcuts()
        seen: dict[str, str] = {}
        for action_id, sequence in shortcuts.items():
            if not sequence:
                continue
            if sequence in seen:
                raise InvalidSetting(
                    self.tr("%1 is the shortcut of both “%2” and “%3”; give one of them "
                            "another key.").replace("%1", native(sequence))
                    .replace("%2", self.action_title(seen[sequence]))
                    .replace("%3", self.action_title(action_id)), self.table)
            seen[sequence] = action_id
        stored = dict(self.initial[SHORTCUTS_KEY])
        for action_id, sequence in shortcuts.items():
            if sequence != portable(self.actions[action_id].shortcut()):
                stored[action_id] = sequence
        return {SHORTCUTS_KEY: stored}

    def action_title(self, action_id: str) -> str:
        return self.actions[action_id].text().replace("&", "")

    def apply(self) -> None:
        """Give the live actions their new shortcuts."""
        for action_id, sequence in self.shortcuts().items():
            self.actions[action_id].setShortcut(QKeySequence(sequence))




def _view_inputs_table() -> QTableWidget:
    """What the mouse and the fixed keys do in a view (read-only)."""
    table = QTableWidget(len(VIEW_INPUTS), 2)
    table.setObjectName("view-inputs")
    table.setHorizontalHeaderLabels([QCoreApplication.translate("HotkeysPage", "Input"),
                                     QCoreApplication.translate("HotkeysPage", "Does")])
    for row, pair in enumerate(VIEW_INPUTS):
        for column, text in enumerate(pair):
            table.setItem(row, column, _read_only(QCoreApplication.translate("SliceView", text)))
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab moves on, as in the other tables
    return table
