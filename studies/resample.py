"""Resampling along the slice axis, for series whose slices are not evenly spaced."""

from __future__ import annotations

import numpy as np

from studies.errors import StudyError
from studies.volume import Volume


def resample_uniform(volume: Volume, spacing: float | None = None) -> Volume:
    """A copy of ``volume`` with slices evenly ``spacing`` mm apart (default: the smallest
    gap), by linear interpolation between the acquired slices; geometry is updated."""
    positions = volume.slice_positions
    if positions is None or len(positions) < 2:
        raise StudyError("This volume has no slice positions to resample from")
    positions = np.asarray(positions, dtype=float)
    gaps = np.diff(positions)
    if np.any(gaps <= 0):
        raise StudyError("Slice positions are not increasing; cannot resample")
    step = float(spacing or gaps.min())
    targets = np.arange(positions[0], positions[-1] + step * 1e-6, step)
    upper = np.clip(np.searchsorted(positions, targets, side="right"), 1, len(positions) - 1)
    lower = upper - 1
    weight = ((targets - positions[lower]) / (positions[upper] - positions[lower]))
    weight = np.clip(weight, 0.0, 1.0).astype(np.float32)
    out = np.empty((len(targets), *volume.shape[1:]), dtype=volume.voxels.dtype)
    for k, (lo, hi, w) in enumerate(zip(lower, upper, weight, strict=True)):
        blended = volume.voxels[lo] * (1 - w) + volume.voxels[hi] * w
        out[k] = np.rint(blended) if out.dtype.kind in "iu" else blended
    warnings = [w for w in volume.warnings if "not uniform" not in w and "missing" not in w]
    warnings.append(f"Resampled to {step:.3g} mm slices (interpolated between acquired slices)")
    return Volume(
        voxels=out, spacing=(volume.spacing[0], volume.spacing[1], step),
        origin=volume.origin, direction=volume.direction.copy(), info=volume.info,
        warnings=warnings, slice_positions=targets - targets[0], padding_hu=volume.padding_hu,
    )
