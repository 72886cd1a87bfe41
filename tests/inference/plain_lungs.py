"""The classical lungs (inference/lungs.py) as they were before the fast path (commit ca6465d):
the reference tests/inference/test_fast_path.py holds the shipped form to, bit for bit.

Only the functions the fast path changed are written out here, verbatim from that commit;
the constants and the functions it left as they were are the shipped ones (no copy), those
functions run against this module's old helpers (:func:`_unchanged`)."""
from __future__ import annotations

import types

import numpy as np
from scipy import ndimage as ndi

from inference import lungs as _shipped
from inference.geometry import Orientation
from inference.lungs import AIR_HU, BODY_HU, CLOSE_MM, MIN_LUNG_ML  # noqa: F401  (as then)
from inference.morphology import Components

_PLANE = np.zeros((3, 3, 3), bool)
_PLANE[1] = ndi.generate_binary_structure(2, 1)


def body_mask(hu: np.ndarray) -> np.ndarray:
    """The patient's body (largest dense component), holes filled slice by slice."""
    dense = hu > BODY_HU
    labels, n = ndi.label(dense)
    if n == 0:
        return dense
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    body = labels == int(np.argmax(sizes))
    return ndi.binary_fill_holes(body, structure=_PLANE)


def midline_columns(body: np.ndarray) -> np.ndarray:
    """Per-slice column (i) of the body's centre; slices without body use the median."""
    k_cols = np.full(body.shape[0], np.nan)
    cols = np.arange(body.shape[2])
    for k in range(body.shape[0]):
        prof = body[k].sum(axis=0)
        if prof.sum() > 0:
            k_cols[k] = float((prof * cols).sum() / prof.sum())
    fallback = np.nanmedian(k_cols) if np.isfinite(k_cols).any() else body.shape[2] / 2
    return np.where(np.isfinite(k_cols), k_cols, fallback)


def keep_lung_components(mask: np.ndarray, spacing) -> np.ndarray:
    """Components of ``mask`` big enough to be lung (>= 5 mL and >= 10 % of the largest)."""
    comps = Components.of(mask, structure=None)  # labelled in the mask's box only
    if comps.n == 0:
        return mask
    sizes = comps.sizes * float(np.prod(spacing)) / 1000.0
    sizes[0] = 0
    keep = (sizes >= MIN_LUNG_ML) & (sizes >= 0.1 * sizes.max())
    return comps.select(keep)


def split_sides(lung: np.ndarray, body: np.ndarray,
                orient: Orientation) -> tuple[np.ndarray, np.ndarray]:
    """Split a lung mask into (right, left) by components and the body midline."""
    mid = midline_columns(body)
    cols = np.arange(lung.shape[2])
    left_of_mid = (cols[None, :] > mid[:, None]) if orient.left_is_high_i else (
        cols[None, :] < mid[:, None])  # [k, i]: column lies on the patient's left
    labels, _n = ndi.label(lung)
    right = np.zeros_like(lung)
    left = np.zeros_like(lung)
    objects = ndi.find_objects(labels)
    for idx, sl in enumerate(objects, start=1):
        comp = labels[sl] == idx
        side = np.broadcast_to(left_of_mid[sl[0], None, sl[2]], comp.shape)
        frac_left = float(side[comp].mean())
        if frac_left >= 0.9:
            left[sl] |= comp
        elif frac_left <= 0.1:
            right[sl] |= comp
        else:  # lungs joined at the anterior junction: split slice by slice
            r, lft = _split_joined(comp, side)
            right[sl] |= r
            left[sl] |= lft
    return right, left


def _split_joined(comp: np.ndarray, side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    right = np.zeros_like(comp)
    left = np.zeros_like(comp)
    for k in range(comp.shape[0]):
        labels, n = ndi.label(comp[k])
        for idx in range(1, n + 1):
            part = labels == idx
            frac = float(side[k][part].mean())
            if frac >= 0.8:
                left[k] |= part
            elif frac <= 0.2:
                right[k] |= part
            else:
                left[k] |= part & side[k]
                right[k] |= part & ~side[k]
    return right, left


def fill_lung(side: np.ndarray, other: np.ndarray, body: np.ndarray, spacing,
              medial_high_i: bool = True, hull: bool = True) -> np.ndarray:
    """Add vessels and consolidated lung to one lung: closing and a lateral convex hull (on a
    coarse grid), then hole fill. ``medial_high_i``: the midline lies at larger i."""
    if not side.any():
        return side
    f = max(1, round(2.8 / float(spacing[0])))  # coarse grid of about 2.8 mm in-plane
    ks, js, is_ = side.shape
    jp, ip = -(-js // f) * f, -(-is_ // f) * f
    padded = np.zeros((ks, jp, ip), bool)
    padded[:, :js, :is_] = side
    coarse = padded.reshape(ks, jp // f, f, ip // f, f).mean(axis=(2, 4)) >= 0.5
    sampling = (float(spacing[2]), float(spacing[1]) * f, float(spacing[0]) * f)
    pad = int(np.ceil(CLOSE_MM / min(sampling))) + 1
    grid = np.pad(coarse, pad)
    dilated = ndi.distance_transform_edt(~grid, sampling=sampling) <= CLOSE_MM
    closed = ndi.distance_transform_edt(dilated, sampling=sampling) > CLOSE_MM
    closed = closed[pad:-pad, pad:-pad, pad:-pad]
    if hull:
        closed |= _lateral_hull(coarse, medial_high_i)
    up = _smooth_upsample(closed, f)[:, :js, :is_]
    filled = side | (up & body & ~other)
    return ndi.binary_fill_holes(filled, structure=_PLANE) & ~other


def segment_lungs(hu: np.ndarray, spacing, orient: Orientation,
                  hull: bool = True, body: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(right, left) filled lung masks of a CT volume ``hu[k, j, i]``.

    ``hull=False`` skips the lateral convex hull: for clean (healthy) CTs, where there is no
    consolidated lung to restore, as when making the lung truth for simulated cases.
    ``body``: :func:`body_mask` of ``hu`` when the caller has it already.
    """
    body = body_mask(hu) if body is None else body
    air = aerated_lung(hu, body, spacing)
    right, left = split_sides(air, body, orient)
    right_f = fill_lung(right, left, body, spacing, orient.left_is_high_i, hull)
    left_f = fill_lung(left, right_f, body, spacing, not orient.left_is_high_i, hull)
    return right_f, left_f


def _corridor(right: np.ndarray, left: np.ndarray) -> np.ndarray:
    cols = np.arange(right.shape[2], dtype=float)
    corridor = np.zeros((right.shape[0], right.shape[2]), bool)
    for k in range(right.shape[0]):
        pr, pl = right[k].sum(axis=0), left[k].sum(axis=0)
        if pr.sum() and pl.sum():
            cr, cl = (pr * cols).sum() / pr.sum(), (pl * cols).sum() / pl.sum()
            corridor[k] = (cols > min(cr, cl)) & (cols < max(cr, cl))
    return corridor[:, None, :] & ~(right | left)


def _full(half: np.ndarray, shape) -> np.ndarray:
    return np.repeat(np.repeat(half, 2, axis=1), 2, axis=2)[:, : shape[1], : shape[2]]


def _unchanged(name: str) -> types.FunctionType:
    """The shipped function ``name``, the same as at ca6465d, calling the helpers (and
    reading the constants) of this module: the old forms where the fast path changed them."""
    shipped = getattr(_shipped, name)
    function = types.FunctionType(shipped.__code__, globals(), name, shipped.__defaults__,
                                  shipped.__closure__)
    function.__kwdefaults__ = shipped.__kwdefaults__
    return function


aerated_lung = _unchanged("aerated_lung")
mediastinum_mask = _unchanged("mediastinum_mask")
thorax_masks = _unchanged("thorax_masks")
_half_lungs = _unchanged("_half_lungs")


def _lateral_hull(coarse: np.ndarray, medial_high_i: bool) -> np.ndarray:
    """The hull of every lung pixel of each slice (the shipped form takes each row's ends,
    883991a..)."""
    from scipy.spatial import ConvexHull, QhullError  # deferred: as the shipped form

    out = np.zeros_like(coarse)
    for k in range(coarse.shape[0]):
        pts = np.argwhere(coarse[k])
        if len(pts) < 10:
            continue
        lo, hi = pts.min(axis=0), pts.max(axis=0) + 1
        try:
            eq = ConvexHull(pts).equations
        except QhullError:
            continue
        jj, ii = np.mgrid[lo[0]:hi[0], lo[1]:hi[1]]
        grid = np.stack([jj.ravel(), ii.ravel(), np.ones(jj.size)])
        hull = (eq @ grid <= 1e-6).all(axis=0).reshape(jj.shape)
        centre = pts[:, 1].mean()
        lateral = (ii < centre) if medial_high_i else (ii > centre)
        out[k, lo[0]:hi[0], lo[1]:hi[1]] = hull & lateral
    return out


def _smooth_upsample(mask: np.ndarray, f: int) -> np.ndarray:
    """torch's bilinear up-sampling for every ``f`` (the shipped form counts in integers
    for ``f`` 2, 883991a..)."""
    if f == 1:
        return mask
    import torch  # deferred: as the shipped form
    import torch.nn.functional as nnf

    t = torch.from_numpy(mask.astype(np.float32))[:, None]
    up = nnf.interpolate(t, scale_factor=f, mode="bilinear", align_corners=False)
    return up[:, 0].numpy() >= 0.5
