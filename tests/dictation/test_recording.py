"""FLAC kept with the report; a word clicked in the text plays its span of audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dictation.engines import create_recognizer
from dictation.errors import DictationError
from dictation.recording import DictationRecording, words_path
from dictation.transcribe import read_audio, recognize
from dictation.transcript import DictationProcessor


def test_flac_round_trip_with_word_times(shared_data: Path, tmp_path: Path):
    samples = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    finals = recognize(create_recognizer("pocketsphinx"), samples)
    words = [w for r in finals for w in r.words]
    path = DictationRecording(samples, tuple(words)).save(tmp_path / "report-1")
    assert path.suffix == ".flac" and words_path(path).is_file()
    assert path.stat().st_size < 0.8 * samples.nbytes  # FLAC is compressed
    again = DictationRecording.load(path)
    assert np.array_equal(again.samples, samples)  # lossless
    assert [w.word for w in again.words] == [w.word for w in words]
    assert again.words[0].start == pytest.approx(words[0].start, abs=1e-3)


def test_click_a_word_in_the_text_plays_its_audio(shared_data: Path):
    samples = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    processor = DictationProcessor("en")
    for result in recognize(create_recognizer("pocketsphinx"), samples):
        processor.process(result)
    text, spans = processor.transcript.render()
    assert text.startswith("1 0 0 0 1")
    assert [text[s.char_start : s.char_end] for s in spans[:3]] == ["1", "0", "0"]
    rec = DictationRecording(samples)
    first = processor.transcript.span_at(0)  # the "1" at the start of the text
    assert first is not None and 0.5 < first.start < first.end < 1.5
    clip = rec.clip(first.start, first.end)
    assert 0.1 < len(clip) / 16000 < 0.6
    # The clip holds speech: louder than the silence before the first word.
    silence = samples[: int(0.5 * 16000)].astype(float)
    assert np.abs(clip.astype(float)).mean() > 3 * np.abs(silence).mean()
    assert processor.transcript.span_at(1) is None  # the space between words


def test_word_at_and_clamped_clip():
    from dictation.results import Word

    rec = DictationRecording(
        np.arange(16000, dtype=np.int16), (Word("a", 0.1, 0.3, 1.0), Word("b", 0.3, 0.9, 0.5))
    )
    assert rec.word_at(0.2) == 0 and rec.word_at(0.5) == 1 and rec.word_at(0.95) is None
    assert len(rec.clip(0.0, 2.0)) == 16000


def test_damaged_files_are_explained(tmp_path: Path):
    bad = tmp_path / "x.flac"
    bad.write_bytes(b"nope")
    with pytest.raises(DictationError, match="cannot read the dictation audio"):
        DictationRecording.load(bad)
    path = DictationRecording(np.zeros(1600, np.int16)).save(tmp_path / "y.flac")
    words_path(path).write_text("{broken", encoding="utf-8")
    with pytest.raises(DictationError, match="damaged"):
        DictationRecording.load(path)
