"""Patient-adaptive density: lesion judged against the patient's own aerated lung.

A radiologist calls ground glass where lung is denser than *this patient's* normal
parenchyma, which differs by scanner, kernel, breathing phase and, within a chest, by
gravity (dependent lung is denser). Here each lesion component's median HU is compared with
the median HU of the aerated lung around it (a ring :data:`RING_MM` wide outside the
component, lesion excluded): a component not denser than that background by
:data:`MARGIN_HU` is normal lung read as lesion and goes back to lung.

Medians keep vessels (dense, few) from deciding either figure. Where the ring holds fewer
than :data:`MIN_RING_VOXELS` aerated voxels (a lung whited out by disease) the component is
kept untested. The rule only ever removes lesion. :func:`normalised` is the other form
of the idea: the input's HU shifted so that its aerated lung matches the training chest's;
:func:`denoised` smooths a noisier scan to the training chest's noise.

All were studied leave one patient out (2026-12-06, ``benchmarks/ai_density.py``,
``benchmarks/ai_normalise.py``) and are **not used** by the pre-read
(``inference.segmenters.NORMALISE``, ``FAINT_MARGIN_HU``): the false lesion on the real
chests is dense tissue, real ground glass can be fainter above its surroundings, a diseased
lung gives no clean background, and smoothing a noisier scan added false lesion
(docs/model-card.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import Orientation, voxel_ml
from inference.labels import CONSOLIDATION, GGO, LEFT, Label
from inference.lungs import segment_lungs
from inference.morphology import Components
from studies import Volume

MARGIN_HU = 0.0  # 0: rule off (the shipped post-processing 6 does not run it)
RING_MM = 10.0
MIN_RING_VOXELS = 200


@dataclass(frozen=True)
class ComponentDensity:
    """One lesion component: its size, median HU and the median HU of its aerated ring."""

    label: int
    ml: float
    median_hu: float
    background_hu: float | None  # None: too little aerated lung around it
    ring_voxels: int

    @property
    def excess_hu(self) -> float | None:
        """How much denser than its own background the component is (None: untested)."""
        return None if self.background_hu is None else self.median_hu - self.background_hu

    def to_dict(self) -> dict:
        return {"ml": round(self.ml, 2), "median_hu": round(self.median_hu),
                "background_hu": None if self.background_hu is None
                else round(self.background_hu),
                "excess_hu": None if self.excess_hu is None else round(self.excess_hu)}


def _mm(spacing) -> tuple[float, float, float]:
    return float(spacing[2]), float(spacing[1]), float(spacing[0])


def component_densities(hu: np.ndarray, lung: np.ndarray, lesion: np.ndarray, spacing,
                        ring_mm: float = RING_MM,
                        comps: Components | None = None,
                        ) -> tuple[Components, list[ComponentDensity]]:
    """Every 26-connected component of ``lesion`` with its median HU and the median HU of
    the aerated lung (``lung & ~lesion``) within ``ring_mm`` of it (3D, in mm)."""
    if hu.shape != lesion.shape or lung.shape != lesion.shape:
        raise ValueError("hu, lung and lesion must have one shape")
    comps = comps or Components.of(lesion)
    mm = _mm(spacing)
    pad = [int(np.ceil(ring_mm / s)) for s in mm]
    aerated = lung & ~lesion
    out = []
    for idx, box in enumerate(comps.objects, start=1):
        big = tuple(slice(max(0, s.start - p), min(n, s.stop + p))
                    for s, p, n in zip(box, pad, hu.shape, strict=True))
        comp = comps.local(idx, big)
        values = hu[big][comp]
        dist = ndi.distance_transform_edt(~comp, sampling=mm)
        ring = aerated[big] & (dist <= ring_mm)
        n_ring = int(ring.sum())
        background = float(np.median(hu[big][ring])) if n_ring >= MIN_RING_VOXELS else None
        out.append(ComponentDensity(idx, float(values.size * voxel_ml(spacing)),
                                    float(np.median(values)), background, n_ring))
    return comps, out


def drop_faint_lesions(hu: np.ndarray, lung: np.ndarray, lesion: np.ndarray, spacing,
                       margin_hu: float = MARGIN_HU, ring_mm: float = RING_MM) -> np.ndarray:
    """``lesion`` without the components whose median HU is less than ``margin_hu`` above
    the aerated lung around them. ``margin_hu <= 0`` leaves ``lesion`` as it is."""
    if margin_hu <= 0 or not lesion.any():
        return lesion
    comps, dens = component_densities(hu, lung, lesion, spacing, ring_mm)
    drop = np.zeros(comps.n + 1, bool)
    for d in dens:
        drop[d.label] = d.excess_hu is not None and d.excess_hu < margin_hu
    return lesion & ~comps.select(drop)


def aerated_profile(hu: np.ndarray, lung: np.ndarray, lesion: np.ndarray, spacing,
                    bands: int = 5, axis: int = 0) -> list[dict]:
    """Percentiles of aerated-lung HU in ``bands`` equal bands of the lung's extent along
    ``axis`` (0: slices, craniocaudal; 1: rows, anteroposterior), in array order."""
    aerated = lung & ~lesion
    idx = np.nonzero(aerated.any(axis=tuple(a for a in range(3) if a != axis)))[0]
    if not idx.size:
        return []
    edges = np.linspace(idx[0], idx[-1] + 1, bands + 1).round().astype(int)
    rows = []
    for lo, hi in pairwise(edges):
        sl = [slice(None)] * 3
        sl[axis] = slice(lo, hi)
        values = hu[tuple(sl)][aerated[tuple(sl)]]
        if values.size:
            p = np.percentile(values, (10, 50, 90))
            rows.append({"from": int(lo), "to": int(hi), "p10": round(float(p[0])),
                         "median": round(float(p[1])), "p90": round(float(p[2])),
                         "ml": round(float(values.size * voxel_ml(spacing)))})
    return rows


def faint_to_lung(labels: np.ndarray, hu: np.ndarray, spacing, margin_hu: float = MARGIN_HU,
                  ring_mm: float = RING_MM) -> np.ndarray:
    """A sided label map (:class:`inference.labels.Label`) with the faint lesion components
    (:func:`drop_faint_lesions`) read as aerated lung of their side."""
    lesion = np.isin(labels, GGO + CONSOLIDATION)
    kept = drop_faint_lesions(hu, labels > 0, lesion, spacing, margin_hu, ring_mm)
    gone = lesion & ~kept
    if not gone.any():
        return labels
    out = labels.copy()
    left = np.isin(labels, LEFT)
    out[gone & left] = Label.LUNG_LEFT
    out[gone & ~left] = Label.LUNG_RIGHT
    return out


# Aerated-lung 25th percentile of v2's one real training chest (lidc-idri-0001, classical
# lungs, both sides: -906 / -899 HU), the reference of :func:`background_shift`.
REFERENCE_P25_HU = -903.0
PERCENTILE = 25.0


def background_shift(hu: np.ndarray, lung: np.ndarray, reference: float = REFERENCE_P25_HU,
                     limit: float = 100.0, percentile: float = PERCENTILE) -> float:
    """HU to add so that this patient's aerated lung (its ``percentile``-th percentile of
    ``lung``, a low one being less swayed by disease than the median) matches the training
    chest's same percentile ``reference``, within ``limit``. An experiment
    (``benchmarks/ai_density.py shift``, ``benchmarks/ai_normalise.py``): not used by the
    pre-read."""
    if not lung.any():
        return 0.0
    return float(np.clip(reference - np.percentile(hu[lung], percentile), -limit, limit))


def lung_percentile(volume, percentile: float) -> float:
    """The ``percentile``-th HU percentile of ``volume``'s classical lungs (no hull)."""
    right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume),
                                hull=False)
    return float(np.percentile(volume.voxels[right | left], percentile))


def normalised(volume, reference: float = REFERENCE_P25_HU, limit: float = 100.0,
               percentile: float = PERCENTILE):
    """``(volume with HU shifted by its own background_shift, the shift)``: the classical
    lungs of this very volume (no hull) give the aerated lung."""

    right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume),
                                hull=False)
    shift = round(background_shift(volume.voxels, right | left, reference, limit, percentile))
    if not shift:
        return volume, 0
    voxels = np.clip(volume.voxels.astype(np.int32) + shift, -1024, 3071).astype(np.int16)
    return Volume(voxels=voxels, spacing=volume.spacing, origin=volume.origin,
                  direction=volume.direction, info=volume.info), shift


# Soft-tissue noise of v2's training chest (lidc-idri-0001, GE, 0.70 mm): median local
# standard deviation (5 x 5 in-plane) of soft tissue (0..80 HU), the reference of
# :func:`denoised`. lidc-idri-0003 (GE) 12.9 too, popi (Philips, kernel C) 17.0.
REFERENCE_NOISE_HU = 12.9


def noise_sd(voxels: np.ndarray, slices: int = 10) -> float:
    """Median local s.d. (5 x 5 in-plane) of eroded soft tissue (0..80 HU) on up to
    ``slices`` evenly spaced slices: the image noise, roughly, of kernel and dose."""
    values = []
    for k in range(0, voxels.shape[0], max(1, voxels.shape[0] // slices)):
        s = voxels[k].astype(np.float32)
        mean = ndi.uniform_filter(s, 5)
        sd = np.sqrt(np.maximum(ndi.uniform_filter(s * s, 5) - mean * mean, 0.0))
        soft = ndi.binary_erosion((s > 0) & (s < 80), iterations=3)
        values.append(sd[soft])
    values = np.concatenate(values) if values else np.zeros(0)
    return float(np.median(values)) if values.size else 0.0


def denoised(volume, reference: float = REFERENCE_NOISE_HU, max_sigma: float = 2.0):
    """``(volume smoothed in-plane just enough that its noise_sd is at most reference, the
    Gaussian sigma in pixels)``; the volume itself (sigma 0) when it is not noisier. An
    experiment (``benchmarks/ai_normalise.py --denoise``): not used by the pre-read."""
    if noise_sd(volume.voxels) <= reference:
        return volume, 0.0
    for sigma in np.arange(0.3, max_sigma + 1e-6, 0.1):
        smooth = ndi.gaussian_filter(volume.voxels.astype(np.float32), (0.0, sigma, sigma))
        if noise_sd(smooth) <= reference:
            break
    voxels = np.clip(np.round(smooth), -1024, 3071).astype(np.int16)
    return Volume(voxels=voxels, spacing=volume.spacing, origin=volume.origin,
                  direction=volume.direction, info=volume.info), round(float(sigma), 1)
