"""Every pydicom-data file loads or fails with a short message; mutated files never crash."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.data import get_testdata_file, get_testdata_files

import studies

TESTDATA = sorted(get_testdata_files())


def _open_or_error(path: str | Path) -> studies.Volume | studies.StudyError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return studies.open_volume(path, whole_series=False)
        except studies.StudyError as err:
            return err


def test_every_pydicom_data_file_loads_or_says_why() -> None:
    assert len(TESTDATA) > 200
    loaded = 0
    for path in TESTDATA:
        outcome = _open_or_error(path)
        if isinstance(outcome, studies.Volume):
            loaded += 1
            assert outcome.voxels.ndim == 3 and outcome.voxels.size > 0, path
        else:
            message = str(outcome)
            assert message and len(message) < 200 and "\n" not in message, (path, message)
            assert "Traceback" not in message
    assert loaded >= 100  # CT, MR, RLE, JPEG, JPEG-LS, J2K, big endian, enhanced...


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small_RLE.dcm", "JPEG2000.dcm",
                                  "emri_small_jpeg_2k_lossless.dcm", "SC_rgb.dcm"])
def test_known_files(name: str) -> None:
    outcome = _open_or_error(get_testdata_file(name))
    if name == "SC_rgb.dcm":
        assert isinstance(outcome, studies.UnsupportedData) and "colour" in str(outcome)
    else:
        assert isinstance(outcome, studies.Volume), outcome


SEEDS = [get_testdata_file(n) for n in ("CT_small.dcm", "MR_small_RLE.dcm", "JPEG2000.dcm",
                                         "emri_small.dcm", "MR_small_jpeg_ls_lossless.dcm")]


@st.composite
def damaged_files(draw) -> bytes:
    data = bytearray(Path(draw(st.sampled_from(SEEDS))).read_bytes())
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


@pytest.mark.timeout(180)
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=damaged_files())
def test_damaged_files_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.dcm"
    path.write_bytes(data)
    _open_or_error(path)  # any exception other than StudyError fails the test


@pytest.mark.timeout(120)
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.integers(0, 2000), flips=st.lists(st.integers(0, 2200), max_size=4))
def test_damaged_slice_in_a_series_never_crashes(ct_series: Path, tmp_path_factory, cut: int,
                                                 flips: list[int]) -> None:
    import shutil

    folder = tmp_path_factory.mktemp("fuzz-series")
    for f in ct_series.iterdir():
        shutil.copy(f, folder / f.name)
    victim = sorted(folder.iterdir())[5]
    data = bytearray(victim.read_bytes())
    for at in flips:
        data[at] ^= 0xFF
    victim.write_bytes(bytes(data[: len(data) - cut]))
    outcome = _open_or_error(folder)
    if isinstance(outcome, studies.Volume):
        assert outcome.shape[1:] == (64, 64)


def test_damaged_nifti_files_give_clear_errors(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "ct" / "chest-crop-a.nii.gz").read_bytes()
    (tmp_path / "cut.nii.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "noise.nii").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.nii.gz").write_bytes(b"")
    for name in ("cut.nii.gz", "noise.nii", "empty.nii.gz"):
        outcome = _open_or_error(tmp_path / name)
        assert isinstance(outcome, studies.StudyError), name
        assert "damaged" in str(outcome) or "truncated" in str(outcome), str(outcome)
