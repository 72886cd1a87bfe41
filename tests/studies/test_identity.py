"""Derived Study/Series UIDs: from the images, never from how or where they were opened."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.uid import UID

import studies
from studies import identity

DERIVED = ("StudyInstanceUID", "SeriesInstanceUID")


def uids(volume_or_candidate) -> tuple[str, str]:
    info = volume_or_candidate.info
    return info.study_instance_uid, info.series_instance_uid


def assert_proper(uid: str) -> None:
    assert uid.startswith("2.25.") and UID(uid).is_valid and len(uid) <= 64


def test_real_series_without_uids_gets_the_same_uids_however_it_is_opened(
        shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "ct" / "siemens-j2k-abdomen"
    assert not pydicom.dcmread(next(folder.iterdir()), stop_before_pixels=True).get(
        "SOPInstanceUID")  # no UID at all: derived from the pixel data
    whole = studies.open_volume(folder)
    assert whole.info.derived_uids == DERIVED
    for uid in uids(whole):
        assert_proper(uid)
    assert whole.info.study_instance_uid != whole.info.series_instance_uid
    copy = shutil.copytree(folder, tmp_path / "elsewhere" / "renamed")
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"DICOM/{f.name}")
    opened = [studies.open_volume(sorted(folder.iterdir())[7]),  # one file: its series
              studies.open_volume(copy), studies.open_volume(sorted(copy.iterdir())[0]),
              studies.open_volume(archive)]
    assert {uids(v) for v in opened} == {uids(whole)}
    assert uids(studies.scan(folder).images[0]) == uids(whole)  # known before loading


def test_different_images_without_uids_never_share_derived_uids(shared_data: Path,
                                                                tmp_path: Path) -> None:
    files = sorted((shared_data / "ct" / "siemens-j2k-abdomen").iterdir())
    parts = {"upper": files[:10], "lower": files[10:], "all": files}
    for name, chosen in parts.items():
        (tmp_path / name).mkdir()
        for f in chosen:
            shutil.copy(f, tmp_path / name / f.name)
    edited = shutil.copytree(tmp_path / "all", tmp_path / "edited")  # one pixel changed
    middle = sorted(edited.iterdir(), key=_z)[len(files) // 2]
    ds = pydicom.dcmread(middle)
    pixels = ds.pixel_array.copy()
    pixels[100, 100] += 1
    ds.PixelData = pixels.tobytes()
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    ds.save_as(middle, enforce_file_format=True)
    found = [uids(studies.scan(tmp_path / name).images[0]) for name in [*parts, "edited"]]
    every = [uid for pair in found for uid in pair]
    assert len(set(every)) == len(every)


def _z(path: Path) -> float:
    return float(pydicom.dcmread(path, stop_before_pixels=True).ImagePositionPatient[2])


@pytest.mark.parametrize("name", ["chest-crop-a.nii.gz", "chest-crop-b.nii.gz"])
def test_nifti_gets_uids_from_its_content_not_its_path(shared_data: Path, tmp_path: Path,
                                                       name: str) -> None:
    path = shared_data / "ct" / name
    volume = studies.open_volume(path)
    assert volume.info.derived_uids == DERIVED and volume.info.study_is_local
    for uid in uids(volume):
        assert_proper(uid)
    copy = tmp_path / "patient folder" / "ct.nii.gz"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert uids(studies.open_volume(copy)) == uids(volume)
    other = "chest-crop-b.nii.gz" if name == "chest-crop-a.nii.gz" else "chest-crop-a.nii.gz"
    assert not set(uids(volume)) & set(uids(studies.open_volume(shared_data / "ct" / other)))


def test_large_nifti_is_sampled_and_its_copies_agree(tmp_path: Path) -> None:
    voxels = np.zeros((200, 160, 80), np.int16)  # 5 MB of voxels: sampled, not read whole
    voxels[::7, ::5, ::3] = 100
    first, second = tmp_path / "a.nii", tmp_path / "b" / "a.nii"
    nib.save(nib.Nifti1Image(voxels, np.diag([0.7, 0.7, 2.5, 1])), first)
    second.parent.mkdir()
    shutil.copy(first, second)
    assert first.stat().st_size > identity.WHOLE_FILE
    voxels[0, 0, 0] = 5  # in the sampled head of the voxel data
    nib.save(nib.Nifti1Image(voxels, np.diag([0.7, 0.7, 2.5, 1])), tmp_path / "c.nii")
    a, b, c = (uids(studies.scan(p).images[0]) for p in (first, second, tmp_path / "c.nii"))
    assert a == b and not set(a) & set(c)


def test_series_with_sop_uids_derives_from_them_without_reading_pixels(make_series,
                                                                      monkeypatch) -> None:
    folder = make_series(slices=6)
    for path in folder.iterdir():
        ds = pydicom.dcmread(path)
        ds.StudyInstanceUID = ds.SeriesInstanceUID = ""
        ds.save_as(path)
    monkeypatch.setattr(identity, "pixel_bytes", lambda h: pytest.fail("pixels read"))
    [candidate] = studies.scan(folder).images
    assert candidate.info.derived_uids == DERIVED
    sops = sorted(candidate.info.sop_instance_uids)
    digest = hashlib.sha256()
    for part in [b"sop", *(s.encode() for s in sops)]:
        digest.update(len(part).to_bytes(8, "little") + part)
    assert candidate.info.series_instance_uid == identity.uid_from_digest(
        "SeriesInstanceUID", digest.digest())


def test_only_the_missing_uid_is_derived(make_series) -> None:
    folder = make_series(slices=4, study_uid="1.2.840.99")
    for path in folder.iterdir():
        ds = pydicom.dcmread(path)
        ds.SeriesInstanceUID = ""
        ds.save_as(path)
    volume = studies.open_volume(folder)
    assert volume.info.study_instance_uid == "1.2.840.99"
    assert volume.info.derived_uids == ("SeriesInstanceUID",)
    assert_proper(volume.info.series_instance_uid)
    assert not volume.info.study_is_local  # the study is the archive's; only a series UID made


def test_files_own_uids_are_kept(make_series) -> None:
    folder = make_series(slices=3, study_uid="1.2.840.7", series_uid="1.2.840.8")
    volume = studies.open_volume(folder)
    assert uids(volume) == ("1.2.840.7", "1.2.840.8") and volume.info.derived_uids == ()
    assert not volume.info.study_is_local


def test_two_series_without_any_uid_at_the_same_positions_differ(make_series,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "no-uids"
    folder.mkdir()
    for number in (2, 3):  # same geometry, different pixels (the phantom differs by count)
        for path in make_series(slices=5 + number).iterdir():
            ds = pydicom.dcmread(path)
            for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
                setattr(ds, keyword, "")
            ds.file_meta.MediaStorageSOPInstanceUID = ""
            ds.SeriesNumber = number
            ds.save_as(folder / f"{number}-{path.name}")
    found = [uids(c) for c in studies.scan(folder).images]
    assert len(found) == 2 and not set(found[0]) & set(found[1])


def test_unreadable_content_leaves_the_uids_empty() -> None:
    info = studies.SeriesInfo()

    def gone():
        raise FileNotFoundError("moved away")
        yield b""

    identity.fill_missing(info, gone)
    assert (info.study_instance_uid, info.series_instance_uid, info.derived_uids) == ("", "", ())
    assert info.study_is_local  # no identity at all: nothing of it may go to the archive
