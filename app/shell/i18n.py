"""Interface language: English (source) or Russian, through Qt Linguist translations.

The language comes from ``LUCH_LANG``, else the ``ui.language`` setting, else the system
locale. Translations are ``resources/i18n/luch_<lang>.qm``, compiled from the ``.ts`` files
with ``pyside6-lrelease`` (``installer/update_translations.py`` refreshes both).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from core.paths import RESOURCES

I18N = RESOURCES / "i18n"
LANGUAGES = ("en", "ru")
SETTINGS_KEY = "ui.language"


def ui_language(settings=None) -> str:
    chosen = os.environ.get("LUCH_LANG") or (settings.get(SETTINGS_KEY) if settings else None)
    if chosen in LANGUAGES:
        return chosen
    return "ru" if QLocale.system().name().startswith("ru") else "en"


DICTATION_KEY, AS_REPORT = "dictation.language", "report"


def dictation_language(settings, writing: str | None = None) -> str:
    """The language dictated in: the ``dictation.language`` setting when one is chosen, else
    (and by default, ``"report"``) the report's language (``writing``: the one the report
    is written in now, an addendum's being the signed report's; else the setting's), else
    the interface's. A Russian reader writing a Russian report was given the English
    recogniser."""
    chosen = settings.get(DICTATION_KEY)
    if chosen and chosen != AS_REPORT:
        return chosen
    return writing or settings.get("report.language") or ui_language(settings)


def install_translator(app: QApplication, settings=None) -> str:
    """Load the translation for the chosen language into ``app``; returns the language."""
    lang = ui_language(settings)
    if lang != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translators = []
        # Qt's own strings (OK, Cancel, file dialogs), then Luch's.
        for folder, name in ((qt_dir, f"qtbase_{lang}.qm"), (str(I18N), f"luch_{lang}.qm")):
            try:  # read into memory: a file mapped by Qt and rewritten in place (an update
                data = (Path(folder) / name).read_bytes()  # while the app runs) left the
            except OSError:  # interface untranslated from then on
                continue
            translator = QTranslator(app)
            if translator.load(data, folder):
                app.installTranslator(translator)
                translators.append((translator, data))  # the bytes live as long as it
        app._luch_translators = translators  # keep them alive with the app
    return lang


def remove_translators(app: QApplication) -> None:
    for translator, _data in getattr(app, "_luch_translators", []):
        app.removeTranslator(translator)
    app._luch_translators = []


def translated(context: str, table: dict[str, str], key: str, default: str | None = None) -> str:
    """``table[key]`` (a source text marked with ``QT_TRANSLATE_NOOP(context, ...)``) in the
    interface language; ``default`` (else ``key`` itself) when the table does not name it."""
    text = table.get(key)
    if not text:
        return key if default is None else default
    return QCoreApplication.translate(context, text)
