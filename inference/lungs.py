"""Classical densitometric lung segmentation: body, lungs (incl. consolidated lung), sides.

This is the baseline and fallback of the pre-read: thresholds, connected components and
morphology, no learning. Lungs are filled so that vessels and consolidated lung that
touch aerated lung count as lung (a plain threshold loses them and under-grades).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import Orientation
from inference.morphology import (
    Components,
    ball_dilation,
    bounding_box,
    fill_holes_in_plane,
    label,
)

AIR_HU = -400.0  # below this inside the body: aerated lung (or gas)
BODY_HU = -500.0
MIN_LUNG_ML = 5.0
# Bowel gas is air at about -1000 HU; lung, even where it is aerated best, is air mixed with
# tissue (median -810..-875 HU on the real chests, at most 1 % of a component below -980 HU).
# A "lung" component with this share of its voxels below GAS_HU is gas: the colon under the
# diaphragm, which the network calls lung (post-processing 12, 2026-12-07).
GAS_HU = -980.0
GAS_SHARE = 0.15
CLOSE_MM = 12.0  # closing radius that restores consolidated lung at the lung surface


def body_mask(hu: np.ndarray) -> np.ndarray:
    """The patient's body (largest dense component), holes filled slice by slice."""
    dense = hu > BODY_HU
    labels, n = label(dense, None)  # face-connected
    if n == 0:
        return dense
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    body = labels == int(np.argmax(sizes))
    return fill_holes_in_plane(body)


def midline_columns(body: np.ndarray) -> np.ndarray:
    """Per-slice column (i) of the body's centre; slices without body use the median."""
    prof = body.view(np.uint8).sum(axis=1, dtype=np.uint16 if body.shape[1] < 2**16
                                   else np.intp)  # [k, i]: voxels per column, not widened
    total = prof.sum(axis=1)
    centre = (prof * np.arange(body.shape[2])).sum(axis=1) / np.maximum(total, 1)
    k_cols = np.where(total > 0, centre, np.nan)
    fallback = np.nanmedian(k_cols) if np.isfinite(k_cols).any() else body.shape[2] / 2
    return np.where(np.isfinite(k_cols), k_cols, fallback)


def aerated_lung(hu: np.ndarray, body: np.ndarray, spacing) -> np.ndarray:
    """Air inside the body in components big enough to be lung (bowel gas dropped)."""
    return keep_lung_components((hu < AIR_HU) & body, spacing)


def _aerated_components(hu: np.ndarray, body: np.ndarray, spacing):
    """:func:`lung_components` of the air inside the body, gas components (the colon, the
    stomach: :func:`gas_components`) not kept, as the U-Net's lung since post 12."""
    return lung_components((hu < AIR_HU) & body, spacing, hu)


def keep_lung_components(mask: np.ndarray, spacing) -> np.ndarray:
    """Components of ``mask`` big enough to be lung (>= 5 mL and >= 10 % of the largest)."""
    return lung_components(mask, spacing)[0]


def lung_components(mask: np.ndarray, spacing, hu: np.ndarray | None = None
                    ) -> tuple[np.ndarray, tuple[Components, np.ndarray] | None]:
    """:func:`keep_lung_components` and its labelling: (kept mask, (the face-connected
    components of ``mask``, which labels were kept)), the second None when ``mask`` is
    empty. The kept components are those of the kept mask, for :func:`split_sides`.
    With ``hu``, components of gas (:func:`gas_components`) are not kept and the 10 % is
    of the largest other component."""
    comps = Components.of(mask, structure=None)  # labelled in the mask's box only
    if comps.n == 0:
        return mask, None
    sizes = comps.sizes * float(np.prod(spacing)) / 1000.0
    sizes[0] = 0
    if hu is not None:
        sizes[gas_components(comps, hu)] = 0
    keep = (sizes >= MIN_LUNG_ML) & (sizes >= 0.1 * sizes.max())
    return comps.select(keep), (comps, keep)


def gas_components(comps: Components, hu: np.ndarray) -> np.ndarray:
    """Per label of ``comps`` (index 0 the background, False): whether at least
    :data:`GAS_SHARE` of its voxels lie below :data:`GAS_HU` (bowel gas, not lung)."""
    if not comps.n:
        return np.zeros(1, bool)
    below = (hu[comps.box] < GAS_HU).ravel()[comps.fg]  # the foreground's, in order
    low = np.bincount(comps.fg_labels[below], minlength=comps.n + 1)
    out = low >= GAS_SHARE * comps.sizes
    out[0] = False
    return out


def split_sides(lung: np.ndarray, body: np.ndarray, orient: Orientation,
                components: tuple[Components, np.ndarray] | None = None,
                mid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Split a lung mask into (right, left) by components and the body midline.
    ``components``: ``lung``'s face-connected labelling where the caller has it, as
    :func:`lung_components` gives it (the labels kept), else ``lung`` is labelled here.
    ``mid``: the body's midline column per slice in ``lung``'s columns where the caller
    has it (e.g. ``lung`` is a crop of the volume and ``body`` the crop's part), else
    :func:`midline_columns` of ``body``."""
    mid = midline_columns(body) if mid is None else mid
    cols = np.arange(lung.shape[2])
    left_of_mid = (cols[None, :] > mid[:, None]) if orient.left_is_high_i else (
        cols[None, :] < mid[:, None])  # [k, i]: column lies on the patient's left
    right = np.zeros_like(lung)
    left = np.zeros_like(lung)
    if components is None:
        comps, keep = Components.of(lung, structure=None), None
    else:
        comps, keep = components
    if not comps.n:
        return right, left
    off = [s.start for s in comps.box]
    for idx, local in enumerate(ndi.find_objects(comps.labels), start=1):
        if local is None or (keep is not None and not keep[idx]):
            continue
        sl = tuple(slice(s.start + o, s.stop + o) for s, o in zip(local, off, strict=True))
        comp = comps.labels[local] == idx
        side = np.broadcast_to(left_of_mid[sl[0], None, sl[2]], comp.shape)
        frac_left = np.count_nonzero(side & comp) / np.count_nonzero(comp)  # = mean
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
    """(right, left) of lungs joined in 3D: each slice's 4-connected parts go to the side
    that holds at least 80 % of them, else are cut at the midline (``side``: on the left).
    The parts of every slice in one labelling: the slices stacked as one 2D image with an
    empty row between them (no part crosses it)."""
    k, j, i = comp.shape
    stacked = np.zeros((k, j + 1, i), bool)
    stacked[:, :j] = comp
    labels, n = label(stacked.reshape(k * (j + 1), i), None)
    labels = labels.reshape(k, j + 1, i)[:, :j]
    size = np.bincount(labels[comp], minlength=n + 1)
    frac = np.bincount(labels[comp & side], minlength=n + 1) / np.maximum(size, 1)
    to_left, to_right = frac >= 0.8, frac <= 0.2
    cut = ~(to_left | to_right)
    left = comp & (to_left[labels] | (cut[labels] & side))
    right = comp & (to_right[labels] | (cut[labels] & ~side))
    return right, left


def _lateral_hull(coarse: np.ndarray, medial_high_i: bool) -> np.ndarray:
    """Per slice, the convex hull of the lung minus its medial half (heart, hilum, spine):
    restores large consolidated areas at the costal surface that closing cannot bridge.
    The hull is that of each row's first and last lung pixel (every other pixel of a row
    lies between them), found for all slices at once; the medial half is split at the mean
    column of all the slice's lung pixels."""
    # deferred: scipy.spatial (~0.15 s) only for the hull, not with the pre-read's import
    from scipy.spatial import ConvexHull, QhullError

    out = np.zeros_like(coarse)
    n_i = coarse.shape[2]
    per_row = np.count_nonzero(coarse, axis=2)  # [k, j]
    first = np.argmax(coarse, axis=2)
    last = n_i - 1 - np.argmax(coarse[:, :, ::-1], axis=2)
    n_pts = per_row.sum(axis=1)
    i_sum = np.count_nonzero(coarse, axis=1) @ np.arange(n_i)  # [k]: sum of the columns
    for k in np.flatnonzero(n_pts >= 10):
        js = np.flatnonzero(per_row[k])
        a, b = first[k, js], last[k, js]
        pts = np.concatenate([np.stack([js, a], axis=1), np.stack([js, b], axis=1)])
        lo, hi = (int(js[0]), int(a.min())), (int(js[-1]) + 1, int(b.max()) + 1)
        try:
            eq = ConvexHull(pts).equations  # a*j + b*i + c <= 0 inside
        except QhullError:
            continue
        centre = i_sum[k] / n_pts[k]
        # only the lateral columns: i < centre (medial at high i), else i > centre
        c0, c1 = ((lo[1], min(hi[1], int(np.ceil(centre)))) if medial_high_i
                  else (max(lo[1], int(np.floor(centre)) + 1), hi[1]))
        if c1 <= c0:
            continue
        jj, ii = np.mgrid[lo[0]:hi[0], c0:c1]
        grid = np.stack([jj.ravel(), ii.ravel(), np.ones(jj.size)])
        out[k, lo[0]:hi[0], c0:c1] = (eq @ grid <= 1e-6).all(axis=0).reshape(jj.shape)
    return out


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
    coarse = _half_full_blocks(padded, f)
    sampling = (float(spacing[2]), float(spacing[1]) * f, float(spacing[0]) * f)
    closed = _closing(coarse, sampling, CLOSE_MM)
    if hull:
        closed |= _lateral_hull(coarse, medial_high_i)
    up = _smooth_upsample(closed, f)[:, :js, :is_]
    filled = side | (up & body & ~other)
    return fill_holes_in_plane(filled) & ~other


def _half_full_blocks(mask: np.ndarray, f: int) -> np.ndarray:
    """Whether at least half of each in-plane ``f`` x ``f`` block of ``mask`` (rows and
    columns multiples of ``f``) is set: the block's float mean >= 0.5, counted exactly as
    bytes by adding the ``f * f`` strided views (a reduction over the blocks' axes is 6x
    slower)."""
    u = mask.view(np.uint8)
    count = np.zeros((mask.shape[0], mask.shape[1] // f, mask.shape[2] // f), np.uint32)
    for dj in range(f):
        for di in range(f):
            count += u[:, dj::f, di::f]
    return 2 * count >= f * f


def _closing(mask: np.ndarray, sampling, reach_mm: float) -> np.ndarray:
    """Closing by a ball of ``reach_mm`` (:func:`ball_dilation`, outside the array empty),
    computed in the mask's bounding box grown by the reach: the same voxels as on the whole
    padded array (the box's outer layer is empty, and the nearest empty voxel beyond it is
    never nearer than that layer)."""
    out = np.zeros_like(mask)
    box = bounding_box(mask)
    if box is None:
        return out
    pad = int(np.ceil(reach_mm / min(sampling))) + 1
    grid = np.pad(mask[box], pad)
    # ``distance_transform_edt(~grid) <= reach`` and ``distance_transform_edt(dilated) >
    # reach`` (the erosion: the dilation of the rest, whose outer layer is set)
    dilated = ball_dilation(grid, sampling, reach_mm)
    closed = ~ball_dilation(~dilated, sampling, reach_mm)
    dst = tuple(slice(max(0, b.start - pad), min(n, b.stop + pad))
                for b, n in zip(box, mask.shape, strict=True))
    src = tuple(slice(d.start - (b.start - pad), d.stop - (b.start - pad))
                for d, b in zip(dst, box, strict=True))
    out[dst] = closed[src]
    return out


def _smooth_upsample(mask: np.ndarray, f: int) -> np.ndarray:
    """In-plane bilinear up-sampling of a coarse mask by ``f`` (torch's, ``align_corners``
    False), thresholded at one half; for ``f`` 2 in integers (:func:`_double`)."""
    if f == 1:
        return mask
    if f == 2:
        return _double(mask)
    # deferred: torch (~2 s) loads at the first run, not when the pre-read is imported
    import torch
    import torch.nn.functional as nnf

    t = torch.from_numpy(mask.astype(np.float32))[:, None]
    up = nnf.interpolate(t, scale_factor=f, mode="bilinear", align_corners=False)
    return up[:, 0].numpy() >= 0.5


def _double(mask: np.ndarray) -> np.ndarray:
    """:func:`_smooth_upsample` by 2 without floats: along each in-plane axis output pixel
    2m blends input m (3/4) with m - 1 (1/4) and 2m + 1 blends m with m + 1, the edges
    repeated (torch's source indices for a scale of 1/2); in sixteenths, exact, the blend
    is at least one half where 9 nearest + 3 + 3 + 1 diagonal >= 8."""
    a = mask.view(np.uint8)
    k, h, w = a.shape
    three = a * np.uint8(3)
    rows = np.empty((k, h, 2, w), np.uint8)  # output row 2m + 0 / 1 of input row m
    np.add(three[:, :1], a[:, :1], out=rows[:, :1, 0])
    np.add(three[:, 1:], a[:, :-1], out=rows[:, 1:, 0])
    np.add(three[:, :-1], a[:, 1:], out=rows[:, :-1, 1])
    np.add(three[:, -1:], a[:, -1:], out=rows[:, -1:, 1])
    a = rows.reshape(k, 2 * h, w)
    three = a * np.uint8(3)
    cols = np.empty((k, 2 * h, w, 2), np.uint8)
    np.add(three[:, :, :1], a[:, :, :1], out=cols[:, :, :1, 0])
    np.add(three[:, :, 1:], a[:, :, :-1], out=cols[:, :, 1:, 0])
    np.add(three[:, :, :-1], a[:, :, 1:], out=cols[:, :, :-1, 1])
    np.add(three[:, :, -1:], a[:, :, -1:], out=cols[:, :, -1:, 1])
    return cols.reshape(k, 2 * h, 2 * w) >= 8


def segment_lungs(hu: np.ndarray, spacing, orient: Orientation,
                  hull: bool = True, body: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(right, left) filled lung masks of a CT volume ``hu[k, j, i]``.

    ``hull=False`` skips the lateral convex hull: for clean (healthy) CTs, where there is no
    consolidated lung to restore, as when making the lung truth for simulated cases.
    ``body``: :func:`body_mask` of ``hu`` when the caller has it already.
    """
    body = body_mask(hu) if body is None else body
    air, components = _aerated_components(hu, body, spacing)
    right, left = split_sides(air, body, orient, components)
    right_f = fill_lung(right, left, body, spacing, orient.left_is_high_i, hull)
    left_f = fill_lung(left, right_f, body, spacing, not orient.left_is_high_i, hull)
    return right_f, left_f


def mediastinum_mask(hu: np.ndarray, spacing, orient: Orientation) -> np.ndarray:
    """The mediastinum and heart: per slice, what lies outside the classical lungs between
    the centres of the right and the left lung (computed on a half-resolution grid).

    Where a lung is consolidated the classical lungs miss it, so lung can lie in this mask
    too: callers use it to veto what a learned segmenter calls consolidation there, not
    as a lung boundary.
    """
    right, left, _ = _half_lungs(hu, spacing, orient)
    return _full(_corridor(right, left), hu.shape)


def thorax_masks(hu: np.ndarray, spacing, orient: Orientation, envelope
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(body, mediastinum, lung envelope) from one body mask and one classical segmentation
    on the half-resolution grid: the body as ``body_mask`` there (every second row and
    column, back to full size), :func:`mediastinum_mask` and ``envelope(lungs,
    half_spacing)`` (where lung can be, e.g. :func:`inference.borders.lung_envelope`)."""
    small = hu[:, ::2, ::2]
    body = body_mask(small)
    right, left, half = _half_lungs(hu, spacing, orient, body)
    return (_full(body, hu.shape), _full(_corridor(right, left), hu.shape),
            _full(envelope(right | left, half), hu.shape))


def _half_lungs(hu: np.ndarray, spacing, orient: Orientation, body=None):
    half = (float(spacing[0]) * 2, float(spacing[1]) * 2, float(spacing[2]))
    right, left = segment_lungs(hu[:, ::2, ::2], half, orient, body=body)
    return right, left, half


def _corridor(right: np.ndarray, left: np.ndarray) -> np.ndarray:
    cols = np.arange(right.shape[2], dtype=float)
    pr, pl = np.count_nonzero(right, axis=1), np.count_nonzero(left, axis=1)  # [k, i]
    sr, sl = pr.sum(axis=1), pl.sum(axis=1)
    both = (sr > 0) & (sl > 0)
    cr = (pr * cols).sum(axis=1) / np.maximum(sr, 1)
    cl = (pl * cols).sum(axis=1) / np.maximum(sl, 1)
    lo, hi = np.minimum(cr, cl)[:, None], np.maximum(cr, cl)[:, None]
    corridor = both[:, None] & (cols > lo) & (cols < hi)
    return corridor[:, None, :] & ~(right | left)


def _full(half: np.ndarray, shape) -> np.ndarray:
    """A half-resolution mask back on the full grid (each voxel as 2x2 in-plane)."""
    k, j, i = half.shape
    # each column twice: a 0/1 byte times 257 is the same byte twice in a uint16
    cols = (half.view(np.uint8).astype(np.uint16) * np.uint16(257)).view(np.uint8)
    out = np.empty((k, j, 2, 2 * i), np.uint8)
    out[:] = cols.reshape(k, j, 1, 2 * i)  # each row twice
    return out.view(bool).reshape(k, 2 * j, 2 * i)[:, : shape[1], : shape[2]]
