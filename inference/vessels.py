"""The great vessels read as lesion: one large, blood-dense, elongated lesion component
along the mediastinum is the aorta or the pulmonary arteries, not lung disease (issue 17).

On the unenhanced Philips chest the network reads the aorta, its arch and the pulmonary
arteries as consolidation in one component (2.7 % of lung). A component is taken for a
great vessel when all of these hold (limits set on the training chest, the simulated
cases and the covid slices; see the model card, "Inference-time levers"):

* it holds at least :data:`MIN_ML` of lesion;
* its median HU is that of blood, unenhanced or enhanced (:data:`BLOOD_HU`), not of
  ground glass;
* at least :data:`MEDIASTINAL_SHARE` of it lies within :data:`NEAR_MM` of the classical
  mediastinum;
* it runs along the body: at least :data:`MIN_EXTENT_MM` craniocaudally, and its longest
  principal axis is at least :data:`ELONGATION` times its second (standard deviations of
  the voxel positions in mm).

Such a component leaves the lesion; its voxels inside the classical mediastinum leave the
lung as well.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import voxel_ml
from inference.morphology import Components

MIN_ML = 20.0
BLOOD_HU = (0.0, 450.0)
NEAR_MM = 5.0
MEDIASTINAL_SHARE = 0.5
ELONGATION = 1.6
MIN_EXTENT_MM = 30.0  # craniocaudal: a vessel runs along the mediastinum (not on one slice)


def _mm(spacing) -> np.ndarray:
    """(slice, row, column) mm of a volume's ``(x, y, z)`` spacing."""
    return np.array([spacing[2], spacing[1], spacing[0]], float)


def near_mask(mask: np.ndarray, spacing, reach_mm: float) -> np.ndarray:
    """``mask`` grown by ``reach_mm`` (a box of that half-size, per axis in voxels)."""
    steps = np.maximum(1, np.round(reach_mm / _mm(spacing))).astype(int)
    return ndi.maximum_filter(mask, size=tuple(2 * steps + 1))


def elongation(idx: np.ndarray, spacing) -> float:
    """Ratio of the first to the second principal standard deviation of voxel indices
    ``idx`` (n x 3, slice-row-column) in mm."""
    if len(idx) < 4:
        return 1.0
    pts = idx.astype(float) * _mm(spacing)[None, :]
    ev = np.sort(np.linalg.eigvalsh(np.cov(pts.T)))[::-1]
    return float(np.sqrt(ev[0] / max(ev[1], 1e-6)))


def great_vessels(lesion: np.ndarray, hu: np.ndarray, mediastinum: np.ndarray, spacing,
                  min_ml: float | None = None,
                  components: tuple[Components, np.ndarray] | None = None) -> np.ndarray:
    """The lesion components taken for great vessels (see the module's docstring);
    ``min_ml`` defaults to :data:`MIN_ML` (0: the rule off). ``components``: a labelling
    the caller has, of a mask whose components with ``kept[label]`` are exactly
    ``lesion``'s (e.g. :func:`inference.borders.flat_and_shells` before its drops), as
    (labelling, kept); else ``lesion`` is labelled here."""
    min_ml = MIN_ML if min_ml is None else min_ml
    out = np.zeros_like(lesion)
    if min_ml <= 0:
        return out
    if components is None:
        comps = Components.of(lesion)
        kept = np.ones(comps.n + 1, bool)
    else:
        comps, kept = components
    big = np.flatnonzero(kept[1:] & (comps.sizes[1:] * voxel_ml(spacing) >= min_ml)) + 1
    if not big.size:
        return out
    objects = comps.objects
    boxes = [objects[i - 1] for i in np.flatnonzero(kept[1:]) + 1]
    box = tuple(slice(min(b[a].start for b in boxes), max(b[a].stop for b in boxes))
                for a in range(3))  # lesion's bounding box: the union of its components'
    near = None  # grown only when a blood-dense candidate needs it
    keep = np.zeros(comps.n + 1, bool)
    for idx, sl in ((i, objects[i - 1]) for i in big):
        m = comps.local(int(idx), sl)
        local = tuple(slice(s.start - b.start, s.stop - b.start)
                      for s, b in zip(sl, box, strict=True))
        median = float(np.median(hu[sl][m]))
        if not BLOOD_HU[0] <= median <= BLOOD_HU[1]:
            continue
        if near is None:
            near = near_mask(mediastinum[box], spacing, NEAR_MM)
        if near[local][m].mean() < MEDIASTINAL_SHARE:
            continue
        pts = np.argwhere(m)
        extent = (pts[:, 0].max() - pts[:, 0].min() + 1) * _mm(spacing)[0]
        if extent >= MIN_EXTENT_MM and elongation(pts, spacing) >= ELONGATION:
            keep[idx] = True
    return comps.select(keep)
