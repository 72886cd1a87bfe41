"""The largest lesions of a pre-read, each with where to look: the radiologist checks what the
model called opacity by going to it, instead of paging through every slice for overlays.

A lesion is a 3D-connected component of GGO and consolidation (either side). Its ``at`` voxel is
the component's own voxel nearest to its centre of mass (a curved lesion's centre may lie
outside it), so going there always lands on the lesion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import voxel_ml
from inference.labels import CONSOLIDATION, GGO, LEFT
from inference.morphology import bounding_box, label

TOP = 5  # lesions listed, largest first
MAX_POINTS = 20_000
_CONNECT = np.ones((3, 3, 3), bool)


def slice_range(first: int, last: int, count: int = 0, head_up: bool = False) -> str:
    """Slices ``first..last`` (0-based k) as the viewer numbers them, "a-b" 1-based: from
    the head, so with ``head_up`` (k grows toward the head, of ``count`` slices) the last k
    is slice 1; otherwise k + 1."""
    if head_up and count:
        return f"{count - last}-{count - first}"
    return f"{first + 1}-{last + 1}"


def head_up(direction) -> bool:
    """True when a volume's slice axis k points toward the head (LPS +z)."""
    return bool(np.asarray(direction)[2, 2] > 0)


@dataclass(frozen=True)
class Lesion:
    """One lesion component (slices 0-based, inclusive)."""

    side: str  # "right" | "left": the side most of it lies in
    first_slice: int
    last_slice: int
    ml: float
    ggo_share: float  # ground-glass share of its volume (the rest consolidation)
    at: tuple[int, int, int]  # voxel index (column i, row j, slice k) on the lesion
    count: int = 0  # slices in the volume, and whether k grows toward the head: numbering
    head_up: bool = False

    def to_dict(self) -> dict:
        """JSON form; ``slices`` 1-based as the viewer counts them (from the head)."""
        slices = slice_range(self.first_slice, self.last_slice, self.count, self.head_up)
        return {"side": self.side, "slices": slices,
                "ml": self.ml, "ggo_share": self.ggo_share, "at": list(self.at)}


def largest_lesions(labels: np.ndarray, spacing, top: int | None = TOP,
                    k_head_up: bool = False) -> list[Lesion]:
    """The ``top`` largest lesion components of a sided label map (all when None), largest
    first; ``k_head_up`` when the slice axis points to the head (see :func:`head_up`)."""
    lesion = labels >= min(GGO + CONSOLIDATION)  # lesion labels follow the lung labels
    box = bounding_box(lesion)  # label and measure within the lesions' bounding box only
    if box is None:
        return []
    count = labels.shape[0]  # slices of the whole volume: the viewer numbers them
    lesion, labels = lesion[box], labels[box]
    comps, n = label(lesion, _CONNECT)
    sizes = np.bincount(comps[lesion], minlength=n + 1)
    order = np.argsort(-sizes[1:], kind="stable")[:n if top is None else top] + 1
    objects = ndi.find_objects(comps)
    ml = voxel_ml(spacing)
    out = []
    for idx in order:
        sl = objects[idx - 1]
        comp = comps[sl] == idx
        counts = np.bincount(labels[sl][comp], minlength=max(LEFT + GGO) + 1)
        points = np.argwhere(comp)
        centre = points.mean(axis=0)
        points = points[:: max(1, len(points) // MAX_POINTS)]  # nearest of a sample: still on it
        k, j, i = (points[np.argmin(((points - centre) ** 2).sum(axis=1))]
                   + [s.start + b.start for s, b in zip(sl, box, strict=True)])
        out.append(Lesion(
            side="left" if counts[list(LEFT)].sum() * 2 > sizes[idx] else "right",
            first_slice=sl[0].start + box[0].start, last_slice=sl[0].stop - 1 + box[0].start,
            ml=round(float(sizes[idx] * ml), 1),
            ggo_share=round(float(counts[list(GGO)].sum() / sizes[idx]), 2),
            at=(int(i), int(j), int(k)), count=count, head_up=k_head_up))
    return out
