"""Compressed transfer syntaxes, Enhanced multi-frame CT, NIfTI orientation and DICOM SEG."""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
import pytest
import SimpleITK as sitk
from pydicom.uid import (
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLSLossless,
    RLELossless,
)

import studies
from studies.seg import read_segmentation
from studies.synthetic import phantom


@pytest.mark.parametrize(
    "syntax", [ImplicitVRLittleEndian, RLELossless, JPEGLSLossless, JPEG2000Lossless],
    ids=["implicit", "rle", "jpeg-ls", "jpeg2000"],
)
def test_transfer_syntaxes_decode_losslessly(make_series, syntax: str) -> None:
    folder = make_series(slices=6, transfer_syntax=syntax)
    assert pydicom.dcmread(next(folder.iterdir())).file_meta.TransferSyntaxUID == syntax
    volume = studies.open_volume(folder)
    np.testing.assert_array_equal(volume.voxels, phantom(6, 64, 64))


def _enhanced_from(folder: Path) -> Path:
    from highdicom.legacy import LegacyConvertedEnhancedCTImage

    slices = [pydicom.dcmread(f) for f in sorted(folder.iterdir())]
    image = LegacyConvertedEnhancedCTImage(
        legacy_datasets=slices, series_instance_uid=pydicom.uid.generate_uid(),
        series_number=9, sop_instance_uid=pydicom.uid.generate_uid(), instance_number=1,
    )
    out = folder.parent / "enhanced.dcm"
    image.save_as(out)
    return out


def test_enhanced_multiframe_ct_equals_the_slices(make_series) -> None:
    folder = make_series(slices=9, shuffle_names=True)
    classic = studies.open_volume(folder)
    enhanced_file = _enhanced_from(folder)
    result = studies.scan(enhanced_file)
    assert [c.reader for c in result.images] == ["dicom-enhanced"]
    volume = studies.open_volume(enhanced_file)
    np.testing.assert_array_equal(volume.voxels, classic.voxels)
    np.testing.assert_allclose(volume.spacing, classic.spacing)
    np.testing.assert_allclose(volume.origin, classic.origin)
    np.testing.assert_allclose(volume.direction, classic.direction)


def test_nifti_ras_affine_becomes_lps(tmp_path: Path) -> None:
    data = np.arange(4 * 5 * 6, dtype=np.int16).reshape(4, 5, 6)  # (i, j, k)
    affine = np.array([[-0.8, 0, 0, 100.0], [0, 0.7, 0, -50.0], [0, 0, 2.0, 10.0],
                       [0, 0, 0, 1]])
    path = tmp_path / "x.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), path)
    volume = studies.open_volume(path)
    image = sitk.ReadImage(str(path))
    np.testing.assert_array_equal(volume.voxels, sitk.GetArrayFromImage(image))
    np.testing.assert_allclose(volume.origin, image.GetOrigin(), atol=1e-5)
    np.testing.assert_allclose(volume.direction.ravel(), image.GetDirection(), atol=1e-6)
    assert volume.origin == pytest.approx((-100.0, 50.0, 10.0))  # RAS -> LPS
    assert volume.voxels[2, 1, 3] == data[3, 1, 2]  # [k, j, i]


def _seg_for(folder: Path) -> tuple[Path, np.ndarray]:
    mask = np.zeros((len(list(folder.iterdir())), 64, 64), dtype=np.uint8)
    mask[2:5, 10:30, 10:20] = 1
    mask[3:6, 35:50, 40:55] = 2
    segments = [("left lung lesion", None), ("right lung lesion", None)]
    return _save_seg(folder, mask, segments, folder.parent / "seg.dcm"), mask


def _save_seg(folder: Path, pixels: np.ndarray, segments: list, out: Path) -> Path:
    """A binary SEG over the slices in ``folder``: ``pixels`` a label map, or one mask per
    segment; ``segments`` (label, category or None for Tissue) in number order."""
    import highdicom as hd
    from highdicom.sr.coding import CodedConcept

    slices = sorted((pydicom.dcmread(f) for f in folder.iterdir()),
                    key=lambda ds: float(ds.ImagePositionPatient[2]))
    tissue = CodedConcept("85756007", "SCT", "Tissue")
    descriptions = [
        hd.seg.SegmentDescription(
            segment_number=n, segment_label=label,
            segmented_property_category=category or tissue,
            segmented_property_type=CodedConcept("39607008", "SCT", "Lung"),
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL,
        ) for n, (label, category) in enumerate(segments, 1)
    ]
    hd.seg.Segmentation(
        source_images=slices, pixel_array=pixels,
        segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
        segment_descriptions=descriptions, series_instance_uid=hd.UID(), series_number=50,
        sop_instance_uid=hd.UID(), instance_number=1, manufacturer="Luch",
        manufacturer_model_name="test", software_versions="0", device_serial_number="1",
        omit_empty_frames=True,
    ).save_as(out)
    return out


def test_dicom_seg_becomes_a_label_map_on_the_image_grid(make_series) -> None:
    folder = make_series(slices=8)
    volume = studies.open_volume(folder)
    seg_path, mask = _seg_for(folder)
    labels = read_segmentation(str(seg_path))
    assert labels.segments == {1: "left lung lesion", 2: "right lung lesion"}
    assert labels.referenced_series_uid == volume.info.series_instance_uid
    np.testing.assert_array_equal(labels.on_grid_of(volume), mask)
    # found by scan next to the images, offered as a segmentation
    seg_dir = folder / "seg"
    seg_dir.mkdir()
    seg_path.rename(seg_dir / "seg.dcm")
    result = studies.scan(folder)
    assert len(result.images) == 1 and len(result.segmentations) == 1
    loaded = result.segmentations[0].load()
    np.testing.assert_array_equal(loaded.on_grid_of(volume), mask)


def test_open_label_map_from_seg_or_nifti_mask(make_series, tmp_path: Path) -> None:
    from studies.export import write_nifti
    from studies.seg import open_label_map

    folder = make_series(slices=8)
    volume = studies.open_volume(folder)
    seg_path, mask = _seg_for(folder)
    np.testing.assert_array_equal(open_label_map(seg_path).on_grid_of(volume), mask)
    as_volume = studies.Volume(voxels=mask.astype(np.int16), spacing=volume.spacing,
                               origin=volume.origin, direction=volume.direction)
    nifti = write_nifti(as_volume, tmp_path / "mask.nii.gz")
    labels = open_label_map(nifti)
    assert set(labels.segments) == {1, 2}
    np.testing.assert_array_equal(labels.on_grid_of(volume), mask)
    with pytest.raises(studies.StudyError):
        open_label_map(folder)  # CT values are not labels


def _overlapping_seg(folder: Path, lesions_overlap: bool) -> Path:
    """An organ (Anatomical Structure) with a lesion inside it, and a second lesion that
    overlaps the first one or not."""
    from pydicom.sr.codedict import codes

    masks = np.zeros((len(list(folder.iterdir())), 64, 64, 3), dtype=bool)
    masks[1:7, 5:60, 5:60, 0] = True  # the organ
    masks[2:5, 10:30, 10:20, 1] = True  # a lesion inside it
    masks[3:6, 25:40, 15:30, 2] = lesions_overlap  # a second lesion, over the first
    masks[3:6, 45:50, 45:50, 2] |= True
    segments = [("lung", codes.SCT.AnatomicalStructure), ("lesion a", None), ("lesion b", None)]
    return _save_seg(folder, masks, segments, folder.parent / f"overlap-{lesions_overlap}.dcm")


def test_a_lesion_inside_its_organ_is_drawn_over_it_without_an_overlap_warning(
        make_series) -> None:
    """Findings lie inside an organ's segment (Luch's AI SEG: lesions and foci in the whole
    lung); only findings overlapping each other are reported. The higher number shows."""
    folder = make_series(slices=8)
    volume = studies.open_volume(folder)
    inside = read_segmentation(str(_overlapping_seg(folder, lesions_overlap=False)))
    assert inside.warnings == []
    labels = inside.on_grid_of(volume)
    assert (labels[2:5, 10:30, 10:20] == 2).all() and labels[1, 50, 50] == 1
    crossing = read_segmentation(str(_overlapping_seg(folder, lesions_overlap=True)))
    assert crossing.warnings == ["Segments overlap; the higher segment number is shown"]
    assert (crossing.on_grid_of(volume)[3:5, 25:30, 15:20] == 3).all()
