"""Label-map overlays (lungs, ground-glass, consolidation) drawn over the CT slice.

An overlay is a second image layer resliced exactly like the CT (nearest neighbour), coloured
through a lookup table with one colour and opacity per label. Outline mode shows only the
label borders (computed once per overlay, in the slice plane).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np

from inference.labels import Label
from studies import Volume
from viewer import vtk_api as vtk
from viewer.vtk_bridge import volume_to_vtk


@dataclass(frozen=True)
class LabelStyle:
    name: str
    color: tuple[float, float, float]
    opacity: float = 0.4
    visible: bool = True


DEFAULT_STYLES: dict[int, LabelStyle] = {
    int(Label.LUNG_RIGHT): LabelStyle("right lung", (0.2, 0.6, 1.0), 0.08),
    int(Label.LUNG_LEFT): LabelStyle("left lung", (0.2, 1.0, 0.6), 0.08),
    int(Label.GGO_RIGHT): LabelStyle("ground-glass (right)", (1.0, 0.85, 0.1), 0.45),
    int(Label.GGO_LEFT): LabelStyle("ground-glass (left)", (1.0, 0.85, 0.1), 0.45),
    int(Label.CONSOLIDATION_RIGHT): LabelStyle("consolidation (right)", (1.0, 0.2, 0.2), 0.55),
    int(Label.CONSOLIDATION_LEFT): LabelStyle("consolidation (left)", (1.0, 0.2, 0.2), 0.55),
}
_FALLBACK = LabelStyle("label", (0.8, 0.3, 1.0), 0.4)
MAX_LABEL = 255


def outline(labels: np.ndarray) -> np.ndarray:
    """Labels kept only where an in-plane 4-neighbour has another value (per axial slice)."""
    edge = np.zeros(labels.shape, dtype=bool)
    edge[:, 1:, :] |= labels[:, 1:, :] != labels[:, :-1, :]
    edge[:, :-1, :] |= labels[:, :-1, :] != labels[:, 1:, :]
    edge[:, :, 1:] |= labels[:, :, 1:] != labels[:, :, :-1]
    edge[:, :, :-1] |= labels[:, :, :-1] != labels[:, :, 1:]
    return np.where(edge, labels, 0).astype(labels.dtype)


def label_layer(lookup: vtk.vtkLookupTable,
                layer: int) -> tuple[vtk.vtkImageResliceMapper, vtk.vtkImageSlice]:
    """An image layer resliced like the CT through the camera's focal point, nearest
    neighbour, coloured by ``lookup`` over its own range, drawn as ``layer`` of the view's
    stack: a label overlay, or the hatching of slices not yet arrived."""
    mapper = vtk.vtkImageResliceMapper()
    mapper.SliceFacesCameraOn()
    mapper.SliceAtFocalPointOn()
    image_slice = vtk.vtkImageSlice()
    image_slice.SetMapper(mapper)
    prop = image_slice.GetProperty()
    prop.SetInterpolationTypeToNearest()
    prop.SetLookupTable(lookup)
    prop.UseLookupTableScalarRangeOn()
    prop.SetLayerNumber(layer)
    return mapper, image_slice


class LabelOverlay:
    """One label map as a VTK image layer, with per-label style and filled/outline mode."""

    def __init__(self, labels: Volume, styles: dict[int, LabelStyle] | None = None) -> None:
        if labels.voxels.dtype.kind not in "iub":
            raise ValueError("an overlay needs an integer label map")
        self.labels = labels
        self.styles = dict(DEFAULT_STYLES if styles is None else styles)
        self.base_styles = dict(self.styles)  # as made: what set_view hides and scales
        self.filled = True
        self._outline: Volume | None = None
        self.lookup = vtk.vtkLookupTable()
        self.lookup.SetNumberOfTableValues(MAX_LABEL + 1)
        self.lookup.SetTableRange(0, MAX_LABEL)
        self.mapper, self.slice = label_layer(self.lookup, 1)
        self._images = {True: volume_to_vtk(_as_uint8(labels))}
        self.mapper.SetInputData(self._images[True])
        self._update_lookup()

    def clone(self) -> LabelOverlay:
        """Another view's layer of the same overlay: shares images, styles and colours."""
        twin = LabelOverlay.__new__(LabelOverlay)
        twin.labels, twin.styles, twin.filled = self.labels, self.styles, self.filled
        twin.base_styles = self.base_styles
        twin._images, twin.lookup = self._images, self.lookup
        twin.mapper, twin.slice = label_layer(self.lookup, 1)
        twin.mapper.SetInputData(self.mapper.GetInput())
        twin.slice.GetProperty().DeepCopy(self.slice.GetProperty())
        return twin

    def present_labels(self) -> list[int]:
        return [int(v) for v in np.unique(self.labels.voxels) if v]

    def set_style(self, value: int, **changes) -> None:
        self.styles[value] = replace(self.styles.get(value, _FALLBACK), **changes)
        self._update_lookup()

    def set_view(self, hidden: Collection[int] = (), opacity: float = 1.0) -> None:
        """Hide the label values ``hidden`` and scale each label's own opacity by
        ``opacity`` (within 0.02..1): the overlay as the reader asked to see it."""
        for value, style in self.base_styles.items():
            self.styles[value] = replace(
                style, visible=style.visible and value not in hidden,
                opacity=min(1.0, max(0.02, style.opacity * opacity)))
        self._update_lookup()

    def set_visible(self, visible: bool) -> None:
        self.slice.SetVisibility(visible)

    def set_filled(self, filled: bool) -> None:
        self.filled = filled
        if filled not in self._images:
            border = outline(self.labels.voxels)
            self._images[filled] = volume_to_vtk(_as_uint8(replace(self.labels, voxels=border)))
        self.mapper.SetInputData(self._images[filled])
        self._update_lookup()

    def refresh(self) -> None:
        """The label map's voxels were edited in place: show them (in every view sharing
        this overlay's images; the outline image is recomputed when it exists)."""
        filled = self._images[True]
        filled.GetPointData().GetScalars().Modified()
        filled.Modified()
        if False in self._images:
            border = self._images[False]
            border._luch_buffer[...] = outline(self.labels.voxels)
            border.GetPointData().GetScalars().Modified()
            border.Modified()

    def _update_lookup(self) -> None:
        self.lookup.SetTableValue(0, 0, 0, 0, 0)
        for value in range(1, MAX_LABEL + 1):
            style = self.styles.get(value, _FALLBACK)
            alpha = style.opacity if style.visible else 0.0
            if not self.filled:
                alpha = min(1.0, alpha * 2.5) if style.visible else 0.0
            self.lookup.SetTableValue(value, *style.color, alpha)
        self.lookup.Modified()


def _as_uint8(labels: Volume) -> Volume:
    voxels = labels.voxels
    if voxels.dtype != np.uint8:
        if voxels.min() < 0 or voxels.max() > MAX_LABEL:
            raise ValueError("label values must lie in 0..255")
        voxels = np.ascontiguousarray(voxels, dtype=np.uint8)
    return replace(labels, voxels=np.ascontiguousarray(voxels))
