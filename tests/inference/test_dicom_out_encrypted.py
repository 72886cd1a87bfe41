"""The AI's SEG and SR reference a study read from the encrypted image cache like a plain one."""

from __future__ import annotations

import pydicom

from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from inference.dicom_out import source_datasets
from studies import open_volume


def test_source_datasets_of_an_encrypted_cached_study(orthanc, orthanc_ct, encrypted_home):
    study_uid, files = next((u, f) for u, f in orthanc_ct.items() if len(f) == 12)
    client = DicomWebClient(ArchiveConfig(orthanc.dicomweb_url, orthanc.user, orthanc.password))
    folder = ImageCache().fetch_study(client, study_uid)
    datasets = source_datasets(folder, open_volume(folder))
    want = {str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID) for f in files}
    assert {str(d.SOPInstanceUID) for d in datasets} == want
