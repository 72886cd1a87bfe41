"""The header-only pass: read each DICOM file up to its pixel data, nothing more.

Files on disk go through the GDCM scan first (:mod:`studies.fastscan`, beneath this module);
what it cannot vouch for (and every file in a zip or DICOMDIR) is parsed by pydicom here.
Both give a :class:`~studies.dicom_header.DicomHeader` (re-exported here with
``rescale_of`` and ``NATIVE_LITTLE_ENDIAN``, where callers have always found them).
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Sequence

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from studies import fastscan
from studies.dicom_header import DICOMDIR_CLASS, NATIVE_LITTLE_ENDIAN, DicomHeader, rescale_of
from studies.errors import SealedFileDamaged, is_fatal
from studies.sources import FileRef

log = logging.getLogger(__name__)

_PIXEL_TAGS = {
    b"\xe0\x7f\x10\x00", b"\xe0\x7f\x08\x00", b"\xe0\x7f\x09\x00",  # little endian
    b"\x7f\xe0\x00\x10", b"\x7f\xe0\x00\x08", b"\x7f\xe0\x00\x09",  # big endian
}
_LONG_VRS = {b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"UN", b"SQ", b"UT", b"UC", b"UR"}


def read_header(ref: FileRef) -> DicomHeader | None:
    """The header of one file, or None when it is not DICOM (or too damaged to identify)."""
    try:
        with ref.open() as fp:
            ds = _read_until_pixels(fp)
            if ds is None:
                return None
            tell = fp.tell()
            head = fp.read(12)
    except SealedFileDamaged:  # ours, encrypted, and altered: say so, never skip it quietly
        raise
    except BaseException as err:  # anything unreadable here is "not a DICOM image"
        if is_fatal(err):
            raise
        return None
    if not isinstance(ds, Dataset) or ("SOPClassUID" not in ds and "Rows" not in ds):
        return None
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    if not syntax:
        syntax = ImplicitVRLittleEndian if ds.is_implicit_VR in (True, None) else (
            ExplicitVRLittleEndian)
    offset, length = _pixel_location(head, tell, syntax)
    has_pixels = head[:4] in _PIXEL_TAGS
    if syntax == DeflatedExplicitVRLittleEndian:  # positions are inside the inflated stream
        has_pixels = _deflated_has_pixels(ref)
    return DicomHeader(ref, ds, syntax, offset, length, has_pixels)  # type: ignore[arg-type]


def _read_until_pixels(fp) -> Dataset | None:
    """Parse up to PixelData; files without the DICM preamble are tried if they look like
    a raw dataset (first group 0002 or 0008), as old scanners and some archives write them."""
    preamble = fp.read(132)
    fp.seek(0)
    force = False
    if preamble[128:132] != b"DICM":
        if preamble[:2] not in (b"\x02\x00", b"\x08\x00", b"\x00\x08"):
            return None
        force = True
    return pydicom.dcmread(fp, stop_before_pixels=True, force=force)


def _deflated_has_pixels(ref: FileRef) -> bool:
    try:
        with ref.open() as fp:
            return "PixelData" in pydicom.dcmread(fp)
    except BaseException as err:
        if is_fatal(err):
            raise
        return False


def _pixel_location(head: bytes, tell: int, syntax: str) -> tuple[int | None, int | None]:
    """Offset and length of native PixelData values, from the bytes at the element start."""
    if len(head) < 8 or head[:4] != b"\xe0\x7f\x10\x00" or syntax not in NATIVE_LITTLE_ENDIAN:
        return None, None
    if syntax == ImplicitVRLittleEndian:
        (length,) = struct.unpack("<I", head[4:8])
        offset = tell + 8
    elif head[4:6] in _LONG_VRS and len(head) >= 12:
        (length,) = struct.unpack("<I", head[8:12])
        offset = tell + 12
    else:
        (length,) = struct.unpack("<H", head[6:8])
        offset = tell + 8
    if length == 0xFFFFFFFF:
        return None, None
    return offset, length


def read_headers(
    refs: Sequence[FileRef], progress: Callable[[float], None] | None = None,
) -> tuple[list[DicomHeader], list[FileRef]]:
    """Header pass over ``refs``: ``(DICOM headers, files that are not DICOM)``."""
    on_disk = [r for r in refs if r.member is None and not r.is_nifti]
    headers, _ = fastscan.scan_files(on_disk) if len(on_disk) > 1 else ([], [])
    headers = [h for h in headers if h.sop_class_uid != DICOMDIR_CLASS]
    scanned = {h.ref for h in headers}
    refs = [r for r in refs if r not in scanned]
    others: list[FileRef] = []
    step = max(1, len(refs) // 50)
    for n, ref in enumerate(refs):
        header = None if ref.is_nifti else read_header(ref)
        if header is None:
            others.append(ref)
        elif header.sop_class_uid != DICOMDIR_CLASS:
            headers.append(header)
        if progress and n % step == 0:
            progress(n / len(refs))
    if others:
        log.info("header pass: %d DICOM files, %d other files", len(headers), len(others))
    return headers, others


__all__ = ["DICOMDIR_CLASS", "NATIVE_LITTLE_ENDIAN", "DicomHeader", "read_header", "read_headers",
           "rescale_of"]
