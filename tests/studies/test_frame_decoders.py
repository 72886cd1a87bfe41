"""Fast (GIL-releasing) frame decoders: bit-identical to pydicom and GDCM, or they step aside."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file, get_testdata_files
from pydicom.uid import (
    HTJ2KLossless,
    JPEG2000Lossless,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
)

import studies
from studies import decode_pool, frame_decoders
from studies.headers import read_header
from studies.pixels import SliceSource, decode_slice
from studies.sources import FileRef
from studies.synthetic import phantom
from tests.plugins import ci_guard


@pytest.fixture(autouse=True)
def _needs_imagecodecs() -> None:
    ci_guard.require(frame_decoders.for_syntax(JPEG2000Lossless), "imagecodecs' JPEG 2000 codec",
                     "PyPI imagecodecs")


def _grey_files(syntax: str) -> list[str]:
    found = []
    for path in sorted(get_testdata_files()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            except Exception:
                continue
        meta = getattr(ds, "file_meta", None)
        if meta is not None and meta.get("TransferSyntaxUID") == syntax and ds.get(
                "SamplesPerPixel", 1) == 1 and ds.get("Rows") and "too_short" not in path:
            found.append(path)
    return found


J2K_FILES = _grey_files(JPEG2000Lossless)
JLS_FILES = _grey_files(JPEGLSLossless)
LJPEG_FILES = _grey_files(JPEGLosslessSV1) + _grey_files(JPEGLossless)


def _reference(path: str, frame: int | None, plugin: str) -> np.ndarray | None:
    try:
        return pydicom.pixels.pixel_array(path, index=frame, decoding_plugin=plugin)
    except Exception:
        return None  # this plugin cannot decode the file: nothing to compare with


@pytest.mark.parametrize("path", J2K_FILES + JLS_FILES + LJPEG_FILES, ids=lambda p: Path(p).name)
def test_fast_decode_equals_pydicom_and_gdcm_or_steps_aside(path: str) -> None:
    header = read_header(FileRef(Path(path)))
    assert header is not None
    frames = [None] if header.number_of_frames == 1 else list(range(header.number_of_frames))
    for frame in frames:
        for threads in (1, 2):
            fast = frame_decoders.decode(header, frame, threads)
            if fast is None:
                continue
            for plugin in ("pylibjpeg", "gdcm"):
                expected = _reference(path, frame, plugin)
                if expected is not None:
                    assert fast.dtype == expected.dtype, plugin
                    np.testing.assert_array_equal(fast, expected, err_msg=plugin)


def test_the_real_cases_are_covered() -> None:
    decoded = {Path(p).name for p in J2K_FILES + JLS_FILES + LJPEG_FILES
               if frame_decoders.decode(read_header(FileRef(Path(p))), 0) is not None}
    # signed and unsigned, 8-16 bits stored, multi-frame, JPEG 2000, JPEG-LS, lossless JPEG
    assert {"MR_small_jp2klossless.dcm", "RG3_J2KR.dcm", "emri_small_jpeg_2k_lossless.dcm",
            "MR_small_jpeg_ls_lossless.dcm", "emri_small_jpeg_ls_lossless.dcm", "JPEG-LL.dcm",
            "JPGLosslessP14SV1_1s_1f_8b.dcm"} <= decoded


def test_codestream_signed_unlike_the_header_goes_to_pydicom() -> None:
    path = get_testdata_file("J2K_pixelrep_mismatch.dcm")
    header = read_header(FileRef(Path(path)))
    assert frame_decoders.decode(header, None) is None  # pydicom corrects the sign
    out = np.empty((header.rows, header.columns), np.int16)
    decode_slice(SliceSource(header, None, 1.0, 0.0), out)
    np.testing.assert_array_equal(out, pydicom.dcmread(path).pixel_array)


def test_sign_mismatch_is_refused_from_the_siz_marker_without_decoding(monkeypatch) -> None:
    import imagecodecs

    path = get_testdata_file("J2K_pixelrep_mismatch.dcm")  # PixelRepresentation 1, unsigned
    header = read_header(FileRef(Path(path)))
    data = frame_decoders.read_frame(header.ref, None, 1)
    assert frame_decoders.j2k_sign(data) == (False, 13)
    decoded: list[int] = []
    real = imagecodecs.jpeg2k_decode
    monkeypatch.setattr(imagecodecs, "jpeg2k_decode",
                        lambda *a, **k: decoded.append(1) or real(*a, **k))
    assert frame_decoders.decode(header, None) is None
    assert not frame_decoders.takes(header, None)
    assert decoded == []  # not decoded once by imagecodecs and then again by pydicom
    agreeing = read_header(FileRef(Path(get_testdata_file("MR_small_jp2klossless.dcm"))))
    assert frame_decoders.takes(agreeing, None)
    assert frame_decoders.j2k_sign(b"not a codestream") is None


def _to_unsigned_13_bit_j2k(folder: Path) -> None:
    """Re-encode signed slices as an older encoder did: 13-bit JPEG 2000 codestreams marked
    unsigned (Ssiz) while PixelRepresentation says signed (as J2K_pixelrep_mismatch.dcm)."""
    import imagecodecs
    from pydicom.encaps import encapsulate

    for path in folder.iterdir():
        ds = pydicom.dcmread(path)
        stored = ds.pixel_array
        ds.BitsStored, ds.HighBit = 13, 12
        code = imagecodecs.jpeg2k_encode((stored & 0x1FFF).astype(np.uint16), level=0,
                                         codecformat="J2K", reversible=True, bitspersample=13)
        ds.PixelData = encapsulate([code])
        ds["PixelData"].VR, ds["PixelData"].is_undefined_length = "OB", True
        ds.file_meta.TransferSyntaxUID = JPEG2000Lossless
        ds.save_as(path, enforce_file_format=True)


def test_sign_mismatched_j2k_series_decodes_once_in_worker_processes(make_series,
                                                                    monkeypatch) -> None:
    import imagecodecs

    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)
    n = decode_pool.MIN_SLICES + 2
    folder = make_series(slices=n)
    _to_unsigned_13_bit_j2k(folder)
    submitted: list[tuple] = []
    real_submit = decode_pool.submit
    monkeypatch.setattr(decode_pool, "submit",
                        lambda *a: submitted.append(a) or real_submit(*a))
    monkeypatch.setattr(imagecodecs, "jpeg2k_decode",
                        lambda *a, **k: pytest.fail("decoded by imagecodecs and discarded"))
    volume = studies.open_volume(folder)
    assert len(submitted) == n - 1  # all but the middle slice, decoded first in-process
    np.testing.assert_array_equal(volume.voxels, phantom(n, 64, 64))
    for path in sorted(folder.iterdir())[:3]:  # bit-identical to pydicom (sign corrected)
        ds = pydicom.dcmread(path)
        k = int(ds.InstanceNumber) - 1
        np.testing.assert_array_equal(volume.voxels[k], ds.pixel_array + int(ds.RescaleIntercept))


def test_damaged_frame_steps_aside_and_the_load_says_damaged(tmp_path: Path) -> None:
    data = bytearray(Path(get_testdata_file("MR_small_jp2klossless.dcm")).read_bytes())
    data[-3000:-8] = bytes(2992)  # the codestream's tail zeroed, the file structure intact
    path = tmp_path / "damaged.dcm"
    path.write_bytes(bytes(data))
    header = read_header(FileRef(path))
    assert frame_decoders.decode(header, None) is None
    with pytest.raises(studies.DamagedFile):
        studies.open_volume(path)


@pytest.mark.parametrize("syntax", [JPEG2000Lossless, JPEGLSLossless], ids=["j2k", "jls"])
def test_series_decodes_on_threads_without_worker_processes(make_series, monkeypatch,
                                                            syntax) -> None:
    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)
    monkeypatch.setattr(decode_pool, "submit", lambda *a: pytest.fail("worker process used"))
    n = decode_pool.MIN_SLICES + 3
    folder = make_series(slices=n, transfer_syntax=syntax)
    first: list[int] = []
    volume = studies.open_volume(folder, on_first_slice=lambda k, image: first.append(k))
    np.testing.assert_array_equal(volume.voxels, phantom(n, 64, 64))
    assert first == [n // 2]


def test_htj2k_series_equals_the_phantom_and_pydicom(make_series, monkeypatch) -> None:
    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)  # the pool would be used but for threads
    monkeypatch.setattr(decode_pool, "submit", lambda *a: pytest.fail("worker process used"))
    n = decode_pool.MIN_SLICES + 1
    folder = make_series(slices=n, transfer_syntax=HTJ2KLossless)
    volume = studies.open_volume(folder)
    np.testing.assert_array_equal(volume.voxels, phantom(n, 64, 64))
    path = next(folder.iterdir())
    fast = frame_decoders.decode(read_header(FileRef(path)), None)
    assert fast is not None
    np.testing.assert_array_equal(fast, pydicom.pixels.pixel_array(path))


def test_fragment_reader_agrees_with_pydicom_or_steps_aside() -> None:
    from pydicom.encaps import get_frame

    agreed = 0
    for path in sorted(get_testdata_files()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ds = pydicom.dcmread(path)
                encapsulated = ds.file_meta.TransferSyntaxUID.is_encapsulated
                if not encapsulated or int(ds.get("NumberOfFrames") or 1) != 1:
                    continue
                expected = get_frame(ds.PixelData, 0, number_of_frames=1)
            except Exception:
                continue
        found = frame_decoders.last_pixel_data_fragments(Path(path).read_bytes())
        if found is not None:
            assert found == expected, path
            agreed += 1
    assert agreed >= 20
    head = b"\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0" + bytes(4)
    fragment = b"\xfe\xff\x00\xe0" + (4).to_bytes(4, "little") + b"\xffO\xffQ"
    end = b"\xfe\xff\xdd\xe0" + bytes(4)
    assert frame_decoders.last_pixel_data_fragments(head + fragment + end) == b"\xffO\xffQ"
    assert frame_decoders.last_pixel_data_fragments(head + fragment[:-1] + end) is None  # cut
    assert frame_decoders.last_pixel_data_fragments(head + fragment) is None  # no delimiter


@pytest.mark.parametrize("name", ["emri_small_jpeg_2k_lossless.dcm",
                                  "emri_small_jpeg_ls_lossless.dcm"])
def test_multi_frame_file_decodes_on_threads_like_pydicom(name: str, monkeypatch) -> None:
    path = get_testdata_file(name)
    monkeypatch.setattr(frame_decoders, "for_syntax", lambda syntax: None)
    expected = studies.open_volume(path, whole_series=False).voxels
    monkeypatch.undo()
    monkeypatch.setattr(pydicom.pixels, "iter_pixels",
                        lambda *a, **k: pytest.fail("pydicom decoded the frames"))
    volume = studies.open_volume(path, whole_series=False)
    assert volume.shape[0] == 10
    np.testing.assert_array_equal(volume.voxels, expected)


def _to_jpeg_lossless(folder: Path) -> None:
    """Re-encode a series' files as lossless JPEG (process 14, SV1) with GDCM."""
    import gdcm

    for path in folder.iterdir():
        reader = gdcm.ImageReader()
        reader.SetFileName(str(path))
        assert reader.Read()
        change = gdcm.ImageChangeTransferSyntax()
        change.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.JPEGLosslessProcess14_1))
        change.SetInput(reader.GetImage())
        assert change.Change()
        writer = gdcm.ImageWriter()
        writer.SetFileName(str(path))
        writer.SetFile(reader.GetFile())
        writer.SetImage(change.GetOutput())
        assert writer.Write()


def test_lossless_jpeg_series_decodes_on_threads(make_series, monkeypatch) -> None:
    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)
    monkeypatch.setattr(decode_pool, "submit", lambda *a: pytest.fail("worker process used"))
    n = decode_pool.MIN_SLICES + 1
    folder = make_series(slices=n)
    _to_jpeg_lossless(folder)
    assert pydicom.dcmread(next(folder.iterdir())).file_meta.TransferSyntaxUID == JPEGLosslessSV1
    np.testing.assert_array_equal(studies.open_volume(folder).voxels, phantom(n, 64, 64))


def test_multi_frame_load_on_threads_can_be_cancelled(monkeypatch) -> None:
    path = get_testdata_file("emri_small_jpeg_2k_lossless.dcm")
    monkeypatch.setattr(pydicom.pixels, "iter_pixels",
                        lambda *a, **k: pytest.fail("pydicom decoded the frames"))
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(studies.LoadCancelled):
        studies.open_volume(path, cancel=cancel, whole_series=False)
