"""Fast frame decoders per transfer syntax, tried before pydicom's plugins.

JPEG 2000 lossless (OpenJPEG), HTJ2K lossless (OpenJPH), JPEG-LS lossless (CharLS) and
lossless JPEG (libjpeg-turbo), all through ``imagecodecs``.

A decoder here takes one encapsulated frame (the compressed bytes) and releases the GIL
while it decodes, so plain threads decode slices in parallel: no worker processes to start,
nothing to pickle. It only takes the case it is sure of (greyscale, the codestream's
signedness equal to PixelRepresentation, the header's size and bit depth); for anything
else it returns None and the slice goes through pydicom, which corrects odd encoders' output
(see ``pydicom.pixels.decoders.base._apply_sign_correction``). Lossy syntaxes are not
registered: their values depend on the decoder, and SimpleITK/GDCM define the reference.
These decode in the app's process, like SimpleITK does: OpenJPEG and CharLS are fuzzed
upstream (OSS-Fuzz), and a frame they reject goes to pydicom, which reports it as damaged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import numpy as np
import pydicom
from pydicom.encaps import get_frame
from pydicom.uid import (
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    JPEG2000Lossless,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
)

from studies.dicom_header import DicomHeader
from studies.sources import FileRef

log = logging.getLogger(__name__)

#: ``decode(frame_bytes, header, threads) -> stored values`` (2D; decoder errors may be raised)
DecodeFn = Callable[[bytes, DicomHeader, int], np.ndarray]


@dataclass(frozen=True)
class FrameDecoder:
    name: str
    decode: DecodeFn
    #: the decoder can use several threads on one frame (used for the first slice)
    threaded: bool = False
    #: ``accepts(frame_bytes, header)``: False when the frame's own header (not its decoded
    #: values) shows the fast path would not give pydicom's result, e.g. a sign mismatch
    accepts: Callable[[bytes, DicomHeader], bool] | None = None


_REGISTRY: dict[str, Callable[[], FrameDecoder | None]] = {}


def register(syntax: str, factory: Callable[[], FrameDecoder | None]) -> None:
    """``factory()`` returns the decoder, or None when its library is not installed."""
    _REGISTRY[syntax] = factory


@cache
def for_syntax(syntax: str) -> FrameDecoder | None:
    """The fast decoder for ``syntax``, or None (then pydicom's plugins decode it)."""
    factory = _REGISTRY.get(syntax)
    return factory() if factory is not None else None


def load_all() -> None:
    """Import every registered decoder's library now (start-up warm-up)."""
    for syntax in _REGISTRY:
        for_syntax(syntax)


def suits(header: DicomHeader) -> bool:
    """Whether ``header``'s images are of the kind the fast decoders handle exactly."""
    return (for_syntax(header.transfer_syntax) is not None and header.samples_per_pixel == 1
            and header.bits_allocated in (8, 16)
            and 0 < header.bits_stored <= header.bits_allocated)


def decode(header: DicomHeader, frame: int | None, threads: int = 1) -> np.ndarray | None:
    """Stored values of one frame, or None when the fast path does not apply (or fails: the
    caller then decodes with pydicom, which raises the right error for damaged data)."""
    if not suits(header):
        return None
    try:
        data = read_frame(header.ref, frame, header.number_of_frames)
    except Exception as err:  # damaged or unusual: pydicom's path decides and reports
        log.debug("frame bytes not found: %s", type(err).__name__)
        return None
    return decode_bytes(header, data, threads)


def takes(header: DicomHeader, frame: int | None) -> bool:
    """Whether the fast path decodes this frame, judged from the frame's header bytes only
    (nothing is decoded): e.g. to pick threads or worker processes for a series."""
    decoder = for_syntax(header.transfer_syntax)
    if decoder is None or not suits(header):
        return False
    if decoder.accepts is None:
        return True
    try:
        data = read_frame(header.ref, frame, header.number_of_frames)
    except Exception:
        return False
    return decoder.accepts(data, header)


def decode_bytes(header: DicomHeader, data: bytes, threads: int = 1) -> np.ndarray | None:
    """Stored values of the frame in ``data`` (compressed bytes), as :func:`decode`."""
    decoder = for_syntax(header.transfer_syntax)
    if decoder is None or not suits(header):
        return None
    if decoder.accepts is not None and not decoder.accepts(data, header):
        return None  # refused before decoding: pydicom decodes it (once)
    try:
        raw = decoder.decode(data, header, threads if decoder.threaded else 1)
    except Exception as err:  # damaged or unusual: pydicom's path decides and reports
        log.debug("%s could not decode a frame: %s", decoder.name, type(err).__name__)
        return None
    expected = np.dtype(f"{'i' if header.signed else 'u'}{header.bits_allocated // 8}")
    if raw.shape != (header.rows, header.columns) or raw.dtype != expected:
        return None  # e.g. a codestream signed unlike PixelRepresentation: pydicom corrects
    return raw


def read_frame(ref: FileRef, frame: int | None, frames: int) -> bytes:
    """The compressed bytes of ``frame`` (None: the only one) of an encapsulated file."""
    if frame is None or frames == 1:
        found = last_pixel_data_fragments(ref.read_bytes())
        if found is not None:
            return found

    with ref.open() as fp:
        ds = pydicom.dcmread(fp, force=True, specific_tags=["PixelData"])
    return get_frame(ds.PixelData, frame or 0, number_of_frames=max(1, frames))


_ENCAPSULATED_PIXEL_DATA = b"\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff"
_ITEM, _SEQUENCE_END = b"\xfe\xff\x00\xe0", b"\xfe\xff\xdd\xe0"


def last_pixel_data_fragments(data: bytes) -> bytes | None:
    """The fragments of a file's last encapsulated PixelData joined (one frame's bytes), or
    None unless the items parse exactly: then pydicom reads the file (5x slower)."""
    at = data.rfind(_ENCAPSULATED_PIXEL_DATA)
    if at < 0:
        return None
    pos, fragments = at + len(_ENCAPSULATED_PIXEL_DATA), []
    first = True  # the Basic Offset Table item
    while pos + 8 <= len(data):
        tag, length = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        pos += 8
        if tag == _SEQUENCE_END:
            return b"".join(fragments) if fragments and length == 0 else None
        if tag != _ITEM or pos + length > len(data):
            return None
        if not first:
            fragments.append(data[pos:pos + length])
        first, pos = False, pos + length
    return None


_SOC_SIZ = b"\xff\x4f\xff\x51"  # start of codestream, then the image and tile size marker


def j2k_sign(data: bytes) -> tuple[bool, int] | None:
    """``(signed, precision)`` of the first component from a JPEG 2000 (or HTJ2K) frame's
    SIZ marker segment (its Ssiz byte), or None when no codestream header is found. A JP2
    wrapper (some encoders add one) is skipped by looking for the codestream start."""
    at = data.find(_SOC_SIZ, 0, 1 << 16)
    ssiz = at + 42  # SOC, SIZ, Lsiz, Rsiz, 8 x 4-byte sizes, Csiz: then Ssiz of component 0
    if at < 0 or ssiz >= len(data):
        return None
    return bool(data[ssiz] & 0x80), (data[ssiz] & 0x7F) + 1


def j2k_sign_agrees(data: bytes, header: DicomHeader) -> bool:
    """The codestream is signed as PixelRepresentation says: otherwise pydicom corrects the
    values (``_apply_sign_correction``) and the fast path steps aside before decoding."""
    found = j2k_sign(data)
    return found is not None and found[0] == header.signed


def _imagecodecs() -> ModuleType | None:
    try:
        import imagecodecs  # deferred: optional, and heavy to import (warm_up loads it)
    except ImportError:
        return None
    return imagecodecs


def _imagecodecs_jpeg2k() -> FrameDecoder | None:
    codecs = _imagecodecs()
    if codecs is None or not codecs.JPEG2K.available:
        return None

    def decode(data: bytes, header: DicomHeader, threads: int) -> np.ndarray:
        return codecs.jpeg2k_decode(data, numthreads=threads)

    # a codestream signed unlike PixelRepresentation is refused from its SIZ marker and left
    # to pydicom's correction (``decode_bytes`` still checks the dtype of what comes back)
    return FrameDecoder("imagecodecs-openjpeg", decode, threaded=True,
                        accepts=j2k_sign_agrees)


def _imagecodecs_htj2k() -> FrameDecoder | None:
    codecs = _imagecodecs()
    if codecs is None or not codecs.HTJ2K.available:
        return None
    # OpenJPH: High-Throughput JPEG 2000 decodes ~15x faster than classic JPEG 2000
    return FrameDecoder("imagecodecs-openjph",
                        lambda data, header, threads: codecs.htj2k_decode(data),
                        accepts=j2k_sign_agrees)


def _imagecodecs_jpegls() -> FrameDecoder | None:
    codecs = _imagecodecs()
    if codecs is None or not codecs.JPEGLS.available:
        return None

    def decode(data: bytes, header: DicomHeader, threads: int) -> np.ndarray:
        raw = codecs.jpegls_decode(data)
        if header.signed and raw.dtype.kind == "u":
            # JPEG-LS has no sign: signed pixels come back as unsigned ``precision``-bit
            # values; sign-extend them as pydicom and GDCM do
            raw = raw.view(raw.dtype.str.replace("u", "i"))
            shift = 8 * raw.itemsize - jpegls_precision(data)
            if shift > 0:
                np.left_shift(raw, shift, out=raw)
                np.right_shift(raw, shift, out=raw)
        return raw

    return FrameDecoder("imagecodecs-charls", decode)


def _imagecodecs_jpeg_lossless() -> FrameDecoder | None:
    codecs = _imagecodecs()
    if codecs is None or not codecs.JPEG8.available:
        return None

    def decode(data: bytes, header: DicomHeader, threads: int) -> np.ndarray:
        # libjpeg-turbo 3 decodes lossless JPEG (process 14, 2-16 bits), ~4x faster than
        # pydicom's plugins. JPEG has no sign: the stored type comes from the header, and
        # bits above BitsStored are cleared or sign-extended as pydicom does
        raw = codecs.jpeg8_decode(data)
        if raw.dtype.kind != "u" or raw.ndim != 2:
            return raw  # refused by the dtype check
        raw = raw.view(f"{'i' if header.signed else 'u'}{raw.itemsize}")
        shift = 8 * raw.itemsize - header.bits_stored
        if shift > 0:
            np.left_shift(raw, shift, out=raw)
            np.right_shift(raw, shift, out=raw)
        return raw

    return FrameDecoder("imagecodecs-libjpeg-turbo", decode)


def jpegls_precision(data: bytes) -> int:
    """Sample precision P from a JPEG-LS frame header (the SOF55 marker segment)."""
    at = data.find(b"\xff\xf7", 0, 4096)
    if at < 0 or at + 4 >= len(data):
        raise ValueError("no JPEG-LS frame header")
    return data[at + 4]


register(JPEG2000Lossless, _imagecodecs_jpeg2k)
register(HTJ2KLossless, _imagecodecs_htj2k)
register(HTJ2KLosslessRPCL, _imagecodecs_htj2k)
register(JPEGLSLossless, _imagecodecs_jpegls)
register(JPEGLossless, _imagecodecs_jpeg_lossless)
register(JPEGLosslessSV1, _imagecodecs_jpeg_lossless)
