"""The language dictated in follows the report's unless the reader chose one: a Russian
reader writing a Russian report was given the English recogniser (a Russian sentence came
out as "Cheer is near scarcal yet.")."""

from __future__ import annotations

import pytest

from app.commands.open import dictation_factory
from app.shell.i18n import dictation_language
from core.settings import Settings


@pytest.fixture
def settings(luch_home, monkeypatch) -> Settings:
    monkeypatch.setenv("LUCH_LANG", "ru")
    return Settings()


def test_by_default_the_report_language_then_the_interface_language(settings):
    assert dictation_language(settings) == "ru"  # nothing chosen: the Russian interface's
    settings.set("report.language", "en")
    assert dictation_language(settings) == "en"  # the report's
    settings.set("dictation.language", "report")
    assert dictation_language(settings) == "en"
    settings.set("dictation.language", "ru")
    assert dictation_language(settings) == "ru"  # chosen in the settings


def test_each_dictation_starts_in_the_report_language_of_that_moment(settings, monkeypatch):
    import dictation.options

    asked: list[str] = []

    def recogniser(lang):  # below the seam: which language the engine is opened for
        asked.append(lang)
        raise RuntimeError("stop here")

    monkeypatch.setattr(dictation.options, "open_recognizer", recogniser)
    factory = dictation_factory(settings)
    for report_lang in ("ru", "en"):
        settings.set("report.language", report_lang)
        with pytest.raises(RuntimeError):
            factory(lambda event: None)
    assert asked == ["ru", "en"]


def test_the_settings_page_offers_as_the_report_first_and_keeps_a_choice(qtbot, settings):
    from app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    combo = dialog.speech.language
    assert combo.currentData() == "report" and combo.itemData(0) == "report"
    assert [combo.itemData(i) for i in range(combo.count())] == ["report", "en", "ru"]


def test_a_russian_report_is_dictated_with_the_russian_recogniser(settings, shared_data):
    """The real engine the app builds (no fake): a Russian reader's Russian sentence comes out
    in Russian; with the English recogniser it came out as "Cheer is near scarcal yet."."""
    import numpy as np

    from dictation.transcribe import read_audio, recognize
    from dictation.wer import edit_distance
    from tests.plugins import ci_guard

    ci_guard.importorskip("faster_whisper", "faster-whisper")
    events: list = []
    session = dictation_factory(settings)(events.append)  # built, the microphone not opened
    assert not events, "no fallback notice: the Russian Whisper model is there"
    folder = shared_data / "speech" / "ru-voxforge"
    said = dict(line.split("\t") for line in
                (folder / "transcripts.tsv").read_text(encoding="utf-8").splitlines())
    audio = read_audio(folder / "ru_0032.wav")
    lead, trail = np.zeros(8000, np.int16), np.zeros(16000, np.int16)
    finals = recognize(session.recognizer, np.concatenate([lead, audio, trail]))
    words = " ".join(r.text for r in finals).lower().replace(",", "").replace(".", "").split()
    truth = said["ru_0032.wav"].split()
    assert edit_distance(truth, words) / len(truth) <= 0.3, words


def test_an_addendum_is_dictated_in_the_signed_report_s_language(settings, monkeypatch):
    """The report is written in the language it was signed in while an addendum is written
    (``ReportPanel.writing_lang``): the dictation follows it, unless one was chosen."""
    import dictation.options

    asked: list[str] = []

    def recogniser(lang):
        asked.append(lang)
        raise RuntimeError("stop here")

    monkeypatch.setattr(dictation.options, "open_recognizer", recogniser)
    settings.set("report.language", "en")
    factory = dictation_factory(settings)
    factory.writing = lambda: "ru"  # an addendum to a Russian report
    with pytest.raises(RuntimeError):
        factory(lambda event: None)
    settings.set("dictation.language", "en")  # chosen in the settings: that one
    with pytest.raises(RuntimeError):
        factory(lambda event: None)
    assert asked == ["ru", "en"]
