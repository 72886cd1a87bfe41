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


def correct_tilt(volume: Volume) -> Volume:
    """A copy of a gantry-tilted ``volume`` with each slice shifted in-plane (bilinear) so
    that voxel centres sit at their true LPS positions on an orthogonal grid, as dcm2niix
    does; pixels shifted in from outside take the padding (or lowest) value."""
    if volume.shear is None or volume.slice_positions is None:
        return volume
    row, col = volume.direction[:, 0], volume.direction[:, 1]
    shear = np.asarray(volume.shear, dtype=float)
    fill = volume.padding_hu if volume.padding_hu is not None else float(volume.voxels.min())
    out = np.empty_like(volume.voxels)
    for k, distance in enumerate(volume.slice_positions):
        offset = shear * float(distance)
        di = float(offset @ row) / volume.spacing[0]
        dj = float(offset @ col) / volume.spacing[1]
        shifted = _shift(volume.voxels[k].astype(np.float32), dj, di, fill)
        out[k] = np.rint(shifted) if out.dtype.kind in "iu" else shifted
    warnings = [w for w in volume.warnings if "Gantry tilt" not in w]
    warnings.append("Gantry tilt corrected (slices shifted in-plane, interpolated)")
    return Volume(
        voxels=out, spacing=volume.spacing, origin=volume.origin,
        direction=volume.direction.copy(), info=volume.info, warnings=warnings,
        slice_positions=volume.slice_positions, padding_hu=volume.padding_hu, shear=None,
    )


def _shift(image: np.ndarray, dj: float, di: float, fill: float) -> np.ndarray:
    """``out[j, i] = image[j - dj, i - di]``, bilinear, ``fill`` outside."""
    rows, cols = image.shape
    j = np.arange(rows, dtype=np.float64) - dj
    i = np.arange(cols, dtype=np.float64) - di
    j0, i0 = np.floor(j).astype(np.int64), np.floor(i).astype(np.int64)
    wj, wi = (j - j0).astype(np.float32), (i - i0).astype(np.float32)
    padded = np.pad(image, 1, constant_values=fill)

    def take(jj: np.ndarray, ii: np.ndarray) -> np.ndarray:
        jj = np.clip(jj + 1, 0, rows + 1)
        ii = np.clip(ii + 1, 0, cols + 1)
        return padded[jj[:, None], ii[None, :]]

    top = take(j0, i0) * (1 - wi) + take(j0, i0 + 1) * wi
    bottom = take(j0 + 1, i0) * (1 - wi) + take(j0 + 1, i0 + 1) * wi
    return top * (1 - wj[:, None]) + bottom * wj[:, None]
