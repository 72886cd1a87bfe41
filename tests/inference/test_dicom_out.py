"""SEG and SR written from a real DICOM series and read back with pydicom and highdicom."""

import highdicom as hd
import numpy as np
import pydicom
import pytest

from inference.dicom_out import make_seg, make_sr, source_datasets
from inference.errors import DicomOutputError
from inference.labels import GGO
from inference.preread import PreReadOptions, analyze


@pytest.fixture(scope="module")
def outputs(shared_data, tmp_path_factory):
    import studies

    path = shared_data / "ct" / "siemens-j2k-abdomen"
    volume = studies.open_volume(path)
    result = analyze(volume, PreReadOptions(engine="classical"))
    sources = source_datasets(path, volume)
    seg = make_seg(result, sources)
    sr = make_sr(result, sources, seg)
    out = tmp_path_factory.mktemp("dicom")
    seg.save_as(out / "seg.dcm")
    sr.save_as(out / "sr.dcm")
    return volume, result, sources, out


def test_seg_reads_back_and_references_the_source_series(outputs):
    volume, result, sources, out = outputs
    raw = pydicom.dcmread(out / "seg.dcm")
    assert raw.SOPClassUID == pydicom.uid.SegmentationStorage
    assert raw.StudyInstanceUID == volume.info.study_instance_uid
    assert raw.ReferencedSeriesSequence[0].SeriesInstanceUID == volume.info.series_instance_uid
    seg = hd.seg.segread(out / "seg.dcm")
    labels = [seg.get_segment_description(n).SegmentLabel for n in seg.segment_numbers]
    assert labels == ["Right lung (aerated)", "Left lung (aerated)", "Ground-glass opacity",
                      "Consolidation"]
    uids = [(s.SeriesInstanceUID, s.SOPInstanceUID) for s in sources]
    ggo = seg.get_pixels_by_source_instance(
        source_sop_instance_uids=[u for _, u in uids], segment_numbers=[3],
        ignore_spatial_locations=True)
    assert int(ggo.sum()) == int(np.isin(result.labels, GGO).sum())


def test_sr_reads_back_with_grade_and_volumes(outputs):
    _, result, _, out = outputs
    raw = pydicom.dcmread(out / "sr.dcm")
    assert raw.SOPClassUID == pydicom.uid.Comprehensive3DSRStorage
    assert raw.ContentTemplateSequence[0].TemplateIdentifier == "1500"
    sr = hd.sr.srread(out / "sr.dcm")
    groups = sr.content.get_volumetric_roi_measurement_groups()
    assert len(groups) == 2  # GGO and consolidation, each referencing its SEG segment
    text = str(raw)
    assert result.measures.grade.upper() in text  # not-assessable here: lung bases only
    assert result.measures.grade == "not-assessable"


def test_one_slice_file_finds_its_whole_series_with_the_derived_uids(outputs, shared_data):
    import studies

    volume, _, sources, _ = outputs
    one = sorted((shared_data / "ct" / "siemens-j2k-abdomen").iterdir())[0]
    again = studies.open_volume(one)
    assert again.shape == volume.shape
    beside = source_datasets(one, again)
    assert [s.SOPInstanceUID for s in beside] == [s.SOPInstanceUID for s in sources]
    assert {s.StudyInstanceUID for s in beside} == {volume.info.study_instance_uid}


def test_nifti_source_cannot_have_seg_or_sr(shared_data):
    import studies

    path = shared_data / "ct" / "chest-crop-a.nii.gz"
    with pytest.raises(DicomOutputError, match="NIfTI"):
        source_datasets(path, studies.open_volume(path))
