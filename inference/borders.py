"""Lesion at the lung's borders that is not pneumonia: partial-volume shells and what lies
outside the lung.

* A **pleural shell**: a lesion component that nowhere reaches deeper than
  :data:`SHELL_MM` into the lung (3D distance to the nearest non-lung voxel) is partial
  volume of the heart border, diaphragm, costal pleura or hilum, where a slice cuts the
  lung surface obliquely. A real patch of ground glass or consolidation of that extent
  reaches deeper. Components larger than :data:`SHELL_MAX_ML` are kept untested.
* A **band** (studied, off: :data:`BAND_SHARE` 0): a component with that share of its voxels
  within :data:`NEAR_MM` of the lung surface, whatever its size or a few deeper voxels
  (the diaphragm domes and dependent pleura of the Philips chest); leave one chest out it
  cost small subpleural simulated lesion on one chest, so it is not shipped.
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

from inference.foci import flat_components
from inference.geometry import voxel_ml as voxel_ml_of
from inference.morphology import Components, bounding_box, disk_dilation

SHELL_MM = 10.0
SHELL_MAX_ML = 30.0
# A band along the lung surface: a component with this share of its voxels within
# NEAR_MM of the surface (3D), whatever a few deeper voxels (0: rule off).
BAND_SHARE = 0.0
NEAR_MM = 5.0
ENVELOPE_MM = 10.0
OUTSIDE_SHARE = 0.9
OUTSIDE_MAX_ML = 5.0


def _mm(spacing) -> np.ndarray:
    return np.array([spacing[2], spacing[1], spacing[0]], float)


def drop_pleural_shells(lesion: np.ndarray, lung: np.ndarray, spacing,
                        shell_mm: float = SHELL_MM) -> np.ndarray:
    """``lesion`` without components whose deepest voxel is at most ``shell_mm`` from the
    lung's surface. Single slices are left as they are (no through-plane depth)."""
    if shell_mm <= 0 or lesion.shape[0] < 2:
        return lesion
    comps = Components.of(lesion)
    return lesion & ~comps.select(shell_components(comps, lung, spacing, shell_mm))


def drop_flat_and_shells(lesion: np.ndarray, lung: np.ndarray, spacing,
                         shell_mm: float = SHELL_MM) -> np.ndarray:
    """:func:`inference.foci.drop_flat_lesions` then :func:`drop_pleural_shells`, on one
    labelling: dropping whole components leaves the others' components as they were, so
    this is the same voxels as the two in turn."""
    comps, drop = flat_and_shells(lesion, lung, spacing, shell_mm)
    return lesion & ~comps.select(drop) if comps.n else lesion


def flat_and_shells(lesion: np.ndarray, lung: np.ndarray, spacing,
                    shell_mm: float = SHELL_MM) -> tuple[Components, np.ndarray]:
    """The labelling of ``lesion`` and, per label, whether :func:`drop_flat_and_shells`
    drops it: the components it keeps are those of its output, for a later rule to reuse
    (:func:`inference.vessels.great_vessels`)."""
    comps = Components.of(lesion)
    drop = flat_components(comps, spacing) if comps.n else np.zeros(1, bool)
    if comps.n and shell_mm > 0 and lesion.shape[0] >= 2:
        drop |= shell_components(comps, lung, spacing, shell_mm, skip=drop)
    return comps, drop


def shell_components(comps: Components, lung: np.ndarray, spacing, shell_mm: float,
                     skip: np.ndarray | None = None) -> np.ndarray:
    """Per label, whether the component is a pleural shell (``skip``: labels not tested)."""
    drop = np.zeros(comps.n + 1, bool)
    mm = _mm(spacing)
    too_big = SHELL_MAX_ML / voxel_ml_of(spacing)
    band = BAND_SHARE > 0
    pad = np.ceil(max(shell_mm, NEAR_MM if band else 0.0) / mm).astype(int) + 1
    for idx, sl in enumerate(comps.objects, 1):
        if (skip is not None and skip[idx]) or (comps.sizes[idx] > too_big and not band):
            continue
        box = tuple(slice(max(0, s.start - p), min(n, s.stop + p))
                    for s, p, n in zip(sl, pad, lung.shape, strict=True))
        # Distances up to ``pad`` are exact within the padded box; the volume's own edge
        # counts as lung (a lesion cut by the scan range is not a shell there).
        depth = ndi.distance_transform_edt(lung[box], sampling=mm)[comps.local(idx, box)]
        drop[idx] = ((comps.sizes[idx] <= too_big and depth.max() <= shell_mm)
                     or (band and float(np.mean(depth <= NEAR_MM)) >= BAND_SHARE))
    return drop


def near_surface_share(comps: Components, lung: np.ndarray, spacing,
                       near_mm: float = NEAR_MM) -> np.ndarray:
    """Per label, the share of the component's voxels within ``near_mm`` of the lung's
    surface (3D; for studies of the band rule)."""
    share = np.zeros(comps.n + 1)
    mm = _mm(spacing)
    pad = np.ceil(near_mm / mm).astype(int) + 1
    for idx, sl in enumerate(comps.objects, 1):
        box = tuple(slice(max(0, s.start - p), min(n, s.stop + p))
                    for s, p, n in zip(sl, pad, lung.shape, strict=True))
        depth = ndi.distance_transform_edt(lung[box], sampling=mm)[comps.local(idx, box)]
        share[idx] = float(np.mean(depth <= near_mm))
    return share


def lung_envelope(classical: np.ndarray, spacing, reach_mm: float = ENVELOPE_MM
                  ) -> np.ndarray:
    """The classical lungs grown in-plane by ``reach_mm``: where lung can be (computed in
    their bounding box grown by the reach: nothing beyond it is reached)."""
    r = max(1, round(reach_mm / float(spacing[0])))
    out = np.zeros_like(classical)
    box = bounding_box(classical)
    if box is not None:
        sl = (box[0], *(slice(max(0, s.start - r), min(n, s.stop + r))
                        for s, n in zip(box[1:], classical.shape[1:], strict=True)))
        out[sl] = disk_dilation(np.ascontiguousarray(classical[sl]), r)
    return out


def outside_envelope(lesion: np.ndarray, envelope: np.ndarray, spacing) -> np.ndarray:
    """The lesion components that lie outside the lung envelope (see above)."""
    comps = Components.of(lesion)
    if not comps.n:
        return np.zeros_like(lesion)
    out = comps.sizes - comps.count_in(envelope)  # voxels outside the envelope
    drop = (out >= OUTSIDE_SHARE * comps.sizes) & (
        comps.sizes * voxel_ml_of(spacing) < OUTSIDE_MAX_ML)
    return comps.select(drop)
