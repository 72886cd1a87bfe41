"""Window presets: defaults, user-edited presets kept in settings."""

import pytest

from core.settings import Settings
from viewer.orientation import AXIAL, CORONAL, SAGITTAL, orientation_letters
from viewer.presets import DEFAULT_PRESETS, WindowPreset, find_preset, load_presets, save_presets


def test_default_presets_are_the_standard_chest_windows():
    lung = find_preset(list(DEFAULT_PRESETS), "lung")
    assert (lung.center, lung.width, lung.key) == (-600, 1500, "1")
    assert (lung.low, lung.high) == (-1350, 150)
    assert find_preset(list(DEFAULT_PRESETS), "mediastinum").width == 400


def test_user_presets_round_trip_through_settings(luch_home):
    settings = Settings()
    mine = [WindowPreset("lung-narrow", -700, 1000, "9")]
    save_presets(settings, mine)
    assert load_presets(Settings()) == mine


def test_damaged_presets_fall_back_to_defaults(luch_home):
    settings = Settings()
    settings.set("viewer.window_presets", [{"name": "x"}])
    assert load_presets(settings) == list(DEFAULT_PRESETS)


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(KeyError, match="mediastinum"):
        find_preset(list(DEFAULT_PRESETS), "abdomen")


@pytest.mark.parametrize(("plane", "letters"), [
    (AXIAL, {"top": "A", "bottom": "P", "left": "R", "right": "L"}),
    (CORONAL, {"top": "S", "bottom": "I", "left": "R", "right": "L"}),
    (SAGITTAL, {"top": "S", "bottom": "I", "left": "A", "right": "P"}),
])
def test_orientation_letters_follow_radiological_convention(plane, letters):
    assert orientation_letters(plane) == letters
