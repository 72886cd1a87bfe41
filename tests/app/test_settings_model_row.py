"""The General tab's AI model row rolls a site model back with one click (real events)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.settings_dialog import SettingsDialog
from core.settings import Settings
from inference.registry import ModelRegistry
from tests.inference.test_registry import _candidate


def test_roll_back_button(luch_home, qtbot):
    registry = ModelRegistry()
    good = _candidate(registry, True)
    registry.activate(good.version)
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    row = dialog.general.model_row
    assert row.version.text() == good.version and row.rollback.isEnabled()
    qtbot.mouseClick(row.rollback, Qt.MouseButton.LeftButton)
    shipped = registry.shipped().version
    assert registry.active().version == shipped
    assert row.version.text().startswith(shipped) and not row.rollback.isEnabled()
