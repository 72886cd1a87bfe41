"""Loading real and synthetic series: values and geometry against SimpleITK, and warnings."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk

import studies
from studies.synthetic import phantom

REAL_SERIES = ["lidc-idri-0001", "lidc-idri-0003", "siemens-j2k-abdomen"]
REAL_NIFTI = ["chest-crop-a.nii.gz", "chest-crop-b.nii.gz"]


def sitk_series(folder: Path) -> sitk.Image:
    reader = sitk.ImageSeriesReader()
    reader.SetFileNames(reader.GetGDCMSeriesFileNames(str(folder)))
    return reader.Execute()


def assert_same_as_sitk(volume: studies.Volume, image: sitk.Image) -> None:
    np.testing.assert_array_equal(volume.voxels, sitk.GetArrayViewFromImage(image))
    np.testing.assert_allclose(volume.spacing, image.GetSpacing(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(volume.origin, image.GetOrigin(), atol=1e-4)
    np.testing.assert_allclose(volume.direction.ravel(), image.GetDirection(), atol=1e-6)


@pytest.mark.parametrize("name", REAL_SERIES)
def test_real_dicom_series_matches_simpleitk(shared_data: Path, name: str) -> None:
    folder = shared_data / "ct" / name
    volume = studies.open_volume(folder)
    assert_same_as_sitk(volume, sitk_series(folder))
    assert volume.voxels.dtype == np.int16
    assert volume.info.modality == "CT"
    no_uids = ["The images have no Study or Series Instance UID; they were grouped by series "
               "number and geometry"]
    assert volume.warnings == (no_uids if name == "siemens-j2k-abdomen" else [])


@pytest.mark.parametrize("name", REAL_NIFTI)
def test_real_nifti_matches_simpleitk(shared_data: Path, name: str) -> None:
    path = shared_data / "ct" / name
    assert_same_as_sitk(studies.open_volume(path), sitk.ReadImage(str(path)))


def test_lidc_padding_is_reported_in_hu(shared_data: Path) -> None:
    volume = studies.open_volume(shared_data / "ct" / "lidc-idri-0001")
    assert volume.padding_hu == -3024
    assert volume.voxels.min() >= volume.padding_hu


def test_zip_gives_same_volume_as_folder(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "ct" / "siemens-j2k-abdomen"
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"DICOM/{f.name}")
        zf.writestr("README.txt", "not dicom")
    from_zip, from_folder = studies.open_volume(archive), studies.open_volume(folder)
    np.testing.assert_array_equal(from_zip.voxels, from_folder.voxels)
    assert from_zip.origin == from_folder.origin


def test_synthetic_series_round_trip(make_series) -> None:
    folder = make_series(slices=12)
    volume = studies.open_volume(folder)
    np.testing.assert_array_equal(volume.voxels, phantom(12, 64, 64))
    assert volume.spacing == pytest.approx((0.8, 0.7, 2.5))
    assert volume.origin == pytest.approx((-120, -130, -300))
    assert_same_as_sitk(volume, sitk_series(folder))
    assert volume.info.series_description == "Synthetic chest"


def test_order_comes_from_positions_not_names_or_numbers(make_series) -> None:
    # feet-first numbering and names that sort backwards must not change the order
    folder = make_series(slices=10, first_number=100, shuffle_names=True)
    volume = studies.open_volume(folder)
    assert list(volume.voxels[:, 0, 0]) == list(range(-1000, -990))
    assert np.all(np.diff(volume.slice_positions) > 0)


def test_sagittal_orientation_direction(make_series) -> None:
    folder = make_series(slices=8, orientation=(0, 1, 0, 0, 0, -1))
    volume = studies.open_volume(folder)
    assert_same_as_sitk(volume, sitk_series(folder))
    np.testing.assert_allclose(volume.direction[:, 2], [-1, 0, 0], atol=1e-9)  # row x col


def test_non_dicom_files_are_skipped(make_series) -> None:
    folder = make_series(slices=6)
    (folder / "notes.txt").write_text("hello")
    (folder / "thumbs.db").write_bytes(b"\x00" * 300)
    (folder / "empty.dcm").write_bytes(b"")
    result = studies.scan(folder)
    assert len(result.images) == 1 and result.non_dicom_files == 3
    assert studies.open_volume(folder).shape[0] == 6


def test_missing_slice_is_warned(make_series) -> None:
    volume = studies.open_volume(make_series(slices=12, skip=[5]))
    assert volume.shape[0] == 11
    assert any("missing" in w for w in volume.warnings)
    assert volume.spacing[2] == pytest.approx(2.5)


def test_non_uniform_spacing_is_warned(make_series) -> None:
    positions = [0, 2.5, 5, 7.5, 10, 11.25, 12.5, 15, 17.5, 20]
    volume = studies.open_volume(make_series(slices=10, positions=positions))
    assert any("not uniform" in w for w in volume.warnings)
    np.testing.assert_allclose(volume.slice_positions, positions)


def test_gantry_tilt_is_warned(make_series) -> None:
    volume = studies.open_volume(make_series(slices=10, tilt_degrees=15))
    assert any("tilt of 15.0" in w for w in volume.warnings)


def test_series_is_split_by_geometry_and_localizers_left_out(make_series, tmp_path) -> None:
    folder = make_series(slices=10, series_uid="1.2.3.4", study_uid="1.2.3")
    make_series(slices=6, series_uid="1.2.3.4", study_uid="1.2.3", rows=48, columns=48,
                origin=(0, 0, 500))
    make_series(slices=1, series_uid="1.2.3.4", study_uid="1.2.3",
                image_type=("ORIGINAL", "PRIMARY", "LOCALIZER"),
                orientation=(1, 0, 0, 0, 0, -1))
    for sub in sorted(folder.parent.glob("series-*"))[1:]:
        for f in sub.iterdir():
            shutil.move(f, folder / f"{sub.name}-{f.name}")
    result = studies.scan(folder)
    shapes = sorted(c.shape for c in result.images)
    assert shapes == [(6, 48, 48), (10, 64, 64)]
    best = studies.open_volume(folder)
    assert best.shape == (10, 64, 64)
    assert any("Mixed series" in w for w in best.warnings)
    assert any("1 localizer" in w for w in best.warnings)
    assert any("other series" in w for w in best.warnings)


def test_two_series_and_selection_by_uid(make_series, tmp_path) -> None:
    a = make_series(slices=5, series_uid="1.2.840.1")
    b = make_series(slices=7, series_uid="1.2.840.2")
    both = tmp_path / "both"
    shutil.copytree(a, both / "a")
    shutil.copytree(b, both / "b")
    assert studies.open_volume(both).shape[0] == 7  # the larger one
    assert studies.open_volume(both, series="1.2.840.1").shape[0] == 5
    with pytest.raises(studies.StudyError):
        studies.open_volume(both, series="9.9")


def test_progress_middle_slice_first_and_cancel(make_series) -> None:
    folder = make_series(slices=20)
    seen: list[float] = []
    first: list[tuple[int, np.ndarray]] = []
    volume = studies.open_volume(folder, progress=seen.append,
                                 on_first_slice=lambda k, img: first.append((k, img.copy())))
    assert seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    assert first[0][0] == 10
    np.testing.assert_array_equal(first[0][1], volume.voxels[10])
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(studies.LoadCancelled):
        studies.open_volume(folder, cancel=cancel.is_set)


def test_zip_and_one_file_report_header_progress_in_order(make_series, tmp_path) -> None:
    from studies.loader import HEADER_SHARE

    folder = make_series(slices=6)
    archive = tmp_path / "series.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    seen: list[float] = []
    assert studies.open_volume(archive, progress=seen.append).shape[0] == 6
    assert min(seen) < HEADER_SHARE and seen == sorted(seen)  # the header pass, then pixels
    seen.clear()  # one file: its series' header pass only, so progress never goes back
    assert studies.open_volume(sorted(folder.iterdir())[2], progress=seen.append).shape[0] == 6
    assert seen == sorted(seen)


def test_dicomdir(make_series, tmp_path) -> None:
    from pydicom.fileset import FileSet

    folder = make_series(slices=6)
    fs = FileSet()
    for f in sorted(folder.iterdir()):
        fs.add(str(f))
    out = tmp_path / "cd"
    fs.write(out)
    volume = studies.open_volume(out / "DICOMDIR")
    np.testing.assert_array_equal(volume.voxels, phantom(6, 64, 64))
    assert studies.open_volume(out).shape[0] == 6  # the folder works too


def test_damaged_slice_is_blank_with_warning(make_series) -> None:
    folder = make_series(slices=8)
    victim = sorted(folder.iterdir())[3]
    victim.write_bytes(victim.read_bytes()[:-1000])
    volume = studies.open_volume(folder)
    assert volume.shape[0] == 8
    assert any("could not be decoded" in w for w in volume.warnings)


def test_missing_path_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(studies.StudyError, match="Not found"):
        studies.open_volume(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(studies.NoSeriesFound):
        studies.open_volume(tmp_path / "empty")


def test_resample_non_uniform_series_to_uniform(make_series) -> None:
    from studies.resample import resample_uniform

    positions = [0, 2.5, 5, 7.5, 10, 11.25, 12.5, 15, 17.5, 20]
    volume = studies.open_volume(make_series(slices=10, positions=positions))
    uniform = resample_uniform(volume, 1.25)
    assert uniform.shape[0] == 17 and uniform.spacing[2] == 1.25
    assert uniform.origin == volume.origin
    np.testing.assert_array_equal(uniform.voxels[0], volume.voxels[0])
    np.testing.assert_array_equal(uniform.voxels[-1], volume.voxels[-1])
    np.testing.assert_array_equal(uniform.voxels[9], volume.voxels[5])  # 11.25 mm
    midway = (volume.voxels[0].astype(float) + volume.voxels[1]) / 2
    np.testing.assert_array_equal(uniform.voxels[1], np.rint(midway))
    assert not any("not uniform" in w for w in uniform.warnings)


@pytest.mark.parametrize("name", REAL_SERIES)
def test_fast_gdcm_scan_and_pydicom_scan_agree(shared_data: Path, name: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from studies import fastscan

    folder = shared_data / "ct" / name
    fast = studies.scan(folder).images[0]
    if name.startswith("lidc"):  # the C++ scan did the work (Siemens files: it cannot)
        assert all(h.fields is not None for h in fast.plan[0])
    monkeypatch.setattr(fastscan, "gdcm", None)
    slow = studies.scan(folder).images[0]
    assert all(h.fields is None for h in slow.plan[0])
    assert [f.name for f in fast.files] == [f.name for f in slow.files]
    assert [h.pixel_offset for h in fast.plan[0]] == [h.pixel_offset for h in slow.plan[0]]
    assert fast.spacing == slow.spacing and fast.origin == slow.origin
    np.testing.assert_array_equal(studies.load(fast).voxels, studies.load(slow).voxels)


def test_values_beyond_int16_are_clipped_with_a_warning(make_series) -> None:
    hu = phantom(4, 64, 64).astype(np.int32)
    hu[1, 10, 10] = -33000  # stored -31976 fits int16, but not once rescaled
    volume = studies.open_volume(make_series(slices=4, voxels=hu))
    assert volume.voxels[1, 10, 10] == -32768
    np.testing.assert_array_equal(volume.voxels[2], hu[2])
    assert any("clipped" in w for w in volume.warnings)


def test_middle_slice_preview_without_loading(make_series) -> None:
    folder = make_series(slices=9)
    candidate = studies.scan(folder).images[0]
    k, image = studies.preview(candidate)
    assert k == 4
    np.testing.assert_array_equal(image, phantom(9, 64, 64)[4])


def test_two_acquisitions_in_one_series_become_two_volumes(tmp_path) -> None:
    from studies.synthetic import write_ct_series

    for number, prefix in ((1, "A"), (2, "B")):
        write_ct_series(tmp_path, slices=5, series_uid="1.2.9", study_uid="1.2",
                        acquisition_number=number, name_prefix=prefix)
    images = studies.scan(tmp_path).images
    assert [c.shape for c in images] == [(5, 64, 64), (5, 64, 64)]
    assert all(any("Mixed series" in w for w in c.warnings) for c in images)


def test_duplicate_slices_are_left_out_with_a_warning(tmp_path) -> None:
    from studies.synthetic import write_ct_series

    for prefix in ("A", "B"):
        write_ct_series(tmp_path, slices=5, series_uid="1.2.9", study_uid="1.2",
                        name_prefix=prefix)
    [candidate] = studies.scan(tmp_path).images
    assert candidate.shape == (5, 64, 64)
    assert any("5 duplicate" in w for w in candidate.warnings)


def test_rescale_may_differ_per_slice_and_be_fractional(make_series) -> None:
    import pydicom

    folder = make_series(slices=6)
    expected = phantom(6, 64, 64).astype(np.float32)
    for n, path in enumerate(sorted(folder.iterdir())):
        ds = pydicom.dcmread(path)
        k = int(ds.InstanceNumber) - 1
        slope, intercept = (0.5, -1000.0) if n % 2 else (1.0, -1024.0)
        stored = np.round((expected[k] - intercept) / slope).astype(np.int16)
        expected[k] = stored * slope + intercept
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
        ds.PixelData = stored.tobytes()
        ds.save_as(path)
    volume = studies.open_volume(folder)
    assert volume.voxels.dtype == np.float32  # a fractional slope: no silent rounding
    np.testing.assert_array_equal(volume.voxels, expected)
    image = sitk_series(folder)
    np.testing.assert_allclose(volume.voxels, sitk.GetArrayViewFromImage(image), atol=1e-3)


def test_gantry_tilt_correction_puts_voxels_at_their_true_position(make_series) -> None:
    from studies.resample import correct_tilt

    tilt = float(np.degrees(np.arctan(0.28)))  # 2.5 mm slices move 0.7 mm = 1 row each
    volume = studies.open_volume(make_series(slices=6, tilt_degrees=tilt))
    assert volume.shear is not None
    corrected = correct_tilt(volume)
    assert corrected.shear is None and not any("Gantry tilt of" in w for w in corrected.warnings)
    for k in range(6):  # slice k moved k rows along +column: shift it back
        np.testing.assert_allclose(corrected.voxels[k, 10 + k:54, 5:60],
                                   volume.voxels[k, 10:54 - k, 5:60], atol=1)
    straight = studies.open_volume(make_series(slices=4))
    assert straight.shear is None and correct_tilt(straight) is straight


def test_one_file_opens_its_whole_series(tmp_path, caplog) -> None:
    import logging

    from studies.synthetic import write_ct_series

    folder = tmp_path / "Ivanov Ivan 1970"  # folder names often carry patient names
    mine = write_ct_series(folder, slices=9, series_uid="1.2.840.1", name_prefix="A")
    write_ct_series(folder, slices=12, series_uid="1.2.840.2", name_prefix="B")
    (folder / "notes.txt").write_text("not DICOM")
    everything = studies.open_volume(folder)  # the larger series
    assert everything.shape[0] == 12
    with caplog.at_level(logging.INFO, logger="studies"):
        volume = studies.open_volume(mine[4])
    assert volume.shape[0] == 9 and volume.info.series_instance_uid == "1.2.840.1"
    np.testing.assert_array_equal(volume.voxels, phantom(9, 64, 64))
    said = [r.getMessage() for r in caplog.records if "whole series" in r.getMessage()]
    assert said and "Ivanov" not in said[0] and "Synthetic" not in said[0]
    assert studies.open_volume(mine[4], whole_series=False).shape[0] == 1


def test_one_real_file_opens_its_series(shared_data: Path) -> None:
    folder = shared_data / "ct" / "siemens-j2k-abdomen"
    one = sorted(folder.iterdir())[3]
    np.testing.assert_array_equal(studies.open_volume(one).voxels,
                                  studies.open_volume(folder).voxels)


def test_images_without_uids_are_grouped_by_series_number_with_a_warning(make_series,
                                                                         tmp_path) -> None:
    import pydicom

    folder = tmp_path / "no-uids"
    folder.mkdir()
    for number, slices in ((2, 5), (3, 7)):  # same geometry and positions, two series
        for path in make_series(slices=slices).iterdir():
            ds = pydicom.dcmread(path)
            ds.StudyInstanceUID = ds.SeriesInstanceUID = ""
            ds.SeriesNumber = number
            ds.save_as(folder / f"{number}-{path.name}")
    result = studies.scan(folder)
    assert sorted(c.shape[0] for c in result.images) == [5, 7]
    for candidate in result.images:
        assert any("no Study or Series Instance UID" in w for w in candidate.warnings)
        assert "Mixed series" not in " ".join(candidate.warnings)


def test_images_without_a_study_uid_keep_their_series_grouping(make_series) -> None:
    import pydicom

    folder = make_series(slices=5)
    for path in folder.iterdir():
        ds = pydicom.dcmread(path)
        ds.StudyInstanceUID = ""
        ds.save_as(path)
    [candidate] = studies.scan(folder).images
    assert "The images have no Study Instance UID" in candidate.warnings
    assert "grouped by series number" not in " ".join(candidate.warnings)  # by its Series UID


def test_real_series_without_uids_says_so(shared_data: Path) -> None:
    result = studies.scan(shared_data / "ct" / "siemens-j2k-abdomen")
    assert [c.shape[0] for c in result.images] == [20]
    assert any("no Study or Series Instance UID" in w for w in result.images[0].warnings)


def test_scan_of_one_file_can_describe_its_whole_series(make_series) -> None:
    folder = make_series(slices=6)
    one = sorted(folder.iterdir())[2]
    alone = studies.scan(one)
    assert [c.shape[0] for c in alone.images] == [1] and alone.given is None
    whole = studies.scan(one, whole_series=True)
    assert [c.shape[0] for c in whole.images] == [6] and whole.given in whole.images[0].files
    assert whole.images[0].info == studies.open_volume(one).info
    assert studies.scan(folder, whole_series=True).given is None


@pytest.mark.parametrize("slope, intercept, dtype, extremes", [
    (2.0, -1024.0, np.float32, True),  # integral, but 2 x int16 overflows int16: float32
    (0.25, -1024.5, np.float32, True),  # fractional, exact in binary: no rounding at all
    (-1.0, -1024.0, np.int16, False),  # integral, |slope| <= 1: the int16 in-place fast path
    (-1.0, -1024.0, np.int16, True),  # the stored type's ends would overflow: widened, clipped
    (1.0, -1024.0, np.int16, False),
])
def test_integer_and_fractional_slopes_load_bit_exact(make_series, slope, intercept, dtype,
                                                      extremes):
    """HU = stored * slope + intercept, exactly, in the dtype ``pixels.output_dtype`` documents
    (int16 when every rescale is integral with |slope| <= 1, else float32)."""
    import pydicom

    folder = make_series(slices=4)
    rng = np.random.default_rng(7)
    expected = np.zeros((4, 64, 64), np.float64)
    for path in sorted(folder.iterdir()):
        ds = pydicom.dcmread(path)
        k = int(ds.InstanceNumber) - 1
        stored = rng.integers(-2048, 4096, (64, 64)).astype(np.int16)
        if extremes:
            stored[0, :2] = (-32768, 32767)
        expected[k] = stored.astype(np.float64) * slope + intercept
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
        del ds.PixelPaddingValue
        ds.PixelData = stored.tobytes()
        ds.save_as(path)
    volume = studies.open_volume(folder)
    assert volume.voxels.dtype == dtype
    if dtype == np.int16:
        expected = np.clip(expected, -32768, 32767)  # int16 output saturates, never wraps
    np.testing.assert_array_equal(volume.voxels, expected.astype(dtype))


def test_among_single_images_the_axial_one_opens_first(tmp_path) -> None:
    """A study of one coronal, one sagittal and one axial image (as in the COVID-19 slice
    studies) opens on the axial image, whatever order the files come in."""
    from studies.synthetic import write_ct_series

    study = "1.2.826.0.1.3680043.8.498.90"
    write_ct_series(tmp_path / "a", slices=1, orientation=(1, 0, 0, 0, 0, -1), study_uid=study)
    write_ct_series(tmp_path / "b", slices=1, orientation=(0, 1, 0, 0, 0, -1), study_uid=study)
    write_ct_series(tmp_path / "c", slices=1, study_uid=study)
    volume = studies.open_volume(tmp_path)
    assert abs(volume.direction[2, 2]) > 0.99, "a coronal or sagittal image was chosen"
