"""Exact, faster forms of the post-processing's morphology: work only inside the bounding
box of what is there, label 3D components once for several rules, and dilate or erode by
an in-plane disk as a union of rectangles (separable 1D filters).

Every function here gives the same voxels as the plain :mod:`scipy.ndimage` call it
replaces (tested on a real chest: ``tests/inference/test_morphology.py``). Components are
labelled by ``cc3d`` (connected-components-3d), which numbers them as ``ndi.label`` does
(raster order of first voxel) in a fraction of its time on these sparse masks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import isqrt

import cc3d
import numpy as np
from scipy import ndimage as ndi

Box = tuple[slice, slice, slice]
CONNECT = np.ones((3, 3, 3), bool)  # 26-connected components
FACES = ndi.generate_binary_structure(3, 1)  # 6-connected: ``ndi.label``'s default


def label(mask: np.ndarray, structure: np.ndarray | None = CONNECT) -> tuple[np.ndarray, int]:
    """``ndi.label(mask, structure)`` for the 3D face (``None`` or :data:`FACES`) or full
    (:data:`CONNECT`) neighbourhood, or 2D masks: the same labels (``uint32``), by cc3d."""
    if mask.ndim == 2:
        full = structure is not None and np.asarray(structure).all()
        connectivity = 8 if full else 4
    elif structure is None or np.array_equal(structure, FACES):
        connectivity = 6
    elif np.array_equal(structure, CONNECT):
        connectivity = 26
    else:
        return ndi.label(mask, structure=structure)
    labels, n = cc3d.connected_components(np.ascontiguousarray(mask, dtype=bool),
                                          connectivity=connectivity, return_N=True)
    return labels, int(n)


def bounding_box(mask: np.ndarray) -> Box | None:
    """The smallest (slice, row, column) box holding every True voxel; None when empty."""
    ks = np.nonzero(mask.any(axis=(1, 2)))[0]
    if not ks.size:
        return None
    part = mask[ks[0]:ks[-1] + 1]
    js = np.nonzero(part.any(axis=(0, 2)))[0]
    cs = np.nonzero(part[:, js[0]:js[-1] + 1].any(axis=(0, 1)))[0]
    return (slice(int(ks[0]), int(ks[-1]) + 1), slice(int(js[0]), int(js[-1]) + 1),
            slice(int(cs[0]), int(cs[-1]) + 1))


@dataclass
class Components:
    """The 26-connected components of a mask, labelled once inside its bounding box.

    Numbering is that of ``ndi.label`` on the whole volume (raster order is unchanged by
    the crop). ``objects[n - 1]`` is component ``n``'s box in whole-volume coordinates.
    The foreground's flat indices in the box and their labels are kept, so counting and
    selecting cost the foreground's size, not the box's (the masks here are sparse)."""

    shape: tuple[int, int, int]
    box: Box | None
    labels: np.ndarray | None  # uint32 labels inside ``box``
    n: int
    sizes: np.ndarray  # voxels per label; [0] counts background inside the box only
    fg: np.ndarray | None = field(default=None, repr=False)  # flat indices in the box
    fg_labels: np.ndarray | None = field(default=None, repr=False)  # their labels

    @classmethod
    def of(cls, mask: np.ndarray, structure: np.ndarray = CONNECT) -> Components:
        box = bounding_box(mask)
        if box is None:
            return cls(mask.shape, None, None, 0, np.zeros(1, np.intp))
        part = np.ascontiguousarray(mask[box])
        labels, n = label(part, structure)
        fg = np.flatnonzero(part)
        fg_labels = labels.reshape(-1)[fg]
        sizes = np.bincount(fg_labels, minlength=n + 1)
        sizes[0] = part.size - fg.size
        return cls(mask.shape, box, labels, n, sizes, fg, fg_labels)

    @property
    def objects(self) -> list[Box]:
        if not self.n:
            return []
        off = [s.start for s in self.box]
        return [tuple(slice(s.start + o, s.stop + o) for s, o in zip(sl, off, strict=True))
                for sl in ndi.find_objects(self.labels)]

    def count_in(self, mask: np.ndarray) -> np.ndarray:
        """Voxels of each component inside ``mask`` (whole-volume), per label ([0]: 0)."""
        if not self.n:
            return np.zeros(1, np.intp)
        inside = np.ascontiguousarray(mask[self.box]).reshape(-1)[self.fg]
        return np.bincount(self.fg_labels[inside], minlength=self.n + 1)

    def local(self, idx: int, box: Box) -> np.ndarray:
        """Component ``idx`` as a mask of whole-volume ``box`` (which may reach beyond the
        labelled box)."""
        out = np.zeros(tuple(s.stop - s.start for s in box), bool)
        inner = tuple(slice(max(b.start, s.start), min(b.stop, s.stop))
                      for b, s in zip(box, self.box, strict=True))
        if all(s.stop > s.start for s in inner):
            src = tuple(slice(i.start - s.start, i.stop - s.start)
                        for i, s in zip(inner, self.box, strict=True))
            dst = tuple(slice(i.start - b.start, i.stop - b.start)
                        for i, b in zip(inner, box, strict=True))
            out[dst] = self.labels[src] == idx
        return out

    def select(self, keep: np.ndarray) -> np.ndarray:
        """Whole-volume mask of the components with ``keep[label]`` (``keep[0]`` ignored)."""
        out = np.zeros(self.shape, bool)
        if self.n:
            part = np.zeros(self.labels.shape, bool)
            part.reshape(-1)[self.fg[np.asarray(keep, bool)[self.fg_labels]]] = True
            out[self.box] = part
        return out


def _disk_rectangles(r: int) -> list[tuple[int, int]]:
    """(half height, half width) of the rectangles whose union is the disk
    ``dy**2 + dx**2 <= r**2``: for each row offset the widest run, kept where it narrows."""
    widths = [isqrt(r * r - h * h) for h in range(r + 1)]
    return [(h, w) for h, w in enumerate(widths) if h == r or widths[h + 1] < w]


def _rect(mask: np.ndarray, h: int, w: int, op) -> np.ndarray:
    out = op(mask.view(np.uint8), 2 * h + 1, axis=1, mode="constant", cval=0)
    return op(out, 2 * w + 1, axis=2, mode="constant", cval=0)


def disk_dilation(mask: np.ndarray, r: int) -> np.ndarray:
    """``ndi.binary_dilation(mask, disk)`` slice by slice for the in-plane disk of radius
    ``r`` pixels (``yy**2 + xx**2 <= r*r``), outside the array empty."""
    out = np.zeros(mask.shape, np.uint8)
    for h, w in _disk_rectangles(r):
        np.maximum(out, _rect(mask, h, w, ndi.maximum_filter1d), out=out)
    return out.view(bool)


def disk_erosion(mask: np.ndarray, r: int) -> np.ndarray:
    """``ndi.binary_erosion(mask, disk)`` for the same disk (outside the array empty)."""
    out = np.ones(mask.shape, np.uint8)
    for h, w in _disk_rectangles(r):
        np.minimum(out, _rect(mask, h, w, ndi.minimum_filter1d), out=out)
    return out.view(bool)


def _ball_planes(sampling, r: float) -> dict[int, list[tuple[int, int]]]:
    """The ball ``sqrt((dz*sz)**2 + (dy*sy)**2 + (dx*sx)**2) <= r`` (offsets in voxels,
    ``sampling`` (sz, sy, sx) mm; the sum in the order and float64 arithmetic of
    ``ndi.distance_transform_edt``), as {dz >= 0: the (half height, half width) rectangles
    whose union is its in-plane section at dz}."""
    sz, sy, sx = (np.float64(s) for s in sampling)

    def inside(dz: int, dy: int, dx: int) -> bool:
        return bool(np.sqrt((np.float64(dz) * sz) ** 2 + (np.float64(dy) * sy) ** 2
                            + (np.float64(dx) * sx) ** 2) <= r)

    planes = {}
    dz = 0
    while inside(dz, 0, 0):
        widths = []
        while inside(dz, len(widths), 0):
            w = 0
            while inside(dz, len(widths), w + 1):
                w += 1
            widths.append(w)
        planes[dz] = [(h, w) for h, w in enumerate(widths)
                      if h == len(widths) - 1 or widths[h + 1] < w]
        dz += 1
    return planes


def ball_dilation(mask: np.ndarray, sampling, r: float) -> np.ndarray:
    """``ndi.distance_transform_edt(~mask, sampling=sampling) <= r`` for a non-empty 3D
    ``mask``: the dilation by the ball of radius ``r`` mm (outside the array empty), as the
    union over slice offsets of in-plane dilations by the ball's sections (rectangles,
    separable 1D filters), without a feature transform."""
    out = np.zeros(mask.shape, np.uint8)
    dilated: dict[tuple, np.ndarray] = {}  # sections repeat: each dilation made once
    for dz, rects in _ball_planes(sampling, r).items():
        key = tuple(rects)
        if key not in dilated:
            plane = np.zeros(mask.shape, np.uint8)
            for h, w in rects:
                np.maximum(plane, _rect(mask, h, w, ndi.maximum_filter1d), out=plane)
            dilated[key] = plane
        plane = dilated[key]
        if dz == 0:
            np.maximum(out, plane, out=out)
        elif dz < mask.shape[0]:
            np.maximum(out[dz:], plane[:-dz], out=out[dz:])
            np.maximum(out[:-dz], plane[dz:], out=out[:-dz])
    return out.view(bool)


def disk_opening(mask: np.ndarray, r: int) -> np.ndarray:
    """``ndi.binary_opening(mask, disk)``: the union of the disks inside ``mask``. A disk
    lies inside one 26-connected component, so each component at least a disk wide is
    opened alone in its own bounding box (exact: the erosion is empty at the box's edge and
    the dilation does not leave the box), the others have none; where those boxes add up
    to more than the mask's box, the mask is opened in its box at once."""
    out = np.zeros(mask.shape, bool)
    comps = Components.of(mask)
    if not comps.n:
        return out
    wide = [(idx, sl) for idx, sl in enumerate(comps.objects, 1)
            if min(sl[1].stop - sl[1].start, sl[2].stop - sl[2].start) > 2 * r]
    volume = sum(int(np.prod([s.stop - s.start for s in sl])) for _, sl in wide)
    if volume >= comps.labels.size:
        part = np.ascontiguousarray(mask[comps.box])
        out[comps.box] = disk_dilation(disk_erosion(part, r), r)
        return out
    for idx, sl in wide:
        out[sl] |= disk_dilation(disk_erosion(comps.local(idx, sl), r), r)
    return out


def fill_holes_in_plane(mask: np.ndarray) -> np.ndarray:
    """``ndi.binary_fill_holes(mask, structure=plane)`` for the 4-connected in-plane cross:
    per slice, the background not 4-connected to the slice's edge is filled. One labelling
    of the background inside the mask's bounding box (what lies outside it is background
    reaching the edge) instead of scipy's dilation to convergence: the slices stacked as one
    2D image, 4-connected, where a slice's last row touches the next one's first row. That
    joins only components that touch a slice's edge rows, which are filled in neither case,
    so the holes are the same as slice by slice."""
    out = mask.copy()
    box = bounding_box(mask)
    if box is None:
        return out
    part = mask[box]
    k, j, i = part.shape
    flat, n = label(~part.reshape(k * j, i), None)
    if not n:
        return out
    background = flat.reshape(k, j, i)
    edge = np.zeros(n + 1, bool)
    for face in (background[:, 0], background[:, -1], background[:, :, 0],
                 background[:, :, -1]):
        edge[face] = True
    edge[0] = True
    out[box] |= ~edge[background]
    return out
