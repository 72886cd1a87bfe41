"""Lesion at the lung's borders that is not pneumonia: partial-volume shells and what lies
outside the lung.

* A **pleural shell**: a lesion component that nowhere reaches deeper than
  :data:`SHELL_MM` into the lung (3D distance to the nearest non-lung voxel) is partial
  volume of the heart border, diaphragm, costal pleura or hilum, where a slice cuts the
  lung surface obliquely. A real patch of ground glass or consolidation of that extent
  reaches deeper. Components larger than :data:`SHELL_MAX_ML` are kept untested.
* **Outside the lung**: a lesion component lying (:data:`OUTSIDE_SHARE`) farther than
  :data:`ENVELOPE_MM` (in-plane) from the classical lungs (air-filled lung, closed and hulled
  to take in consolidated lung, :func:`inference.lungs.segment_lungs`) sits on the chest
  wall or in the mediastinum: neither lung nor lesion. Only components under
  :data:`OUTSIDE_MAX_ML`: the classical lungs miss a lung whited out by consolidation (on
  the real COVID slices whole consolidated regions of 14-22 mL lie outside them), and that
  stays lesion.

Chosen leave-one-patient-out over the three real chests (docs/model-card.md).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import voxel_ml as voxel_ml_of

SHELL_MM = 10.0
SHELL_MAX_ML = 30.0
ENVELOPE_MM = 10.0
OUTSIDE_SHARE = 0.9
OUTSIDE_MAX_ML = 5.0
_CONNECT = np.ones((3, 3, 3), bool)


def _mm(spacing) -> np.ndarray:
    return np.array([spacing[2], spacing[1], spacing[0]], float)


def drop_pleural_shells(lesion: np.ndarray, lung: np.ndarray, spacing,
                        shell_mm: float = SHELL_MM) -> np.ndarray:
    """``lesion`` without components whose deepest voxel is at most ``shell_mm`` from the
    lung's surface. Single slices are left as they are (no through-plane depth)."""
    if shell_mm <= 0 or lesion.shape[0] < 2:
        return lesion
    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return lesion
    mm = _mm(spacing)
    sizes = np.bincount(comps.ravel(), minlength=n + 1)
    too_big = SHELL_MAX_ML / voxel_ml_of(spacing)
    pad = np.ceil(shell_mm / mm).astype(int) + 1
    drop = np.zeros(n + 1, bool)
    for idx, sl in enumerate(ndi.find_objects(comps), 1):
        if sizes[idx] > too_big:
            continue
        box = tuple(slice(max(0, s.start - p), s.stop + p)
                    for s, p in zip(sl, pad, strict=True))
        inside = lung[box]
        # Distances up to ``pad`` are exact within the padded box; the volume's own edge
        # counts as lung (a lesion cut by the scan range is not a shell there).
        depth = ndi.distance_transform_edt(inside, sampling=mm)
        drop[idx] = depth[comps[box] == idx].max() <= shell_mm
    return lesion & ~drop[comps]


def lung_envelope(classical: np.ndarray, spacing, reach_mm: float = ENVELOPE_MM
                  ) -> np.ndarray:
    """The classical lungs grown in-plane by ``reach_mm``: where lung can be."""
    r = max(1, round(reach_mm / float(spacing[0])))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    disk = (yy**2 + xx**2 <= r * r)[None]
    ks = np.nonzero(classical.any(axis=(1, 2)))[0]
    out = np.zeros_like(classical)
    if ks.size:
        sl = slice(ks[0], ks[-1] + 1)
        out[sl] = ndi.binary_dilation(classical[sl], structure=disk)
    return out


def outside_envelope(lesion: np.ndarray, envelope: np.ndarray, spacing) -> np.ndarray:
    """The lesion components that lie outside the lung envelope (see above)."""
    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return np.zeros_like(lesion)
    sizes = np.bincount(comps.ravel(), minlength=n + 1)
    out = np.bincount(comps[lesion & ~envelope], minlength=n + 1)
    drop = (out >= OUTSIDE_SHARE * sizes) & (sizes * voxel_ml_of(spacing) < OUTSIDE_MAX_ML)
    drop[0] = False
    return drop[comps]
