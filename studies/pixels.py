"""Pixel pass: decode slices in parallel straight into one preallocated HU array.

Uncompressed little-endian slices are read with ``readinto`` directly into their place in
the volume and rescaled in place; lossless JPEG 2000, HTJ2K, JPEG-LS and JPEG go to the
GIL-releasing decoders of :mod:`studies.frame_decoders` on threads; the rest go through
pydicom's decoder plugins (pylibjpeg, openjpeg, gdcm), in worker processes for long series.
The middle slice is decoded first (with the decoder's own threads where it has them) so
that a viewer can show something while the rest loads.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import psutil
import pydicom
from pydicom.dataset import Dataset
from pydicom.encaps import generate_frames

from core import crypto
from studies import decode_pool, frame_decoders
from studies.dicom_header import DicomHeader
from studies.errors import (
    DamagedFile,
    LoadCancelled,
    SealedFileDamaged,
    StudyError,
    UnsupportedData,
    is_fatal,
)
from studies.pydicom_decoder import decode_file

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
Cancel = Callable[[], bool]
FirstSlice = Callable[[int, np.ndarray], None]

_INT16 = np.iinfo(np.int16)


@dataclass(frozen=True)
class SliceSource:
    """Where the pixels of output slice ``k`` come from."""

    header: DicomHeader
    frame: int | None  # frame index in a multi-frame file, None for a single-frame file
    slope: float
    intercept: float


def output_dtype(sources: Sequence[SliceSource]) -> np.dtype:
    """int16 when every rescale is integral with |slope| <= 1 (CT as stored), else float32
    (a slope of 2 would overflow int16); values are ``stored * slope + intercept`` exactly."""
    integral = all(
        float(s.slope).is_integer() and float(s.intercept).is_integer() for s in sources
    )
    fits = all(abs(s.slope) <= 1 for s in sources)
    return np.dtype(np.int16) if integral and fits else np.dtype(np.float32)


#: largest image side a CT or MR reader produces; larger means a corrupt header
MAX_SIDE = 16384


def check_size(shape: tuple[int, ...], dtype: np.dtype) -> None:
    """Refuse volumes that cannot fit in memory or whose header is implausible."""
    if any(side <= 0 for side in shape) or max(shape[1:]) > MAX_SIDE:
        raise UnsupportedData(f"Implausible image size {shape}; the header is damaged")
    nbytes = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    available = psutil.virtual_memory().available
    if nbytes > 0.8 * available:
        raise StudyError(
            f"This series needs {nbytes / 2**30:.1f} GB of memory but only "
            f"{available / 2**30:.1f} GB is free; close other studies and try again"
        )


def worker_count() -> int:
    return max(1, min(8, (os.cpu_count() or 1)))


def decode_volume(
    sources: Sequence[SliceSource],
    rows: int,
    columns: int,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    on_first_slice: FirstSlice | None = None,
    workers: int | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Decode every source into a new ``(n, rows, columns)`` HU array; returns warnings too."""
    n = len(sources)
    dtype = output_dtype(sources)
    check_size((n, rows, columns), dtype)
    out = np.empty((n, rows, columns), dtype=dtype)
    failures: list[int] = []
    clipped: list[int] = []
    middle = n // 2

    workers = workers or worker_count()

    def work(k: int, threads: int = 1) -> None:
        if cancel is not None and cancel():
            raise LoadCancelled("Loading was cancelled")
        try:
            if decode_slice(sources[k], out[k], threads):
                clipped.append(k)
        except (DamagedFile, UnsupportedData) as err:
            if n == 1 or isinstance(err, SealedFileDamaged):  # an altered cached file: say so
                raise
            log.warning("slice %d could not be decoded (%s)", k, type(err).__name__)  # no path
            failures.append(k)

    work(middle, threads=workers)  # the decoder's own threads, where it has them
    if on_first_slice is not None and middle not in failures:
        on_first_slice(middle, out[middle])
    rest = [k for k in range(n) if k != middle]
    done = 1
    if progress:
        progress(done / n)
    if _use_processes(sources, workers, middle):
        _decode_in_processes(sources, rest, out, work_failed=failures, clipped=clipped,
                             progress=progress, cancel=cancel)
    elif workers == 1 or n < 4:
        for k in rest:
            work(k)
            done += 1
            if progress:
                progress(done / n)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="luch-decode") as pool:
            try:
                for _ in pool.map(work, rest):
                    done += 1
                    if progress and (done % 8 == 0 or done == n):
                        progress(done / n)
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
    warnings = []
    if failures:
        if len(failures) == n:
            raise DamagedFile("No slice of this series could be decoded; the files are damaged")
        fill = _blank_value(out, failures)
        for k in failures:
            out[k] = fill
        warnings.append(
            f"{len(failures)} of {n} slice(s) could not be decoded (damaged files) and are "
            "shown blank"
        )
    if clipped:
        warnings.append(f"{len(clipped)} slice(s) held values outside -32768..32767 HU (clipped)")
    return out, warnings


def _use_processes(sources: Sequence[SliceSource], workers: int, middle: int) -> bool:
    """Worker processes for compressed slices whose decoder holds the GIL (pydicom's); a
    series whose middle slice a fast (GIL-releasing) decoder takes decodes on threads here.
    The middle slice speaks for the series: e.g. a JPEG 2000 codestream signed unlike
    PixelRepresentation (seen in its SIZ marker, nothing decoded) sends it to the workers."""
    if not (workers > 1 and len(sources) >= decode_pool.MIN_SLICES
            and all(s.header.pixel_offset is None for s in sources)):
        return False
    first = sources[middle]
    return not frame_decoders.takes(first.header, first.frame) and decode_pool.enabled()


def _decode_in_processes(sources, indices, out, work_failed, clipped, progress, cancel) -> None:
    """Decode ``indices`` in worker processes; rescale each result into ``out`` here."""
    n = len(sources)
    futures = {}
    try:
        for k in indices:
            s = sources[k]
            futures[decode_pool.submit(s.header.ref, s.frame, s.header.transfer_syntax)] = k
        done = 1
        for future in as_completed(futures):
            if cancel is not None and cancel():
                raise LoadCancelled("Loading was cancelled")
            k = futures[future]
            try:
                raw = future.result()
                if raw.shape != out[k].shape:
                    raise UnsupportedData("A slice differs in size from the rest")
                if _rescale_into(raw, sources[k].slope, sources[k].intercept, out[k]):
                    clipped.append(k)
            except SealedFileDamaged:
                raise
            except (DamagedFile, UnsupportedData):
                log.warning("slice %d could not be decoded", k)
                work_failed.append(k)
            done += 1
            if progress and (done % 8 == 0 or done == n):
                progress(done / n)
    except decode_pool.BrokenProcessPool as err:
        decode_pool.reset()
        raise DamagedFile("The image decoder crashed on this series; its files may be "
                          "damaged") from err
    finally:
        for future in futures:
            future.cancel()


def _blank_value(out: np.ndarray, failures: list[int]) -> float:
    good = np.setdiff1d(np.arange(len(out)), failures)
    return float(out[good[0]].min()) if len(good) else 0.0


def decode_slice(source: SliceSource, out: np.ndarray, threads: int = 1) -> bool:
    """Decode one slice into ``out`` (a view into the volume); True when values were clipped.

    ``threads``: how many threads the decoder may use for this one slice."""
    header = source.header
    native = header.native_dtype() if source.frame is None else None
    if native is not None and header.pixel_offset is not None:
        return _read_native(source, native, out)
    raw = frame_decoders.decode(header, source.frame, threads)
    if raw is None:
        raw = _decode_with_pydicom(source)
    if raw.shape != out.shape:
        raise UnsupportedData(
            f"A slice in {header.ref.name} is {raw.shape} pixels, not {out.shape} like the rest"
        )
    return _rescale_into(raw, source.slope, source.intercept, out)


def _read_native(source: SliceSource, dtype: np.dtype, out: np.ndarray) -> bool:
    header = source.header
    nbytes = out.shape[0] * out.shape[1] * dtype.itemsize
    if header.pixel_length is not None and header.pixel_length < nbytes:
        raise DamagedFile(f"The pixel data of {header.ref.name} is shorter than its image size")
    direct = out.dtype == dtype and source.slope == 1
    buffer = out if direct else np.empty(out.shape, dtype=dtype)
    if header.ref.key is not None and header.ref.member is None:
        got = _read_sealed(header, memoryview(buffer).cast("B"))
    else:
        with header.ref.open() as fp:
            fp.seek(header.pixel_offset)
            got = fp.readinto(memoryview(buffer).cast("B"))
    if got != nbytes:
        raise DamagedFile(f"{header.ref.name} is truncated")
    return _rescale_into(buffer, source.slope, source.intercept, out)


def _read_sealed(header, target: memoryview) -> int:
    """A sealed slice's pixel bytes decrypted straight into ``target``: with the envelope
    the header pass read (:attr:`DicomHeader.sealed`), one open and ``preadv`` runs (the
    first chunk, mostly header, decrypted aside), else through a stream."""
    ref, envelope = header.ref, header.sealed
    if envelope is not None:
        file = os.open(ref.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            if os.pread(file, len(envelope.header), 0) == envelope.header:  # not sealed anew
                return crypto.read_into(file, ref.key, ref.path.stem.encode(), envelope,
                                        header.pixel_offset, target, ref.name,
                                        error=SealedFileDamaged)
        finally:
            os.close(file)
    with ref.open_raw() as fp:
        fp.seek(header.pixel_offset)
        return fp.readinto(target)


def _rescale_into(raw: np.ndarray, slope: float, intercept: float, out: np.ndarray) -> bool:
    """``out[...] = raw * slope + intercept``; True when int16 output had to be clipped."""
    if out.dtype != np.int16:
        np.multiply(raw, slope, out=out, casting="unsafe")
        out += np.float32(intercept)
        return False
    if _fits_int16(raw, slope, intercept):
        if raw is not out:
            np.copyto(out, raw, casting="unsafe")
        if slope != 1:
            out *= np.int16(slope)
        if intercept:
            out += np.int16(intercept)
        return False
    wide = raw.astype(np.int32) * int(slope) + int(intercept)
    np.clip(wide, _INT16.min, _INT16.max, out=wide)
    out[...] = wide
    return True


def _fits_int16(raw: np.ndarray, slope: float, intercept: float) -> bool:
    """Whether ``raw * slope + intercept`` stays in int16. Only an end of the stored type's
    range that could overflow is replaced by the actual extreme (one pass at most for CT)."""
    def inside(v: float) -> bool:
        return _INT16.min <= v * slope + intercept <= _INT16.max

    if raw.dtype.kind not in "iu":
        return inside(float(raw.min())) and inside(float(raw.max()))
    info = np.iinfo(raw.dtype)
    low = info.min if inside(info.min) else int(raw.min())
    high = info.max if inside(info.max) else int(raw.max())
    return inside(low) and inside(high)


def _decode_with_pydicom(source: SliceSource) -> np.ndarray:
    return decode_file(source.header.ref, source.frame, source.header.transfer_syntax)


def decode_frames(
    ds: Dataset, order: Sequence[int], rescales: Sequence[tuple[float, float]],
    out: np.ndarray, cancel: Cancel | None = None, progress: Progress | None = None,
    header: DicomHeader | None = None,
) -> bool:
    """Decode frames of a multi-frame ``ds`` in ``order`` into ``out[k]``; True if clipped.

    With its ``header``, frames a fast decoder takes decode on threads."""
    if header is not None:
        fast = _decode_frames_fast(ds, header, order, rescales, out, cancel, progress)
        if fast is not None:
            return fast
    clipped = False
    n = len(order)
    position = {frame: k for k, frame in enumerate(order)}
    try:
        frames = pydicom.pixels.iter_pixels(ds)
        for frame, raw in enumerate(frames):
            if cancel is not None and cancel():
                raise LoadCancelled("Loading was cancelled")
            k = position.get(frame)
            if k is None:
                continue
            if raw.ndim != 2:
                raise UnsupportedData("This multi-frame image is colour, not CT")
            slope, intercept = rescales[k]
            clipped |= _rescale_into(raw, slope, intercept, out[k])
            if progress and (k % 8 == 0):
                progress((frame + 1) / n)
    except (LoadCancelled, UnsupportedData, MemoryError):
        raise
    except BaseException as err:
        if is_fatal(err):
            raise
        raise DamagedFile("The pixel data of this multi-frame image is damaged") from err
    return clipped


def _decode_frames_fast(ds, header, order, rescales, out, cancel, progress) -> bool | None:
    """:func:`decode_frames` with a fast decoder on threads; None (nothing decided) when the
    fast path does not take every frame."""
    if not frame_decoders.suits(header) or "PixelData" not in ds:
        return None
    try:
        frames = list(generate_frames(ds.PixelData, number_of_frames=header.number_of_frames))
    except Exception:
        return None
    if len(frames) != header.number_of_frames or max(order) >= len(frames):
        return None

    def work(k: int) -> bool | None:
        if cancel is not None and cancel():
            raise LoadCancelled("Loading was cancelled")
        raw = frame_decoders.decode_bytes(header, frames[order[k]])
        if raw is None:
            return None
        return _rescale_into(raw, *rescales[k], out[k])

    results = []
    with ThreadPoolExecutor(max_workers=worker_count(), thread_name_prefix="luch-decode") as pool:
        for k, result in enumerate(pool.map(work, range(len(order)))):
            if result is None:
                pool.shutdown(cancel_futures=True)
                return None
            results.append(result)
            if progress and (k % 8 == 0):
                progress((k + 1) / len(order))
    return any(results)
