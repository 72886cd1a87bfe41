"""Derived Study and Series Instance UIDs for images that carry none.

Some exports blank the UIDs (the siemens-j2k-abdomen test data) and NIfTI has none, yet the
app keys drafts, AI results, reports and measurements on them. The derived UIDs depend on
the images only, not on how they were opened: the same series opened as a folder, as one of
its files, from a zip or after a copy gets the same UIDs; different images get different
ones. They are ``2.25.<integer>`` UIDs (PS3.5 B.2) from a SHA-256 digest of:

- the sorted SOP Instance UIDs of the images, when every image has one (no file is read);
- else per-image geometry plus the stored pixel bytes of the first, middle and last images
  (three reads, nothing decoded);
- for single-file volumes (NIfTI, multi-frame or plain images without a SOP Instance UID),
  the file's size and sampled chunks (the head with the header, evenly spread chunks, the
  tail: for .nii.gz the gzip trailer holds the CRC-32 of all the voxel data).

A digest reveals no patient data. ``SeriesInfo.derived_uids`` names the UIDs so derived.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

from studies.dicom_header import DicomHeader
from studies.frame_decoders import last_pixel_data_fragments
from studies.sources import FileRef
from studies.volume import SeriesInfo

log = logging.getLogger(__name__)

STUDY, SERIES = "StudyInstanceUID", "SeriesInstanceUID"
_NAMESPACE = b"luch derived instance uid v1"
#: single files up to this size are digested whole; larger ones in sampled chunks
WHOLE_FILE = 4 << 20
CHUNK, CHUNKS, ENDS = 4096, 64, 65536

Content = Callable[[], Iterable[bytes]]


def uid_from_digest(keyword: str, digest: bytes) -> str:
    """A ``2.25.<128-bit integer>`` UID for ``keyword`` (Study or Series) of a digest."""
    value = hashlib.sha256(_NAMESPACE + b"\0" + keyword.encode() + b"\0" + digest).digest()
    return f"2.25.{int.from_bytes(value[:16], 'big')}"


def fill_missing(info: SeriesInfo, content: Content) -> None:
    """Give ``info`` derived Study/Series UIDs where it has none; ``content()`` yields the
    parts digested (called only when a UID is missing)."""
    missing = [k for k, v in ((STUDY, info.study_instance_uid),
                              (SERIES, info.series_instance_uid)) if not v]
    if not missing:
        return
    digest = hashlib.sha256()
    try:
        for part in content():
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    except OSError as err:  # a file gone or unreadable: the series stays without UIDs
        log.warning("could not derive UIDs: %s", type(err).__name__)
        return
    value = digest.digest()
    if STUDY in missing:
        info.study_instance_uid = uid_from_digest(STUDY, value)
    if SERIES in missing:
        info.series_instance_uid = uid_from_digest(SERIES, value)
    info.derived_uids = tuple(missing)


def series_content(ordered: Sequence[DicomHeader]) -> Iterator[bytes]:
    """What identifies a classic series' images, in slice order (see the module doc)."""
    sops = [h.sop_instance_uid for h in ordered]
    if all(sops):
        yield b"sop"
        yield from (uid.encode() for uid in sorted(sops))
        return
    yield b"images"
    for h in ordered:
        yield repr((_rounded(h.position), _rounded(h.orientation), _rounded(h.pixel_spacing),
                    h.rows, h.columns, h.bits_allocated, h.bits_stored, h.signed,
                    h.rescale)).encode()
    for k in sorted({0, len(ordered) // 2, len(ordered) - 1}):
        yield pixel_bytes(ordered[k])


def file_content(header: DicomHeader | None, ref: FileRef,
                 frames: Sequence[int] = ()) -> Iterator[bytes]:
    """What identifies one file's volume: its SOP Instance UID (and the frames taken), or
    sampled bytes of the file when it has none."""
    sop = header.sop_instance_uid if header is not None else ""
    yield repr(tuple(frames)).encode()
    if sop:
        yield b"sop" + sop.encode()
    else:
        yield from sampled_file(ref)


def pixel_bytes(h: DicomHeader) -> bytes:
    """The stored pixel bytes of a single-frame image (native: its PixelData values;
    encapsulated: its frame's fragments), or the whole file where neither is found."""
    if h.pixel_offset is not None and h.pixel_length is not None:
        with h.ref.open() as fp:
            fp.seek(h.pixel_offset)
            return fp.read(h.pixel_length)
    data = h.ref.read_bytes()
    return last_pixel_data_fragments(data) or data


def sampled_file(ref: FileRef) -> Iterator[bytes]:
    """A file's size and bytes: whole when small, else its head, ``CHUNKS`` evenly spread
    chunks and its tail."""
    if ref.member is not None:
        data = ref.read_bytes()
        yield len(data).to_bytes(8, "little")
        yield from _samples(len(data), lambda at, n: data[at:at + n])
        return
    with ref.open() as fp:
        size = fp.seek(0, 2)
        yield size.to_bytes(8, "little")

        def read(at: int, n: int) -> bytes:
            fp.seek(at)
            return fp.read(n)

        yield from _samples(size, read)


def _samples(size: int, read: Callable[[int, int], bytes]) -> Iterator[bytes]:
    if size <= WHOLE_FILE:
        yield read(0, size)
        return
    yield read(0, ENDS)
    step = (size - 2 * ENDS) // (CHUNKS + 1)
    for n in range(1, CHUNKS + 1):
        yield read(ENDS + n * step, CHUNK)
    yield read(size - ENDS, ENDS)


def _rounded(values) -> tuple[float, ...] | None:
    return None if values is None else tuple(round(float(v), 4) for v in values)
