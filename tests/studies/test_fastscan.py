"""The sealed header pass (studies.fastscan): the search for the pixel data element, and the
envelopes it hands the pixel pass."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from pydicom.uid import ExplicitVRLittleEndian, RLELossless

from core import crypto
from studies import fastscan
from studies.errors import SealedFileDamaged
from studies.fastscan import _PIXEL_TAG, _pixel_element
from studies.loader import choose, load
from studies.pixels import SliceSource, _read_native
from studies.scan import scan_files
from studies.sources import FileRef


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


def _sealed_copy(folder: Path, target: Path, key: bytes) -> list[FileRef]:
    """``folder``'s files sealed into ``target`` as the image cache seals them."""
    target.mkdir()
    for path in sorted(folder.iterdir()):
        (target / path.name).write_bytes(crypto.seal(key, path.read_bytes(), path.stem.encode()))
    return [FileRef(p, key=key) for p in sorted(target.iterdir())]


@pytest.mark.parametrize("syntax", [ExplicitVRLittleEndian, RLELossless])
def test_a_sealed_series_reads_as_the_plain_one_with_the_envelopes_handed_on(
        make_series, tmp_path, syntax) -> None:
    """300 x 300 slices: the pixel data starts in the first 64 KiB chunk and runs over three;
    the header pass hands native slices' envelopes to the pixel pass (no plaintext kept)."""
    plain = make_series(slices=4, rows=300, columns=300, transfer_syntax=syntax)
    refs = _sealed_copy(plain, tmp_path / "sealed", crypto.new_key())
    want = load(choose(scan_files([FileRef(p) for p in sorted(plain.iterdir())])))
    headers, rest = fastscan.scan_files(refs)
    assert not rest and len(headers) == 4
    native = syntax == ExplicitVRLittleEndian
    assert all(isinstance(h.sealed, crypto.Envelope) == native for h in headers)
    got = load(choose(scan_files(refs)))
    assert np.array_equal(got.voxels, want.voxels)


def test_a_file_sealed_anew_between_the_passes_is_read_through_its_new_envelope(
        make_series, tmp_path) -> None:
    plain = make_series(slices=1, rows=300, columns=300)
    key = crypto.new_key()
    (ref,) = _sealed_copy(plain, tmp_path / "sealed", key)
    (header,), _ = fastscan.scan_files([ref])
    old = header.sealed
    ref.path.write_bytes(crypto.seal(key, (plain / ref.path.name).read_bytes(),
                                     ref.path.stem.encode()))  # a new nonce prefix
    want = np.empty((300, 300), np.int16)
    (source,) = [SliceSource(h, None, 1.0, 0.0) for h in
                 fastscan.scan_files([FileRef(plain / ref.path.name)])[0]]
    _read_native(source, np.dtype("<i2"), want)
    out = np.empty_like(want)
    _read_native(SliceSource(header, None, 1.0, 0.0), np.dtype("<i2"), out)
    assert header.sealed is old and np.array_equal(out, want)
    ref.path.write_bytes(ref.path.read_bytes()[:-100])  # cut: a clear error, not a blank
    with pytest.raises(SealedFileDamaged):
        _read_native(SliceSource(header, None, 1.0, 0.0), np.dtype("<i2"), out)
