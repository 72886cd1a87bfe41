"""The structured protocol as a form: one editor per field of the protocol data file.

Every field is reachable by keyboard (Tab order follows the protocol) and by voice: the
dictation adapter calls :meth:`next_field`, :meth:`previous_field`, :meth:`go_to_field` and
:meth:`insert_text` on the field that has focus.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from records.protocol import Field, Protocol

_UNSET = "—"


class ProtocolForm(QWidget):
    """Editors for a :class:`records.protocol.Protocol`; ``values_changed`` on every edit."""

    values_changed = Signal()

    def __init__(self, protocol: Protocol, lang: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.protocol = protocol
        self.lang = lang
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in protocol.fields:
            editor = self._make_editor(field)
            editor.setObjectName(f"field-{field.key}")
            editor.setAccessibleName(field.label.get(lang, field.key))
            label = QLabel(field.label.get(lang, field.key) + (" *" if field.required else ""))
            label.setBuddy(editor)
            self.editors[field.key] = editor
            self.labels[field.key] = label
            layout.addRow(label, editor)
        keys = list(self.editors)
        for a, b in itertools.pairwise(keys):
            QWidget.setTabOrder(self.editors[a], self.editors[b])

    # -- editors ----------------------------------------------------------------------------------
    def _make_editor(self, field: Field) -> QWidget:
        if field.type == "choice":
            box = QComboBox()
            box.addItem(_UNSET, None)
            for key, names in field.options.items():
                box.addItem(names.get(self.lang, key), key)
            box.currentIndexChanged.connect(self.values_changed)
            return box
        if field.type == "multi":
            items = QListWidget()
            for key, names in field.options.items():
                item = QListWidgetItem(names.get(self.lang, key))
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                items.addItem(item)
            items.setMaximumHeight(22 * max(2, len(field.options)) + 6)
            items.itemChanged.connect(lambda _item: self.values_changed.emit())
            return items
        if field.type == "bool":
            check = QCheckBox()
            check.toggled.connect(self.values_changed)
            return check
        if field.type == "number":
            spin = QDoubleSpinBox()
            low = field.min if field.min is not None else 0.0
            spin.setRange(low - 1, field.max if field.max is not None else 1e6)
            spin.setDecimals(1)
            spin.setSpecialValueText(_UNSET)  # shown at the minimum: the value is not set
            spin.setValue(spin.minimum())
            spin.valueChanged.connect(self.values_changed)
            return spin
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setMaximumHeight(70)
        text.textChanged.connect(self.values_changed)
        return text

    # -- values -----------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The fields that are set, as the protocol expects them."""
        out: dict[str, Any] = {}
        for field in self.protocol.fields:
            value = self._value(field, self.editors[field.key])
            # Unset: no choice, nothing ticked, empty text, an unchecked box. A 0 stays.
            if value is not None and value != [] and value != "" and value is not False:
                out[field.key] = value
        return out

    def _value(self, field: Field, editor: QWidget) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QListWidget):
            return [editor.item(n).data(Qt.ItemDataRole.UserRole) for n in range(editor.count())
                    if editor.item(n).checkState() == Qt.CheckState.Checked]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QDoubleSpinBox):
            return None if editor.value() == editor.minimum() else round(editor.value(), 1)
        return editor.toPlainText().strip()

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form; keys not given are cleared."""
        for field in self.protocol.fields:
            self.set_value(field.key, values.get(field.key))

    def set_value(self, key: str, value: Any) -> None:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            index = editor.findData(value)
            editor.setCurrentIndex(max(0, index))
        elif isinstance(editor, QListWidget):
            chosen = set(value or [])
            for n in range(editor.count()):
                item = editor.item(n)
                state = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(editor.minimum() if value is None else float(value))
        else:
            editor.setPlainText("" if value is None else str(value))

    def text_editors(self) -> dict[str, QPlainTextEdit]:
        """The free-text fields (those dictation writes sentences into), by key."""
        return {k: e for k, e in self.editors.items() if isinstance(e, QPlainTextEdit)}

    # -- navigation (keyboard and voice) ----------------------------------------------------------
    def current_key(self) -> str | None:
        focused = self.focusWidget()
        for key, editor in self.editors.items():
            if editor is focused or (focused is not None and editor.isAncestorOf(focused)):
                return key
        return None

    def focus_field(self, key: str) -> None:
        self.editors[key].setFocus(Qt.FocusReason.OtherFocusReason)

    def next_field(self, step: int = 1) -> str:
        keys = list(self.editors)
        current = self.current_key()
        index = (keys.index(current) + step) % len(keys) if current else 0
        self.focus_field(keys[index])
        return keys[index]

    def previous_field(self) -> str:
        return self.next_field(-1)

    def go_to_field(self, name: str) -> str | None:
        """Focus the field whose key or label (in any language) matches ``name``."""
        wanted = _norm(name)
        for field in self.protocol.fields:
            names = [field.key, *field.label.values()]
            if any(wanted and (wanted == _norm(n) or wanted in _norm(n)) for n in names):
                self.focus_field(field.key)
                return field.key
        return None

    def insert_text(self, text: str, key: str | None = None) -> bool:
        """Put dictated ``text`` into field ``key`` (default: the focused one); False if it
        does not fit there."""
        key = key or self.current_key()
        if key is None:
            return False
        field, editor = self.protocol.field(key), self.editors[key]
        if isinstance(editor, QPlainTextEdit):
            cursor = editor.textCursor()
            before = editor.toPlainText()[: cursor.position()]
            cursor.insertText(text if not before or before.endswith((" ", "\n")) else " " + text)
            return True
        if isinstance(editor, QDoubleSpinBox):
            number = re.search(r"-?\d+(?:[.,]\d+)?", text)
            if number:
                editor.setValue(float(number.group().replace(",", ".")))
            return bool(number)
        if isinstance(editor, QComboBox):
            return self._choose(editor, field, text)
        return False

    def _choose(self, box: QComboBox, field: Field, text: str) -> bool:
        wanted = _norm(text)
        for key, names in field.options.items():
            if wanted in {_norm(key), *(_norm(n) for n in names.values())} or \
                    any(_norm(n).startswith(wanted) for n in names.values() if wanted):
                box.setCurrentIndex(box.findData(key))
                return True
        return False


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_.,:;]+", "", text.lower()).replace("кт", "ct")
