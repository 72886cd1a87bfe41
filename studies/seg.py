"""Label maps from any path: a DICOM SEG, or an integer image (NIfTI mask, label series).

The SEG objects themselves are read by :mod:`studies.label_map` (re-exported here, where
callers have always found them); this module lies above the loader, which it uses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studies.errors import StudyError, UnsupportedData
from studies.label_map import LabelMap, read_segmentation, segment_labels
from studies.loader import load
from studies.scan import scan


def open_label_map(path: str | Path) -> LabelMap:
    """A label map from a DICOM SEG, or from an integer image (NIfTI mask, label series).

    Place it on an image with :meth:`LabelMap.on_grid_of`.
    """
    result = scan(path)
    if result.segmentations:
        labels = result.segmentations[0].load()
        if not isinstance(labels, LabelMap):
            raise StudyError("The segmentation could not be read")
        return labels
    images = result.images
    if not images:
        raise StudyError("No segmentation or label image found here")
    volume = load(images[0])
    values = volume.voxels
    if values.dtype.kind == "f" and not np.all(np.mod(values, 1) == 0):
        raise UnsupportedData("This image holds fractional values, not integer labels")
    if values.min() < 0 or values.max() > 65535:
        raise UnsupportedData("This image is not a label map (values outside 0..65535)")
    dtype = np.uint8 if values.max() < 256 else np.uint16
    numbers = [int(v) for v in np.unique(values) if v != 0][:255]
    return LabelMap(
        labels=values.astype(dtype), spacing=volume.spacing, origin=volume.origin,
        direction=volume.direction, segments={n: f"Label {n}" for n in numbers},
        info=volume.info, warnings=volume.warnings,
    )


__all__ = ["LabelMap", "open_label_map", "read_segmentation", "segment_labels"]
