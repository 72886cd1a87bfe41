"""A study that opens before it has arrived: progressive open over a thin link.

:class:`ProgressiveStudy` reads the headers of the study's largest series (one WADO-RS
metadata request), allocates its volume, then fetches the slices into the image cache
from the middle outwards (parallel requests, retried like :meth:`ImageCache.fetch_study`),
decoding each into its place. ``arrived[k]`` says which slices are there; listeners hear
``("slice", k)`` for each, ``("first", k)`` for the middle one (the study can be shown),
``("complete", volume)`` when the series is whole (the AI pre-read can start) and ``("failed",
error)``. Qt-free: the app runs :meth:`stream` on a worker thread and forwards the events.
Instances already cached are read from disk, not fetched again; a stopped stream taken up
again (:meth:`ProgressiveStudy.continue_from`) keeps its volume and the slices decoded, so
the views showing it stay. The study's other series follow through ``fetch_study`` once the
main one is complete.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from pydicom.dataset import Dataset

from archive.cache import RETRIES, SERIES_UID, SOP_UID, ImageCache, fetch_instance, safe_uid
from archive.dicomweb import DicomWebClient, tag_value, tag_values
from archive.errors import ArchiveRejected
from core.observable import Observable
from studies.errors import UnsupportedData
from studies.geometry import cross, is_axial, stack_geometry
from studies.headers import read_header
from studies.metadata import series_info
from studies.pixels import SliceSource, decode_slice
from studies.sources import FileRef
from studies.volume import Volume

RELATED_INSTANCES = "00201209"
CLIPPED = "Some values were outside the 16-bit range and were clipped"
POSITION, ORIENTATION, PIXEL_SPACING = "00200032", "00200037", "00280030"
ROWS, COLUMNS, THICKNESS = "00280010", "00280011", "00180050"
SERIES_NUMBER = "00200011"


def _series_number(entry: dict) -> int:
    number = tag_value(entry, SERIES_NUMBER, None)
    try:
        return int(number)
    except (TypeError, ValueError):
        return 1 << 30


def _axial(orientation: list) -> bool:
    """Whether image rows and columns (``ImageOrientationPatient``) lie in an axial plane
    (:func:`studies.geometry.is_axial`; no orientation: taken as axial)."""
    if len(orientation) != 6:
        return True
    cosines = [float(v) for v in orientation]
    return is_axial(cross(cosines[:3], cosines[3:]))


def middle_out(n: int) -> list[int]:
    """``0..n-1`` from the middle outwards: the middle, then one after, one before, ..."""
    mid, order = n // 2, []
    for step in range(n):
        k = mid + (step + 1) // 2 if step % 2 else mid - step // 2
        if 0 <= k < n:
            order.append(k)
    order += [k for k in range(n) if k not in set(order)]
    return order


class ProgressiveStudy(Observable):
    def __init__(self, client: DicomWebClient, cache: ImageCache, study_uid: str) -> None:
        super().__init__()
        self.client, self.cache, self.study_uid = client, cache, study_uid
        self.volume: Volume | None = None
        self.arrived = np.zeros(0, dtype=bool)
        self._items: list[tuple[str, str, Path]] = []  # (series, SOP, cache path) per slice k
        self._lock = threading.Lock()
        self._earlier: tuple[Volume, np.ndarray] | None = None

    def continue_from(self, earlier: ProgressiveStudy) -> None:
        """Go on where ``earlier`` (this study's stopped stream, no longer running) left: its
        volume and ``arrived`` array are this one's when :meth:`open` finds the same series
        and slices, so a view showing them keeps them and the slices decoded stay."""
        if earlier.study_uid == self.study_uid and earlier.volume is not None:
            self._earlier = (earlier.volume, earlier.arrived)

    @property
    def complete(self) -> bool:
        return bool(len(self.arrived)) and bool(self.arrived.all())

    def _main_series(self, series: list[dict], counts: list[int]) -> tuple[str, list[dict]]:
        """The series to read: the most images; among equals an axial one before a coronal
        or sagittal reformat, then the lower series number (as :mod:`studies.registry`
        ranks a folder). Returns its UID and the headers of its placeable images."""
        most = max(counts)
        tied = sorted((s for s, n in zip(series, counts, strict=True) if n == most),
                      key=_series_number)
        chosen: tuple[str, list[dict]] | None = None
        for entry in tied:
            uid = safe_uid(tag_value(entry, SERIES_UID))
            headers = [h for h in self.client.retrieve_series_metadata(self.study_uid, uid)
                       if tag_values(h, POSITION) and tag_values(h, PIXEL_SPACING)]
            if chosen is None or (headers and not chosen[1]):
                chosen = (uid, headers)
            if headers and _axial(tag_values(headers[0], ORIENTATION)):
                return uid, headers
        assert chosen is not None
        if not chosen[1]:
            raise UnsupportedData("the archive's series has no image with a position")
        return chosen

    def open(self) -> Volume:
        """Headers only: the volume allocated (no slice arrived yet), geometry known.

        :class:`studies.errors.UnsupportedData` when the series is no stack of single-frame
        slices this can place (multi-frame, mixed geometry): fetch it whole instead."""
        series = self.client.search_series(self.study_uid)
        if not series:
            raise ArchiveRejected("the archive has no images for this study")
        counts = [int(tag_value(s, RELATED_INSTANCES, 0) or 0) for s in series]
        if all(counts):  # a partly fetched study says how much of it is here
            self.cache.note_expected(self.study_uid, sum(counts))
        series_uid, headers = self._main_series(series, counts)
        first = headers[0]
        geometry = stack_geometry(np.array([tag_values(h, POSITION) for h in headers]),
                                  tag_values(first, ORIENTATION),
                                  tag_values(first, PIXEL_SPACING),
                                  tag_value(first, THICKNESS, None))
        ordered = [headers[i] for i in geometry.order]
        sops = [safe_uid(tag_value(h, SOP_UID)) for h in ordered]
        self._items = [(series_uid, sop, self.cache.instance_path(self.study_uid, series_uid, sop))
                       for sop in sops]
        rows, columns = int(tag_value(first, ROWS)), int(tag_value(first, COLUMNS))
        if self._continues(series_uid, sops, (len(ordered), rows, columns)):
            assert self.volume is not None
            self._emit("headers", self.volume)
            return self.volume
        info = series_info(_header_dataset(ordered[len(ordered) // 2]), sops)
        self.volume = Volume(voxels=np.zeros((len(ordered), rows, columns), dtype=np.int16),
                             spacing=geometry.spacing, origin=geometry.origin,
                             direction=geometry.direction, info=info,
                             warnings=list(geometry.warnings),
                             slice_positions=geometry.positions - geometry.positions[0],
                             shear=geometry.shear)
        self.arrived = np.zeros(len(ordered), dtype=bool)
        self._emit("headers", self.volume)
        return self.volume

    def _continues(self, series_uid: str, sops: list[str], shape: tuple[int, ...]) -> bool:
        """Whether the earlier stream's volume is of this series as the archive lists it now
        (same slices, same order and size): then it is this one's, with what arrived."""
        if self._earlier is None:
            return False
        volume, arrived = self._earlier
        self._earlier = None
        if (volume.info.series_instance_uid != series_uid or volume.shape != shape
                or list(volume.info.sop_instance_uids) != sops or len(arrived) != shape[0]):
            return False
        self.volume, self.arrived = volume, arrived
        return True

    def stream(self, cancel: threading.Event | None = None, workers: int | None = None,
               retries: int = RETRIES, decoders: int = 2) -> Volume:
        """Fetch and decode every slice, middle first; then the study's other series.

        ``workers`` requests at a time (default: the client's setting); ``decoders`` threads
        decode beside them (the decoders release the GIL), so the link is never idle."""
        if self.volume is None:
            self.open()
        order = [k for k in middle_out(len(self._items)) if not self.arrived[k]]
        stop = threading.Event()
        key = self.cache.study_key(self.study_uid)

        def one(k: int) -> Future:
            item = self._items[k]
            if not item[2].exists():
                fetch_instance(self.client, self.study_uid, item, retries, cancel, stop, key)
            return decoder.submit(self._decode, k, item[2])

        fetchers = ThreadPoolExecutor(max(1, workers or self.client.config.parallel))
        decoder = ThreadPoolExecutor(max(1, decoders))
        try:
            if order and order[0] == len(self._items) // 2:
                # The middle slice alone first: the whole link and the archive's CPU for the
                # image the reader sees first.
                one(order.pop(0)).result()
            decodes = [f.result() for f in [fetchers.submit(one, k) for k in order]]
            for done in decodes:
                done.result()
        except BaseException as err:
            stop.set()
            self._emit("failed", err)
            raise
        finally:
            fetchers.shutdown(wait=True, cancel_futures=True)
            decoder.shutdown(wait=True, cancel_futures=True)
        # The other series (and the complete marker): only what is missing.
        self.cache.fetch_study(self.client, self.study_uid, cancel=cancel, retries=retries)
        self._emit("complete", self.volume)
        return self.volume

    def _decode(self, k: int, path: Path) -> None:
        """Slice ``k`` from its cached file into the volume, as the loader decodes it."""
        header = read_header(FileRef.on_disk(path))
        if header is None or header.sop_instance_uid != self._items[k][1]:
            raise ArchiveRejected("the archive sent another image than the one asked for")
        assert self.volume is not None
        clipped = decode_slice(SliceSource(header, None, *header.rescale), self.volume.voxels[k])
        with self._lock:
            self.arrived[k] = True
            if clipped and CLIPPED not in self.volume.warnings:
                self.volume.warnings.append(CLIPPED)
            first = k == len(self.arrived) // 2
        self._emit("slice", k)
        if first:
            self._emit("first", k)


def _header_dataset(meta: dict[str, Any]) -> Dataset:
    """A pydicom dataset of one instance's DICOM JSON header (bulk data left out)."""
    return Dataset.from_json({t: v for t, v in meta.items()
                              if "BulkDataURI" not in v and "InlineBinary" not in v})
