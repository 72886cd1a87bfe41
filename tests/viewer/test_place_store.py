"""Where each series was left, kept across restarts without an identifier on disk."""

from __future__ import annotations

import numpy as np

from viewer.place_store import load_places, save_places
from viewer.reading_state import Places, ReadingState

SERIES = "1.2.840.113654.2.55.4303894980888172655039317236279"


def read_state() -> ReadingState:
    state = ReadingState()
    state.set_point((10.0, -20.5, -175.0))
    state.set_window(-600, 1500)
    state.set_zoom("axial", 2.5)
    state.set_pan("axial", 12.0, -4.0)
    return state


def test_places_saved_come_back_in_a_new_session(luch_home):
    places = Places()
    places.remember(SERIES, read_state())
    save_places(places)
    again = ReadingState()
    window = load_places().restore(SERIES, again)
    assert window == (-600.0, 1500.0)
    np.testing.assert_allclose(again.point, (10.0, -20.5, -175.0))
    assert again.zoom == {"axial": 2.5} and again.pan == {"axial": (12.0, -4.0)}
    assert load_places().restore("1.2.3", ReadingState()) is None  # never read here


def test_the_file_holds_no_series_uid(luch_home):
    places = Places()
    places.remember(SERIES, read_state())
    save_places(places)
    text = (luch_home / "reading" / "places.json").read_text()
    assert SERIES not in text and "175" in text


def test_the_place_file_is_sealed_when_encryption_is_on(encrypted_home):
    places = Places()
    places.remember(SERIES, read_state())
    save_places(places)
    raw = (encrypted_home / "reading" / "places.json").read_bytes()
    assert b"175" not in raw and b"axial" not in raw
    assert load_places().restore(SERIES, ReadingState()) == (-600.0, 1500.0)


def test_a_damaged_file_starts_without_places_and_is_set_aside(luch_home):
    folder = luch_home / "reading"
    folder.mkdir(parents=True)
    (folder / "places.json").write_text("{not json")
    assert load_places().restore(SERIES, ReadingState()) is None
    assert (folder / "places.broken.json").exists()


def test_only_the_last_places_are_kept(luch_home):
    places = Places(keep=3)
    for i in range(5):
        places.remember(f"1.2.{i}", read_state())
    save_places(places)
    kept = load_places()
    assert [kept.restore(f"1.2.{i}", ReadingState()) is not None for i in range(5)] == \
        [False, False, True, True, True]
