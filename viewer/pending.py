"""Hatching over the slices of a study that have not arrived yet (progressive open).

The volume is preallocated and fills in slice by slice; a slice not yet here holds 0 HU,
which a reformat (coronal, sagittal) would show as a flat grey band, easy to take for
anatomy or for the last study. :class:`PendingLayer` is an image layer resliced like the CT
(nearest neighbour) over a coarse copy of the volume's grid: every voxel of a missing slice
is one of two dark blue-grey tones in diagonal stripes, every voxel of an arrived slice is
transparent. In a reformat the missing slices' rows are hatched; in the acquisition plane a
missing slice is hatched whole (beside the view's "not arrived yet" note).
"""

from __future__ import annotations

import numpy as np

from studies import Volume
from viewer import vtk_api as vtk
from viewer.overlay import label_layer
from viewer.vtk_bridge import volume_to_vtk

CELLS = 96  # in-plane cells of the layer's grid (a missing slice needs no finer picture)
STRIPE_MM = 8.0  # width of one stripe of the hatching
TONES = ((0.30, 0.36, 0.55, 0.92), (0.13, 0.15, 0.26, 0.92))  # RGBA of the two stripes
LAYER = 99  # above the CT and its overlays


def hatching(volume: Volume, cells: int = CELLS) -> Volume:
    """A ``(slices, cells, cells)`` uint8 grid over ``volume``'s extent: 1 and 2 in diagonal
    stripes (in every plane), on the volume's own axes."""
    nk, nj, ni = volume.voxels.shape
    sx, sy, sz = (float(v) for v in volume.spacing)
    cx, cy = sx * ni / cells, sy * nj / cells
    x = np.arange(cells) * cx
    y = np.arange(cells) * cy
    z = np.arange(nk) * sz
    band = np.floor((z[:, None, None] + y[None, :, None] + x[None, None, :]) / STRIPE_MM)
    stripes = (1 + band.astype(np.int64) % 2).astype(np.uint8)
    direction = np.asarray(volume.direction, float)
    origin = np.asarray(volume.origin, float) + direction @ np.array(
        [(cx - sx) / 2, (cy - sy) / 2, 0.0])
    return Volume(voxels=np.ascontiguousarray(stripes), spacing=(cx, cy, sz),
                  origin=tuple(origin), direction=direction)


class PendingLayer:
    """The hatching layer of one view: :meth:`show` for a study still arriving,
    :meth:`update` as slices come in, :meth:`hide` once it is whole."""

    def __init__(self) -> None:
        self.lookup = vtk.vtkLookupTable()
        self.lookup.SetNumberOfTableValues(3)
        self.lookup.SetTableRange(0, 2)
        self.lookup.SetTableValue(0, 0, 0, 0, 0)
        for value, tone in enumerate(TONES, start=1):
            self.lookup.SetTableValue(value, *tone)
        self.lookup.Build()
        self.mapper, self.slice = label_layer(self.lookup, LAYER)
        self.slice.PickableOff()
        self._grid: Volume | None = None
        self._pattern: np.ndarray | None = None
        self._shown: np.ndarray | None = None  # arrived[] as last drawn

    @property
    def active(self) -> bool:
        return self._grid is not None

    @property
    def slices(self) -> int:
        """How many slices the hatching is drawn for (0 when hidden)."""
        return 0 if self._grid is None else int(self._grid.voxels.shape[0])

    def show(self, volume: Volume, arrived: np.ndarray) -> None:
        """Hatch the slices of ``volume`` where ``arrived`` is False."""
        grid = hatching(volume)
        self._pattern = grid.voxels.copy()
        self._grid, self._shown = grid, None
        self.mapper.SetInputData(volume_to_vtk(grid))
        self.update(arrived)

    def update(self, arrived: np.ndarray) -> bool:
        """Clear the hatching of slices arrived since the last call; whether it changed."""
        if self._grid is None or self._pattern is None:
            return False
        # A snapshot: the fetch thread fills the array in while this runs (two reads of it
        # differed by a slice: "shape mismatch (85,96,96) ... (84,96,96)").
        arrived = np.array(arrived, dtype=bool, copy=True)
        if len(arrived) != self.slices:  # another volume's: :meth:`show` that one first
            return False
        if self._shown is not None and np.array_equal(arrived, self._shown):
            return False
        voxels = self._grid.voxels
        voxels[arrived] = 0
        voxels[~arrived] = self._pattern[~arrived]
        self._shown = arrived.copy()
        image = self.mapper.GetInput()
        image.GetPointData().GetScalars().Modified()
        image.Modified()
        return True

    def hide(self) -> None:
        self._grid = self._pattern = self._shown = None
        self.mapper.SetInputData(None)


class ArrivingLabels:
    """A label map of a study still arriving, drawn over the arrived slices only: the map
    covers the whole volume (a pre-read found before the study was opened), but a lesion
    drawn over a slice not here yet would colour an empty grey picture. :attr:`shown` is a
    copy that is 0 on the missing slices; :meth:`update` fills in the slices arrived since."""

    def __init__(self, labels: Volume, arrived: np.ndarray) -> None:
        self.full = labels
        self.shown = Volume(voxels=np.zeros(labels.voxels.shape, np.uint8), spacing=labels.spacing,
                            origin=labels.origin, direction=labels.direction,
                            info=labels.info)
        self._shown: np.ndarray = np.zeros(len(labels.voxels), dtype=bool)
        self.update(arrived)

    def update(self, arrived: np.ndarray | None) -> bool:
        """Copy in the slices arrived since the last call (all of them with None: the study
        is whole); whether the map shown changed."""
        if arrived is None:
            new = ~self._shown
        else:  # a snapshot: the fetch thread fills the array in while this runs
            now = np.array(arrived, dtype=bool, copy=True)
            if len(now) != len(self._shown):  # another volume's
                return False
            new = now & ~self._shown
        if not new.any():
            return False
        self.shown.voxels[new] = self.full.voxels[new]
        self._shown |= new
        return True

    def refresh(self) -> None:
        """The full map was edited in place (label tools): the arrived slices again."""
        self.shown.voxels[self._shown] = self.full.voxels[self._shown]
