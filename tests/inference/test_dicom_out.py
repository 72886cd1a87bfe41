"""SEG and SR written from a real DICOM series and read back with pydicom and highdicom."""

import highdicom as hd
import numpy as np
import pydicom
import pytest

from inference.dicom_out import (
    LEFT_LUNG,
    NOT_GRADED,
    RIGHT_LUNG,
    SOLID_FOCUS,
    VOLUME,
    make_seg,
    make_sr,
    source_datasets,
)
from inference.errors import DicomOutputError
from inference.labels import GGO, Label
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
    assert labels == ["Right lung", "Left lung", "Ground-glass opacity", "Consolidation"]
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
    assert len(groups) == 4  # both lungs, GGO and consolidation, each referencing its segment
    text = str(raw)
    assert result.measures.grade.upper() in text  # not-assessable here: lung bases only
    assert result.measures.grade == "not-assessable"
    assert result.foci == []  # no focus set aside: no focus group, no focus segment
    assert sr.content.get_image_measurement_groups(finding_type=SOLID_FOCUS) == []
    assert "Solid focus" not in text


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


def _focus_group(group, focus):
    """The group names the focus's side, volume, core diameter and 'not graded; review'."""
    assert group.tracking_identifier == "Solid focus 1 (not graded)"
    assert [site.value for site in group.finding_sites] == [LEFT_LUNG]
    values = {m.name.meaning: (m.value, m.unit.value) for m in group.get_measurements()}
    assert values[VOLUME.meaning] == (pytest.approx(focus.ml), "ml")
    assert values["Diameter"] == (pytest.approx(focus.diameter_mm), "mm")
    (evaluation,) = group.get_qualitative_evaluations()
    assert evaluation.value == NOT_GRADED


def test_sr_and_seg_record_the_solid_focus_set_aside(demo_preread, tmp_path):
    """The demo's nodule, set aside (CT-0, flag only in the JSON), is a SEG segment and an
    SR group of its own, so a PACS viewer reading a CT-0 SR sees it."""
    from core.paths import DEMO_STUDY

    volume, result = demo_preread
    (focus,) = result.foci
    assert result.measures.grade == "CT-0" and focus.side == "left"
    sources = source_datasets(DEMO_STUDY, volume)
    seg = make_seg(result, sources)
    make_sr(result, sources, seg).save_as(tmp_path / "sr.dcm")
    make_sr(result, sources).save_as(tmp_path / "plain.dcm")  # no SEG to point at
    seg.save_as(tmp_path / "seg.dcm")

    back = hd.seg.segread(tmp_path / "seg.dcm")
    assert back.segment_numbers[-1] == 5
    assert back.get_segment_description(5).SegmentLabel == "Solid focus 1 (not graded)"
    pixels = back.get_pixels_by_source_instance(
        source_sop_instance_uids=[s.SOPInstanceUID for s in sources], segment_numbers=[5],
        ignore_spatial_locations=True)
    assert int(pixels.sum()) == int(focus.mask.sum()) > 0
    # Its voxels are lung in the labels: in the SEG they are the focus, inside the left lung.
    focus_voxels = result.labels[focus.box][focus.mask]
    assert (focus_voxels == Label.LUNG_LEFT).all()

    raw = pydicom.dcmread(tmp_path / "sr.dcm")
    assert raw.ContentTemplateSequence[0].TemplateIdentifier == "1500"
    sr = hd.sr.srread(tmp_path / "sr.dcm")
    (group,) = sr.content.get_volumetric_roi_measurement_groups(finding_type=SOLID_FOCUS)
    _focus_group(group, focus)
    assert group.referenced_segment.referenced_segment_numbers == [5]
    assert group.referenced_segment.referenced_sop_instance_uid == seg.SOPInstanceUID
    assert "CT-0" in str(raw)

    plain = hd.sr.srread(tmp_path / "plain.dcm")
    assert plain.content.get_volumetric_roi_measurement_groups(finding_type=SOLID_FOCUS) == []
    (group,) = plain.content.get_image_measurement_groups(finding_type=SOLID_FOCUS)
    _focus_group(group, focus)


def test_the_sr_measures_each_lung_as_the_seg_draws_it(demo_preread, tmp_path):
    """A lung is whole in both: the SR's volume of each lung (the denominator of its
    involvement) is the volume of the SEG segment it references, with the solid focus set
    aside inside it (a nodule is lung tissue). The SEG still reads back as one label map,
    the focus drawn over its lung, and no overlap is reported for a finding in an organ."""
    from core.paths import DEMO_STUDY
    from inference.geometry import voxel_ml
    from studies.seg import read_segmentation

    volume, result = demo_preread
    (focus,) = result.foci
    sources = source_datasets(DEMO_STUDY, volume)
    seg = make_seg(result, sources)
    make_sr(result, sources, seg).save_as(tmp_path / "sr.dcm")
    seg.save_as(tmp_path / "seg.dcm")
    back = hd.seg.segread(tmp_path / "seg.dcm")
    uids = [s.SOPInstanceUID for s in sources]

    def segment(number: int) -> np.ndarray:
        return back.get_pixels_by_source_instance(
            source_sop_instance_uids=uids, segment_numbers=[number],
            ignore_spatial_locations=True)[..., 0].astype(bool)

    groups = hd.sr.srread(tmp_path / "sr.dcm").content.get_volumetric_roi_measurement_groups()
    lungs = {g.finding_sites[0].value: g for g in groups if g.finding_sites
             and g.finding_type is None}
    for number, site, side in ((1, RIGHT_LUNG, "right"), (2, LEFT_LUNG, "left")):
        group = lungs[site]
        assert group.referenced_segment.referenced_segment_numbers == [number]
        (volume_ml,) = [m.value for m in group.get_measurements() if m.name == VOLUME]
        assert volume_ml == result.measures.volumes_ml[f"lung_{side}"]
        assert volume_ml == pytest.approx(segment(number).sum() * voxel_ml(volume.spacing),
                                          abs=0.05)
    assert segment(2)[focus.box][focus.mask].all()  # the focus is in the left lung's segment
    assert segment(2)[np.isin(result.labels, GGO)].sum() == np.isin(
        result.labels, (Label.GGO_LEFT,)).sum()  # and so is its ground glass
    read = read_segmentation(tmp_path / "seg.dcm")
    assert read.warnings == []
    assert (read.on_grid_of(volume)[focus.box][focus.mask] == 5).all()


def test_a_one_component_patient_name_is_not_quoted_in_a_warning(shared_data):
    """highdicom warns about such a name and quotes it; patient data must not reach stderr or
    a log, so that warning is not let out (the name itself is copied as the source has it)."""
    import warnings

    import studies

    path = shared_data / "covid-slices" / "A048383" / "axial" / "19001231-30.dcm"
    volume = studies.open_volume(path)
    sources = source_datasets(path, volume)
    name = str(sources[0].PatientName)
    assert "^" not in name  # one component: the case highdicom warns about
    result = analyze(volume, PreReadOptions(engine="classical"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seg = make_seg(result, sources)
        sr = make_sr(result, sources, seg)
    assert not [w for w in caught if name in str(w.message)]
    assert str(seg.PatientName) == str(sr.PatientName) == name


def test_a_seg_of_unevenly_spaced_slices_is_placed_slice_by_slice(tmp_path):
    """A series with uneven gaps (2.5, 5 and 1 mm): the SEG places each frame at its source
    image's position, and read back onto the series (a stored pre-read shown again) each
    slice gets its own labels; the reader put them on a 1 mm grid and took the series as
    evenly spaced, so from the first wide gap on each slice showed another's labels."""
    from types import SimpleNamespace

    import studies
    from studies.seg import open_label_map
    from studies.synthetic import write_ct_series

    positions = [0, 2.5, 5, 10, 12.5, 15, 20, 21, 22, 30]
    write_ct_series(tmp_path / "ct", slices=len(positions), positions=positions)
    volume = studies.open_volume(tmp_path / "ct")
    assert any("not uniform" in w for w in volume.warnings)
    labels = np.zeros(volume.shape, np.uint8)
    for k in range(volume.shape[0]):  # a different place on each slice
        labels[k, 10:20, 10 + 3 * k:14 + 3 * k] = Label.LUNG_RIGHT
    sources = source_datasets(tmp_path / "ct", volume)
    result = SimpleNamespace(labels=labels, foci=[], engine="classical", model_version="t")
    make_seg(result, sources).save_as(tmp_path / "seg.dcm")
    seg = pydicom.dcmread(tmp_path / "seg.dcm")
    frames = [[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient]
              for f in seg.PerFrameFunctionalGroupsSequence]
    assert sorted(frames) == sorted([float(v) for v in s.ImagePositionPatient]
                                    for s in sources)
    back = open_label_map(tmp_path / "seg.dcm").on_grid_of(volume)
    for k in range(volume.shape[0]):
        assert np.array_equal(back[k] > 0, labels[k] > 0), f"slice {k}"


def test_each_seg_segment_holds_exactly_its_voxels(demo_preread, tmp_path):
    """The masks are built segment first (for speed) and handed over as highdicom's
    segment-last view: each segment reads back voxel for voxel as its labels, the focus
    too (the demo chest is CT-0: its lesion segments are empty)."""
    from core.paths import DEMO_STUDY
    from inference.dicom_out import SEGMENTS

    volume, result = demo_preread
    sources = source_datasets(DEMO_STUDY, volume)
    make_seg(result, sources).save_as(tmp_path / "seg.dcm")
    back = hd.seg.segread(tmp_path / "seg.dcm")
    uids = [s.SOPInstanceUID for s in sources]
    expected = [np.isin(result.labels, list(values)) for values, *_ in SEGMENTS.values()]
    (focus,) = result.foci
    expected.append(np.zeros(result.labels.shape, bool))
    expected[-1][focus.box] = focus.mask
    for number, mask in enumerate(expected, 1):
        got = back.get_pixels_by_source_instance(
            source_sop_instance_uids=uids, segment_numbers=[number],
            ignore_spatial_locations=True)[..., 0].astype(bool)
        assert np.array_equal(got, mask), f"segment {number}"
    assert expected[0].any() and expected[1].any() and expected[-1].any()  # lungs, focus
