"""The Settings dialog: archive, speech, voice controller, viewer, hotkeys and general options.

Each tab is a page that reads its keys from :class:`core.settings.Settings` and, on OK, returns
validated values. Nothing is written until every page validates; a problem is shown in the
dialog, on its tab, and the dialog stays open. Only values that changed are written. The archive
password goes to the OS keyring (:func:`archive.credentials.save_password`), never to settings.
"""

from app.settings_dialog.base import (
    AI_AUTORUN_KEY,
    ARCHIVE_CA_KEY,
    ARCHIVE_URL_KEY,
    ARCHIVE_USER_KEY,
    CONTROLLER_KEY,
    DICTATION_DEVICE_KEY,
    DICTATION_LANGUAGE_KEY,
    LANGUAGES,
    REPORT_LANGUAGE_KEY,
    InvalidSetting,
    Page,
    native,
    portable,
)
from app.settings_dialog.dialog import (
    SettingsDialog,
    apply_saved,
    install_settings_action,
    open_settings,
)

__all__ = [
    "AI_AUTORUN_KEY", "ARCHIVE_CA_KEY", "ARCHIVE_URL_KEY", "ARCHIVE_USER_KEY", "CONTROLLER_KEY",
    "DICTATION_DEVICE_KEY", "DICTATION_LANGUAGE_KEY", "LANGUAGES", "REPORT_LANGUAGE_KEY",
    "InvalidSetting", "Page", "SettingsDialog", "apply_saved", "install_settings_action",
    "native", "open_settings", "portable",
]
