"""Current and prior study side by side, with scroll, zoom, pan and window/level linked."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QWidget

from studies import Volume
from studies.registration import Alignment, align_by_position
from viewer import vtk_api as vtk
from viewer.slice_view import SliceView


class ComparisonLayout(QWidget):
    """Two axial views; ``alignment`` maps a current LPS point to the prior's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = SliceView(parent=self)
        self.prior = SliceView(parent=self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.current)
        row.addWidget(self.prior)
        self.views = [self.current, self.prior]
        self.alignment = Alignment((0.0, 0.0, 0.0), "none")
        self._linking = False
        self.current.slice_changed.connect(lambda _i: self._follow(self.current, self.prior))
        self.prior.slice_changed.connect(lambda _i: self._follow(self.prior, self.current))
        for source, target in ((self.current, self.prior), (self.prior, self.current)):
            source.window_changed.connect(lambda c, w, t=target: self._link_window(t, c, w))
            source.style.AddObserver("InteractionEvent",
                                     lambda *_a, s=source, t=target: self._link_camera(s, t))

    @property
    def primary(self) -> SliceView:
        return self.current

    def set_cursor(self, lps: np.ndarray, move: bool = True) -> None:
        """Crosshair at ``lps`` of the current study; the prior follows to the same anatomy."""
        self.current.set_cursor(lps, move=move)

    def set_volumes(self, current: Volume, current_image: vtk.vtkImageData,
                    prior: Volume, prior_image: vtk.vtkImageData,
                    alignment: Alignment | None = None) -> None:
        self.alignment = alignment or align_by_position(current, prior)
        self.current.set_volume(current, current_image)
        self.prior.set_volume(prior, prior_image)
        self._follow(self.current, self.prior)

    def _offset(self, source: SliceView) -> np.ndarray:
        t = np.array(self.alignment.translation)
        return t if source is self.current else -t

    def _follow(self, source: SliceView, target: SliceView) -> None:
        """Move ``target`` to the slice showing the same anatomy as ``source``."""
        if self._linking or source.volume is None or target.volume is None:
            return
        self._linking = True
        try:
            normal = np.array(source.plane.normal)
            point = source.slice_position() * normal + self._offset(source)
            target.move_to_point(point)
        finally:
            self._linking = False

    def _link_window(self, target: SliceView, center: float, width: float) -> None:
        if not self._linking and target.window() != (center, width):
            self._linking = True
            try:
                target.set_window(center, width)
            finally:
                self._linking = False

    def _link_camera(self, source: SliceView, target: SliceView) -> None:
        """Zoom and pan follow: same parallel scale, same in-plane focal offset."""
        src, dst = source.renderer.GetActiveCamera(), target.renderer.GetActiveCamera()
        dst.SetParallelScale(src.GetParallelScale())
        normal = np.array(target.plane.normal)
        focal = np.array(src.GetFocalPoint()) + self._offset(source)
        own = np.array(dst.GetFocalPoint())
        focal = focal - (focal @ normal - own @ normal) * normal
        shift = focal - own
        dst.SetFocalPoint(*focal)
        dst.SetPosition(*(np.array(dst.GetPosition()) + shift))
        target.render()

    def apply_preset(self, name: str) -> None:
        for view in self.views:
            view.apply_preset(name)
