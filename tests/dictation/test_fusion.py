"""Shallow fusion: the torch decoder read from the shipped tiny.en model.bin, the station's
radiology word model, and the engine's fall-back to CTranslate2's search."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.fusion_lm import FusionLM, words_of
from dictation.transcribe import read_audio
from tests.plugins import ci_guard

ci_guard.importorskip("faster_whisper", "faster-whisper")
ci_guard.importorskip("torch", "torch")
RATE = 16_000


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s'-]", " ", text.lower()).split()


@pytest.fixture(scope="module")
def rec(english_model):
    r = create_recognizer("whisper", EngineOptions(lang="en", model_dir=english_model))
    yield r
    r.close()


def _clip(shared_data: Path, name: str) -> np.ndarray:
    speech = read_audio(shared_data / "speech" / "en-speechbrain" / name)
    audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
    return audio.astype(np.float32) / 32768.0


def test_word_model_prefers_the_term_and_looks_ahead():
    lm = FusionLM(["there is no pleural effusion", "no pneumothorax",
                   "involvement of twenty five percent"], "en")
    assert lm.score("No pleural effusion.", True) > lm.score("No plural effusion.", True)
    # the unfinished "ple" may still become "pleural"; "plu" cannot
    assert lm.score("No ple", False) > lm.score("No plu", False) == 0.0
    assert lm.score("No ple", True) == 0.0  # as a whole word it is nothing
    # everyday speech earns nothing: general words, short and function words
    assert lm.score("The child almost hurt the small dog.", True) == 0.0
    assert words_of("Involvement of 25%.") == ["involvement", "of", "<num>"]
    assert lm.score("Involvement of 25%", True) > 0


def test_decoder_at_weight_zero_writes_what_ctranslate2_writes(rec, shared_data: Path):
    """The torch decoder runs in float32 from the stored weights with int8 linear layers of
    its own, CTranslate2 in its int8: close calls may tip differently (on the ten
    en-speechbrain clips 7-8 gave the same text; the two below agree)."""
    # deferred: loads torch
    from dictation.fusion_lm import fusion_lm
    from dictation.whisper_decoder import load_decoder

    for name in ("spk1_snt1.wav", "spk1_snt5.wav"):
        audio = _clip(shared_data, name)
        rec.fusion_weight = 0.0
        plain = rec._decode(audio)
        rec.fusion_weight = 1e-9
        rec._fusion = (load_decoder(rec.model_path), fusion_lm("en"))
        fused = rec._decode(audio, encoded=(plain.encoder_output, plain.frames))
        rec.fusion_weight, rec._fusion = 0.0, None
        assert _words(fused.text) == _words(plain.text)
        assert abs(fused.no_speech - plain.no_speech) < 0.05
        assert abs(fused.logprob - plain.logprob) < 0.1


def test_the_bias_changes_a_confusable_term(rec, shared_data: Path):
    """A word model that expects "dog" as a domain word turns a near-sounding hypothesis
    to it; one that expects a nonsense word cannot make Whisper write it."""
    # deferred: loads torch
    from dictation.whisper_decoder import load_decoder

    audio = _clip(shared_data, "spk1_snt1.wav")  # "The child almost hurt the small dog."
    rec.fusion_weight = 0.0
    plain = rec._decode(audio)
    assert "dog" in _words(plain.text)
    lm = FusionLM(["the small doge"] * 20, "en")
    rec._fusion = (load_decoder(rec.model_path), lm)
    rec.fusion_weight = 0.0
    rec.fusion_weight = 2.0
    fused = rec._decode(audio, encoded=(plain.encoder_output, plain.frames))
    rec.fusion_weight, rec._fusion = 0.0, None
    assert "doge" in _words(fused.text)


def test_without_a_word_model_ctranslate2_decodes(rec, shared_data: Path, monkeypatch):
    from dictation import fusion_lm

    audio = _clip(shared_data, "spk1_snt1.wav")
    plain = rec._decode(audio)
    monkeypatch.setattr(fusion_lm, "fusion_lm", lambda lang: None)
    rec.fusion_weight, rec._fusion = 0.5, None
    try:
        fused = rec._decode(audio, encoded=(plain.encoder_output, plain.frames))
        assert rec._fusion is False  # tried once, then CTranslate2's search for good
        assert fused.text == plain.text
    finally:
        rec.fusion_weight, rec._fusion = 0.0, None


def test_an_unreadable_decoder_falls_back(rec, shared_data: Path, monkeypatch, tmp_path):
    from dictation import whisper_decoder
    from dictation.errors import ModelError

    (tmp_path / "model.bin").write_bytes(b"\x01\x00\x00\x00junk")
    with pytest.raises(ModelError):
        whisper_decoder.TorchWhisperDecoder(tmp_path)
    monkeypatch.setattr(whisper_decoder, "load_decoder",
                        lambda path: whisper_decoder.TorchWhisperDecoder(tmp_path))
    audio = _clip(shared_data, "spk1_snt5.wav")
    plain = rec._decode(audio)
    rec.fusion_weight, rec._fusion = 0.5, None
    try:
        fused = rec._decode(audio, encoded=(plain.encoder_output, plain.frames))
        assert rec._fusion is False and fused.text == plain.text
    finally:
        rec.fusion_weight, rec._fusion = 0.0, None


def test_fusion_weight_setting(monkeypatch):
    from dictation.engines import whisper_engine

    class FakeSettings:
        def get(self, key):
            return {"dictation.whisper.fusion.en": "0.3"}.get(key)

    monkeypatch.setattr(whisper_engine, "Settings", FakeSettings)
    assert whisper_engine.fusion_weight("en") == 0.3
    assert whisper_engine.fusion_weight("ru") == whisper_engine.FUSION_WEIGHT.get("ru", 0.0)
