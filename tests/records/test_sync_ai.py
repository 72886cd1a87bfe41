"""AI results to the archive as SEG + SR, and back, against a real Orthanc."""

from __future__ import annotations

from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
from pydicom.sr.codedict import codes

from archive.dicomweb import read_dataset, tag_value
from records import Store
from records.sr import ai_result_sop_instance_uid, read_ai_verdicts
from tests.records.conftest import client_for, engine_for


def _lung_seg(slices: list[pydicom.Dataset], path: Path) -> np.ndarray:
    """A real SEG: voxels below -500 HU inside the body box marked as lung."""
    hu = np.stack([s.pixel_array * float(s.RescaleSlope) + float(s.RescaleIntercept)
                   for s in slices])
    mask = np.zeros_like(hu, dtype=bool)
    mask[:, 100:400, 60:450] = hu[:, 100:400, 60:450] < -500
    segment = hd.seg.SegmentDescription(
        segment_number=1, segment_label="lung",
        segmented_property_category=codes.SCT.Organ, segmented_property_type=codes.SCT.Lung,
        algorithm_type=hd.seg.SegmentAlgorithmTypeValues.AUTOMATIC,
        algorithm_identification=hd.AlgorithmIdentificationSequence(
            name="test-threshold", version="1", family=codes.DCM.ArtificialIntelligence))
    seg = hd.seg.Segmentation(
        source_images=slices, pixel_array=mask,
        segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
        segment_descriptions=[segment], series_instance_uid=hd.UID(), series_number=992,
        sop_instance_uid=hd.UID(), instance_number=1, manufacturer="Luch",
        manufacturer_model_name="test", software_versions="1", device_serial_number="0")
    seg.save_as(path)
    return mask


def test_ai_result_seg_and_sr_round_trip(store: Store, orthanc_factory, shared_data: Path,
                                         tmp_path: Path) -> None:
    server = orthanc_factory()
    files = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[40:43]
    server.upload(files)
    slices = [pydicom.dcmread(f) for f in files]
    study = str(slices[0].StudyInstanceUID)
    mask = _lung_seg(slices, tmp_path / "lung.seg.dcm")
    (tmp_path / "lung.nii.gz").write_bytes(b"working file, stays local")
    ai = store.save_ai_result(study, model_name="covid-seg", model_version="2.0",
                              values={"grade": "CT-1", "right_percent": 12.0},
                              mask_files=[tmp_path / "lung.seg.dcm", tmp_path / "lung.nii.gz"],
                              series_instance_uid=str(slices[0].SeriesInstanceUID))
    client = client_for(server)
    report = engine_for(store, client).drain()
    assert (report.sent, report.done) == (2, 1)
    seg_uid = pydicom.dcmread(tmp_path / "lung.seg.dcm").SOPInstanceUID
    by_uid = {tag_value(i, "00080018"): i for i in client.search_instances(study)}
    assert set(by_uid) >= {seg_uid, ai_result_sop_instance_uid(store.ai_result(ai).uid)}
    seg = read_dataset(client.retrieve_instance(study, tag_value(by_uid[seg_uid], "0020000E"),
                                                seg_uid))
    assert seg.Modality == "SEG" and seg.SegmentSequence[0].SegmentLabel == "lung"
    frames = seg.pixel_array.reshape(-1, *mask.shape[1:]).astype(bool)
    assert frames.sum() == mask.sum() > 1000
    assert sorted(f.sum() for f in frames) == sorted(m.sum() for m in mask)
    # A resend of the same result changes nothing in the archive.
    store.enqueue("ai_result", ai)
    assert len(server.sop_instance_uids()) == 5


def test_missing_mask_file_fails_clearly(store: Store, orthanc, tmp_path: Path) -> None:
    ai = store.save_ai_result("1.2.3.4", model_name="m", model_version="1", values={},
                              mask_files=[tmp_path / "gone.seg.dcm"])
    report = engine_for(store, client_for(orthanc)).drain()
    assert report.failed == 1 and "gone.seg.dcm is missing" in report.errors[0]
    assert store.outbox_counts()["failed"] == 1
    assert store.ai_result(ai).values == {}  # the result itself stays


def test_ai_sr_carries_the_verdicts_given_before_it_was_sent(store: Store, orthanc_factory,
                                                             shared_data: Path) -> None:
    server = orthanc_factory()
    files = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[40:41]
    server.upload(files)
    study = str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)
    ai = store.save_ai_result(study, model_name="classical", model_version="1.1",
                              values={"grade": "CT-1"}, sync=False)
    store.save_ai_feedback(ai, reader="Petrov P.P.", verdict="agree")
    store.save_ai_feedback(ai, reader="Petrov P.P.", verdict="partly", corrected_grade="CT-2")
    store.enqueue("ai_result", ai, study)
    client = client_for(server)
    assert engine_for(store, client).drain().sent == 1
    uid = ai_result_sop_instance_uid(store.ai_result(ai).uid)
    item = next(i for i in client.search_instances(study) if tag_value(i, "00080018") == uid)
    sr = read_dataset(client.retrieve_instance(study, tag_value(item, "0020000E"), uid))
    assert [(v["reader"], v["verdict"], v["corrected_grade"]) for v in read_ai_verdicts(sr)] == [
        ("Petrov^P.P.", "agree", ""), ("Petrov^P.P.", "partly", "CT-2")]
    # A later verdict is kept here but not resent: the SR's SOP Instance UID is fixed.
    store.save_ai_feedback(ai, reader="Sidorov S.S.", verdict="disagree")
    store.enqueue("ai_result", ai, study)
    assert engine_for(store, client).drain().sent == 0
    assert server.store_counts()[uid] == 1
    assert len(store.ai_feedback(ai)) == 3
