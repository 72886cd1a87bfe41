"""The measurements of the study as a list, each with its value ("Distance 1  51.5 mm"):
select one to go to it, double-click (or F2) to name it, Delete to remove it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from studies import Volume
from viewer.measure_tool import describe
from viewer.measurements import Measurement

_ID = Qt.ItemDataRole.UserRole
_NAME = Qt.ItemDataRole.UserRole + 1  # the name alone: what renaming edits


class _NameEditing(QStyledItemDelegate):
    """Renaming edits the name, not the value shown after it."""

    def setEditorData(self, editor, index) -> None:
        editor.setText(index.data(_NAME) or "")


class MeasurementList(QWidget):
    """Lists measurements; emits ``go_to``, ``renamed`` and ``deleted`` (by id)."""

    go_to = Signal(object)  # Measurement
    renamed = Signal(str, str)  # id, new label
    deleted = Signal(str)  # id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("measurements")
        self.list.setItemDelegate(_NameEditing(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemSelectionChanged.connect(self._selected)
        self.list.itemChanged.connect(self._edited)
        self.list.installEventFilter(self)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_current)
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.clicked.connect(
            lambda: self.list.currentItem() and self.list.editItem(self.list.currentItem()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list)
        column.addLayout(buttons)
        self._measurements: dict[str, Measurement] = {}
        self._filling = False

    def set_measurements(self, volume: Volume | None, measurements: list[Measurement]) -> None:
        chosen = self.list.selectedItems()  # the reader's row (not one merely current)
        keep = chosen[0].data(_ID) if chosen else None
        self._filling = True
        try:
            self.list.clear()
            self._measurements = {m.id: m for m in measurements}
            for n, m in enumerate(measurements, start=1):
                name = m.label or self.default_name(m, n)
                value = describe(volume, m) if volume is not None else ""
                item = QListWidgetItem(f"{name}  {value.splitlines()[0]}" if value else name)
                item.setData(_ID, m.id)
                item.setData(_NAME, name)
                item.setToolTip(value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.list.addItem(item)
                if m.id == keep:
                    self.list.setCurrentItem(item)
        finally:
            self._filling = False

    def default_name(self, m: Measurement, n: int) -> str:
        kinds = {"distance": self.tr("Distance"), "ellipse": self.tr("Ellipse"),
                 "freehand": self.tr("Freehand ROI")}
        return f"{kinds.get(m.kind, m.kind)} {n}"

    def delete_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.deleted.emit(item.data(_ID))

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.list and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.list.state() != QAbstractItemView.State.EditingState):
            self.delete_current()
            return True
        return super().eventFilter(watched, event)

    def _selected(self) -> None:
        # The row the reader chose (a click, the arrow keys) is selected. Not the current
        # row: the list taking the focus makes its first row current, unselected (Qt), which
        # is no choice; the keyboard falling here as a layout's views went took the reader
        # to the first measurement's slice.
        chosen = self.list.selectedItems()
        if chosen and not self._filling:
            self.go_to.emit(self._measurements[chosen[0].data(_ID)])

    def _edited(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        m, name = self._measurements.get(item.data(_ID)), item.text().strip()
        if m is not None and name != m.label:  # the edited name (the value is not edited)
            self.renamed.emit(m.id, name)
