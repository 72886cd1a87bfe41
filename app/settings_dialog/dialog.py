"""The Settings dialog (tabs, validation, saving) and its wiring into the main window."""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from typing import Any

from keyring.errors import KeyringError
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.settings_dialog.archive_page import ArchivePage
from app.settings_dialog.base import (
    InvalidSetting,
    Page,
    native,
)
from app.settings_dialog.controller_page import ControllerPage
from app.settings_dialog.general_page import GeneralPage
from app.settings_dialog.hotkeys_page import HotkeysPage
from app.settings_dialog.referral_page import ReferralPage
from app.settings_dialog.speech_page import SpeechPage
from app.settings_dialog.viewer_page import ViewerPage
from app.shell.lock import SETTINGS_KEY as AUTOLOCK_KEY
from app.shell.lock import add_before_quit, idle_minutes
from archive.credentials import save_password
from core import unlock_pin
from core.settings import Settings
from viewer.presets import SETTINGS_KEY as PRESETS_KEY
from viewer.presets import WindowPreset, load_presets, save_presets


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
            reader = getpass.getuser()
        self.general = GeneralPage(settings, reader)
        self.referral = ReferralPage(settings)
        self.pages: list[Page] = [self.general, self.archive, self.speech, self.controller,
                                  self.viewer, self.hotkeys, self.referral]
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
            elif (sequence.upper() in presets
                  and action_id != f"preset-{presets[sequence.upper()]}"):  # not its own key
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
                if secret is not None:  # it stays in the keyring: say so
                    message = self.tr("The archive password was saved in the OS keyring, but "
                                      "the keyring could not keep the PIN: the PIN and the "
                                      "other settings were not saved.")
                else:
                    message = self.tr("The OS keyring could not keep the PIN; the settings "
                                      "were not saved.")
                self.show_error(message, self.general, self.general.pin_new)
                return
        for key, value in changes.items():
            self._write(key, value)
        self.hotkeys.apply()
        self.error.hide()
        self.saved.emit(sorted(changes))
        super().accept()

    def _write(self, key: str, value: Any) -> None:
        if key == PRESETS_KEY:
            save_presets(self.settings, [WindowPreset(**p) for p in value])
        else:
            self.settings.set(key, value)


# -- Wiring -----------------------------------------------------------------------------------
def install_settings_action(window, idle_lock=None, on_saved=None) -> QAction:
    """Add *File > Settings…* (Ctrl+,) to a :class:`~app.shell.main_window.MainWindow`; what
    can take effect at once after OK does (window presets, the idle lock's timeout, shortcuts), and
    ``on_saved(keys)`` is called for the rest (e.g. a new archive address)."""
    text = QCoreApplication.translate("SettingsDialog", "&Settings…")
    return add_before_quit(window, "settings", text,
                           lambda: open_settings(window, idle_lock, on_saved), "Ctrl+,")


def open_settings(window, idle_lock=None, on_saved=None) -> SettingsDialog:
    """Show the dialog (window-modal, not blocking) and apply what it saves."""
    reader = idle_lock.user if idle_lock is not None else None  # the PIN the lock asks for
    dialog = SettingsDialog(window.settings, window.actions, window, reader)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(lambda keys: apply_saved(window, keys, idle_lock))
    if on_saved is not None:
        dialog.saved.connect(on_saved)
    dialog.open()
    return dialog


def apply_saved(window, keys: list[str], idle_lock=None) -> None:
    if PRESETS_KEY in keys:
        window.presets = load_presets(window.settings)
        for view in window.reading.views:
            view.presets = window.presets
    if idle_lock is not None:
        idle_lock.refresh_pin()  # a PIN set or removed in the dialog (it is not a settings key)
        if AUTOLOCK_KEY in keys:
            idle_lock.set_minutes(idle_minutes(window.settings))
