"""Fast header pass over files on disk with GDCM's C++ ``Scanner`` (what ITK uses too).

The scanner reads each file only up to the last tag asked for (group 0028), several times
faster than parsing in Python. Where pixel data is uncompressed, its offset is taken from
the file size and checked against the element header just before it; any file the scan
cannot vouch for goes through the pydicom path in :mod:`studies.headers` instead.
Encrypted cached files are scanned through anonymous memory files (``memfd_create``: RAM,
no path on any disk, gone when closed) read as ``/proc/self/fd/N``: each holds the file's
decrypted first chunk and last bytes at their places in a sparse file of the plaintext's
size (the whole plaintext when the pixel data does not start in the first chunk).
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Sequence

from pydicom.datadict import tag_for_keyword

from core import crypto
from studies.dicom_header import NATIVE_LITTLE_ENDIAN, DicomHeader
from studies.errors import SealedFileDamaged
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


MEMFD_BATCH = 256  # open memory files at a time (file descriptor limits)


def can_scan_sealed() -> bool:
    return gdcm is not None and hasattr(os, "memfd_create")


def scan_files(refs: Sequence[FileRef]) -> tuple[list[DicomHeader], list[FileRef]]:
    """``(headers the scan vouches for, files left for the pydicom path)``."""
    if gdcm is None or not refs:
        return [], list(refs)
    sealed = [r for r in refs if r.key is not None]
    if not sealed:
        return _scan(refs, [str(ref.path) for ref in refs])
    if not can_scan_sealed():
        headers, rest = _scan([r for r in refs if r.key is None],
                              [str(r.path) for r in refs if r.key is None])
        return headers, rest + sealed
    headers, rest = _scan([r for r in refs if r.key is None],
                          [str(r.path) for r in refs if r.key is None])
    for start in range(0, len(sealed), MEMFD_BATCH):
        batch = sealed[start:start + MEMFD_BATCH]
        fds: list[int] = []
        try:
            for _ in batch:
                fds.append(os.memfd_create("luch-scan", os.MFD_CLOEXEC))
            heads = _copy_all(batch, fds)
            more, left = _scan(batch, [f"/proc/self/fd/{fd}" for fd in fds])
        finally:
            for fd in fds:
                os.close(fd)
        for header in more:  # the pixel pass reads with the envelopes parsed here
            header.sealed = heads.get(header.ref.path)
        headers += more
        rest += left
    return headers, rest


SEALED_HEAD = 1 << 16
_PIXEL_TAG = b"\xe0\x7f\x10\x00"
_PIXEL_HEAD = 12  # the tag, VR, reserved bytes and length of explicit-VR pixel data


def _copy_all(refs: Sequence[FileRef], fds: Sequence[int]) -> dict:
    """:func:`_sparse_copy` of every file; ``{path: envelope}`` of the sealed files with
    native pixel data. (Two threads cost more CPU than they saved on a loaded 2-core
    box: 33 against 24 ms for 133 files; benchmarks/README.md.)"""
    heads: dict = {}
    for ref, fd in zip(refs, fds, strict=True):
        envelope = _sparse_copy(ref, fd)
        if envelope is not None:
            heads[ref.path] = envelope
    return heads


def _sparse_copy(ref: FileRef, fd: int) -> crypto.Envelope | None:
    """What the scan reads of a sealed file into the memory file ``fd``: the head up to the
    pixel data's element header (else everything) and the last 8 bytes, at their offsets.
    Only those bytes are written (the rest is a hole: no memory, no copy). A file whose pixel
    element starts in its first chunk (every CT slice) takes one open, one ``preadv`` and
    one decryption into a reused buffer (:func:`core.crypto.read_head`; the last chunk too
    when its pixel data is compressed: the end marker), and its envelope is returned when
    the pixel data is native: the pixel pass reads with it (:attr:`DicomHeader.sealed`)
    without parsing the header again; else None."""
    if ref.key is not None and ref.member is None:
        file = os.open(ref.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            aad = ref.path.stem.encode()
            head = crypto.read_head(file, ref.key, aad, ref.name, error=SealedFileDamaged)
            envelope, plain = head if head is not None else (None, b"")
            plain = bytes(plain)  # searched (the buffer is reused: no fresh memory kept)
            at = -1 if envelope is None else _pixel_element(plain, envelope.size)
            if envelope is not None and at >= 0:
                _write_at(fd, envelope.size, ((plain[:at + _PIXEL_HEAD], 0),))
                if _head_syntax(plain) in NATIVE_LITTLE_ENDIAN:
                    return envelope
                start = max(0, envelope.size - 8) // envelope.chunk * envelope.chunk
                tail = bytearray(envelope.size - start)  # the end marker is looked at
                crypto.read_into(file, ref.key, aad, envelope, start, tail, ref.name,
                                 error=SealedFileDamaged)
                _write_at(fd, envelope.size, ((tail[-8:], envelope.size - len(tail[-8:])),))
                return None
        finally:
            os.close(file)
    with ref.open_raw() as fp:  # a plain file, or the pixel data not in the first chunk
        plain = fp.read(SEALED_HEAD)
        size, syntax = fp.seek(0, os.SEEK_END), _head_syntax(plain)
        at = _pixel_element(plain, size)
        if at < 0:
            fp.seek(0)
            plain = fp.read()
        else:
            plain = memoryview(plain)[:at + _PIXEL_HEAD]
        tail = b""
        if syntax not in NATIVE_LITTLE_ENDIAN:  # the end marker is looked at
            fp.seek(max(0, size - 8))
            tail = fp.read(8)
    _write_at(fd, size, ((plain, 0), (tail, size - len(tail))))
    return None


def _write_at(fd: int, size: int, pieces) -> None:
    """The memory file ``fd`` made ``size`` bytes long, ``(data, offset)`` pieces written."""
    os.ftruncate(fd, size)
    for data, offset in pieces:
        view = memoryview(data)
        while view:
            written = os.pwrite(fd, view, offset)
            view, offset = view[written:], offset + written


def _pixel_element(head: bytes, size: int) -> int:
    """Where the pixel data's element starts in ``head`` (the first plaintext bytes of a file
    of ``size`` bytes), else -1. Searched forwards for the first tag whose length fits (a
    native value running to the file's end, or an encapsulated one); where none fits, the
    last tag in ``head`` (a chance match in the pixels only makes the copy longer). The
    backward search over the chunk's pixels this replaces took 33 us a file, this 5 us
    (benchmarks/README.md)."""
    at = head.find(_PIXEL_TAG)
    while 0 <= at <= len(head) - _PIXEL_HEAD:
        (implicit,) = struct.unpack_from("<I", head, at + 4)
        if at + 8 + implicit == size:
            return at
        if head[at + 4:at + 6] in (b"OW", b"OB"):
            (length,) = struct.unpack_from("<I", head, at + 8)
            if length == 0xFFFFFFFF or at + _PIXEL_HEAD + length == size:
                return at
        at = head.find(_PIXEL_TAG, at + 1)
    return head.rfind(_PIXEL_TAG)


def _head_syntax(head: bytes) -> str:
    """The Transfer Syntax UID of the file meta in ``head`` ("" when not found)."""
    at = head.find(b"\x02\x00\x10\x00UI", 132, 1024)
    if at < 0:
        return ""
    (length,) = struct.unpack("<H", head[at + 6:at + 8])
    return head[at + 8:at + 8 + length].decode("ascii", "replace").strip(" \x00")


def _scan(refs: Sequence[FileRef], names: list[str]
          ) -> tuple[list[DicomHeader], list[FileRef]]:
    if not refs:
        return [], []
    tags = {keyword: gdcm.Tag(*divmod(tag_for_keyword(keyword), 0x10000))
            for keyword in SCANNED}
    scanner = gdcm.Scanner()
    for tag in tags.values():
        scanner.AddTag(tag)
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
            header = _header(ref, fields, name)
        if header is None:
            rest.append(ref)
        else:
            headers.append(header)
    return headers, rest


def _header(ref: FileRef, fields: dict[str, str | None], name: str) -> DicomHeader | None:
    syntax = (fields.get("TransferSyntaxUID") or "").strip(" \x00")
    required = ("SOPClassUID", "StudyInstanceUID", "SeriesInstanceUID", "Rows")
    if not syntax or not all((fields.get(k) or "").strip(" \x00") for k in required):
        return None  # no file meta, not an image, or values GDCM could not read: pydicom
    header = DicomHeader(ref, None, syntax, None, None, False, fields)
    try:
        size = os.path.getsize(name)
        with open(name, "rb") as fp:
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
