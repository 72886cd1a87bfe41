"""The station policy: IT's pre-set and locked settings under a user's settings.json."""

from __future__ import annotations

import json
import logging

import pytest

from core.settings import Policy, SettingLocked, Settings

URL = "https://pacs.city.example/dicom-web"


@pytest.fixture
def policy_file(tmp_path, monkeypatch):
    path = tmp_path / "etc" / "policy.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"defaults": {"dictation.engine": "whisper", "ui.language": "ru"},
                                "locked": {"archive.url": URL, "ai.background": False}}))
    monkeypatch.setenv("LUCH_POLICY", str(path))
    return path


def test_locked_values_win_and_defaults_fill_in(luch_home, policy_file):
    luch_home.mkdir(exist_ok=True)
    (luch_home / "settings.json").write_text(json.dumps(
        {"archive.url": "https://elsewhere.example", "ui.language": "en"}))
    settings = Settings()
    assert settings.get("archive.url") == URL  # locked: the user's value does not count
    assert settings.get("ai.background", True) is False
    assert settings.get("ui.language") == "en"  # a default: the user's choice stands
    assert settings.get("dictation.engine") == "whisper"  # a default where the user set none
    assert settings.get("viewer.layout", "mpr") == "mpr"  # neither: the code's default
    assert settings.is_locked("archive.url") and not settings.is_locked("ui.language")


def test_a_locked_setting_cannot_be_set_and_nothing_is_written(luch_home, policy_file):
    settings = Settings()
    settings.set("viewer.layout", "2x2")
    before = (luch_home / "settings.json").read_text()
    with pytest.raises(SettingLocked, match=r"archive\.url"):
        settings.set("archive.url", "https://elsewhere.example")
    settings.set("archive.url", URL)  # the locked value itself: nothing to do
    assert (luch_home / "settings.json").read_text() == before
    assert Settings().get("viewer.layout") == "2x2"


def test_no_policy_file_and_a_damaged_one_change_nothing(luch_home, tmp_path, caplog):
    assert Policy.load(tmp_path / "absent.json") == Policy()
    damaged = tmp_path / "policy.json"
    for text in ("{not json", json.dumps({"locked": ["archive.url"]}), "[1]"):
        damaged.write_text(text)
        with caplog.at_level(logging.ERROR, logger="core.settings"):
            assert Policy.load(damaged) == Policy()
        assert "station policy" in caplog.text
    settings = Settings(policy=Policy.load(damaged))
    settings.set("archive.url", URL)
    assert settings.get("archive.url") == URL
