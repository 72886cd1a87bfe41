"""The Settings dialog: archive, speech, voice controller, viewer, hotkeys and general options.

Each tab is a page that reads its keys from :class:`core.settings.Settings` and, on OK, returns
validated values. Nothing is written until every page validates; a problem is shown in the
dialog, on its tab, and the dialog stays open. Only values that changed are written. The archive
password goes to the OS keyring (:func:`archive.credentials.save_password`), never to settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.error_text import error_text
from app.i18n import SETTINGS_KEY as UI_LANGUAGE_KEY
from app.i18n import ui_language
from app.lock import DEFAULT_MINUTES
from app.lock import SETTINGS_KEY as AUTOLOCK_KEY
from app.main_window import SHORTCUTS_KEY
from core import unlock_pin
from core.errors import LuchError
from core.settings import Settings

LANGUAGES = (("en", "English"), ("ru", "Русский"))
REPORT_LANGUAGE_KEY = "report.language"
AI_AUTORUN_KEY = "ai.autorun"
ARCHIVE_URL_KEY, ARCHIVE_USER_KEY = "archive.url", "archive.user"  # read by archive.credentials
ARCHIVE_CA_KEY = "archive.ca_bundle"
DICTATION_LANGUAGE_KEY, DICTATION_DEVICE_KEY = "dictation.language", "dictation.device"
CONTROLLER_KEY = "dictation.controller.mapping"  # read by dictation.controller.ControllerMapping


class InvalidSetting(LuchError):
    """A value the user entered cannot be saved; ``field`` is where to fix it."""

    def __init__(self, message: str, field: QWidget | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.page: QWidget | None = None  # the tab it is on, set by the dialog


def portable(sequence: QKeySequence | str) -> str:
    """A key sequence as stored in settings (``Ctrl+Shift+S``), independent of the UI language."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.PortableText)


def native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class Page(QWidget):
    """One tab: ``values()`` gives every key it owns (validated); the dialog writes the changed
    ones. ``initial`` holds the values shown when the dialog opened."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.initial: dict[str, Any] = {}

    def title(self) -> str:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items() if self.initial.get(k) != v}


def _combo(items: list[tuple[Any, str]], current: Any) -> QComboBox:
    combo = QComboBox()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _folder_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # greyed: an explanation, not a control
    return label


# -- Archive ----------------------------------------------------------------------------------
class ArchivePage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.initial = {ARCHIVE_URL_KEY: settings.get(ARCHIVE_URL_KEY, "") or "",
                        ARCHIVE_USER_KEY: settings.get(ARCHIVE_USER_KEY, "") or "",
                        ARCHIVE_CA_KEY: settings.get(ARCHIVE_CA_KEY, "") or ""}
        self.url = QLineEdit(self.initial[ARCHIVE_URL_KEY])
        self.url.setPlaceholderText("https://pacs.example.org/dicom-web")
        self.user = QLineEdit(self.initial[ARCHIVE_USER_KEY])
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if self.initial[ARCHIVE_USER_KEY] and self._stored_password(
                self.initial[ARCHIVE_URL_KEY], self.initial[ARCHIVE_USER_KEY]):
            self.password.setPlaceholderText(self.tr("stored in the OS keyring; type to replace"))
        self.ca_bundle = QLineEdit(self.initial[ARCHIVE_CA_KEY])
        self.ca_bundle.setPlaceholderText(self.tr("system certificates"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._choose_ca_bundle)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("archive-test-result")
        self.test_result.setWordWrap(True)
        self._test_task = None

        form = QFormLayout(self)
        form.addRow(self.tr("DICOMweb &address:"), self.url)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&CA bundle (optional):"), _folder_row(self.ca_bundle, browse))
        form.addRow(_hint(self.tr("The password is kept in the operating system's keyring, "
                                  "never in the settings file.")))
        form.addRow(self.test_button, self.test_result)

    def title(self) -> str:
        return self.tr("Archive")

    def values(self) -> dict[str, Any]:
        url = self.url.text().strip().rstrip("/")
        user = self.user.text().strip()
        ca = self.ca_bundle.text().strip()
        if url:
            self._config(url, user, "", ca)  # validates address and CA bundle
        elif user or self.password.text():
            raise InvalidSetting(self.tr("Enter the archive address, or clear the user and "
                                         "password."), self.url)
        if self.password.text() and not user:
            raise InvalidSetting(self.tr("Enter the archive user the password belongs to."),
                                 self.user)
        changed = (url, user) != (self.initial[ARCHIVE_URL_KEY], self.initial[ARCHIVE_USER_KEY])
        if url and user and changed and not self.password.text() \
                and not self._stored_password(url, user):
            raise InvalidSetting(self.tr("Enter the password for this user and address: none "
                                         "is stored in the OS keyring."), self.password)
        return {ARCHIVE_URL_KEY: url, ARCHIVE_USER_KEY: user, ARCHIVE_CA_KEY: ca}

    def new_password(self) -> tuple[str, str, str] | None:
        """``(url, user, password)`` to put in the keyring, if one was typed."""
        if not self.password.text():
            return None
        return self.url.text().strip().rstrip("/"), self.user.text().strip(), self.password.text()

    def _config(self, url: str, user: str, password: str, ca: str):
        from archive.credentials import ArchiveConfig
        from archive.errors import ArchiveConfigError

        if ca and not Path(ca).is_file():
            raise InvalidSetting(self.tr("The CA bundle file does not exist."), self.ca_bundle)
        try:
            return ArchiveConfig(url=url, user=user, password=password, verify=ca or True)
        except ArchiveConfigError as err:
            raise InvalidSetting(error_text(err), self.url) from err

    @staticmethod
    def _stored_password(url: str, user: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        from archive.credentials import KEYRING_SERVICE

        try:
            return keyring.get_password(KEYRING_SERVICE, f"{user}@{url.rstrip('/')}")
        except KeyringError:
            return None

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA bundle"), "", self.tr("Certificates (*.pem *.crt *.cer);;All (*)"))
        if path:
            self.ca_bundle.setText(path)

    def test_connection(self):
        """Ask the archive for one study with the entered values, off the UI thread."""
        from app.tasks import Task
        from archive.dicomweb import DicomWebClient

        url = self.url.text().strip().rstrip("/")
        user = self.user.text().strip()
        try:
            if not url:
                raise InvalidSetting(self.tr("Enter the archive address first."), self.url)
            password = self.password.text() or (self._stored_password(url, user) if user else "")
            config = self._config(url, user, password or "", self.ca_bundle.text().strip())
        except InvalidSetting as err:
            self.test_result.setText(str(err))
            return None

        def work(progress, cancel) -> int:
            return len(DicomWebClient(config).search_studies({"limit": "1"}))

        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        task = Task(work, "archive connection test")
        task.succeeded.connect(lambda _n: self._tested(self.tr("Connected: the archive answered.")))
        task.failed.connect(lambda message: self._tested(self.tr("Failed: %1")
                                                         .replace("%1", message)))
        self._test_task = task
        return task.start()

    def _tested(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(message)
        self._test_task = None


# -- Speech -----------------------------------------------------------------------------------
class SpeechPage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        from dictation.engines import DEFAULT_ENGINE, ENGINE_SETTING, available_engines
        from dictation.engines.vosk_engine import MODEL_SETTING

        self.engine_key, self.model_key = ENGINE_SETTING, MODEL_SETTING
        self.engines = available_engines()
        self.initial = {
            ENGINE_SETTING: settings.get(ENGINE_SETTING) or DEFAULT_ENGINE,
            DICTATION_LANGUAGE_KEY: settings.get(DICTATION_LANGUAGE_KEY, "en"),
            DICTATION_DEVICE_KEY: settings.get(DICTATION_DEVICE_KEY),
            **{f"{MODEL_SETTING}.{lang}": settings.get(f"{MODEL_SETTING}.{lang}", "") or ""
               for lang, _ in LANGUAGES},
        }
        self.engine = _combo([(name, spec.title) for name, spec in self.engines.items()],
                             self.initial[ENGINE_SETTING])
        self.language = _combo(list(LANGUAGES), self.initial[DICTATION_LANGUAGE_KEY])
        self.microphone = QComboBox()
        self.microphone_note = QLabel()
        self.microphone_note.setWordWrap(True)
        self._fill_microphones(self.initial[DICTATION_DEVICE_KEY])
        form = QFormLayout(self)
        form.addRow(self.tr("Speech &engine:"), self.engine)
        form.addRow(self.tr("Dictation &language:"), self.language)
        form.addRow(self.tr("&Microphone:"), self.microphone)
        form.addRow(self.microphone_note)
        self.model_dirs: dict[str, QLineEdit] = {}
        for lang, name in LANGUAGES:
            edit = QLineEdit(self.initial[f"{MODEL_SETTING}.{lang}"])
            edit.setPlaceholderText(self.tr("the installed model"))
            browse = QPushButton(self.tr("Browse…"))
            browse.clicked.connect(lambda _=False, e=edit: self._choose_model(e))
            self.model_dirs[lang] = edit
            form.addRow(self.tr("Vosk model folder (%1):").replace("%1", name),
                        _folder_row(edit, browse))

    def title(self) -> str:
        return self.tr("Speech")

    def _fill_microphones(self, current: str | None) -> None:
        from dictation.audio import input_devices
        from dictation.errors import AudioDeviceError

        self.microphone.addItem(self.tr("System default"), None)
        try:
            devices = input_devices()
        except AudioDeviceError as err:
            devices = []
            self.microphone_note.setText(error_text(err))
        for device in devices:
            self.microphone.addItem(device.name, device.name)  # names survive re-plugging
        if current and self.microphone.findData(current) < 0:
            self.microphone.addItem(self.tr("%1 (not connected)").replace("%1", current), current)
        self.microphone.setCurrentIndex(max(self.microphone.findData(current), 0))

    def _choose_model(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Vosk model folder"))
        if folder:
            edit.setText(folder)

    def values(self) -> dict[str, Any]:
        from dictation.models import model_problems

        engine, lang = self.engine.currentData(), self.language.currentData()
        spec = self.engines.get(engine)
        if spec is not None and "*" not in spec.languages and lang not in spec.languages:
            raise InvalidSetting(self.tr("%1 cannot recognise this language; choose another "
                                         "engine (Vosk) or language.").replace("%1", spec.title),
                                 self.engine)
        out = {self.engine_key: engine, DICTATION_LANGUAGE_KEY: lang,
               DICTATION_DEVICE_KEY: self.microphone.currentData()}
        for code, edit in self.model_dirs.items():
            folder = edit.text().strip()
            problems = model_problems(Path(folder)) if folder else []
            if problems:
                raise InvalidSetting(self.tr("Not a Vosk model folder: %1")
                                     .replace("%1", "; ".join(problems)), edit)
            out[f"{self.model_key}.{code}"] = folder
        return out


# -- Voice controller -------------------------------------------------------------------------
class ControllerPage(Page):
    """Dictation microphone and foot pedal buttons, and keyboard keys -> dictation actions.

    Stored under ``dictation.controller.mapping`` as the differences from the shipped defaults,
    which :meth:`ControllerMapping.from_settings` lays over them."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        from dictation.controller import ACTIONS, RECORD_MODES, ControllerMapping, device_profiles
        from dictation.errors import DictationError

        self.actions = ACTIONS
        self.defaults = ControllerMapping.defaults()
        try:
            current = ControllerMapping.from_settings(settings.get(CONTROLLER_KEY))
        except DictationError:
            current = self.defaults  # a damaged mapping: show the defaults, save over it
        self.mode = _combo([(m, self._mode_title(m)) for m in RECORD_MODES], current.record_mode)
        devices: dict[str, list[str]] = {}
        for profile in device_profiles().values():
            for button in profile.buttons:
                devices.setdefault(button, []).append(profile.title)

        self.buttons = QTableWidget(len(devices), 3)
        self.buttons.setHorizontalHeaderLabels([self.tr("Button"), self.tr("Devices"),
                                                self.tr("Action")])
        for row, button in enumerate(sorted(devices)):
            self.buttons.setItem(row, 0, _read_only(button))
            self.buttons.setItem(row, 1, _read_only(", ".join(devices[button])))
            self.buttons.setCellWidget(row, 2, self._action_combo(
                current.buttons.get(button), can_clear=button not in self.defaults.buttons))
        self.keys = QTableWidget(0, 2)
        self.keys.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Action")])
        self.keys.setItemDelegateForColumn(0, KeySequenceDelegate(self.keys))
        for key, action in current.keys.items():
            self._add_key_row(key, action)
        add_key = QPushButton(self.tr("&Add key"))
        add_key.clicked.connect(lambda: self._add_key_row("", self.actions[0], edit=True))
        self.remove_key = QPushButton(self.tr("&Remove key"))
        self.remove_key.clicked.connect(self._remove_key_row)
        for table in (self.buttons, self.keys):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move on

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("&Record button:"), self.mode)
        layout.addLayout(form)
        buttons_label = QLabel(self.tr("Device &buttons:"))
        buttons_label.setBuddy(self.buttons)
        layout.addWidget(buttons_label)
        layout.addWidget(self.buttons, 2)
        keys_label = QLabel(self.tr("&Keyboard keys (select a key cell and press F2 to record):"))
        keys_label.setBuddy(self.keys)
        layout.addWidget(keys_label)
        layout.addWidget(self.keys, 1)
        row = QHBoxLayout()
        row.addWidget(add_key)
        row.addWidget(self.remove_key)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_hint(self.tr("Shipped keys and buttons can be given another action "
                                       "but not removed.")))
        self.initial = {CONTROLLER_KEY: self._mapping_value(current)}

    def title(self) -> str:
        return self.tr("Voice controller")

    def _mode_title(self, mode: str) -> str:
        return {"push_to_talk": self.tr("Push to talk (record while held)"),
                "toggle": self.tr("Toggle (press to start, press to stop)")}.get(mode, mode)

    def action_title(self, action: str) -> str:
        return {
            "record": self.tr("Record"), "next_field": self.tr("Next field"),
            "previous_field": self.tr("Previous field"), "play": self.tr("Play"),
            "rewind": self.tr("Rewind"), "fast_forward": self.tr("Fast forward"),
            "insert_template": self.tr("Insert template"),
            "accept_ai_values": self.tr("Accept AI values"), "sign_report": self.tr("Sign report"),
            "stop_dictation": self.tr("Stop dictation"),
        }.get(action, action.replace("_", " "))

    def _action_combo(self, current: str | None, can_clear: bool = False) -> QComboBox:
        items = [(None, self.tr("(nothing)"))] if can_clear or not current else []
        return _combo(items + [(a, self.action_title(a)) for a in self.actions], current)

    def _add_key_row(self, key: str, action: str, edit: bool = False) -> None:
        row = self.keys.rowCount()
        self.keys.insertRow(row)
        item = QTableWidgetItem(native(key))
        item.setData(Qt.ItemDataRole.UserRole, portable(key))
        if key in self.defaults.keys:  # defaults come back if removed: keep them fixed
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.keys.setItem(row, 0, item)
        self.keys.setCellWidget(row, 1, self._action_combo(action))
        if edit:
            self.keys.setCurrentCell(row, 0)
            self.keys.editItem(item)

    def _remove_key_row(self) -> None:
        row = self.keys.currentRow()
        if row < 0:
            return
        key = self.keys.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if key in self.defaults.keys:
            return
        self.keys.removeRow(row)

    def key_bindings(self) -> dict[str, str]:
        """Keyboard key (portable text) -> action, as entered."""
        out: dict[str, str] = {}
        for row in range(self.keys.rowCount()):
            key = self.keys.item(row, 0).data(Qt.ItemDataRole.UserRole) or ""
            if not key:
                continue
            if key in out:
                raise InvalidSetting(self.tr("The key %1 is listed twice; give it one action.")
                                     .replace("%1", native(key)), self.keys)
            out[key] = self.keys.cellWidget(row, 1).currentData()
        return out

    def values(self) -> dict[str, Any]:
        from dictation.controller import ControllerMapping
        from dictation.errors import DictationError

        buttons = {}
        for row in range(self.buttons.rowCount()):
            action = self.buttons.cellWidget(row, 2).currentData()
            if action:
                buttons[self.buttons.item(row, 0).text()] = action
        mapping = ControllerMapping(buttons, self.key_bindings(), self.mode.currentData())
        try:
            mapping.validate()
        except DictationError as err:
            raise InvalidSetting(error_text(err), self.mode) from err
        return {CONTROLLER_KEY: self._mapping_value(mapping)}

    def _mapping_value(self, mapping) -> dict:
        """Only what differs from the defaults, so later default changes still reach users."""
        return {
            "buttons": {b: a for b, a in mapping.buttons.items()
                        if self.defaults.buttons.get(b) != a},
            "keys": {k: a for k, a in mapping.keys.items() if self.defaults.keys.get(k) != a},
            "record_mode": mapping.record_mode,
        }


# -- Viewer -----------------------------------------------------------------------------------
class ViewerPage(Page):
    """Window presets (name, centre, width, key) and the layout/preset of each hanging protocol."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        from viewer.hanging import SETTINGS_KEY as HANGING_KEY
        from viewer.hanging import load_protocols
        from viewer.layouts import LAYOUTS
        from viewer.presets import SETTINGS_KEY as PRESETS_KEY
        from viewer.presets import load_presets

        self.presets_key, self.hanging_key = PRESETS_KEY, HANGING_KEY
        self.layouts = list(LAYOUTS)
        presets = load_presets(settings)
        self.protocols = load_protocols(settings)
        self.initial = {PRESETS_KEY: [asdict(p) for p in presets],
                        HANGING_KEY: [asdict(p) for p in self.protocols]}

        self.presets = QTableWidget(0, 4)
        self.presets.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Centre (HU)"),
                                                self.tr("Width (HU)"), self.tr("Key")])
        for p in presets:
            self._add_preset_row(p.name, _number(p.center), _number(p.width), p.key)
        add = QPushButton(self.tr("&Add preset"))
        add.clicked.connect(self.add_preset)
        remove = QPushButton(self.tr("&Remove preset"))
        remove.clicked.connect(self.remove_preset)

        self.hanging = QTableWidget(len(self.protocols), 3)
        self.hanging.setHorizontalHeaderLabels([self.tr("Hanging protocol"), self.tr("Layout"),
                                                self.tr("Window preset")])
        for row, protocol in enumerate(self.protocols):
            item = _read_only(protocol.name)
            item.setToolTip(protocol.description)
            self.hanging.setItem(row, 0, item)
            self.hanging.setCellWidget(row, 1, _combo([(n, n) for n in self.layouts],
                                                      protocol.layout))
            preset = QComboBox()
            preset.setEditable(True)  # names come from the preset table, checked on OK
            preset.addItems([p.name for p in presets])
            preset.setCurrentText(protocol.preset)
            self.hanging.setCellWidget(row, 2, preset)
        for table in (self.presets, self.hanging):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setTabKeyNavigation(False)

        layout = QVBoxLayout(self)
        presets_label = QLabel(self.tr("&Window presets:"))
        presets_label.setBuddy(self.presets)
        layout.addWidget(presets_label)
        layout.addWidget(self.presets, 2)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        hanging_label = QLabel(self.tr("&Hanging protocols (first match wins):"))
        hanging_label.setBuddy(self.hanging)
        layout.addWidget(hanging_label)
        layout.addWidget(self.hanging, 1)
        layout.addWidget(_hint(self.tr("Changes to presets and protocols apply to the next study "
                                       "opened; new preset menu entries after a restart.")))

    def title(self) -> str:
        return self.tr("Viewer")

    def _add_preset_row(self, name: str, center: str, width: str, key: str) -> int:
        row = self.presets.rowCount()
        self.presets.insertRow(row)
        for column, text in enumerate((name, center, width, key)):
            self.presets.setItem(row, column, QTableWidgetItem(text))
        return row

    def add_preset(self) -> None:
        row = self._add_preset_row("", "40", "400", "")
        self.presets.setCurrentCell(row, 0)
        self.presets.setFocus()
        self.presets.editItem(self.presets.item(row, 0))

    def remove_preset(self) -> None:
        row = self.presets.currentRow()
        if row >= 0:
            self.presets.removeRow(row)

    def _preset_rows(self) -> list[dict]:
        out, names, keys = [], set(), set()
        for row in range(self.presets.rowCount()):
            name, center, width, key = (
                (self.presets.item(row, c).text() if self.presets.item(row, c) else "").strip()
                for c in range(4))
            where = self.tr("Window preset %1: ").replace("%1", str(row + 1))
            if not name:
                raise InvalidSetting(where + self.tr("enter a name."), self.presets)
            if name in names:
                raise InvalidSetting(where + self.tr("the name %1 is used twice.")
                                     .replace("%1", name), self.presets)
            try:
                c, w = float(center.replace(",", ".")), float(width.replace(",", "."))
            except ValueError:
                raise InvalidSetting(where + self.tr("centre and width must be numbers (HU)."),
                                     self.presets) from None
            if not 0 < w <= 10_000 or not -2_000 <= c <= 5_000:
                raise InvalidSetting(where + self.tr("the width must be 1..10000 HU and the "
                                                     "centre -2000..5000 HU."), self.presets)
            if key and (len(key) != 1 or not key.isalnum() or key.lower() == "c"):
                raise InvalidSetting(where + self.tr("the key must be one letter or digit (C "
                                                     "is taken by cine)."), self.presets)
            if key and key in keys:
                raise InvalidSetting(where + self.tr("the key %1 is used twice.")
                                     .replace("%1", key), self.presets)
            names.add(name)
            if key:
                keys.add(key)
            out.append({"name": name, "center": c, "width": w, "key": key})
        if not out:
            raise InvalidSetting(self.tr("Keep at least one window preset."), self.presets)
        return out

    def preset_keys(self) -> dict[str, str]:
        """Key -> preset name, as entered (validated by :meth:`values`)."""
        return {p["key"]: p["name"] for p in self._preset_rows() if p["key"]}

    def values(self) -> dict[str, Any]:
        presets = self._preset_rows()
        names = {p["name"] for p in presets}
        hanging = []
        for row, protocol in enumerate(self.protocols):
            preset = self.hanging.cellWidget(row, 2).currentText().strip()
            if preset not in names:
                raise InvalidSetting(self.tr("Hanging protocol %1 uses the window preset %2, "
                                             "which is not in the preset table.")
                                     .replace("%1", protocol.name).replace("%2", preset),
                                     self.hanging)
            item = asdict(protocol)
            item.update(layout=self.hanging.cellWidget(row, 1).currentData(), preset=preset)
            hanging.append(item)
        return {self.presets_key: presets, self.hanging_key: hanging}


def _number(value: float) -> str:
    return f"{value:g}"


def _read_only(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


# -- Hotkeys ----------------------------------------------------------------------------------
class KeySequenceDelegate(QStyledItemDelegate):
    """Edits a cell with a :class:`QKeySequenceEdit` (one key combination); the cell keeps the
    portable text in ``UserRole`` and shows the native text."""

    def createEditor(self, parent, option, index):
        editor = QKeySequenceEdit(parent)
        editor.setMaximumSequenceLength(1)
        editor.setClearButtonEnabled(True)
        editor.editingFinished.connect(lambda: self._finish(editor))
        return editor

    def _finish(self, editor: QKeySequenceEdit) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index) -> None:
        editor.setKeySequence(QKeySequence(index.data(Qt.ItemDataRole.UserRole) or ""))

    def setModelData(self, editor, model, index) -> None:
        text = portable(editor.keySequence())
        model.setData(index, text, Qt.ItemDataRole.UserRole)
        model.setData(index, native(text), Qt.ItemDataRole.DisplayRole)


class HotkeysPage(Page):
    """The main window's actions and their shortcuts (``app.shortcuts``: id -> sequence)."""

    def __init__(self, settings: Settings, actions: Mapping[str, QAction]) -> None:
        super().__init__(settings)
        self.actions = dict(actions)
        stored = dict(settings.get(SHORTCUTS_KEY) or {})
        self.initial = {SHORTCUTS_KEY: stored}
        self.table = QTableWidget(len(self.actions), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        self.table.setItemDelegateForColumn(1, KeySequenceDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rows: dict[str, int] = {}
        for row, (action_id, action) in enumerate(self.actions.items()):
            name = _read_only(action.text().replace("&", ""))
            name.setData(Qt.ItemDataRole.UserRole, action_id)
            self.table.setItem(row, 0, name)
            sequence = portable(action.shortcut())
            shortcut = QTableWidgetItem(native(sequence))
            shortcut.setData(Qt.ItemDataRole.UserRole, sequence)
            self.table.setItem(row, 1, shortcut)
            self.rows[action_id] = row
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("&Shortcuts:"))
        label.setBuddy(self.table)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addWidget(_hint(self.tr("Select a shortcut and press F2 (or double-click) to "
                                       "record a new one; Delete clears it.")))

    def title(self) -> str:
        return self.tr("Hotkeys")

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.table.currentColumn() == 1):
            self.set_shortcut(self.table.item(self.table.currentRow(), 0)
                              .data(Qt.ItemDataRole.UserRole), "")
            return True
        return False

    def set_shortcut(self, action_id: str, sequence: str) -> None:
        item = self.table.item(self.rows[action_id], 1)
        item.setData(Qt.ItemDataRole.UserRole, portable(sequence))
        item.setText(native(sequence))

    def shortcuts(self) -> dict[str, str]:
        """Action id -> key sequence (portable text, "" for none), as shown in the table."""
        return {action_id: self.table.item(row, 1).data(Qt.ItemDataRole.UserRole) or ""
                for action_id, row in self.rows.items()}

    def values(self) -> dict[str, Any]:
        shortcuts = self.shortcuts()
        seen: dict[str, str] = {}
        for action_id, sequence in shortcuts.items():
            if not sequence:
                continue
            if sequence in seen:
                raise InvalidSetting(
                    self.tr("%1 is the shortcut of both “%2” and “%3”; give one of them "
                            "another key.").replace("%1", native(sequence))
                    .replace("%2", self.action_title(seen[sequence]))
                    .replace("%3", self.action_title(action_id)), self.table)
            seen[sequence] = action_id
        stored = dict(self.initial[SHORTCUTS_KEY])
        for action_id, sequence in shortcuts.items():
            if sequence != portable(self.actions[action_id].shortcut()):
                stored[action_id] = sequence
        return {SHORTCUTS_KEY: stored}

    def action_title(self, action_id: str) -> str:
        return self.actions[action_id].text().replace("&", "")

    def apply(self) -> None:
        """Give the live actions their new shortcuts."""
        for action_id, sequence in self.shortcuts().items():
            self.actions[action_id].setShortcut(QKeySequence(sequence))


# -- General ----------------------------------------------------------------------------------
class GeneralPage(Page):
    def __init__(self, settings: Settings, reader: str = "") -> None:
        super().__init__(settings)
        self.reader = reader
        self.initial = {
            UI_LANGUAGE_KEY: settings.get(UI_LANGUAGE_KEY) or ui_language(settings),
            REPORT_LANGUAGE_KEY: settings.get(REPORT_LANGUAGE_KEY, "ru"),
            AI_AUTORUN_KEY: bool(settings.get(AI_AUTORUN_KEY, True)),
            AUTOLOCK_KEY: _minutes(settings.get(AUTOLOCK_KEY, DEFAULT_MINUTES)),
        }
        self.ui_language = _combo(list(LANGUAGES), self.initial[UI_LANGUAGE_KEY])
        self.report_language = _combo([("ru", "Русский"), ("en", "English")],
                                      self.initial[REPORT_LANGUAGE_KEY])
        self.ai_autorun = QCheckBox(self.tr("Run the AI &pre-read when a study opens"))
        self.ai_autorun.setChecked(self.initial[AI_AUTORUN_KEY])
        self.autolock = QSpinBox()
        self.autolock.setRange(0, 240)
        self.autolock.setSuffix(self.tr(" min"))
        self.autolock.setSpecialValueText(self.tr("never"))
        self.autolock.setValue(self.initial[AUTOLOCK_KEY])
        form = QFormLayout(self)
        form.addRow(self.tr("&Interface language:"), self.ui_language)
        form.addRow(_hint(self.tr("The interface language applies the next time Luch starts.")))
        form.addRow(self.tr("&Report language:"), self.report_language)
        form.addRow(self.ai_autorun)
        form.addRow(self.tr("&Lock the screen after idle:"), self.autolock)
        form.addRow(_hint(self.tr("The lock hides patient data when nobody has used the "
                                  "keyboard or mouse for this long (0 = never).")))
        self.pin_new, self.pin_repeat = QLineEdit(), QLineEdit()
        for field in (self.pin_new, self.pin_repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_new.setPlaceholderText(self.tr("unchanged"))
        self.pin_remove = QCheckBox(self.tr("Re&move my unlock PIN"))
        form.addRow(self.tr("New unlock PI&N:"), self.pin_new)
        form.addRow(self.tr("Repea&t the PIN:"), self.pin_repeat)
        form.addRow(self.pin_remove)
        form.addRow(_hint(self.tr("The PIN unlocks the lock screen. It is kept as a salted "
                                  "hash in the OS keyring, never in a file.")))

    def title(self) -> str:
        return self.tr("General")

    def pin_change(self) -> tuple[str | None] | None:
        """``(pin,)`` to set, ``(None,)`` to remove, or None for no change (validated)."""
        pin = self.pin_new.text()
        if pin or self.pin_repeat.text():
            if len(pin) < unlock_pin.MIN_LENGTH or not pin.strip():
                raise InvalidSetting(self.tr("The PIN needs at least %1 characters.")
                                     .replace("%1", str(unlock_pin.MIN_LENGTH)), self.pin_new)
            if pin != self.pin_repeat.text():
                raise InvalidSetting(self.tr("The two PINs differ."), self.pin_repeat)
            return (pin,)
        return (None,) if self.pin_remove.isChecked() else None

    def changes(self) -> dict[str, Any]:
        self.pin_change()  # validate with the rest; the PIN itself goes to the keyring
        return super().changes()

    def values(self) -> dict[str, Any]:
        return {UI_LANGUAGE_KEY: self.ui_language.currentData(),
                REPORT_LANGUAGE_KEY: self.report_language.currentData(),
                AI_AUTORUN_KEY: self.ai_autorun.isChecked(),
                AUTOLOCK_KEY: self.autolock.value()}


def _minutes(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES


# -- The dialog -------------------------------------------------------------------------------
class SettingsDialog(QDialog):
    """All user settings in tabs. ``saved`` carries the keys written when OK was accepted."""

    saved = Signal(list)

    def __init__(self, settings: Settings, actions: Mapping[str, QAction] | None = None,
                 parent: QWidget | None = None, reader: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.archive = ArchivePage(settings)
        self.speech = SpeechPage(settings)
        self.controller = ControllerPage(settings)
        self.viewer = ViewerPage(settings)
        self.hotkeys = HotkeysPage(settings, actions or {})
        if reader is None:
            import getpass

            reader = getpass.getuser()
        self.general = GeneralPage(settings, reader)
        self.pages: list[Page] = [self.general, self.archive, self.speech, self.controller,
                                  self.viewer, self.hotkeys]
        self.tabs = QTabWidget()
        for page in self.pages:
            self.tabs.addTab(page, page.title())
        self.error = QLabel()
        self.error.setObjectName("settings-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def show_error(self, message: str, page: QWidget | None = None,
                   field: QWidget | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if page is not None:
            self.tabs.setCurrentWidget(page)
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def collect(self) -> dict[str, Any]:
        """The changed values of every page, validated; :class:`InvalidSetting` otherwise."""
        changes: dict[str, Any] = {}
        for page in self.pages:
            try:
                changes.update(page.changes())
            except InvalidSetting as err:
                err.page = page
                raise
        self._check_key_conflicts()
        return changes

    def _check_key_conflicts(self) -> None:
        """A keyboard key may not both trigger a menu action and a dictation action."""
        voice = self.controller.key_bindings()
        presets = {k.upper(): name for k, name in self.viewer.preset_keys().items()}
        for action_id, sequence in self.hotkeys.shortcuts().items():
            title = self.hotkeys.action_title(action_id)
            if sequence and sequence in voice:
                message = self.tr("%1 is the shortcut of “%2” and also a voice controller key; "
                                  "give one of them another key.")
            elif sequence.upper() in presets:
                message = self.tr("%1 is the shortcut of “%2” and also the key of the window "
                                  "preset %3; give one of them another key.")
                message = message.replace("%3", presets[sequence.upper()])
            else:
                continue
            err = InvalidSetting(message.replace("%1", native(sequence)).replace("%2", title),
                                 self.hotkeys.table)
            err.page = self.hotkeys
            raise err

    def accept(self) -> None:
        from keyring.errors import KeyringError

        from archive.credentials import save_password

        try:
            changes = self.collect()
        except InvalidSetting as err:
            self.show_error(str(err), err.page, err.field)
            return
        secret = self.archive.new_password()
        if secret is not None:
            try:
                save_password(*secret)
            except KeyringError as err:
                self.show_error(self.tr("The OS keyring could not keep the archive password "
                                        "(%1); nothing was saved.")
                                .replace("%1", type(err).__name__), self.archive,
                                self.archive.password)
                return
        pin = self.general.pin_change()
        if pin is not None:
            try:
                unlock_pin.save_pin(self.general.reader, pin[0])
            except unlock_pin.PinError:
                self.show_error(self.tr("The OS keyring could not keep the PIN; the "
                                        "settings were not saved."), self.general,
                                self.general.pin_new)
                return
        for key, value in changes.items():
            self._write(key, value)
        self.hotkeys.apply()
        self.error.hide()
        self.saved.emit(sorted(changes))
        super().accept()

    def _write(self, key: str, value: Any) -> None:
        from viewer.presets import SETTINGS_KEY as PRESETS_KEY
        from viewer.presets import WindowPreset, save_presets

        if key == PRESETS_KEY:
            save_presets(self.settings, [WindowPreset(**p) for p in value])
        else:
            self.settings.set(key, value)


# -- Wiring -----------------------------------------------------------------------------------
def install_settings_action(window, idle_lock=None, on_saved=None) -> QAction:
    """Add *File > Settings…* (Ctrl+,) to a :class:`~app.main_window.MainWindow`; what can take
    effect at once after OK does (window presets, the idle lock's timeout, shortcuts), and
    ``on_saved(keys)`` is called for the rest (e.g. a new archive address)."""
    from app.lock import add_before_quit

    text = QCoreApplication.translate("SettingsDialog", "&Settings…")
    return add_before_quit(window, "settings", text,
                           lambda: open_settings(window, idle_lock, on_saved), "Ctrl+,")


def open_settings(window, idle_lock=None, on_saved=None) -> SettingsDialog:
    """Show the dialog (window-modal, not blocking) and apply what it saves."""
    dialog = SettingsDialog(window.settings, window.actions, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(lambda keys: apply_saved(window, keys, idle_lock))
    if on_saved is not None:
        dialog.saved.connect(on_saved)
    dialog.open()
    return dialog


def apply_saved(window, keys: list[str], idle_lock=None) -> None:
    from viewer.presets import SETTINGS_KEY as PRESETS_KEY
    from viewer.presets import load_presets

    if PRESETS_KEY in keys:
        window.presets = load_presets(window.settings)
        for view in window.reading.views:
            view.presets = window.presets
    if idle_lock is not None and AUTOLOCK_KEY in keys:
        idle_lock.set_minutes(_minutes(window.settings.get(AUTOLOCK_KEY, DEFAULT_MINUTES)))
