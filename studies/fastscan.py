"""Fast header pass over files on disk with GDCM's C++ ``Scanner`` (what ITK uses too).

The scanner reads each file only up to the last tag asked for (group 0028), several times
faster than parsing in Python. Where pixel data is uncompressed, its offset is taken from
the file size and checked against the element header just before it; any file the scan
cannot vouch for goes through the pydicom path in :mod:`studies.headers` instead.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Sequence

from pydicom.datadict import tag_for_keyword

from studies.dicom_header import NATIVE_LITTLE_ENDIAN, DicomHeader
from studies.sources import FileRef

log = logging.getLogger(__name__)

SCANNED = (
    "TransferSyntaxUID", "ImageType", "SOPClassUID", "SOPInstanceUID", "Modality",
    "StudyInstanceUID", "SeriesInstanceUID", "AcquisitionNumber", "ImagePositionPatient",
    "ImageOrientationPatient", "SamplesPerPixel", "NumberOfFrames", "Rows", "Columns",
    "PixelSpacing", "BitsAllocated", "BitsStored", "PixelRepresentation", "PixelPaddingValue",
    "RescaleIntercept", "RescaleSlope",
)
_ENCAPSULATED_END = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"

try:
    import gdcm

    gdcm.Trace.WarningOff()
    gdcm.Trace.ErrorOff()
    gdcm.Trace.DebugOff()
except ImportError:  # pragma: no cover - python-gdcm is a dependency; stay usable without it
    gdcm = None


def available() -> bool:
    return gdcm is not None


def scan_files(refs: Sequence[FileRef]) -> tuple[list[DicomHeader], list[FileRef]]:
    """``(headers the scan vouches for, files left for the pydicom path)``."""
    if gdcm is None or not refs:
        return [], list(refs)
    tags = {keyword: gdcm.Tag(*divmod(tag_for_keyword(keyword), 0x10000))
            for keyword in SCANNED}
    scanner = gdcm.Scanner()
    for tag in tags.values():
        scanner.AddTag(tag)
    names = [str(ref.path) for ref in refs]
    try:
        scanner.Scan(names)
    except Exception as err:  # fall back to pydicom for all
        log.info("fast scan failed (%s); using pydicom", type(err).__name__)
        return [], list(refs)
    headers, rest = [], []
    for ref, name in zip(refs, names, strict=True):
        header = None
        if scanner.IsKey(name):
            fields = {k: scanner.GetValue(name, tag) for k, tag in tags.items()}
            header = _header(ref, fields)
        if header is None:
            rest.append(ref)
        else:
            headers.append(header)
    return headers, rest


def _header(ref: FileRef, fields: dict[str, str | None]) -> DicomHeader | None:
    syntax = (fields.get("TransferSyntaxUID") or "").strip(" \x00")
    required = ("SOPClassUID", "StudyInstanceUID", "SeriesInstanceUID", "Rows")
    if not syntax or not all((fields.get(k) or "").strip(" \x00") for k in required):
        return None  # no file meta, not an image, or values GDCM could not read: pydicom
    header = DicomHeader(ref, None, syntax, None, None, False, fields)
    try:
        size = os.path.getsize(ref.path)
        with open(ref.path, "rb") as fp:
            if syntax in NATIVE_LITTLE_ENDIAN:
                return _native(header, fp, size)
            fp.seek(max(0, size - 8))
            if fp.read(8) == _ENCAPSULATED_END:
                header.has_pixels = True
                return header
    except (OSError, ValueError, OverflowError):
        return None
    return None


def _native(header: DicomHeader, fp, size: int) -> DicomHeader | None:
    """Find native PixelData at the end of the file and check its element header."""
    frames = header.number_of_frames
    expected = (header.rows * header.columns * header.samples_per_pixel * frames
                * header.bits_allocated) // 8
    if expected <= 0 or header.bits_allocated % 8:
        return None
    length = expected + (expected & 1)
    offset = size - length
    implicit = header.transfer_syntax == NATIVE_LITTLE_ENDIAN_IMPLICIT
    start = offset - (8 if implicit else 12)
    if start < 0:
        return None
    fp.seek(start)
    head = fp.read(offset - start)
    if head[:4] != b"\xe0\x7f\x10\x00":
        return None
    if implicit:
        (value_length,) = struct.unpack("<I", head[4:8])
    elif head[4:6] in (b"OW", b"OB"):
        (value_length,) = struct.unpack("<I", head[8:12])
    else:
        return None
    if value_length != length:
        return None
    header.pixel_offset, header.pixel_length, header.has_pixels = offset, length, True
    return header


NATIVE_LITTLE_ENDIAN_IMPLICIT = "1.2.840.10008.1.2"
