"""Which transfer syntaxes to ask the archive for: lossless compressed ones first.

A home reader on a VPN pays for every byte. A CT slice stored uncompressed is about
three times bigger than the same slice in JPEG-LS lossless, and archives such as Orthanc
transcode on request. The order is the setting ``archive.transfer_syntaxes`` (a list of the
names below); whatever the archive cannot serve is skipped, and ``*`` (what the archive
stored) is always the last resort. Only lossless syntaxes may be asked for: a lossy one
would change the pixels the reader diagnoses from.
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.errors import ArchiveConfigError

TRANSFER_SYNTAXES_KEY = "archive.transfer_syntaxes"
PARALLEL_KEY = "archive.parallel_requests"
DEFAULT_PARALLEL = 4
MAX_PARALLEL = 16
AS_STORED = "*"

#: name (as stored in settings) -> UID; all lossless
LOSSLESS: dict[str, str] = {
    "htj2k-lossless": "1.2.840.10008.1.2.4.201",
    "jpeg-ls-lossless": "1.2.840.10008.1.2.4.80",
    "jpeg2000-lossless": "1.2.840.10008.1.2.4.90",
    "jpeg-lossless": "1.2.840.10008.1.2.4.70",
    "rle": "1.2.840.10008.1.2.5",
}
#: the syntaxes that carry the stored values unchanged (the uncompressed ones too)
LOSSLESS_UIDS = frozenset(LOSSLESS.values()) | {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.202"}
#: JPEG-LS first: the smallest on real CT of what Orthanc 1.10 (DCMTK) can make and the
#: fastest to decode; the rest where an archive makes them (benchmarks/README.md)
DEFAULT_ORDER = ("jpeg-ls-lossless", "jpeg2000-lossless", "htj2k-lossless", "rle",
                 "jpeg-lossless")


def preferred_uids(names: Iterable[str] | None) -> tuple[str, ...]:
    """The UIDs to ask for in order (``names`` as in the setting; None = the default order)."""
    names = DEFAULT_ORDER if names is None else tuple(names)
    unknown = [n for n in names if n not in LOSSLESS]
    if unknown:
        raise ArchiveConfigError(f"unknown transfer syntax in the settings: {unknown[0]}")
    return tuple(dict.fromkeys(LOSSLESS[n] for n in names))


def parallel_requests(value: object) -> int:
    """The setting ``archive.parallel_requests`` checked (1..16)."""
    if value is None:
        return DEFAULT_PARALLEL
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PARALLEL:
        raise ArchiveConfigError(f"the parallel archive requests must be 1 to {MAX_PARALLEL}")
    return value
