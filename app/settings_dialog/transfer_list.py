"""The archive page's list of lossless transfer syntaxes: which to ask for, in what order."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive.transfer_syntax import DEFAULT_ORDER, LOSSLESS

NAMES = {
    "jpeg-ls-lossless": QT_TRANSLATE_NOOP("TransferList", "JPEG-LS lossless"),
    "jpeg2000-lossless": QT_TRANSLATE_NOOP("TransferList", "JPEG 2000 lossless"),
    "htj2k-lossless": QT_TRANSLATE_NOOP("TransferList", "HTJ2K lossless"),
    "rle": QT_TRANSLATE_NOOP("TransferList", "RLE lossless"),
    "jpeg-lossless": QT_TRANSLATE_NOOP("TransferList", "JPEG lossless"),
}


class TransferList(QWidget):
    """Checked syntaxes are asked for top first; unchecked ones never. ``names()`` is the
    setting's value (an empty list: only what the archive stored)."""

    def __init__(self, chosen: list[str]) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setObjectName("transfer-syntaxes")
        for name in [*chosen, *(n for n in DEFAULT_ORDER if n not in chosen)]:
            item = QListWidgetItem(QCoreApplication.translate("TransferList", NAMES[name]))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(LOSSLESS[name])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setMaximumHeight(self.list.sizeHintForRow(0) * (len(NAMES) + 1))
        self.up = QPushButton(QCoreApplication.translate("TransferList", "Move &up"))
        self.down = QPushButton(QCoreApplication.translate("TransferList", "Move do&wn"))
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def move(self, step: int) -> None:
        """Move the current syntax ``step`` rows (negative: earlier, asked for sooner)."""
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)

    def names(self) -> list[str]:
        items = [self.list.item(i) for i in range(self.list.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.checkState() == Qt.CheckState.Checked]
