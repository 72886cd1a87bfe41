"""A sealed cached study's decoded-volume entry: the same volume, sealed, kept only while
the images are the same, damage and other keys caught."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest

from core import crypto, vault
from studies import StudyError, loader, open_volume, volume_cache
from studies.synthetic import write_ct_series


def _sealed_study(plain: Path, folder: Path) -> Path:
    """``plain``'s files sealed into ``folder`` as the image cache seals them (its key in
    ``.luch-key``, each file's stem as associated data)."""
    key = vault.current().folder_dek(folder, create=True)
    (folder / "r1").mkdir(parents=True)
    for n, path in enumerate(sorted(p for p in plain.iterdir() if p.is_file())):
        target = folder / "r1" / f"i{n:03d}.dcm"
        target.write_bytes(crypto.seal(key, path.read_bytes(), target.stem.encode()))
    return folder


@pytest.fixture
def studies_pair(encrypted_home, tmp_path):
    plain = tmp_path / "plain"
    write_ct_series(plain, slices=20, tilt_degrees=0.0, patient_name="Ivanov^Ivan")
    sealed = _sealed_study(plain, encrypted_home / "cache" / "s1")
    return plain, sealed


def _opened(folder: Path):
    volume = open_volume(folder)
    volume_cache.wait_written()
    return volume


def _same(a, b) -> None:
    assert a.voxels.dtype == b.voxels.dtype and np.array_equal(a.voxels, b.voxels)
    assert a.voxels.flags.c_contiguous and b.voxels.flags.writeable
    assert (a.spacing, a.origin, a.info, a.warnings, a.padding_hu, a.shear) == (
        b.spacing, b.origin, b.info, b.warnings, b.padding_hu, b.shear)
    assert np.array_equal(a.direction, b.direction)
    assert np.array_equal(a.slice_positions, b.slice_positions)


def _no_scan(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the images were read")
    monkeypatch.setattr(loader, "scan_files", refuse)


def test_the_entry_gives_the_same_volume_sealed_and_without_reading_images(
        studies_pair, monkeypatch):
    plain, sealed = studies_pair
    want = open_volume(plain)
    first = _opened(sealed)
    _same(want, first)
    entry = sealed / volume_cache.NAME
    raw = entry.read_bytes()
    assert crypto.is_sealed(raw) and b"Ivanov" not in raw and b"DICM" not in raw
    assert first.info.study_instance_uid.encode() not in raw
    with monkeypatch.context() as m:
        _no_scan(m)
        _same(want, open_volume(sealed))
        seen = []
        open_volume(sealed, progress=seen.append, on_first_slice=lambda k, img: seen.append(k))
        assert seen == [1.0, 10]
    # nothing kept for plain folders, another series asked for, or a caller's own key
    assert not (plain / volume_cache.NAME).exists()
    assert volume_cache.entry_for(plain, None, []) is None


def test_other_images_read_again_and_the_entry_follows(studies_pair, monkeypatch):
    plain, sealed = studies_pair
    _opened(sealed)
    gone = sorted((sealed / "r1").glob("*.dcm"))[7]
    gone.unlink()  # an image removed (evicted, to be fetched again)
    volume = _opened(sealed)
    assert volume.shape[0] == 19
    with monkeypatch.context() as m:
        _no_scan(m)
        assert open_volume(sealed).shape[0] == 19  # the entry written again for these
    # the image back, sealed anew (as a fetch writes it): the entry is of other files
    source = sorted(p for p in plain.iterdir() if p.is_file())[7]
    key = vault.current().folder_dek(sealed, create=False)
    gone.write_bytes(crypto.seal(key, source.read_bytes(), gone.stem.encode()))
    _same(open_volume(plain), _opened(sealed))


def test_keep_decoded_writes_the_entry_once_and_follows_the_images(studies_pair, monkeypatch):
    """The background's warm-up of a prefetched study: the entry written before any open,
    the images not read again while it is of the same files, read again when one changed."""
    plain, sealed = studies_pair
    want = open_volume(plain)
    assert loader.keep_decoded(sealed) is True
    assert (sealed / volume_cache.NAME).is_file()
    with monkeypatch.context() as m:
        _no_scan(m)
        _same(want, open_volume(sealed))  # the first open: one decryption
        assert loader.keep_decoded(sealed) is True  # current: only its head decrypted
    gone = sorted((sealed / "r1").glob("*.dcm"))[3]
    gone.unlink()  # a series changed since (an image evicted, or refetched)
    assert loader.keep_decoded(sealed) is True
    with monkeypatch.context() as m:
        _no_scan(m)
        assert open_volume(sealed).shape[0] == 19
    assert loader.keep_decoded(plain) is False  # nothing kept for plain folders
    assert not (plain / volume_cache.NAME).exists()


def test_an_entry_of_another_layout_is_read_again_without_a_hand_bump(studies_pair,
                                                                      monkeypatch):
    """The layout is derived from the volume's fields: one added (or retyped) to Volume or
    SeriesInfo gives another digest, and an entry written before is not read."""
    from dataclasses import dataclass, make_dataclass

    from studies.volume import SeriesInfo, Volume

    assert volume_cache.layout(Volume, SeriesInfo) == volume_cache.LAYOUT
    wider = make_dataclass("SeriesInfo", [("new_field", str, "")], bases=(SeriesInfo,))
    retyped = dataclass(type("Volume", (Volume,), {"__annotations__": {"padding_hu": "int"}}))
    assert len({volume_cache.LAYOUT, volume_cache.layout(Volume, wider),
                volume_cache.layout(retyped, SeriesInfo)}) == 3
    _plain, sealed = studies_pair
    _opened(sealed)
    monkeypatch.setattr(volume_cache, "LAYOUT", volume_cache.layout(Volume, wider))
    scanned = []
    real = loader.scan_files
    monkeypatch.setattr(loader, "scan_files", lambda *a, **k: scanned.append(1) or real(*a, **k))
    _opened(sealed)
    assert scanned, "an entry of the old layout was read"


@pytest.mark.parametrize("damage", ["flip", "cut", "swap"])
def test_a_damaged_entry_is_caught_and_the_images_read(studies_pair, monkeypatch, caplog,
                                                       damage):
    plain, sealed = studies_pair
    want = open_volume(plain)
    _opened(sealed)
    entry = sealed / volume_cache.NAME
    raw = bytearray(entry.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x10  # a voxel chunk
    elif damage == "cut":
        raw = raw[:-(1 << 20)]
    else:  # another study's entry (its own key) put in its place
        other = _sealed_study(plain, sealed.parent / "s2")
        _opened(other)
        raw = bytearray((other / volume_cache.NAME).read_bytes())
    entry.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, "studies.volume_cache"):
        got = open_volume(sealed)
    _same(want, got)  # from the images, which are authenticated themselves
    assert "damaged" in caplog.text
    volume_cache.wait_written()
    with monkeypatch.context() as m:
        _no_scan(m)
        _same(want, open_volume(sealed))  # written again, whole


def test_a_lost_station_key_reads_no_entry(studies_pair, encrypted_home, memory_keyring):
    _plain, sealed = studies_pair
    _opened(sealed)
    memory_keyring.passwords.clear()  # a new OS profile: the station key is gone
    vault.clear_cache()
    (encrypted_home / "settings.json").write_text(json.dumps({vault.SETTING: False}))
    with pytest.raises(vault.KeyMissing, match="not in the OS keyring"):
        open_volume(sealed)
    # a study whose key was destroyed (forgotten) reads nothing either
    (sealed / vault.FOLDER_KEY).unlink()
    with pytest.raises(StudyError):
        open_volume(sealed)


def test_chunked_sealing_reads_back_across_buffers():
    key = crypto.new_key()
    parts = [os.urandom(5), os.urandom((1 << 16) - 5), b"", os.urandom(70_001)]
    blob = b"".join(bytes(p) for p in crypto.seal_buffers(key, parts, b"aad"))
    assert crypto.open_sealed(key, blob, b"aad") == b"".join(parts)
    envelope = crypto.envelope_of(blob)
    out = bytearray(envelope.size)
    for threads in (1, 3):
        crypto.open_chunks_into(blob, key, b"aad", envelope, 0, envelope.chunks, out, threads)
        assert bytes(out) == b"".join(parts)
    with pytest.raises(crypto.SealError):
        crypto.open_chunks_into(blob, key, b"other", envelope, 0, envelope.chunks, out, 2)
