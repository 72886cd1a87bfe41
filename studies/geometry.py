"""Slice geometry: order slices along the normal, derive spacing, and say what is wrong.

Slices are ordered by ImagePositionPatient projected on the slice normal (row x column
cosines), never by file name or InstanceNumber, as ITK/GDCM and dcm2niix do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from studies.errors import UnsupportedData

#: relative deviation of one gap from the median gap that counts as non-uniform spacing
SPACING_TOLERANCE = 0.01
#: a gap this many times the median one means slices are missing
MISSING_FACTOR = 1.5
#: angle (degrees) between the slice normal and the slice stack that counts as gantry tilt
TILT_TOLERANCE_DEG = 0.1
#: |z| of the unit slice normal (LPS) from which a series counts as axial (tilted up to ~45°)
AXIAL_NORMAL_Z = 0.7


@dataclass
class StackGeometry:
    """Geometry of an ordered stack of parallel slices."""

    order: np.ndarray  # indices into the input slices, ascending along the normal
    positions: np.ndarray  # (n,) distance of each ordered slice along the normal, mm
    origin: tuple[float, float, float]
    spacing: tuple[float, float, float]
    direction: np.ndarray  # columns: row (i), column (j), normal (k) directions, LPS
    warnings: list[str] = field(default_factory=list)
    tilt_degrees: float = 0.0
    #: in-plane LPS shift of a slice's origin per mm along the normal (gantry tilt)
    shear: tuple[float, float, float] | None = None


def cross(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float]:
    """3-vector cross product (np.cross costs ~100x more for one pair of small vectors)."""
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def is_axial(normal: Sequence[float]) -> bool:
    """Whether slices with this unit normal (LPS) lie in an axial plane, not a coronal or
    sagittal one: the one rule for a folder's reader ranking and the archive's series pick."""
    return abs(float(normal[2])) >= AXIAL_NORMAL_Z


def orientation_axes(iop: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit row, column and normal vectors from ImageOrientationPatient."""
    iop = np.asarray(iop, dtype=float)
    row, col = iop[:3], iop[3:]
    nr, nc = np.linalg.norm(row), np.linalg.norm(col)
    if nr < 1e-6 or nc < 1e-6:
        raise UnsupportedData("The image orientation in this series is invalid (zero vector)")
    row, col = row / nr, col / nc
    normal = np.cross(row, col)
    nn = np.linalg.norm(normal)
    if nn < 1e-3:
        raise UnsupportedData("The image orientation in this series is invalid (parallel axes)")
    return row, col, normal / nn


def stack_geometry(
    positions: np.ndarray,
    iop: Sequence[float],
    pixel_spacing: Sequence[float],
    fallback_thickness: float | None = None,
) -> StackGeometry:
    """Order slices at LPS ``positions`` (n, 3) and derive the volume geometry."""
    row, col, normal = orientation_axes(iop)
    positions = np.asarray(positions, dtype=float).reshape(-1, 3)
    distance = positions @ normal
    order = np.argsort(distance, kind="stable")
    distance = distance[order]
    warnings: list[str] = []
    tilt = 0.0
    shear = None
    if len(order) > 1:
        gaps = np.diff(distance)
        median = float(np.median(gaps))
        dz = (distance[-1] - distance[0]) / (len(order) - 1)
        warnings += _spacing_warnings(gaps, median)
        stack = positions[order[-1]] - positions[order[0]]
        if np.linalg.norm(stack) > 0:
            cosine = abs(float(stack @ normal)) / float(np.linalg.norm(stack))
            tilt = float(np.degrees(np.arccos(min(1.0, cosine))))
        if tilt > TILT_TOLERANCE_DEG:
            warnings.append(
                f"Gantry tilt of {tilt:.1f}°: the volume is sheared, so shapes and distances "
                "across slices are distorted in 3D views until tilt is corrected"
            )
            span = distance[-1] - distance[0]
            in_plane = stack - normal * float(stack @ normal)
            shear = tuple(float(v) for v in in_plane / span) if span > 0 else None
        dz = median if _has_missing(gaps, median) else dz
    else:
        dz = float(fallback_thickness) if fallback_thickness and fallback_thickness > 0 else 1.0
    if dz <= 0:
        raise UnsupportedData("All slices of this series lie at the same position")
    ps = [float(v) for v in pixel_spacing]
    return StackGeometry(
        order=order,
        positions=distance,
        origin=tuple(float(v) for v in positions[order[0]]),
        spacing=(ps[1], ps[0], float(dz)),
        direction=np.column_stack([row, col, normal]),
        warnings=warnings,
        tilt_degrees=tilt,
        shear=shear,
    )


def _has_missing(gaps: np.ndarray, median: float) -> bool:
    return bool(median > 0 and np.any(gaps > MISSING_FACTOR * median))


def _spacing_warnings(gaps: np.ndarray, median: float) -> list[str]:
    if median <= 0:
        return []
    warnings = []
    if _has_missing(gaps, median):
        missing = int(np.sum(np.round(gaps[gaps > MISSING_FACTOR * median] / median) - 1))
        warnings.append(
            f"{max(missing, 1)} slice(s) appear to be missing (gaps up to {gaps.max():.2f} mm "
            f"where slices are {median:.2f} mm apart)"
        )
    deviation = np.abs(gaps - median) / median
    if np.any((deviation > SPACING_TOLERANCE) & (gaps <= MISSING_FACTOR * median)):
        warnings.append(
            f"Slice spacing is not uniform ({gaps.min():.2f}–{gaps.max():.2f} mm): measurements "
            "across slices are approximate; resample to a uniform spacing before 3D work"
        )
    return warnings


def is_uniform(positions: np.ndarray) -> bool:
    """Whether ordered slice ``positions`` are evenly spaced (within the tolerance)."""
    if len(positions) < 3:
        return True
    gaps = np.diff(positions)
    median = float(np.median(gaps))
    return bool(median > 0 and np.all(np.abs(gaps - median) / median <= SPACING_TOLERANCE))
