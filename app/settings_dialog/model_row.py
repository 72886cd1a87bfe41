"""The AI model row of the General tab: the active version and a one-click rollback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.shell.error_text import error_text
from core.errors import LuchError


class ModelRow(QWidget):
    """``AI model: 2.0.0-site.1 [Roll back]``; rollback acts at once (``luch model rollback``)."""

    def __init__(self, reader: str = "") -> None:
        super().__init__()
        self.reader = reader
        self.version = QLabel()
        self.rollback = QPushButton(self.tr("Roll &back"))
        self.rollback.setToolTip(self.tr("Return to the AI model version active before this one"))
        self.rollback.clicked.connect(self._roll_back)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.version, 1)
        row.addWidget(self.rollback)
        self.refresh()

    def refresh(self, note: str = "") -> None:
        # deferred: loads when the dialog opens, not at start-up
        from inference.registry import ModelRegistry

        try:
            active = ModelRegistry().active()
            text = active.version + ("" if not active.shipped else " " + self.tr("(shipped)"))
            self.rollback.setEnabled(not active.shipped)
        except LuchError as err:
            text = error_text(err)
            self.rollback.setEnabled(False)
        self.version.setText(f"{text}  {note}".strip())

    def _roll_back(self) -> None:
        # deferred: loads when the dialog opens, not at start-up
        from inference.registry import ModelRegistry

        try:
            ModelRegistry().rollback(self.reader or "luch")
            self.refresh(self.tr("rolled back"))
        except LuchError as err:
            self.refresh(error_text(err))


def add_model_row(form: QFormLayout, reader: str = "") -> ModelRow:
    row = ModelRow(reader)
    form.addRow(QCoreApplication.translate("ModelRow", "AI &model:"), row)
    return row
