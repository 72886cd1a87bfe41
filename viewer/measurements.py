"""Measurements on a CT volume: distance, ellipse and freehand ROIs with HU statistics.

Pure numpy (no Qt, no VTK). Points are LPS millimetres. An ROI lies in one slice of one of
the volume's own image planes; its voxels are those whose centres fall inside the shape.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, field

import numpy as np

from studies import Volume


@dataclass
class RoiStats:
    mean: float
    sd: float
    min: float
    max: float
    area_mm2: float
    pixels: int


@dataclass
class Measurement:
    """A measurement: ``kind`` is ``distance``, ``ellipse`` or ``freehand``.

    ``points`` (LPS mm): distance: the two ends; ellipse: the two corners of its bounding box
    in the view plane; freehand: the outline, closed implicitly. ``normal`` is the view plane's.
    """

    kind: str
    points: list[tuple[float, float, float]]
    normal: tuple[float, float, float] = (0.0, 0.0, 1.0)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    label: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Measurement:
        return cls(kind=data["kind"], points=[tuple(p) for p in data["points"]],
                   normal=tuple(data.get("normal", (0, 0, 1))), id=data.get("id", uuid.uuid4().hex),
                   label=data.get("label", ""))


def distance_mm(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)))


def length_mm(volume: Volume, m: Measurement) -> float:
    """A distance measurement's length between where its ends were acquired (an unevenly
    spaced series is drawn evenly spaced: :meth:`studies.Volume.acquired_lps`)."""
    a, b = volume.acquired_lps(np.asarray(m.points[:2], float))
    return distance_mm(a, b)


def roi_stats(volume: Volume, roi: Measurement) -> RoiStats:
    """HU statistics of the voxels inside an ellipse or freehand ROI."""
    mask, k_axis, k = roi_mask(volume, roi)
    plane = np.take(volume.voxels, k, axis=2 - k_axis)  # voxels are [k, j, i]
    values = plane[mask].astype(np.float64)
    if values.size == 0:
        raise ValueError("the ROI contains no voxel centre; draw it larger")
    return RoiStats(mean=float(values.mean()), sd=float(values.std()), min=float(values.min()),
                    max=float(values.max()), area_mm2=roi_area_mm2(roi, volume),
                    pixels=int(values.size))


def roi_area_mm2(roi: Measurement, volume: Volume | None = None) -> float:
    """The shape's own area (ellipse: pi*a*b; freehand: the polygon's), not a pixel count;
    with ``volume``, of the outline where it was acquired (a reformat of unevenly spaced
    slices is drawn evenly spaced)."""
    points = np.asarray(roi.points, float)
    if volume is not None:
        points = volume.acquired_lps(points)
    uv = _in_plane(points, np.asarray(roi.normal, float))
    if roi.kind == "ellipse":
        a, b = np.abs(uv[1] - uv[0]) / 2
        return float(math.pi * a * b)
    u, v = uv[:, 0], uv[:, 1]
    return float(abs(np.dot(u, np.roll(v, -1)) - np.dot(v, np.roll(u, -1))) / 2)


def roi_mask(volume: Volume, roi: Measurement) -> tuple[np.ndarray, int, int]:
    """``(mask, k_axis, k)``: the in-slice mask, which image axis is the slice normal, which slice.

    ``mask`` is indexed like ``np.take(voxels, k, axis=2 - k_axis)``.
    """
    if roi.kind not in ("ellipse", "freehand"):
        raise ValueError(f"{roi.kind} is not an area ROI")
    points = np.asarray(roi.points, float)
    ijk = volume.lps_to_index(points)
    k_axis = int(np.argmax(np.abs(np.asarray(volume.direction).T @ np.asarray(roi.normal))))
    k = round(float(ijk[:, k_axis].mean()))
    size_k = volume.shape[2 - k_axis]
    if not 0 <= k < size_k:
        raise ValueError("the ROI lies outside the volume")
    # numpy axes of voxels[k, j, i] left after taking the slice, and their index axes (i=0..k=2)
    np_axes = [a for a in (0, 1, 2) if a != 2 - k_axis]
    index_axes = [2 - a for a in np_axes]
    shape = [volume.voxels.shape[a] for a in np_axes]
    # Only voxels in the bounding box of the shape's outline (padded by one) can be inside.
    outline = volume.lps_to_index(_outline_lps(roi)) if roi.kind == "ellipse" else ijk
    lo = [max(0, int(np.floor(outline[:, a].min())) - 1) for a in index_axes]
    hi = [min(n, int(np.ceil(outline[:, a].max())) + 2) for a, n in zip(index_axes, shape,
                                                                         strict=True)]
    box = [max(0, h - lo_) for lo_, h in zip(lo, hi, strict=True)]
    grid = np.indices(box).reshape(2, -1).T + np.array(lo)
    full = np.empty((grid.shape[0], 3))
    full[:, index_axes[0]], full[:, index_axes[1]], full[:, k_axis] = grid[:, 0], grid[:, 1], k
    centres = _in_plane(volume.index_to_lps(full), np.asarray(roi.normal, float))
    shape_uv = _in_plane(points, np.asarray(roi.normal, float))
    if roi.kind == "ellipse":
        centre = shape_uv.mean(axis=0)
        semi = np.abs(shape_uv[1] - shape_uv[0]) / 2
        if np.any(semi == 0):
            raise ValueError("the ellipse has no area")
        inside = (((centres - centre) / semi) ** 2).sum(axis=1) <= 1.0
    else:
        inside = _inside_polygon(centres, shape_uv)
    mask = np.zeros(shape, dtype=bool)
    mask[lo[0]:lo[0] + box[0], lo[1]:lo[1] + box[1]] = inside.reshape(box)
    return mask, k_axis, k


def _outline_lps(roi: Measurement, segments: int = 64) -> np.ndarray:
    """Points on an ellipse ROI's outline in LPS (its axes are those of :func:`_in_plane`)."""
    points = np.asarray(roi.points, float)
    normal = np.asarray(roi.normal, float) / np.linalg.norm(roi.normal)
    u, v = _plane_basis(normal)
    centre = points.mean(axis=0)
    a, b = np.abs((points[1] - points[0]) @ np.stack([u, v], axis=1)) / 2
    t = np.linspace(0, 2 * math.pi, segments, endpoint=False)
    return centre + np.outer(a * np.cos(t), u) + np.outer(b * np.sin(t), v)


def _plane_basis(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    helper = np.array([0.0, 0.0, 1.0]) if abs(normal[2]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.cross(helper, normal)
    u /= np.linalg.norm(u)
    return u, np.cross(normal, u)


def _in_plane(points: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """2D coordinates of LPS points in a plane with ``normal`` (any fixed orthonormal basis)."""
    u, v = _plane_basis(normal / np.linalg.norm(normal))
    return np.stack([points @ u, points @ v], axis=-1)


def _inside_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd rule, vectorised over ``points``."""
    x, y = points[:, 0], points[:, 1]
    inside = np.zeros(len(points), dtype=bool)
    x0, y0 = polygon[-1]
    for x1, y1 in polygon:
        crosses = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (x < x_cross)
        x0, y0 = x1, y1
    return inside
