"""The General tab: languages, AI autorun and unsent copies, idle lock and the unlock PIN."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
)

from app.settings_dialog.base import (
    AI_AUTORUN_KEY,
    AI_BACKGROUND_KEY,
    LANGUAGES,
    REPORT_LANGUAGE_KEY,
    InvalidSetting,
    Page,
    _combo,
    _hint,
)
from app.settings_dialog.model_row import add_model_row
from app.shell.i18n import SETTINGS_KEY as UI_LANGUAGE_KEY
from app.shell.i18n import ui_language
from app.shell.lock import SETTINGS_KEY as AUTOLOCK_KEY
from app.shell.lock import idle_minutes
from core import unlock_pin
from core.settings import Settings
from records.retention import MAX_DAYS, MIN_DAYS, UNSENT_KEEP_DAYS_KEY, unsent_keep_days


class GeneralPage(Page):
    def __init__(self, settings: Settings, reader: str = "") -> None:
        super().__init__(settings)
        self.reader = reader
        self.initial = {
            UI_LANGUAGE_KEY: settings.get(UI_LANGUAGE_KEY) or ui_language(settings),
            REPORT_LANGUAGE_KEY: settings.get(REPORT_LANGUAGE_KEY) or ui_language(settings),
            AI_AUTORUN_KEY: bool(settings.get(AI_AUTORUN_KEY, True)),
            AI_BACKGROUND_KEY: bool(settings.get(AI_BACKGROUND_KEY, True)),
            AUTOLOCK_KEY: int(idle_minutes(settings)),
            UNSENT_KEEP_DAYS_KEY: int(unsent_keep_days(settings)),
        }
        self.ui_language = _combo(list(LANGUAGES), self.initial[UI_LANGUAGE_KEY])
        self.report_language = _combo([("ru", "Русский"), ("en", "English")],
                                      self.initial[REPORT_LANGUAGE_KEY])
        self.ai_autorun = QCheckBox(self.tr("Run the AI &pre-read when a study opens"))
        self.ai_autorun.setChecked(self.initial[AI_AUTORUN_KEY])
        self.ai_background = QCheckBox(self.tr("Pre-read the prefetched studies in the "
                                               "&background"))
        self.ai_background.setChecked(self.initial[AI_BACKGROUND_KEY])
        self.ai_background.setToolTip(self.tr(
            "Studies fetched ahead of the reader are pre-read at low priority, and the result "
            "waits when one is opened; it pauses while you open and scroll a study."))
        self.unsent_days = QSpinBox()
        self.unsent_days.setRange(MIN_DAYS, MAX_DAYS)
        self.unsent_days.setValue(self.initial[UNSENT_KEEP_DAYS_KEY])
        self.unsent_days.setToolTip(self.tr(
            "The DICOM SEG and SR copies of a pre-read whose study has no report signed here "
            "are deleted after this many days; the result itself is kept."))
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
        form.addRow(self.ai_background)
        form.addRow(self.tr("Keep unsent AI &copies (days):"), self.unsent_days)
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
        self.model_row = add_model_row(form, reader)
        self.apply_policy(form, {UI_LANGUAGE_KEY: self.ui_language,
                                 REPORT_LANGUAGE_KEY: self.report_language,
                                 AI_AUTORUN_KEY: self.ai_autorun,
                                 AI_BACKGROUND_KEY: self.ai_background,
                                 UNSENT_KEEP_DAYS_KEY: self.unsent_days,
                                 AUTOLOCK_KEY: self.autolock})

    def title(self) -> str:
        return self.tr("General")

    def pin_change(self) -> tuple[str | None] | None:
        """``(pin,)`` to set, ``(None,)`` to remove, or None for no change (validated)."""
        pin = self.pin_new.text()
        if pin or self.pin_repeat.text():
            try:
                unlock_pin.check_new_pin(pin)  # the rule hash_pin applies
            except unlock_pin.PinError:
                raise InvalidSetting(self.tr("The PIN needs at least %1 characters.")
                                     .replace("%1", str(unlock_pin.MIN_LENGTH)),
                                     self.pin_new) from None
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
                AI_BACKGROUND_KEY: self.ai_background.isChecked(),
                UNSENT_KEEP_DAYS_KEY: self.unsent_days.value(),
                AUTOLOCK_KEY: self.autolock.value()}


