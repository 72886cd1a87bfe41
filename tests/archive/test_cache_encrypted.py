"""The image cache with encryption at rest: sealed files from a real Orthanc, opened the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.progressive import ProgressiveStudy
from core import crypto, vault
from studies import open_volume
from studies.errors import SealedFileDamaged


def _client(server) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(server.dicomweb_url, server.user, server.password))


def _study(orthanc_ct, n: int) -> tuple[str, list[Path]]:
    return next((u, f) for u, f in orthanc_ct.items() if len(f) == n)


def test_cached_images_are_sealed_and_open_as_the_originals(orthanc, orthanc_ct, encrypted_home,
                                                           tmp_path):
    study_uid, files = _study(orthanc_ct, 12)
    cache = ImageCache()
    folder = cache.fetch_study(_client(orthanc), study_uid)
    cached = sorted(folder.rglob("*.dcm"))
    assert len(cached) == 12 and (folder / vault.FOLDER_KEY).is_file()
    for path in cached:
        raw = path.read_bytes()
        assert crypto.is_sealed(raw) and raw[128:132] != b"DICM"
        assert b"LIDC-IDRI" not in raw and study_uid.encode() not in raw
    plain = tmp_path / "plain"
    plain.mkdir()
    for f in files:
        shutil.copy(f, plain / f.name)
    want, got = open_volume(plain), open_volume(folder)
    assert np.array_equal(want.voxels, got.voxels)
    assert got.info.study_instance_uid == study_uid
    # one slice file opens its whole series, decrypted, too
    assert open_volume(cached[0]).shape == want.shape


def test_a_changed_cached_file_is_a_clear_error_and_is_kept(orthanc, orthanc_ct, encrypted_home):
    study_uid, _ = _study(orthanc_ct, 12)
    cache = ImageCache()
    folder = cache.fetch_study(_client(orthanc), study_uid)
    victim = sorted(folder.rglob("*.dcm"))[5]
    bad = bytearray(victim.read_bytes())
    bad[4000] ^= 0x40
    victim.write_bytes(bytes(bad))
    with pytest.raises(SealedFileDamaged, match="cannot be decrypted"):
        open_volume(folder)  # a header chunk: the header pass says so
    assert victim.read_bytes() == bytes(bad)
    bad[4000] ^= 0x40
    bad[-100] ^= 0x01  # a pixel chunk: the pixel pass says so (no blank slice, no warning)
    victim.write_bytes(bytes(bad))
    with pytest.raises(SealedFileDamaged, match="cannot be decrypted"):
        open_volume(folder)
    # swapping two sealed files (each authenticated with its own SOP UID) is caught as well
    others = sorted(folder.rglob("*.dcm"))
    a, b = others[0], others[1]
    data_a = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(data_a)
    victim.unlink()
    with pytest.raises(SealedFileDamaged):
        open_volume(folder)
    # the study folder goes with its key; the archive holds the study: fetched again, intact
    assert cache.remove_study(study_uid)
    assert open_volume(cache.fetch_study(_client(orthanc), study_uid)).shape[0] == 12


def test_progressive_open_writes_sealed_files(orthanc, orthanc_ct, encrypted_home, tmp_path):
    study_uid, files = _study(orthanc_ct, 20)
    cache = ImageCache()
    study = ProgressiveStudy(_client(orthanc), cache, study_uid)
    volume = study.stream()
    folder = cache.study_dir(study_uid)
    assert all(crypto.is_sealed(p.read_bytes()) for p in folder.rglob("*.dcm"))
    plain = tmp_path / "plain"
    plain.mkdir()
    for f in files:
        shutil.copy(f, plain / f.name)
    assert np.array_equal(open_volume(plain).voxels, volume.voxels)
    assert np.array_equal(open_volume(folder).voxels, volume.voxels)
