"""Answering the dialogs of signing as a reader does: the preview and the addendum reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog


def answer_dialog(qtbot, act, name: str = "sign-preview", seen: list | None = None) -> None:
    """Once the modal dialog ``name`` opens, call ``act(dialog)`` (and note it in ``seen``)."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.objectName() != name:
            QTimer.singleShot(10, check)
            return
        if seen is not None:
            seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, check)


def confirm_signing(qtbot, seen: list | None = None) -> None:
    """Press the preview's Sign button when it opens (with problems listed, Enter would go
    back to the report)."""
    answer_dialog(qtbot, lambda d: qtbot.mouseClick(d.sign_button, Qt.MouseButton.LeftButton),
                  seen=seen)


def give_reason(qtbot, reason: str) -> None:
    """Type the addendum's reason and start it."""

    def act(dialog) -> None:
        if reason.isascii():
            qtbot.keyClicks(dialog.edit, reason)
        else:  # QTest types ASCII only
            dialog.edit.insert(reason)
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # the default button: Start

    answer_dialog(qtbot, act, name="addendum-reason")
