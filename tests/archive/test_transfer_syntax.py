"""Lossless compressed transfer from a real Orthanc: smaller, bit-identical, with fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest

from archive.cache import ImageCache
from archive.credentials import ArchiveConfig, load_config
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveConfigError
from archive.transfer_syntax import LOSSLESS, parallel_requests, preferred_uids
from core.settings import Settings
from studies import open_volume

JPEG_LS, EXPLICIT_LE = LOSSLESS["jpeg-ls-lossless"], "1.2.840.10008.1.2.1"


def _client(server, **kwargs) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(server.dicomweb_url, server.user, server.password,
                                        **kwargs))


def _study(orthanc_ct) -> tuple[str, list[Path]]:
    return next((u, f) for u, f in orthanc_ct.items() if len(f) == 20)


def test_compressed_fetch_is_bit_identical_and_smaller(orthanc, orthanc_ct,
                                                       tmp_path: Path) -> None:
    study_uid, files = _study(orthanc_ct)
    client = _client(orthanc)
    folder = ImageCache(tmp_path / "cache").fetch_study(client, study_uid)
    got = sorted(folder.rglob("*.dcm"))
    originals = {pydicom.dcmread(f).SOPInstanceUID: f for f in files}
    assert len(got) == len(files)
    for path in got:
        ds = pydicom.dcmread(path)
        assert ds.file_meta.TransferSyntaxUID == JPEG_LS
        original = pydicom.dcmread(originals[ds.SOPInstanceUID])
        assert original.file_meta.TransferSyntaxUID == EXPLICIT_LE
        assert np.array_equal(ds.pixel_array, original.pixel_array)
    # The volume the viewer gets (the fast CharLS path) equals the uncompressed one's.
    cached = open_volume(folder)
    assert cached.voxels.shape[0] == len(files)
    assert np.array_equal(cached.voxels, plain_volume_of(files, tmp_path).voxels)
    assert client.bytes_received < 0.5 * sum(f.stat().st_size for f in files)


def plain_volume_of(files: list[Path], tmp_path: Path):
    """The uploaded slices only (the folder holds the whole series)."""
    folder = tmp_path / "plain"
    folder.mkdir()
    for f in files:
        (folder / f.name).symlink_to(f.resolve())
    return open_volume(folder)


def test_syntaxes_the_archive_cannot_make_fall_back_to_what_it_has(
        orthanc, orthanc_ct, tmp_path: Path) -> None:
    # Orthanc 1.10 answers 400 to HTJ2K and 500 ("cannot transcode") to JPEG 2000 and RLE.
    study_uid, files = _study(orthanc_ct)
    client = _client(orthanc, transfer_syntaxes=preferred_uids(
        ["htj2k-lossless", "jpeg2000-lossless", "rle"]))
    folder = ImageCache(tmp_path / "cache").fetch_study(client, study_uid, workers=1)
    originals = {pydicom.dcmread(f).SOPInstanceUID: f for f in files}
    for path in folder.rglob("*.dcm"):
        ds = pydicom.dcmread(path)
        assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
        assert np.array_equal(ds.pixel_array,
                              pydicom.dcmread(originals[ds.SOPInstanceUID]).pixel_array)
    assert client.transfer_syntaxes() == []  # refused once, not asked again
    # A refused syntax before a served one: the served one is used.
    mixed = _client(orthanc, transfer_syntaxes=preferred_uids(["htj2k-lossless",
                                                               "jpeg-ls-lossless"]))
    ImageCache(tmp_path / "cache2").fetch_study(mixed, study_uid, workers=1)
    assert mixed.transfer_syntaxes() == [JPEG_LS]


def test_the_order_and_parallel_requests_are_settings(luch_home, monkeypatch) -> None:
    monkeypatch.setenv("LUCH_ARCHIVE_URL", "https://pacs.example.org/dicom-web")
    settings = Settings()
    assert load_config(settings).transfer_syntaxes[0] == JPEG_LS
    assert load_config(settings).parallel == 4
    settings.set("archive.transfer_syntaxes", ["rle", "jpeg2000-lossless"])
    settings.set("archive.parallel_requests", 8)
    config = load_config(settings)
    assert config.transfer_syntaxes == (LOSSLESS["rle"], LOSSLESS["jpeg2000-lossless"])
    assert config.parallel == 8
    settings.set("archive.transfer_syntaxes", ["jpeg-baseline"])  # lossy: not offered
    with pytest.raises(ArchiveConfigError, match="unknown transfer syntax"):
        load_config(settings)
    for bad in (0, 17, "4", True):
        with pytest.raises(ArchiveConfigError, match="parallel"):
            parallel_requests(bad)
