"""DICOM Segmentation (SEG) objects as label maps, e.g. AI lung masks from the archive.

:class:`LabelMap` and :func:`read_segmentation` (one SEG file or dataset) lie below the
readers (the SEG reader uses them); :func:`studies.seg.open_label_map`, which opens any path,
lies above the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pydicom
from pydicom.dataset import Dataset

from studies.errors import DamagedFile, StudyError, UnsupportedData, is_fatal
from studies.frames import frame_geometry
from studies.geometry import orientation_axes
from studies.metadata import series_info
from studies.volume import SeriesInfo, Volume


@dataclass
class LabelMap:
    """Segments as integer labels on a voxel grid (same conventions as :class:`Volume`)."""

    labels: np.ndarray  # [k, j, i], 0 = background, n = segment number n
    spacing: tuple[float, float, float]
    origin: tuple[float, float, float]
    direction: np.ndarray
    segments: dict[int, str] = field(default_factory=dict)  # segment number -> label
    info: SeriesInfo = field(default_factory=SeriesInfo)
    referenced_series_uid: str = ""
    warnings: list[str] = field(default_factory=list)

    def on_grid_of(self, volume: Volume) -> np.ndarray:
        """The labels resampled (nearest neighbour) onto ``volume``'s voxel grid, each of its
        slices taken where it was acquired (``slice_positions``: unevenly spaced slices)."""
        if (self.labels.shape == volume.shape
                and np.allclose(self.spacing, volume.spacing, atol=1e-4)
                and np.allclose(self.origin, volume.origin, atol=1e-3)
                and np.allclose(self.direction, volume.direction, atol=1e-5)):
            return self.labels
        out = np.zeros(volume.shape, dtype=self.labels.dtype)
        nk, nj, ni = volume.shape
        jj, ii = np.mgrid[0:nj, 0:ni]
        to_index = np.linalg.inv(self.direction * np.asarray(self.spacing))
        # each slice where it was acquired: unevenly spaced slices lie off the volume's grid
        planes = (np.asarray(volume.slice_positions, float) / volume.spacing[2]
                  if volume.slice_positions is not None and len(volume.slice_positions) == nk
                  and volume.spacing[2] > 0 else np.arange(nk, dtype=float))
        for k in range(nk):
            ijk = np.stack([ii, jj, np.full(ii.shape, planes[k])], axis=-1).reshape(-1, 3)
            lps = volume.index_to_lps(ijk)
            idx = np.rint((lps - np.asarray(self.origin)) @ to_index.T).astype(np.int64)
            inside = np.all((idx >= 0) & (idx < np.array(self.labels.shape[::-1])), axis=1)
            plane = np.zeros(ni * nj, dtype=self.labels.dtype)
            sel = idx[inside]
            plane[inside] = self.labels[sel[:, 2], sel[:, 1], sel[:, 0]]
            out[k] = plane.reshape(nj, ni)
        return out


def _common_step(gaps: np.ndarray, most: int = 20) -> float:
    """The largest step, at most the smallest gap, that every gap is a whole number of (to
    0.01 mm), so that each plane lies on the grid (gaps of 2.5 and 1 mm: 0.5 mm); else the
    smallest gap."""
    smallest = float(gaps.min())
    for n in range(1, most + 1):
        step = smallest / n
        if np.all(np.abs(gaps / step - np.rint(gaps / step)) * step <= 0.01):
            return step
    return smallest


def segment_labels(ds: Dataset) -> dict[int, str]:
    return {
        int(item.SegmentNumber): str(item.get("SegmentLabel", f"Segment {item.SegmentNumber}"))
        for item in ds.get("SegmentSequence") or []
    }


#: SNOMED CT "Anatomical Structure" (and the older "Body structure" code, CID 7150): a segment
#: of this category is an organ, drawn under the findings inside it
ANATOMY = {"91723000", "123037004"}


def anatomy_segments(ds: Dataset) -> set[int]:
    """The numbers of the segments that are organs (category Anatomical Structure)."""
    return {
        int(item.SegmentNumber) for item in ds.get("SegmentSequence") or []
        if any(str(code.get("CodeValue", "")) in ANATOMY
               for code in item.get("SegmentedPropertyCategoryCodeSequence") or [])
    }


def read_segmentation(source: str | Path | BinaryIO | Dataset) -> LabelMap:
    """Read a DICOM SEG file (or dataset) into a :class:`LabelMap` on its own frame grid."""
    try:
        ds = source if isinstance(source, Dataset) else pydicom.dcmread(source, force=True)
        masks = ds.pixel_array
    except BaseException as err:
        if is_fatal(err):
            raise
        raise DamagedFile("The segmentation file is damaged") from err
    if str(ds.get("Modality", "")) != "SEG":
        raise StudyError("This file is not a DICOM segmentation")
    n_frames = int(ds.get("NumberOfFrames") or 1)
    masks = masks.reshape(n_frames, int(ds.Rows), int(ds.Columns))
    if str(ds.get("SegmentationType", "BINARY")) == "FRACTIONAL":
        masks = masks > (int(ds.get("MaximumFractionalValue") or 255) / 2)
    frames = frame_geometry(ds)
    per_frame = ds.get("PerFrameFunctionalGroupsSequence") or []
    if not frames or any(f["position"] is None for f in frames) or frames[0][
            "orientation"] is None or frames[0]["spacing"] is None:
        raise UnsupportedData("The segmentation has no plane positions, so it cannot be placed")
    row, col, normal = orientation_axes(frames[0]["orientation"])
    positions = np.array([f["position"] for f in frames])
    distance = np.round(positions @ normal, 3)
    planes = np.unique(distance)
    gaps = np.diff(planes)
    dz = float(np.median(gaps)) if len(gaps) else float(frames[0]["thickness"] or 1.0)
    if len(gaps) and np.any(np.abs(gaps - dz) > 0.01 * dz + 1e-3):
        # frames only on some planes, or planes unevenly spaced: a grid every plane lies on
        dz = _common_step(gaps)
    first = int(np.argmin(positions @ normal))
    nk = round(float(planes[-1] - planes[0]) / dz) + 1 if len(planes) > 1 else 1
    dtype = np.uint8 if len(segment_labels(ds)) < 256 else np.uint16
    labels = np.zeros((nk, int(ds.Rows), int(ds.Columns)), dtype=dtype)
    overlap = False
    organs = np.array(sorted(anatomy_segments(ds)) or [0], dtype=dtype)
    for index, frame in enumerate(per_frame[:n_frames]):
        item = (frame.get("SegmentIdentificationSequence") or [None])[0]
        number = int(item.ReferencedSegmentNumber) if item is not None else 1
        k = round(float(distance[index] - planes[0]) / dz)
        mask = masks[index].astype(bool)
        under = labels[k][mask]
        # a finding inside an organ's segment (a lesion in a lung) is no overlap to report
        overlap |= bool(np.any((under != 0) & (np.isin(under, organs) == (number in organs))))
        labels[k][mask] = np.maximum(under, number)  # the higher number shows, in any order
    ref_series = ""
    for ref in ds.get("ReferencedSeriesSequence") or []:
        ref_series = str(ref.get("SeriesInstanceUID", ""))
    ps = frames[0]["spacing"]
    return LabelMap(
        labels=labels, spacing=(float(ps[1]), float(ps[0]), dz),
        origin=tuple(float(v) for v in positions[first]),
        direction=np.column_stack([row, col, normal]), segments=segment_labels(ds),
        info=series_info(ds), referenced_series_uid=ref_series,
        warnings=["Segments overlap; the higher segment number is shown"] if overlap else [],
    )
