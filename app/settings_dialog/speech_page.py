"""The Speech tab: engine, language, model folder and microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.settings_dialog.base import (
    DICTATION_DEVICE_KEY,
    DICTATION_LANGUAGE_KEY,
    LANGUAGES,
    InvalidSetting,
    Page,
    _combo,
    _folder_row,
)
from app.shell.error_text import error_text
from app.shell.i18n import AS_REPORT
from core.settings import Settings
from dictation.audio import input_devices
from dictation.engines import DEFAULT_ENGINE, ENGINE_SETTING, available_engines
from dictation.errors import AudioDeviceError


class SpeechPage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # deferred: loads when the dialog opens, not at start-up
        from dictation.engines.vosk_engine import MODEL_SETTING

        self.engine_key, self.model_key = ENGINE_SETTING, MODEL_SETTING
        self.engines = available_engines()
        self.initial = {
            ENGINE_SETTING: settings.get(ENGINE_SETTING) or DEFAULT_ENGINE,
            DICTATION_LANGUAGE_KEY: settings.get(DICTATION_LANGUAGE_KEY) or AS_REPORT,
            DICTATION_DEVICE_KEY: settings.get(DICTATION_DEVICE_KEY),
            **{f"{MODEL_SETTING}.{lang}": settings.get(f"{MODEL_SETTING}.{lang}", "") or ""
               for lang, _ in LANGUAGES},
        }
        self.engine = _combo([(name, spec.title) for name, spec in self.engines.items()],
                             self.initial[ENGINE_SETTING])
        self.language = _combo([(AS_REPORT, self.tr("as the report")), *LANGUAGES],
                               self.initial[DICTATION_LANGUAGE_KEY])
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
        fields: dict[str, QWidget] = {ENGINE_SETTING: self.engine,
                                      DICTATION_LANGUAGE_KEY: self.language,
                                      DICTATION_DEVICE_KEY: self.microphone}
        for lang, name in LANGUAGES:
            edit = QLineEdit(self.initial[f"{MODEL_SETTING}.{lang}"])
            edit.setPlaceholderText(self.tr("the installed model"))
            browse = QPushButton(self.tr("Browse…"))
            browse.clicked.connect(lambda _=False, e=edit: self._choose_model(e))
            self.model_dirs[lang] = edit
            fields[f"{MODEL_SETTING}.{lang}"] = _folder_row(edit, browse)
            form.addRow(self.tr("Vosk model folder (%1):").replace("%1", name),
                        fields[f"{MODEL_SETTING}.{lang}"])
        self._add_whisper_models(settings, form)
        fields.update({f"{self.whisper_key}.{lang}": combo
                       for lang, combo in self.whisper_models.items()})
        self.apply_policy(form, fields)

    def _add_whisper_models(self, settings: Settings, form: QFormLayout) -> None:
        """Per language, the Whisper model: the shipped one or one installed with
        ``luch speech-models install`` (English-only models only for English)."""
        # deferred: loads when the dialog opens, not at start-up
        from dictation.whisper_models import GPU_MODEL, MODEL_SETTING, WhisperModelManager

        self.whisper_key = MODEL_SETTING
        installed = WhisperModelManager().installed()
        self.whisper_models: dict[str, QComboBox] = {}
        for lang, name in LANGUAGES:
            current = settings.get(f"{MODEL_SETTING}.{lang}", "") or ""
            self.initial[f"{MODEL_SETTING}.{lang}"] = current
            choices = [("", self.tr("the shipped model"))]
            choices += [(m, m) for m, info in installed.items()
                        if lang == "en" or info.multilingual]
            if current and current not in dict(choices):
                choices.append((current, current))  # a folder set by hand stays as it is
            combo = _combo(choices, current)
            self.whisper_models[lang] = combo
            form.addRow(self.tr("Whisper model (%1):").replace("%1", name), combo)
        note = QLabel(self.tr("Bigger Whisper models are installed with “luch speech-models "
                              "install”; a station with a GPU should use %1.")
                      .replace("%1", GPU_MODEL))
        note.setWordWrap(True)
        form.addRow(note)

    def title(self) -> str:
        return self.tr("Speech")

    def _fill_microphones(self, current: str | None) -> None:
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
        # deferred: loads when the dialog opens, not at start-up
        from dictation.models import model_problems

        engine, lang = self.engine.currentData(), self.language.currentData()
        spec = self.engines.get(engine)
        # "as the report" is checked when dictation starts (a notice names the engine that
        # serves); a language chosen here must be one the engine recognises
        if spec is not None and "*" not in spec.languages and lang != AS_REPORT \
                and lang not in spec.languages:
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
        for code, combo in self.whisper_models.items():
            out[f"{self.whisper_key}.{code}"] = combo.currentData() or ""
        return out


