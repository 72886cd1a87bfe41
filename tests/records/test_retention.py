"""``ai.unsent_keep_days``: how long a never-sent pre-read keeps its DICOM copies."""

from __future__ import annotations

import logging

import pytest

from core.settings import Settings
from records.retention import UNSENT_KEEP_DAYS, UNSENT_KEEP_DAYS_KEY, unsent_keep_days


def test_the_setting_says_how_many_days(luch_home) -> None:
    settings = Settings()
    assert unsent_keep_days(settings) == UNSENT_KEEP_DAYS == 7
    settings.set(UNSENT_KEEP_DAYS_KEY, 3)
    assert unsent_keep_days(settings) == 3.0
    assert unsent_keep_days() == 3.0  # the station's own settings file by default
    settings.set(UNSENT_KEEP_DAYS_KEY, 1.5)
    assert unsent_keep_days(Settings()) == 1.5


@pytest.mark.parametrize("value", ["3", 0, -2, 366, True, None, float("nan")])
def test_a_bad_value_keeps_the_default_and_says_so(luch_home, caplog, value) -> None:
    settings = Settings()
    settings.set(UNSENT_KEEP_DAYS_KEY, value)
    with caplog.at_level(logging.WARNING, logger="records.retention"):
        assert unsent_keep_days(settings) == UNSENT_KEEP_DAYS
    assert UNSENT_KEEP_DAYS_KEY in caplog.text
