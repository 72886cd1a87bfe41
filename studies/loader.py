"""Open the best series at a path as a :class:`Volume`."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from studies import decode_pool
from studies.errors import DamagedFile, NoSeriesFound, StudyError, is_fatal
from studies.pixels import Cancel, FirstSlice, Progress, SliceSource, decode_volume
from studies.registry import Candidate
from studies.scan import ScanResult, is_one_slice, scan_files, whole_series_of
from studies.sources import list_files
from studies.volume import Volume
from studies.volume_cache import entry_for, wait_written

log = logging.getLogger(__name__)

#: share of the progress bar spent on the header pass
HEADER_SHARE = 0.1


def choose(result: ScanResult, series: str | int | None = None) -> Candidate:
    """The candidate to open: by SeriesInstanceUID, by index in ``result.images``, or the best.

    The best is the most confident reader's largest volume (readers rank candidates).
    """
    images = result.images
    if not images and result.segmentations:
        raise NoSeriesFound("This holds only a segmentation (SEG); open the image series it "
                            "belongs to and add the segmentation as an overlay")
    if not images:
        reasons = [w for c in result.candidates for w in c.warnings] + result.notes
        raise NoSeriesFound("No image series found here" + (
            f" ({reasons[0]})" if reasons else ""))
    if series is None:
        return images[0]
    if isinstance(series, int) or str(series).isdigit():
        index = int(series)
        if not 0 <= index < len(images):
            raise StudyError(f"There is no series number {index} here (0..{len(images) - 1})")
        return images[index]
    matches = [c for c in images if c.info.series_instance_uid == series]
    if not matches:
        raise StudyError("No series with that SeriesInstanceUID here")
    return matches[0]


def load(
    candidate: Candidate,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    on_first_slice: FirstSlice | None = None,
) -> Volume:
    """Load one image candidate (see :func:`studies.scan`)."""
    try:
        volume = candidate.load(progress, cancel, on_first_slice)
    except StudyError:
        raise
    except MemoryError as err:
        raise StudyError("Not enough memory to load this series") from err
    except BaseException as err:  # a reader bug or data no reader foresaw: say so, log the type
        if is_fatal(err):
            raise
        log.warning("reader %s failed: %s", candidate.reader, type(err).__name__)
        raise DamagedFile("This series could not be read: its data is damaged or of a kind "
                          "Luch does not support") from err
    if not isinstance(volume, Volume):
        raise StudyError("This object is a segmentation, not an image series")
    return volume


def preview(candidate: Candidate) -> tuple[int, np.ndarray]:
    """``(k, image)``: only the middle slice of a classic series, decoded in HU, for a
    thumbnail or a first view before the whole volume is loaded."""
    if candidate.reader != "dicom-series":
        volume = load(candidate)
        k = volume.shape[0] // 2
        return k, volume.voxels[k].copy()
    ordered = candidate.plan[0]
    k = len(ordered) // 2
    header = ordered[k]
    image, _ = decode_volume([SliceSource(header, None, *header.rescale)], header.rows,
                             header.columns)
    return k, image[0]


def open_volume(
    path: str | Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    on_first_slice: FirstSlice | None = None,
    series: str | int | None = None,
    whole_series: bool = True,
    key: bytes | None = None,
) -> Volume:
    """Read the best (or the chosen) series at a folder, zip, DICOMDIR or file as a Volume.

    A single slice file opens the whole series it belongs to from its folder (unless
    ``whole_series`` is False).

    ``progress(fraction)`` is called as loading goes; ``cancel()`` returning True stops it
    with :class:`~studies.errors.LoadCancelled`; ``on_first_slice(k, image)`` receives the
    middle slice (in HU) as soon as it is decoded, before the rest of the volume. ``key``:
    the data key of a folder's sealed files, kept in the caller's memory only. A sealed
    study of the image cache is read from its decoded-volume entry when one was written for
    the same files (:mod:`studies.volume_cache`), and one is written after reading them.
    """
    header_progress = (lambda f: progress(f * HEADER_SHARE)) if progress else None
    pixel_progress = (lambda f: progress(HEADER_SHARE + f * (1 - HEADER_SHARE))
                      ) if progress else None
    files = list_files(path, key)  # one file's header progress would run twice with its series'
    entry = entry_for(Path(path), key, files) if series is None else None
    kept = entry.read() if entry is not None else None
    if kept is not None:  # a sealed cached study opened before: one decryption
        if progress:
            progress(1.0)
        if on_first_slice and kept.shape[0]:
            on_first_slice(kept.shape[0] // 2, kept.voxels[kept.shape[0] // 2])
        return kept
    result = scan_files(files, header_progress if len(files) > 1 else None)
    candidate = choose(result, series)
    if whole_series and series is None and is_one_slice(candidate):
        candidate = whole_series_of(candidate, header_progress)
        result = ScanResult([candidate], 1, 0, 0)
    volume = load(candidate, pixel_progress, cancel, on_first_slice)
    others = len(result.images) - 1
    if others and series is None:
        volume.warnings.append(
            f"{others} other series at this location were not opened "
            "(list them with `luch info`)")
    if entry is not None:
        entry.write_later(volume)
    return volume


def keep_decoded(path: str | Path, cancel: Cancel | None = None) -> bool:
    """Write a sealed cached study's decoded-volume entry now, unless one of the same files is
    there (the background's work on a prefetched study, so that the reader's first open is
    one decryption); False for a folder that keeps none (plain, not the image cache's)."""
    files = list_files(path)
    entry = entry_for(Path(path), None, files)
    if entry is None:
        return False
    if not entry.current():
        open_volume(path, cancel=cancel)
        wait_written(folder=entry.folder)
    return True


def warm_up() -> None:
    """Import the readers and decoders and start the decoding workers now (at app start, on
    a background thread), so that the first study opens without paying for them."""
    decode_pool.warm_up()  # importing this module has imported the readers (``studies.scan``)
