"""Live dictation with Whisper: real human speech played into a real PulseAudio microphone,
captured through sounddevice, recognised in a DictationSession, in English and Russian."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np

from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.session import DictationSession
from dictation.transcribe import read_audio
from dictation.transcript import DictationProcessor
from dictation.wer import edit_distance
from tests.plugins import ci_guard

ci_guard.importorskip("faster_whisper", "faster-whisper")
RATE = 16_000


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s'-]", " ", text.lower().replace("ё", "е")).split()


def _transcripts(folder: Path) -> dict[str, str]:
    lines = (folder / "transcripts.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if "\t" in line)


def _dictate(pulse_mic, lang: str, model: Path, clips: list[np.ndarray]) -> tuple[list, object]:
    events: list = []
    recognizer = create_recognizer("whisper", build_options(lang, model_dir=model))
    session = DictationSession(
        recognizer, DictationProcessor(lang), events.append, device=pulse_mic.device
    )
    session.start()
    gap = np.zeros(RATE, np.int16)
    for clip in clips:
        pulse_mic.play(np.concatenate([clip, gap]))
    assert pulse_mic.wait_played(120)
    time.sleep(1.0)
    session.stop(timeout=60)
    assert [e for e in events if e.kind == "error"] == []
    assert len(session.audio) == session.capture.captured_bytes  # nothing dropped
    return events, session


def _check_words(session) -> None:
    audio_s = len(session.audio) / (2 * RATE)
    assert session.words and all(0 <= w.start < w.end <= audio_s + 0.5 for w in session.words)


def test_live_english_real_voices(pulse_mic, shared_data: Path, english_model: Path):
    folder = shared_data / "speech" / "en-speechbrain"
    refs = _transcripts(folder)
    names = ["spk1_snt3.wav", "spk2_snt4.wav"]
    clips = [read_audio(folder / n) for n in names]
    clips.append(read_audio(shared_data / "speech" / "digits-en-16k.wav"))
    events, session = _dictate(pulse_mic, "en", english_model, clips)
    assert any(e.kind == "partial" for e in events)  # live feedback before the finals
    text = session.processor.transcript.text
    ref = _words(" ".join(refs[n] for n in names))
    said = _words(text)
    assert edit_distance(ref, said[: len(ref) + 2]) / len(ref) <= 0.35, text
    assert "90210" in text.replace(",", "").replace(" ", "")  # the human digits
    _check_words(session)


def test_live_russian_real_voice(pulse_mic, shared_data: Path, base_model: Path):
    folder = shared_data / "speech" / "ru-voxforge"
    refs = _transcripts(folder)
    name = "ru_0032.wav"
    _events, session = _dictate(pulse_mic, "ru", base_model, [read_audio(folder / name)])
    text = session.processor.transcript.text
    ref = _words(refs[name])
    assert edit_distance(ref, _words(text)) / len(ref) <= 0.35, text
    _check_words(session)
