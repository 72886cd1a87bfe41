"""Per-frame functional groups of a multi-frame image (Enhanced CT/MR, SEG): where each frame
lies and how its values rescale, the shared group filling in what a frame's own lacks."""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset

from studies.dicom_header import rescale_of


def _item(seq_owner: Dataset | None, keyword: str) -> Dataset | None:
    if seq_owner is None:
        return None
    seq = seq_owner.get(keyword)
    return seq[0] if seq else None


def _frame_attribute(frame: Dataset | None, shared: Dataset | None, sequence: str,
                     attribute: str) -> object:
    for owner in (frame, shared):
        item = _item(owner, sequence)
        if item is not None and attribute in item:
            return item.get(attribute)
    return None


def frame_geometry(ds: Dataset) -> list[dict]:
    """Per-frame position, orientation, pixel spacing and rescale of a multi-frame image."""
    shared = _item(ds, "SharedFunctionalGroupsSequence")
    per_frame = ds.get("PerFrameFunctionalGroupsSequence") or []
    frames = []
    for index in range(int(ds.get("NumberOfFrames") or 1)):
        frame = per_frame[index] if index < len(per_frame) else None
        transform = None
        for owner in (frame, shared):
            item = _item(owner, "PixelValueTransformationSequence")
            if item is not None:
                transform = item
                break
        frames.append({
            "position": _floats(_frame_attribute(frame, shared, "PlanePositionSequence",
                                                 "ImagePositionPatient"), 3),
            "orientation": _floats(_frame_attribute(frame, shared, "PlaneOrientationSequence",
                                                    "ImageOrientationPatient"), 6),
            "spacing": _floats(_frame_attribute(frame, shared, "PixelMeasuresSequence",
                                                "PixelSpacing"), 2),
            "thickness": _frame_attribute(frame, shared, "PixelMeasuresSequence",
                                          "SliceThickness"),
            "rescale": rescale_of(transform if transform is not None else ds),
        })
    return frames


def _floats(value: object, n: int) -> tuple[float, ...] | None:
    try:
        values = tuple(float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    return values if len(values) == n and all(np.isfinite(values)) else None
