"""The sealed header pass's search for the pixel data element (studies.fastscan)."""

from __future__ import annotations

import struct

from studies.fastscan import _PIXEL_TAG, _pixel_element


def _explicit(pixels: int) -> bytes:
    return _PIXEL_TAG + b"OW\x00\x00" + struct.pack("<I", pixels)


def test_the_element_that_runs_to_the_files_end_is_found_past_a_chance_match() -> None:
    chance = b"\x00" * 40 + _PIXEL_TAG + b"LO\x04\x00abcd"  # the tag's bytes in a value
    head = chance + b"\x00" * 20 + _explicit(1000)
    at = len(chance) + 20
    data = head + b"\x01" * 1000
    assert _pixel_element(data[:600], len(data)) == at


def test_implicit_and_encapsulated_elements_are_found() -> None:
    implicit = b"\x00" * 30 + _PIXEL_TAG + struct.pack("<I", 64)
    assert _pixel_element(implicit + b"\x02" * 40, len(implicit) + 64) == 30
    encapsulated = b"\x00" * 50 + _PIXEL_TAG + b"OB\x00\x00" + b"\xff" * 4
    assert _pixel_element(encapsulated + b"\x03" * 10, 10_000) == 50


def test_without_a_fitting_element_the_last_match_is_taken() -> None:
    head = b"\x00" * 10 + _PIXEL_TAG + b"OW\x00\x00" + struct.pack("<I", 8) + b"\x00" * 8
    head += _PIXEL_TAG + b"\x00" * 20  # a trailing element after the pixels: nothing fits
    assert _pixel_element(head, len(head) + 100) == head.rfind(_PIXEL_TAG)
    assert _pixel_element(b"\x00" * 64, 64) == -1
