"""A reader's corrected SEG, referencing the AI's original, stored in a real Orthanc."""

from __future__ import annotations

import shutil

import numpy as np
import pydicom

from archive.dicomweb import read_dataset, tag_value
from inference.corrections import CORRECTED_DESCRIPTION, build_correction, corrected_seg
from inference.dicom_out import make_seg, source_datasets
from inference.labels import GGO, Label
from inference.preread import PreReadOptions, analyze
from tests.records.conftest import client_for


def test_corrected_seg_goes_to_the_archive_beside_the_original(orthanc, orthanc_ct, tmp_path):
    import studies

    (uid, files), *_ = ((u, f) for u, f in orthanc_ct.items() if len(f) == 12)
    folder = tmp_path / "ct"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    volume = studies.open_volume(folder)
    result = analyze(volume, PreReadOptions(engine="classical"))
    sources = source_datasets(folder, volume)
    original = make_seg(result, sources)
    # the reader paints ground glass with the brush in the right lung on three slices
    corrected = result.labels.copy()
    brush = np.zeros_like(corrected, dtype=bool)
    brush[4:7] = corrected[4:7] == Label.LUNG_RIGHT
    brush[4:7, :, : corrected.shape[2] // 3] = False  # part of it only
    corrected[brush] = Label.GGO_RIGHT
    correction = build_correction(volume, result.labels, corrected, result.to_json(), "dr-b",
                                  tmp_path / "corrections")
    assert correction.changes["labels"]["ggo_right"]["added"] == int(brush.sum()) > 100
    seg = corrected_seg(corrected, sources, result.model_version, "dr-b", original)
    client = client_for(orthanc)
    assert client.store([original, seg]).failed == {}
    found = {tag_value(i, "00080018"): i for i in client.search_instances(uid)}
    assert {str(original.SOPInstanceUID), str(seg.SOPInstanceUID)} <= set(found)
    back = read_dataset(client.retrieve_instance(
        uid, tag_value(found[str(seg.SOPInstanceUID)], "0020000E"), str(seg.SOPInstanceUID)))
    assert back.SeriesDescription == CORRECTED_DESCRIPTION and back.ContentLabel == "CORRECTED"
    assert str(back.ContentCreatorName) == "dr-b"
    assert back.SeriesInstanceUID != original.SeriesInstanceUID
    refs = {str(i.ReferencedSOPInstanceUID) for s in back.ReferencedSeriesSequence
            for i in s.ReferencedInstanceSequence}
    assert str(original.SOPInstanceUID) in refs
    assert {str(s.SOPInstanceUID) for s in sources} <= refs
    numbers = {int(s.SegmentNumber): s for s in back.SegmentSequence}
    assert numbers[3].SegmentLabel == "Ground-glass opacity"
    assert all(s.SegmentAlgorithmType == "SEMIAUTOMATIC" for s in numbers.values())
    frames = back.pixel_array.reshape(-1, int(back.Rows), int(back.Columns)).astype(bool)
    ggo = [n for n, f in enumerate(back.PerFrameFunctionalGroupsSequence)
           if int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber) == 3]
    assert int(frames[ggo].sum()) == int(np.isin(corrected, GGO).sum())
    assert int(np.isin(corrected, GGO).sum()) > int(np.isin(result.labels, GGO).sum())
    assert pydicom.uid.SegmentationStorage == back.SOPClassUID
