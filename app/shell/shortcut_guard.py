"""Keeps one-letter viewer shortcuts (D, E, F, O, C...) out of widgets that take letters.

Text fields already claim printable keys before shortcuts fire; combo boxes, spin boxes and
lists do not, so typing "D" to jump to an item in a report's combo box would arm the distance
tool instead. This filter claims plain printable keys for those widgets.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox

from app.shell.input_router import input_router

LETTER_TAKERS = (QComboBox, QAbstractSpinBox, QAbstractItemView)
_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier \
    | Qt.KeyboardModifier.MetaModifier


class ShortcutGuard(QObject):
    """Plain letters stay with the focused letter-taking widget (a handler of the
    application's :class:`~app.shell.input_router.InputRouter`)."""

    def on_shortcut_override(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            focus = QApplication.focusWidget()
            text = event.text()
            if (focus is not None and isinstance(focus, LETTER_TAKERS)
                    and not (event.modifiers() & _MODIFIERS)
                    and len(text) == 1 and text.isprintable() and not text.isspace()):
                event.accept()  # deliver as a key press to the widget, not as a shortcut
        return False


def install(app: QApplication) -> ShortcutGuard:
    """Install the guard once per application; returns it (keep a reference)."""
    guard = app.findChild(ShortcutGuard)
    if guard is None:
        guard = ShortcutGuard(app)
        input_router(app).add(guard, {QEvent.Type.ShortcutOverride}, guard.on_shortcut_override)
    return guard
