"""Lesion simulator: COVID-like GGO, consolidation and crazy paving inside real lungs.

No graded COVID volumes are available offline, so the pre-read is trained and measured on
real chest CTs with simulated lesions whose truth is known: rounded, mostly peripheral,
lower-zone, bilateral patches of varied sizes; GGO raises parenchyma to -750..-300 HU and
keeps vessels (max-blend); consolidation replaces lung by -100..+100 HU; crazy paving adds
a fine reticular network to GGO. Hard negatives (pleural effusion, atelectasis-like bands,
nodules) are not lesions; effusion is not lung.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as nnf
from scipy import ndimage as ndi

from inference.geometry import Orientation
from inference.labels import Label

GRADE_RANGES = {0: (0.0, 0.0), 1: (0.03, 0.25), 2: (0.25, 0.50), 3: (0.50, 0.75), 4: (0.75, 0.95)}


@dataclass
class SimulatedCase:
    """A CT volume with simulated findings and its voxel truth (:class:`Label` values)."""

    hu: np.ndarray
    truth: np.ndarray
    target_grade: int
    targets: dict[str, float]
    negatives: list[str] = field(default_factory=list)


def _coarse_factor(spacing) -> int:
    return max(1, round(2.8 / float(spacing[0])))


def _smooth_noise(shape, sigma_vox, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(shape).astype(np.float32)
    out = ndi.gaussian_filter(noise, sigma_vox, mode="reflect")
    return (out - out.mean()) / (out.std() + 1e-6)


def _upsample(field_c: np.ndarray, shape) -> np.ndarray:
    t = torch.from_numpy(np.ascontiguousarray(field_c, dtype=np.float32))[None, None]
    up = nnf.interpolate(t, size=tuple(shape), mode="trilinear", align_corners=False)
    return up[0, 0].numpy()


def _downsample_mask(mask: np.ndarray, f: int) -> np.ndarray:
    ks, js, is_ = mask.shape
    jp, ip = -(-js // f) * f, -(-is_ // f) * f
    p = np.zeros((ks, jp, ip), np.float32)
    p[:, :js, :is_] = mask
    return p.reshape(ks, jp // f, f, ip // f, f).mean(axis=(2, 4))


def sample_targets(grade: int, rng: np.random.Generator) -> tuple[float, float]:
    """(right, left) involvement fractions whose more involved lung falls in ``grade``."""
    lo, hi = GRADE_RANGES[grade]
    worst = float(rng.uniform(lo, hi))
    other = 0.0 if (grade and rng.random() < 0.15) else worst * float(rng.uniform(0.4, 1.0))
    return (worst, other) if rng.random() < 0.5 else (other, worst)


def simulate(hu: np.ndarray, spacing, orient: Orientation, right: np.ndarray, left: np.ndarray,
             grade: int, rng: np.random.Generator, negatives: bool = True) -> SimulatedCase:
    """Add COVID-like findings of ``grade`` (CT-0..CT-4) and hard negatives to a clean CT."""
    f_right, f_left = sample_targets(grade, rng)
    out = hu.astype(np.float32)
    truth = np.zeros(hu.shape, np.uint8)
    truth[right] = Label.LUNG_RIGHT
    truth[left] = Label.LUNG_LEFT
    lung = right | left
    case = SimulatedCase(out, truth, grade, {"right": f_right, "left": f_left})
    if lung.any() and grade > 0:
        _add_lesions(case, spacing, orient, right, left, rng)
    if negatives and lung.any():
        _add_negatives(case, spacing, orient, rng)
    case.hu = np.clip(np.round(case.hu), -1024, 3071).astype(np.int16)
    return case


def _lesion_field(shape, spacing, orient, lung, rng) -> np.ndarray:
    """A smooth random field favouring peripheral, lower-zone, posterior lung (coarse grid)."""
    f = _coarse_factor(spacing)
    lung_c = _downsample_mask(lung, f) > 0.5
    cs = (float(spacing[2]), float(spacing[1]) * f, float(spacing[0]) * f)
    scale_mm = float(rng.uniform(5.0, 16.0))
    field_c = _smooth_noise(lung_c.shape, [scale_mm / s for s in cs], rng)
    field_c += 0.5 * _smooth_noise(lung_c.shape, [2 * scale_mm / s for s in cs], rng)
    depth = ndi.distance_transform_edt(lung_c, sampling=cs)
    field_c += float(rng.uniform(0.6, 1.4)) * np.exp(-depth / 20.0)  # peripheral
    k = np.arange(lung_c.shape[0], dtype=np.float32)
    ks = k[lung_c.any(axis=(1, 2))]
    if ks.size:
        zrel = (k - ks.min()) / max(1.0, ks.max() - ks.min())
        lower = 1.0 - zrel if orient.superior_is_high_k else zrel
        field_c += float(rng.uniform(0.3, 1.0)) * lower[:, None, None]
    j = np.linspace(0, 1, lung_c.shape[1], dtype=np.float32)
    post = j if orient.posterior_is_high_j else 1 - j
    field_c += float(rng.uniform(0.0, 0.6)) * post[None, :, None]
    return _upsample(field_c, (shape[0], lung_c.shape[1] * f, lung_c.shape[2] * f))[
        :, : shape[1], : shape[2]]


def _add_lesions(case: SimulatedCase, spacing, orient, right, left, rng) -> None:
    hu, truth = case.hu, case.truth
    lung = right | left
    field_ = _lesion_field(hu.shape, spacing, orient, lung, rng)
    lesion = np.zeros(hu.shape, bool)
    weight = np.zeros(hu.shape, np.float32)
    for side, frac in ((right, case.targets["right"]), (left, case.targets["left"])):
        if frac <= 0 or not side.any():
            continue
        values = field_[side]
        thr = float(np.quantile(values, 1.0 - frac))
        spread = float(values.std()) * 0.25 + 1e-6
        sel = side & (field_ > thr)
        lesion |= sel
        weight[sel] = np.clip(0.45 + (field_[sel] - thr) / spread, 0.0, 1.0)
    if not lesion.any():
        return
    cons_share = float(rng.choice([0.0, rng.uniform(0.05, 0.3), rng.uniform(0.3, 0.7)]))
    cons = np.zeros_like(lesion)
    if cons_share > 0:
        thr_c = float(np.quantile(field_[lesion], 1.0 - cons_share))
        cons = lesion & (field_ > thr_c)
    ggo = lesion & ~cons
    # GGO: raise parenchyma, keep vessels (max-blend), soft edges, mild texture.
    level = float(rng.uniform(-720.0, -330.0))
    texture = rng.normal(0.0, 25.0, int(ggo.sum())).astype(np.float32)
    w = weight[ggo]
    hu[ggo] = np.maximum(hu[ggo], (1 - w) * hu[ggo] + w * (level + texture))
    if rng.random() < 0.3:
        _crazy_paving(hu, ggo, spacing, rng)
    if cons.any():
        level_c = float(rng.uniform(-100.0, 100.0))
        noise = rng.normal(0.0, 18.0, int(cons.sum())).astype(np.float32)
        hu[cons] = np.maximum(hu[cons], level_c + noise)
    add = np.where(right, 0, 1).astype(np.uint8)  # 0 = right side, 1 = left side
    truth[ggo] = (Label.GGO_RIGHT + add[ggo]).astype(np.uint8)
    truth[cons] = (Label.CONSOLIDATION_RIGHT + add[cons]).astype(np.uint8)


def _crazy_paving(hu: np.ndarray, ggo: np.ndarray, spacing, rng) -> None:
    """Thickened interlobular septa: a fine reticular network over part of the GGO."""
    ks, js, is_ = (np.nonzero(ggo.any(axis=(1, 2)))[0], np.nonzero(ggo.any(axis=(0, 2)))[0],
                   np.nonzero(ggo.any(axis=(0, 1)))[0])
    sl = (slice(ks[0], ks[-1] + 1), slice(js[0], js[-1] + 1), slice(is_[0], is_[-1] + 1))
    sub = ggo[sl]
    sigma = [3.0 / float(s) for s in (spacing[2], spacing[1], spacing[0])]
    net = np.abs(_smooth_noise(sub.shape, sigma, rng)) < 0.12
    lines = sub & net
    hu_sub = hu[sl]
    hu_sub[lines] += float(rng.uniform(80.0, 200.0))


def _add_negatives(case: SimulatedCase, spacing, orient, rng) -> None:
    if rng.random() < 0.3:
        _effusion(case, spacing, orient, rng)
    if rng.random() < 0.35:
        _bands(case, spacing, orient, rng)
    if rng.random() < 0.45:
        _nodules(case, spacing, rng)


def _side_masks(truth):
    right = np.isin(truth, (Label.LUNG_RIGHT, Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT))
    left = np.isin(truth, (Label.LUNG_LEFT, Label.GGO_LEFT, Label.CONSOLIDATION_LEFT))
    return right, left


def _effusion(case, spacing, orient, rng) -> None:
    """Dependent pleural fluid at the base of one or both lungs: not lung, not lesion."""
    right, left = _side_masks(case.truth)
    sides = [m for m in (right, left) if m.any()]
    chosen = sides if rng.random() < 0.5 else [sides[int(rng.integers(len(sides)))]]
    for side in chosen:
        ks = np.nonzero(side.any(axis=(1, 2)))[0]
        base = ks[0] if orient.superior_is_high_k else ks[-1]
        height_mm = float(rng.uniform(8.0, 45.0))
        reach_mm = float(rng.uniform(40.0, 120.0))
        j = np.arange(side.shape[1])
        jj = j if orient.posterior_is_high_j else j[::-1]
        for k in ks:
            dz = abs(int(k) - int(base)) * float(spacing[2])
            h = height_mm * max(0.0, 1.0 - dz / reach_mm)
            if h <= 0:
                continue
            sl = side[k]
            depth = np.where(sl, jj[:, None], -1).max(axis=0)  # posterior-most lung row per column
            cut = depth - h / float(spacing[1])
            fluid = sl & (jj[:, None] > cut[None, :]) & (depth[None, :] >= 0)
            n = int(fluid.sum())
            if n:
                case.hu[k][fluid] = rng.uniform(0.0, 20.0) + rng.normal(0.0, 10.0, n)
                case.truth[k][fluid] = Label.BACKGROUND
        case.negatives.append("effusion")


def _random_lung_point(mask, rng, lower_half: bool, orient) -> np.ndarray | None:
    pts = np.argwhere(mask[::2, ::4, ::4]) * np.array([2, 4, 4])
    if not len(pts):
        return None
    if lower_half:
        med = np.median(pts[:, 0])
        pts = pts[pts[:, 0] <= med] if orient.superior_is_high_k else pts[pts[:, 0] >= med]
    return pts[int(rng.integers(len(pts)))]


def _bands(case, spacing, orient, rng) -> None:
    """Plate-like subsegmental atelectasis in the lower lungs: lung, not a lesion."""
    right, left = _side_masks(case.truth)
    lung = right | left
    sp = np.array([spacing[2], spacing[1], spacing[0]], float)
    for _ in range(int(rng.integers(1, 4))):
        c = _random_lung_point(lung, rng, True, orient)
        if c is None:
            return
        normal = np.array([1.0, rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6)])
        normal /= np.linalg.norm(normal)
        radius, thick = float(rng.uniform(15.0, 40.0)), float(rng.uniform(2.5, 6.0))
        half = np.ceil(radius / sp).astype(int)
        lo = np.maximum(c - half, 0)
        hi = np.minimum(c + half + 1, lung.shape)
        grid = np.stack(np.meshgrid(*[np.arange(a, b) for a, b in zip(lo, hi, strict=True)],
                                    indexing="ij"), -1)
        d = (grid - c) * sp
        band = (np.abs(d @ normal) < thick / 2) & (np.linalg.norm(d, axis=-1) < radius)
        sl = tuple(slice(a, b) for a, b in zip(lo, hi, strict=True))
        band &= lung[sl]
        case.hu[sl][band] = rng.uniform(-80.0, 40.0) + rng.normal(0, 15.0, int(band.sum()))
        sub = case.truth[sl]
        sub[band & right[sl]] = Label.LUNG_RIGHT
        sub[band & left[sl]] = Label.LUNG_LEFT
    case.negatives.append("atelectasis")


def _nodules(case, spacing, rng, radius_mm=(2.0, 7.0), count=(1, 5),
             aerated_only: bool = False) -> None:
    """Solid nodules (4-14 mm by default): lung, not a lesion. ``aerated_only``: placed in
    lung without simulated lesions."""
    right, left = _side_masks(case.truth)
    lung = (np.isin(case.truth, (Label.LUNG_RIGHT, Label.LUNG_LEFT)) if aerated_only
            else right | left)
    sp = np.array([spacing[2], spacing[1], spacing[0]], float)
    for _ in range(int(rng.integers(*count))):
        c = _random_lung_point(lung, rng, False, Orientation(True, True, True))
        if c is None:
            return
        r = float(rng.uniform(*radius_mm))
        half = np.ceil(r / sp).astype(int)
        lo, hi = np.maximum(c - half, 0), np.minimum(c + half + 1, lung.shape)
        grid = np.stack(np.meshgrid(*[np.arange(a, b) for a, b in zip(lo, hi, strict=True)],
                                    indexing="ij"), -1)
        ball = np.linalg.norm((grid - c) * sp, axis=-1) <= r
        sl = tuple(slice(a, b) for a, b in zip(lo, hi, strict=True))
        ball &= lung[sl]
        case.hu[sl][ball] = rng.uniform(-20.0, 80.0) + rng.normal(0, 12.0, int(ball.sum()))
        sub = case.truth[sl]
        sub[ball & right[sl]] = Label.LUNG_RIGHT
        sub[ball & left[sl]] = Label.LUNG_LEFT
    case.negatives.append("nodules")


def training_negatives(case: SimulatedCase, spacing, orient: Orientation,
                       rng: np.random.Generator) -> None:
    """Extra hard negatives for training only (validation cases stay as they were): solid
    nodules up to 30 mm and gravity-dependent subpleural density, both normal lung."""
    if not np.isin(case.truth, (Label.LUNG_RIGHT, Label.LUNG_LEFT)).any():
        return
    case.hu = case.hu.astype(np.float32)
    if rng.random() < 0.6:
        _dependent_density(case, spacing, orient, rng)
    if rng.random() < 0.5:
        _nodules(case, spacing, rng, radius_mm=(7.0, 15.0), count=(1, 3), aerated_only=True)
        case.negatives.append("large-nodules")
    case.hu = np.clip(np.round(case.hu), -1024, 3071).astype(np.int16)


def _dependent_density(case: SimulatedCase, spacing, orient: Orientation,
                       rng: np.random.Generator) -> None:
    """Thin gravity-dependent density along the posterior pleura (supine patient): +80..250 HU
    at the pleura fading over 2-6 mm, strongest posteriorly; normal lung, not GGO."""
    right, left = _side_masks(case.truth)
    lung = right | left
    aerated = np.isin(case.truth, (Label.LUNG_RIGHT, Label.LUNG_LEFT))
    # Per-slice distance to the lung surface (a huge through-plane spacing keeps it 2D).
    depth = ndi.distance_transform_edt(lung, sampling=(1e4, float(spacing[1]),
                                                       float(spacing[0])))
    j = np.arange(lung.shape[1], dtype=np.float32)
    js = j[lung.any(axis=(0, 2))]
    rel = (j - js.min()) / max(1.0, float(js.max() - js.min()))
    posterior = rel if orient.posterior_is_high_j else 1.0 - rel
    weight = np.clip((posterior - 0.55) / 0.3, 0.0, 1.0)[None, :, None]
    amp, fade = float(rng.uniform(80.0, 250.0)), float(rng.uniform(2.0, 6.0))
    add = amp * np.exp(-depth / fade) * weight
    sel = aerated & (add > 5.0)
    case.hu[sel] += add[sel] + rng.normal(0.0, 8.0, int(sel.sum()))
    case.negatives.append("dependent-density")
