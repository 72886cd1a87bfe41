"""The structured protocol as a form: one editor per field of the protocol data file.

Every field is reachable by keyboard (Tab, Ctrl+Down/Up; the order follows the protocol) and
by voice: the dictation adapter calls :meth:`next_field`, :meth:`previous_field`,
:meth:`go_to_field` and :meth:`insert_text` on the field that has focus. The field being filled
is highlighted (and stays so while the reader scrolls the images). Lists and texts are as tall
as their content, so only the form scrolls; nothing in it scrolls sideways.

A value said into a choice field with options of opposite meaning that sound alike
(``records.spoken``: "progression"/"regression") is marked "check this value" (amber, with a
tooltip) until the reader confirms it: a click on its field, Enter or Space in it, or a value
chosen there by hand. The report panel asks before signing with such a value unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from records.protocol import Field, Protocol
from records.spoken import (
    NO,
    YES,
    heading,
    labelled_value,
    named_option,
    named_options,
    near_opposites,
    opposite_sensitive,
    option_for,
    options_begun,
)

_UNSET = "—"


ROW_STYLE = """
QFrame#field-row { border-left: 3px solid transparent; border-radius: 3px; }
QFrame#field-row[current="true"] { background: #dbe9ff; border-left: 3px solid #1d5fd1; }
QFrame#field-row[current="true"] > QLabel { font-weight: bold; }
QFrame#field-row[current="true"][dictating="true"] {
    background: #ffe3e0; border-left: 3px solid #c62828; }
QFrame#field-row[check="true"] { background: #fff1c2; border: 2px dashed #b26a00; }
"""
# Keys that confirm a voiced value to check in its field (not any key: the dictation key or
# a shortcut's modifier pressed there is not the reader looking at the value).
CONFIRM_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})
TEXT_LINES = (2, 12)  # a text field grows with its text between these many lines


class _CheckList(QListWidget):
    """Ticked options, all shown: as tall as its items (no scroll bar), wrapping long ones."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def fit(self) -> None:
        self.doItemsLayout()  # wrapped options: their laid-out height at this width
        rows = sum(max(self.visualItemRect(self.item(n)).height(), self.sizeHintForRow(n))
                   for n in range(self.count()))
        height = rows + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()


class GrowingText(QPlainTextEdit):
    """A text field as tall as its text (2 to 12 lines), so the form alone scrolls."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self.fit)
        self.fit()

    def fit(self) -> None:
        lines = int(self.document().size().height())  # in lines for a plain text document
        lines = min(max(lines, TEXT_LINES[0]), TEXT_LINES[1])
        margins = self.contentsMargins()
        height = (lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
                  + 2 * int(self.document().documentMargin()) + 2)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


class _Number(QDoubleSpinBox):
    """A number field that takes both decimal separators (the numeric keypad types ".")."""

    def _dot(self, text: str) -> str:
        return text.replace(".", self.locale().decimalPoint())

    def validate(self, text: str, pos: int):
        return super().validate(self._dot(text), pos)

    def valueFromText(self, text: str) -> float:
        return super().valueFromText(self._dot(text))


class ProtocolForm(QWidget):
    """Editors for a :class:`records.protocol.Protocol`; ``values_changed`` on every edit,
    ``current_changed(key)`` when another field becomes the one being filled."""

    values_changed = Signal()
    current_changed = Signal(str)
    checks_changed = Signal()  # a voiced value was marked to be checked, or confirmed

    def __init__(self, protocol: Protocol, lang: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.protocol = protocol
        self.lang = lang
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.rows: dict[str, QFrame] = {}
        self._current: str | None = None
        self._read_only = False
        self._dictating = False
        self.setStyleSheet(ROW_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addStretch(1)
        self._names: dict[str, list[str]] = {}  # extra fields' names, for "go to field"
        self._spill_key: str | None = None  # the text field that takes words fitting no value
        self._to_check: dict[str, str] = {}  # field -> option said by voice, not yet checked
        self._voicing = False  # a dictated value is being set (not the reader's hand)
        for field in protocol.fields:
            editor = self._make_editor(field)
            editor.setObjectName(f"field-{field.key}")
            self._add_row(field.key, field.label.get(lang, field.key), editor,
                          stacked=field.type in ("multi", "text"), required=field.required)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _add_row(self, key: str, text: str, editor: QWidget, stacked: bool,
                 required: bool = False) -> None:
        editor.setAccessibleName(text)
        label = QLabel(text + (" *" if required else ""))
        label.setWordWrap(True)
        label.setBuddy(editor)
        row = QFrame()
        row.setObjectName("field-row")
        row.setProperty("current", False)
        row.setProperty("dictating", False)
        row.setProperty("check", False)
        row.installEventFilter(self)  # a click on the row confirms a value to check
        label.installEventFilter(self)
        # Ticked lists and texts take the full width under their label; the others sit
        # beside it, labels in one column (the same stretch in every row).
        box = QVBoxLayout(row) if stacked else QHBoxLayout(row)
        box.setContentsMargins(6, 2, 4, 2)
        box.setSpacing(2 if stacked else 6)
        if stacked:
            box.addWidget(label)
            box.addWidget(editor)
        else:
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            box.addWidget(label, 2)
            box.addWidget(editor, 3)
        layout = self.layout()
        layout.insertWidget(layout.count() - 1, row)  # before the closing stretch
        if self.editors:
            QWidget.setTabOrder(list(self.editors.values())[-1], editor)
        self.editors[key] = editor
        self.labels[key] = label
        self.rows[key] = row

    def add_text_field(self, key: str, label: str, editor: QPlainTextEdit,
                       names: list[str] | None = None, spill: bool = False) -> None:
        """A text field that is not part of the protocol's values (the report's additional
        text), after the protocol's fields: in the field order (Tab, Ctrl+Down/Up, voice),
        highlighted and dictated into as they are; ``names`` also find it by voice;
        ``spill``: dictated words that fit no value go there (:meth:`spill`)."""
        self._add_row(key, label, editor, stacked=True)
        self._names[key] = [label, *(names or [])]
        editor.setReadOnly(self._read_only)
        if spill:
            self._spill_key = key

    # -- editors ----------------------------------------------------------------------------------
    def _make_editor(self, field: Field) -> QWidget:
        if field.type == "choice":
            box = QComboBox()
            box.addItem(_UNSET, None)
            for key, names in field.options.items():
                box.addItem(names.get(self.lang, key), key)
            # Long option names must not widen the form: the box shrinks, its list does not.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)
            box.view().installEventFilter(self)
            self._wheel_only_when_focused(box)
            box.currentIndexChanged.connect(self.values_changed)
            box.currentIndexChanged.connect(lambda _i, key=field.key: self._edited(key))
            return box
        if field.type == "multi":
            items = _CheckList()
            for key, names in field.options.items():
                item = QListWidgetItem(names.get(self.lang, key))
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                items.addItem(item)
            items.itemChanged.connect(lambda _item: self.values_changed.emit())
            items.installEventFilter(self)
            return items
        if field.type == "bool":
            check = QCheckBox()
            check.toggled.connect(self.values_changed)
            check.installEventFilter(self)
            return check
        if field.type == "number":
            spin = _Number()
            low = field.min if field.min is not None else 0.0
            spin.setRange(low - 1, field.max if field.max is not None else 1e6)
            spin.setDecimals(1)
            spin.setSpecialValueText(_UNSET)  # shown at the minimum: the value is not set
            if self.lang == "ru":  # 12,5 as a Russian reader writes it (a typed 12.5 too)
                spin.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
            spin.setValue(spin.minimum())
            spin.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self._wheel_only_when_focused(spin)
            spin.valueChanged.connect(self.values_changed)
            return spin
        text = GrowingText()
        text.textChanged.connect(self.values_changed)
        return text

    def _wheel_only_when_focused(self, editor: QWidget) -> None:
        """Qt turns a combo or number box with the mouse wheel even unfocused: the report
        scrolled under the pointer changed its values (Dynamics, a grade, a percentage)."""
        editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        editor.installEventFilter(self)

    def _scroll_wheel(self, event) -> None:
        """Give a wheel turn to the scroll area the form sits in (if any)."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            QApplication.sendEvent(parent.verticalScrollBar(), event)

    # -- Space in pick lists ----------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        """Space picks and moves on: in an open drop-down it chooses the highlighted option,
        closes it and goes to the next field; on a yes/no box it ticks it and goes on; in a
        list it ticks the option and goes to the next option (after the last one, to the next
        field): never the same one twice. A wheel over an unfocused box scrolls the form. A
        click or key on a field whose voiced value is to be checked confirms it."""
        if self._to_check and (event.type() == QEvent.Type.MouseButtonPress or (
                event.type() == QEvent.Type.KeyPress and event.key() in CONFIRM_KEYS)):
            key = self._checked_by(watched)
            if key is not None:
                self.confirm_value(key)
        if event.type() == QEvent.Type.Wheel and isinstance(watched, (QComboBox, _Number)):
            if watched.hasFocus():
                return False
            self._scroll_wheel(event)
            return True
        if event.type() != QEvent.Type.KeyPress or event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        key = event.key()
        if isinstance(watched, QAbstractItemView) and not isinstance(watched, QListWidget) \
                and key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            box = next((e for e in self.editors.values()
                        if isinstance(e, QComboBox) and e.view() is watched), None)
            if box is None or not watched.currentIndex().isValid():
                return False
            box.setCurrentIndex(watched.currentIndex().row())
            box.hidePopup()
            self.next_field()
            return True
        if key != Qt.Key.Key_Space or self._read_only:
            return False
        if isinstance(watched, QCheckBox):
            watched.toggle()
            self.next_field()
            return True
        if isinstance(watched, QListWidget):
            row = max(watched.currentRow(), 0)
            item = watched.item(row)
            item.setCheckState(Qt.CheckState.Unchecked if item.checkState()
                               == Qt.CheckState.Checked else Qt.CheckState.Checked)
            if row + 1 < watched.count():
                watched.setCurrentRow(row + 1)
            else:  # the last option: on to the next field
                self.next_field()
            return True
        return False

    # -- read-only (a signed report) --------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        """Lock the form (a signed report): texts stay selectable, nothing can be changed."""
        self._read_only = read_only
        if read_only:
            for key in list(self._to_check):
                self._unmark(key)
        for editor in self.editors.values():
            if isinstance(editor, QPlainTextEdit):
                editor.setReadOnly(read_only)
            else:
                editor.setEnabled(not read_only)

    @property
    def read_only(self) -> bool:
        return self._read_only

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
        self._unmark(key)  # not the voice's value any more (a draft, the AI's values)
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
        """The field whose editor has (or last had) the keyboard focus within the form."""
        return self._key_of(self.focusWidget())

    def key_of(self, widget: QWidget | None) -> str | None:
        """The field whose editor ``widget`` is or lies in, if any."""
        return self._key_of(widget)

    def _key_of(self, widget: QWidget | None) -> str | None:
        for key, editor in self.editors.items():
            if editor is widget or (widget is not None and editor.isAncestorOf(widget)):
                return key
        return None

    @property
    def current(self) -> str | None:
        """The field being filled: the focused one, else the last one that had the focus
        (scrolling the images keeps dictation there)."""
        return self.current_key() or self._current

    def is_highlighted(self, key: str) -> bool:
        return bool(self.rows[key].property("current"))

    def set_dictating(self, on: bool) -> None:
        """Mark the highlighted field as the one dictation writes into (red while on)."""
        self._dictating = on
        self._highlight(self._current)

    @property
    def dictating(self) -> bool:
        return self._dictating

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        key = self._key_of(new)
        if key is not None and key != self._current:
            self._highlight(key)

    def _highlight(self, key: str | None) -> None:
        previous, self._current = self._current, key
        for k in (previous, key):
            if k is not None:
                row = self.rows[k]
                row.setProperty("current", k == key)
                row.setProperty("dictating", k == key and self._dictating)
                row.style().unpolish(row)
                row.style().polish(row)
                for child in row.findChildren(QLabel):
                    child.style().unpolish(child)
                    child.style().polish(child)
        if key is not None:
            self.current_changed.emit(key)

    def mark_field(self, key: str | None) -> None:
        """Make ``key`` the field being filled (None: none yet, "next field" goes to the
        first) without taking the keyboard from the images."""
        self._highlight(key)

    def focus_field(self, key: str) -> None:
        self._highlight(key)
        self.editors[key].setFocus(Qt.FocusReason.OtherFocusReason)

    def next_field(self, *_: object) -> str:
        """Go to the field after the current one (from a key, a menu or a voice command)."""
        return self.step_field(1)

    def previous_field(self, *_: object) -> str:
        return self.step_field(-1)

    def step_field(self, step: int) -> str:
        keys = list(self.editors)
        current = self.current
        index = (keys.index(current) + step) % len(keys) if current else 0
        self.focus_field(keys[index])
        return keys[index]

    def go_to_field(self, name: str) -> str | None:
        """Focus the field whose key or label (in any language) matches ``name``."""
        wanted = _norm(name)
        fields = [(f.key, [f.key, *f.label.values()]) for f in self.protocol.fields]
        for key, names in [*fields, *self._names.items()]:
            if any(wanted and (wanted == _norm(n) or wanted in _norm(n)) for n in names):
                self.focus_field(key)
                return key
        return None

    def insert_text(self, text: str, key: str | None = None) -> bool:
        """Put dictated ``text`` into field ``key`` (default: the focused one); False if it
        does not fit there."""
        key = key or self.current_key()
        if key is None:
            return False
        editor = self.editors[key]
        if isinstance(editor, QPlainTextEdit):
            cursor = editor.textCursor()
            before = editor.toPlainText()[: cursor.position()]
            cursor.insertText(text if not before or before.endswith((" ", "\n")) else " " + text)
            return True
        field = self.protocol.field(key)
        if isinstance(editor, QDoubleSpinBox):
            number = re.search(r"-?\d+(?:[.,]\d+)?", text)
            if number:
                editor.setValue(float(number.group().replace(",", ".")))
            return bool(number)
        if isinstance(editor, QComboBox):
            return self._choose(editor, field, text)
        if isinstance(editor, QListWidget):
            return self._tick(editor, field, text)
        if isinstance(editor, QCheckBox):
            answer = _norm(text)
            if answer in YES or answer in NO:
                editor.setChecked(answer in YES)
                return True
        return False

    def labelled_value(self, heard: str,
                       normalize: Callable[[str], str] = str) -> tuple[str, str] | None:
        """A field's name and its value said as one utterance («Динамика лучше»): the
        field's key and the value's words (:func:`records.spoken.labelled_value`). Reads
        only the protocol, so the recogniser's thread may ask."""
        return labelled_value(self.protocol.fields, heard, normalize)

    def heading(self, heard: str) -> str | None:
        """The name of the free-text field that ``heard`` names as a heading («Заключение.»,
        "Recommendations:"), for "go to field"; None if none (:func:`records.spoken.heading`).
        Reads only the protocol and the names given when the form was built, so the
        recogniser's thread may ask."""
        names = {f.key: list(f.label.values()) for f in self.protocol.fields if f.type == "text"}
        names.update(self._names)
        key = heading(names, heard)
        return self.label(key) if key else None

    def label(self, key: str) -> str:
        """The field's label as the form shows it."""
        return self._names[key][0] if key in self._names else \
            self.protocol.field(key).label.get(self.lang) or key

    def spill(self, text: str) -> tuple[str, int] | None:
        """Put dictated ``text`` that fits no value at the end of the text field that takes
        such words (the report's additional text); returns that field's label and where the
        text starts, None if there is no such field."""
        key = self._spill_key
        if key is None or self._read_only:
            return None
        editor = self.editors[key]
        before = editor.toPlainText()
        joined = text if not before or before.endswith((" ", "\n")) else " " + text
        cursor = editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(joined)
        return self._names[key][0], len(before) + len(joined) - len(text)

    def unspill(self, start: int, text: str) -> None:
        """Take back ``text`` that :meth:`spill` put at ``start`` (a revised final), if it
        is still there as it was put."""
        editor = self.editors[self._spill_key] if self._spill_key else None
        whole = editor.toPlainText() if editor is not None else ""
        if whole[start:start + len(text)] != text:
            return
        begin = start - 1 if start > 0 and whole[start - 1] == " " else start
        cursor = editor.textCursor()
        cursor.setPosition(begin)
        cursor.setPosition(start + len(text), cursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def could_be(self, key: str | None, text: str) -> list[str]:
        """The options of choice or tick-list field ``key`` that dictated ``text`` (or a part
        of it, between commas and "and") only begins, when it begins more than one (labels in
        the interface language): said, not guessed; empty otherwise."""
        if key not in self.editors or not isinstance(self.editors[key], (QComboBox,
                                                                          QListWidget)):
            return []
        field = self.protocol.field(key)
        for part in _parts(text):
            begun = options_begun(field, part)
            if len(begun) > 1 and named_option(field, part) is None:
                return [(field.options.get(o) or {}).get(self.lang, o) for o in begun]
        return []

    def _tick(self, items: QListWidget, field: Field, text: str) -> bool:
        """Tick the options named in ``text`` ("pleural effusion and fibrosis"): every word
        must be part of an option's name, so a sentence, or an option said with "no", is not
        taken (:func:`records.spoken.named_options`)."""
        keys = named_options(field, text)
        if not keys:
            return False
        for n in range(items.count()):
            if items.item(n).data(Qt.ItemDataRole.UserRole) in keys:
                items.item(n).setCheckState(Qt.CheckState.Checked)
        return True

    def _choose(self, box: QComboBox, field: Field, text: str) -> bool:
        """Pick the option ``text`` names (label or spoken alias, any language); a value said
        into a field with near-opposite options is marked to be checked."""
        option = option_for(field, text)
        if option is None:
            return False
        self._voicing = True
        try:
            box.setCurrentIndex(box.findData(option))
        finally:
            self._voicing = False
        if opposite_sensitive(field):
            self._mark(field.key, option)
        return True

    # -- voiced values to check -------------------------------------------------------------------
    def to_check(self) -> dict[str, str]:
        """The fields whose value was said by voice and not yet confirmed: key -> option."""
        return dict(self._to_check)

    def check_text(self, key: str) -> str:
        """Why field ``key`` is marked, in the interface language (tooltip, status, signing)."""
        field = self.protocol.field(key)
        option = self._to_check.get(key, "")
        label = field.label.get(self.lang, key)
        value = (field.options.get(option) or {}).get(self.lang, option)
        opposite = ", ".join(f"“{(field.options.get(o) or {}).get(self.lang, o)}”"
                             for o in near_opposites(field, option))
        if opposite:
            return self.tr("%1 was set by voice to “%2”: check this value, it sounds like "
                           "its opposite %3. Click the field or press Enter in it to "
                           "confirm.").replace("%1", label).replace("%2", value) \
                .replace("%3", opposite)
        return self.tr("%1 was set by voice to “%2”: check this value (its options include "
                       "opposites that sound alike). Click the field or press Enter in it to "
                       "confirm.").replace("%1", label).replace("%2", value)

    def restore_checks(self, marks: dict[str, str]) -> None:
        """Mark again the voiced values still to be checked (``key -> option``, as
        :meth:`to_check` gave them: a draft), where the field still holds that option."""
        for key, option in marks.items():
            editor = self.editors.get(key)
            if isinstance(editor, QComboBox) and option and editor.currentData() == option:
                self._mark(key, option)

    def confirm_value(self, key: str) -> None:
        """The reader has seen the voiced value of ``key``: it is no longer marked."""
        self._unmark(key)

    def _mark(self, key: str, option: str) -> None:
        self._to_check[key] = option
        self._set_check(key, self.check_text(key))
        self.checks_changed.emit()

    def _unmark(self, key: str) -> None:
        if self._to_check.pop(key, None) is not None:
            self._set_check(key, "")
            self.checks_changed.emit()

    def _set_check(self, key: str, tip: str) -> None:
        row = self.rows[key]
        row.setProperty("check", bool(tip))
        row.setToolTip(tip)
        self.editors[key].setToolTip(tip)
        row.style().unpolish(row)
        row.style().polish(row)

    def _edited(self, key: str) -> None:
        """A value changed: by the reader's hand, that is the reader's choice."""
        if not self._voicing:
            self._unmark(key)

    def _checked_by(self, watched: QObject) -> str | None:
        """The marked field a click or key on ``watched`` (its row, label, editor or the
        editor's drop-down list) confirms."""
        for key in self._to_check:
            editor = self.editors[key]
            if watched in (self.rows[key], self.labels[key], editor) or (
                    isinstance(editor, QComboBox) and watched is editor.view()):
                return key
        return None


def _parts(text: str) -> list[str]:
    """Dictated options said one after another: split at commas, stops, "and", «и»."""
    return [p for p in re.split(r"\s*(?:[,;.]|\band\b|\bи\b)\s*", text.lower()) if p]


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_.,:;]+", "", text.lower().replace("ё", "е")).replace("кт", "ct")
