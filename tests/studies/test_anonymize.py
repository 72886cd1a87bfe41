"""De-identification (PS3.15 basic profile) with consistent, deterministic UID remapping."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

import studies
from studies.anonymize import Anonymizer, anonymize_files
from studies.errors import StudyError
from studies.sources import list_files

KEY = b"k" * 32


def test_identifying_attributes_are_removed_and_private_tags_dropped() -> None:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.InstitutionName, ds.OperatorsName = "City Hospital", "Tech^Bob"
    ds.add_new(0x00091001, "LO", "private secret")
    original_id = str(ds.PatientID)
    Anonymizer(KEY).anonymize(ds)
    assert "InstitutionName" not in ds and "OperatorsName" not in ds
    assert not any(e.tag.is_private for e in ds)
    assert str(ds.PatientName) == str(ds.PatientID) != original_id
    assert str(ds.PatientID).startswith("ANON-")
    for keyword in ("PatientBirthDate", "StudyDate", "AccessionNumber"):
        assert keyword in ds and not ds[keyword].value  # present, zero length
    assert ds.PatientIdentityRemoved == "YES"
    assert ds.DeidentificationMethodCodeSequence[0].CodeValue == "113100"
    assert ds.SOPClassUID == pydicom.uid.CTImageStorage  # class UIDs kept
    np.testing.assert_array_equal(ds.pixel_array,
                                  pydicom.dcmread(get_testdata_file("CT_small.dcm")).pixel_array)


def test_uids_map_deterministically_and_consistently(make_series, tmp_path) -> None:
    folder = make_series(slices=4)
    first = anonymize_files(list_files(folder), tmp_path / "a", Anonymizer(KEY))
    second = anonymize_files(list_files(folder), tmp_path / "b", Anonymizer(KEY))
    other = anonymize_files(list_files(folder), tmp_path / "c", Anonymizer(b"x" * 32))
    a = [pydicom.dcmread(f) for f in first]
    b = [pydicom.dcmread(f) for f in second]
    c = [pydicom.dcmread(f) for f in other]
    originals = [pydicom.dcmread(f.path) for f in list_files(folder)]
    assert len({d.StudyInstanceUID for d in a}) == 1 and len({d.SeriesInstanceUID for d in a}) == 1
    assert len({d.SOPInstanceUID for d in a}) == 4
    assert [d.SOPInstanceUID for d in a] == [d.SOPInstanceUID for d in b]
    assert a[0].StudyInstanceUID != c[0].StudyInstanceUID
    assert a[0].StudyInstanceUID != originals[0].StudyInstanceUID
    assert a[0].FrameOfReferenceUID != originals[0].FrameOfReferenceUID
    assert all(len(d.SOPInstanceUID) <= 64 and pydicom.uid.UID(d.SOPInstanceUID).is_valid
               for d in a)
    assert all(d.file_meta.MediaStorageSOPInstanceUID == d.SOPInstanceUID for d in a)
    # the anonymized series still loads as the same volume
    np.testing.assert_array_equal(studies.open_volume(tmp_path / "a").voxels,
                                  studies.open_volume(folder).voxels)


def test_burned_in_annotation_is_refused() -> None:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    with pytest.raises(StudyError, match="burned"):
        Anonymizer(KEY).anonymize(ds)


def test_short_key_is_rejected() -> None:
    with pytest.raises(ValueError):
        Anonymizer(b"short")
