"""The Settings dialog under a station policy: locked settings read-only with a note, never
written; the archive code reads the locked address."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from app.settings_dialog import SettingsDialog
from archive.credentials import load_config
from core.settings import Settings

URL = "https://pacs.city.example/dicom-web"


@pytest.fixture
def locked_station(luch_home, tmp_path, monkeypatch):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"locked": {"archive.url": URL, "ui.language": "ru",
                                             "dictation.engine": "pocketsphinx"}}))
    monkeypatch.setenv("LUCH_POLICY", str(policy))
    for var in ("LUCH_ARCHIVE_URL", "LUCH_ARCHIVE_USER", "LUCH_ARCHIVE_PASSWORD", "LUCH_LANG"):
        monkeypatch.delenv(var, raising=False)
    luch_home.mkdir(exist_ok=True)
    (luch_home / "settings.json").write_text(json.dumps({"archive.url": "https://old.example"}))
    return luch_home


def test_locked_settings_are_read_only_with_a_note_and_not_saved(qtbot, locked_station):
    dialog = SettingsDialog(Settings(), reader="reader1")
    qtbot.addWidget(dialog)
    archive, general, speech = dialog.archive, dialog.general, dialog.speech
    assert archive.url.text() == URL and not archive.url.isEnabled()
    assert "IT department" in archive.url.toolTip()
    assert archive.user.isEnabled()  # not locked
    assert not general.ui_language.isEnabled() and general.ui_language.currentData() == "ru"
    assert not speech.engine.isEnabled()
    assert general.report_language.isEnabled()
    for page in (archive, general, speech):
        assert page.findChild(QLabel, "policy-note") is not None
    assert dialog.viewer.findChild(QLabel, "policy-note") is None  # nothing locked there

    archive.url.setText("https://typed-anyway.example")  # even if a field were edited
    general.autolock.setValue(7)
    dialog.accept()
    assert not dialog.error.isVisible(), dialog.error.text()
    saved = json.loads((locked_station / "settings.json").read_text())
    assert saved["app.autolock_minutes"] == 7
    assert saved["archive.url"] == "https://old.example"  # the user's own value untouched
    assert load_config(Settings()).url.rstrip("/") == URL


def test_the_policy_note_is_translated(qtbot, qapp, locked_station, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        dialog = SettingsDialog(Settings(), reader="reader1")
        qtbot.addWidget(dialog)
        note = dialog.archive.findChild(QLabel, "policy-note").text()
        assert "ИТ" in note or "администратор" in note, note
        assert "IT department" not in dialog.archive.url.toolTip()
    finally:
        remove_translators(qapp)
