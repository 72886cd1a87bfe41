"""Capture and the no-drop queue; live audio through sounddevice from a PulseAudio pipe source."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from dictation.audio import AudioCapture, SpillQueue, input_devices, level_dbfs
from dictation.engines import create_recognizer
from dictation.errors import AudioDeviceError
from dictation.options import build_options
from dictation.recording import DictationRecording
from dictation.session import DictationSession
from dictation.synth import synthesize
from dictation.transcribe import read_audio
from dictation.transcript import DictationProcessor
from dictation.wer import word_error_rate


def test_spill_queue_keeps_every_chunk_in_order_when_the_reader_lags():
    q = SpillQueue(memory_limit=10_000)
    chunks = [bytes([i % 256]) * 1600 for i in range(200)]  # 320 kB, 32x the memory limit
    got: list[bytes] = []

    def slow_reader():
        while len(got) < len(chunks):
            chunk = q.get(timeout=5)
            assert chunk is not None
            got.append(chunk)
            if len(got) % 20 == 0:
                time.sleep(0.01)

    reader = threading.Thread(target=slow_reader)
    reader.start()
    for c in chunks:
        q.put(c)
    reader.join(30)
    assert got == chunks
    assert q.spilled_bytes > 0  # the disk path was used
    assert q.get(timeout=0.01) is None
    q.put(b"after")  # reusable after draining the spill file
    assert q.get(timeout=0.1) == b"after"
    q.close()


def test_spilled_audio_is_sealed_on_disk():
    """The temp file holds no sample of the voice in plain (the temp folder is outside
    LUCH_HOME): each chunk is sealed with a key kept in memory, and read back whole."""
    q = SpillQueue(memory_limit=100)
    voice = [bytes(range(256)) * 8 + bytes([n]) for n in range(20)]
    for chunk in voice:
        q.put(chunk)
    assert q.spilled_bytes > 0
    q._file.seek(0)
    on_disk = q._file.read()
    assert len(on_disk) > 0 and bytes(range(256)) not in on_disk
    assert [q.get(0.1) for _ in voice] == voice
    q.close()


def test_markers_keep_their_place_among_spilled_chunks():
    q = SpillQueue(memory_limit=4)
    q.put(b"ab")
    q.put_marker("record_start")
    q.put(b"cdef")  # spills
    q.put_marker("record_stop")
    q.put(b"gh")
    assert [q.get(0.1) for _ in range(5)] == [b"ab", "record_start", b"cdef", "record_stop", b"gh"]


def test_level_meter():
    assert level_dbfs(None) == -120.0
    full = (np.ones(800) * 32767).astype(np.int16).tobytes()
    assert level_dbfs(full) == pytest.approx(0.0, abs=0.01)
    half = (np.ones(800) * 16384).astype(np.int16).tobytes()
    assert level_dbfs(half) == pytest.approx(-6.02, abs=0.05)


def test_opening_a_missing_device_is_a_clear_error():
    capture = AudioCapture(SpillQueue(), device="no such microphone")
    with pytest.raises(AudioDeviceError, match="cannot open the microphone"):
        capture.start()


DIGITS_REF = "one zero zero zero one nine oh two one oh zero one eight zero three"


def test_device_list_shows_the_pulseaudio_microphone(pulse_mic):
    devices = input_devices()
    assert any(d.name == "pulse" for d in devices)
    assert sum(d.default for d in devices) <= 1


@pytest.mark.slow
def test_live_dictation_from_a_pulseaudio_microphone(pulse_mic, shared_data: Path, tmp_path):
    events = []
    session = DictationSession(
        create_recognizer("pocketsphinx"),
        DictationProcessor("en"),
        events.append,
        device=pulse_mic.device,
    )
    speech = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    session.start()
    pulse_mic.play(speech)
    pulse_mic.play(np.zeros(16000, np.int16))
    assert pulse_mic.wait_played(30)
    time.sleep(0.3)
    assert session.capture.level > -120.0 or session.capture.last_chunk is not None
    session.stop()
    hyp = " ".join(w.word for w in session.words)  # the finals that stand (early ones revised)
    assert word_error_rate(DIGITS_REF, hyp) <= 0.2, hyp
    assert events[-1].kind == "stopped"
    assert len(session.audio) >= 2 * len(speech)  # everything heard is kept
    saved = DictationRecording.load(session.recording().save(tmp_path / "dictation"))
    assert [w.word for w in saved.words] == hyp.split()
    assert len(saved.samples) == len(session.audio) // 2


@pytest.mark.slow
def test_microphone_lost_mid_dictation_reports_and_recovers(pulse_mic):
    events = []
    errors = threading.Event()

    def on_event(e):
        events.append(e)
        if e.kind == "error":
            errors.set()

    recognizer = create_recognizer("pocketsphinx", build_options("en", grammar="commands"))
    session = DictationSession(
        recognizer, DictationProcessor("en"), on_event, device=pulse_mic.device
    )
    session.start()
    time.sleep(0.5)
    pulse_mic.stop()  # the microphone stops delivering audio: unplugged
    assert errors.wait(10)
    err = next(e for e in events if e.kind == "error")
    assert isinstance(err.error, AudioDeviceError) and "unplugged" in err.text
    assert session.capture.lost

    pulse_mic.start()  # plugged back in
    session.capture.restart(pulse_mic.device)
    pulse_mic.play(np.zeros(8000, np.int16))
    pulse_mic.play(synthesize("next field"))
    pulse_mic.play(np.zeros(16000, np.int16))
    assert pulse_mic.wait_played(30)
    time.sleep(0.3)
    session.stop()
    assert [c.name for e in events if e.kind == "final" for c in e.commands] == ["next_field"]


@pytest.mark.slow
def test_push_to_talk_recognises_only_while_the_button_is_held(pulse_mic):
    events = []
    recognizer = create_recognizer("pocketsphinx", build_options("en", grammar="commands"))
    session = DictationSession(
        recognizer,
        DictationProcessor("en"),
        events.append,
        device=pulse_mic.device,
        hands_free=False,
    )
    silence = np.zeros(8000, np.int16)
    session.start()
    pulse_mic.play(np.concatenate([silence, synthesize("sign report"), silence]))
    assert pulse_mic.wait_played(30)  # spoken with the button up: ignored
    time.sleep(0.5)
    session.record_start()
    pulse_mic.play(np.concatenate([silence, synthesize("next field")]))
    assert pulse_mic.wait_played(30)
    time.sleep(0.4)  # the audio path's latency
    session.record_stop()  # released right after speaking: no trailing silence needed
    time.sleep(0.5)
    finals = [e for e in events if e.kind == "final"]
    assert [c.name for e in finals for c in e.commands] == ["next_field"]
    session.new_field()
    session.record_start()
    pulse_mic.play(np.concatenate([silence, synthesize("comma"), silence]))
    assert pulse_mic.wait_played(30)
    time.sleep(0.4)
    session.record_stop()
    session.stop()
    assert events[-1].kind == "stopped" and events[-1].text == ","  # the new field's text


class _LaggingRecognizer:
    """A real recogniser made slow, as on a busy machine (the seam: its accept call)."""

    def __init__(self, inner):
        self.inner = inner

    def accept(self, pcm):
        time.sleep(0.05)  # 2.5x slower than the 20 ms blocks arrive
        return self.inner.accept(pcm)

    def finish(self):
        return self.inner.finish()


@pytest.mark.slow
def test_a_lagging_recogniser_loses_no_audio(pulse_mic):
    events = []
    queue = SpillQueue(memory_limit=8000)  # 0.25 s in memory, the rest spills to disk
    recognizer = _LaggingRecognizer(
        create_recognizer("pocketsphinx", build_options("en", grammar="commands"))
    )
    session = DictationSession(
        recognizer, DictationProcessor("en"), events.append, device=pulse_mic.device, queue=queue
    )
    silence = np.zeros(8000, np.int16)
    session.start()
    pulse_mic.play(np.concatenate([silence, synthesize("new paragraph"), silence, silence]))
    assert pulse_mic.wait_played(30)
    session.stop(timeout=60)  # drains the backlog before returning
    assert queue.spilled_bytes > 0
    assert len(session.audio) == session.capture.captured_bytes
    assert [c.name for e in events if e.kind == "final" for c in e.commands] == ["new_paragraph"]
