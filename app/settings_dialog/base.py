"""What the settings pages share: the page base class, the validation error, keys, widgets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidgetItem,
    QWidget,
)

from core.errors import LuchError
from core.settings import Settings

LANGUAGES = (("en", "English"), ("ru", "Русский"))
REPORT_LANGUAGE_KEY = "report.language"
AI_AUTORUN_KEY = "ai.autorun"
AI_BACKGROUND_KEY = "ai.background"  # read by app.reading.background_preread
ARCHIVE_URL_KEY, ARCHIVE_USER_KEY = "archive.url", "archive.user"  # read by archive.credentials
ARCHIVE_CA_KEY = "archive.ca_bundle"
DICTATION_LANGUAGE_KEY, DICTATION_DEVICE_KEY = "dictation.language", "dictation.device"
CONTROLLER_KEY = "dictation.controller.mapping"  # read by dictation.controller.ControllerMapping


class InvalidSetting(LuchError):
    """A value the user entered cannot be saved; ``field`` is where to fix it."""

    def __init__(self, message: str, field: QWidget | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.page: QWidget | None = None  # the tab it is on, set by the dialog


def portable(sequence: QKeySequence | str) -> str:
    """A key sequence as stored in settings (``Ctrl+Shift+S``), independent of the UI language."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.PortableText)


def native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class Page(QWidget):
    """One tab: ``values()`` gives every key it owns (validated); the dialog writes the changed
    ones. ``initial`` holds the values shown when the dialog opened; ``locked`` the keys the
    station policy fixes (shown read-only, never written)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.initial: dict[str, Any] = {}
        self.locked: set[str] = set()

    def title(self) -> str:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items()
                if k not in self.locked and self.initial.get(k) != v}

    def apply_policy(self, form: QFormLayout, fields: Mapping[str, QWidget]) -> None:
        """Make the fields of locked keys read-only, with a note on them and under the form."""
        tip = QCoreApplication.translate(
            "Page", "Set by your IT department (station policy); it cannot be changed here.")
        for key, widget in fields.items():
            if self.settings.is_locked(key):
                widget.setEnabled(False)
                widget.setToolTip(tip)
                self.locked.add(key)
        if self.locked:
            note = _hint(QCoreApplication.translate(
                "Page", "Greyed settings are set by your IT department (station policy) and "
                "cannot be changed here."))
            note.setObjectName("policy-note")
            form.addRow(note)


def _combo(items: list[tuple[Any, str]], current: Any) -> QComboBox:
    combo = QComboBox()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _folder_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # greyed: an explanation, not a control
    return label


def _read_only(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class KeySequenceDelegate(QStyledItemDelegate):
    """Edits a cell with a :class:`QKeySequenceEdit` (one key combination); the cell keeps the
    portable text in ``UserRole`` and shows the native text."""

    def createEditor(self, parent, option, index):
        editor = QKeySequenceEdit(parent)
        editor.setMaximumSequenceLength(1)
        editor.setClearButtonEnabled(True)
        editor.editingFinished.connect(lambda: self._finish(editor))
        return editor

    def _finish(self, editor: QKeySequenceEdit) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index) -> None:
        editor.setKeySequence(QKeySequence(index.data(Qt.ItemDataRole.UserRole) or ""))

    def setModelData(self, editor, model, index) -> None:
        text = portable(editor.keySequence())
        model.setData(index, text, Qt.ItemDataRole.UserRole)
        model.setData(index, native(text), Qt.ItemDataRole.DisplayRole)
