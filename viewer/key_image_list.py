"""The key images of the study as a list: select one to go to it, Delete to unmark it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from viewer.key_images import KeyImage

_UID = Qt.ItemDataRole.UserRole


class KeyImageList(QWidget):
    """Lists key images; emits ``go_to`` (a :class:`KeyImage`) and ``removed`` (its SOP
    Instance UID)."""

    go_to = Signal(object)
    removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("key-images")
        self.list.currentItemChanged.connect(self._selected)
        self.list.itemClicked.connect(self._selected)  # the current one again: go there again
        self.list.installEventFilter(self)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_current)
        self.empty = self.tr("No key images: K marks the slice shown")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list)
        column.addWidget(self.remove_button)
        self._images: dict[str, KeyImage] = {}
        self._filling = False
        self.set_images([])

    def set_images(self, images: list[KeyImage]) -> None:
        current = self.list.currentItem()
        keep = current.data(_UID) if current is not None else None
        self._filling = True
        try:
            self.list.clear()
            self._images = {m.sop_instance_uid: m for m in images}
            for m in images:
                item = QListWidgetItem(self.title(m))
                item.setData(_UID, m.sop_instance_uid)
                self.list.addItem(item)
                if m.sop_instance_uid == keep:
                    self.list.setCurrentItem(item)
            if not images:
                hint = QListWidgetItem(self.empty)
                hint.setFlags(Qt.ItemFlag.NoItemFlags)
                self.list.addItem(hint)
        finally:
            self._filling = False
        self.remove_button.setEnabled(bool(images))

    def title(self, image: KeyImage) -> str:
        number = "" if image.series_number is None else str(image.series_number)
        return (self.tr("Series %1, slice %2").replace("%1", number)
                .replace("%2", str(image.slice)))

    def remove_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(_UID):
            self.removed.emit(item.data(_UID))

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.list and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            self.remove_current()
            return True
        return super().eventFilter(watched, event)

    def _selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and not self._filling and item.data(_UID) in self._images:
            self.go_to.emit(self._images[item.data(_UID)])
