"""Current and prior study side by side, with scroll, zoom, pan and window/level linked.

Each pane has a header (Current / Prior, the study date, the interval in days); a red banner
warns when the patient IDs differ. The prior may arrive later than the current study: its
pane says it is loading (with progress) and fills when :meth:`ComparisonLayout.set_prior`
is called, while the current pane can already be read.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from studies import Volume
from studies.registration import Alignment, align_by_position
from viewer import vtk_api as vtk
from viewer.layouts import inside, is_tall, refill_grid
from viewer.reading_state import ReadingState
from viewer.slice_view import SliceView


class ComparisonLayout(QWidget):
    """Two axial views; ``alignment`` maps a current LPS point to the prior's."""

    def __init__(self, parent: QWidget | None = None,
                 state: ReadingState | None = None) -> None:
        super().__init__(parent)
        self.current = SliceView(parent=self)
        self.state = state
        if state is not None:  # the current pane keeps the reading's place
            self.current.bind_state(state)
        self.prior = SliceView(parent=self)
        self.warning = QLabel(self)
        self.warning.setObjectName("compare-warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #a00000; color: white; font-weight: bold;"
                                   " padding: 4px;")
        self.warning.hide()
        self.headers = (QLabel(self.tr("Current"), self), QLabel(self.tr("Prior"), self))
        for header, name in zip(self.headers, ("current", "prior"), strict=True):
            header.setObjectName(f"compare-{name}")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet("font-weight: bold; padding: 2px;")
            header.setWordWrap(True)  # a long "Prior · date · N days earlier" never widens
            # its pane (it pushed the current pane to a strip and the window off the screen)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.warning)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self._portrait = False
        column.addLayout(self.grid, 1)
        self.views = [self.current, self.prior]
        self._place()
        self.alignment = Alignment((0.0, 0.0, 0.0), "none")
        self._linking = False
        self.current.slice_changed.connect(lambda _i: self._follow(self.current, self.prior))
        self.prior.slice_changed.connect(lambda _i: self._follow(self.prior, self.current))
        for source, target in ((self.current, self.prior), (self.prior, self.current)):
            source.window_changed.connect(lambda c, w, t=target: self._link_window(t, c, w))
            source.style.AddObserver("InteractionEvent",
                                     lambda *_a, s=source, t=target: self._link_camera(s, t))

    def _place(self) -> None:
        """Side by side; current above prior in an area taller than wide (the panels
        shown beside a narrow viewer), where side by side gave two thin strips."""
        placed = []
        for n, (header, view) in enumerate(zip(self.headers, self.views, strict=True)):
            row, col = (2 * n, 0) if self._portrait else (0, n)
            placed += [(header, row, col, 1, 1, False), (view, row + 1, col, 1, 1, True)]
        refill_grid(self.grid, placed)

    def resizeEvent(self, event) -> None:
        if is_tall(event.size()) != self._portrait:
            self._portrait = not self._portrait
            self._place()
        super().resizeEvent(event)

    @property
    def primary(self) -> SliceView:
        return self.current

    def set_cursor(self, lps: np.ndarray, move: bool = True) -> None:
        """Crosshair at ``lps`` of the current study; the prior follows to the same anatomy."""
        self.current.set_cursor(lps, move=move)

    def set_volumes(self, current: Volume, current_image: vtk.vtkImageData,
                    prior: Volume, prior_image: vtk.vtkImageData,
                    alignment: Alignment | None = None) -> None:
        self.set_current(current, current_image)
        self.set_prior(prior, prior_image, alignment)

    def set_current(self, current: Volume, image: vtk.vtkImageData) -> None:
        """Show the current study; the prior pane waits (see :meth:`set_prior_loading`)."""
        self.current.set_volume(current, image)
        if self.state is not None:
            self.current.apply_state()
            point = self.state.point
            if point is not None and inside(current, point):
                self.current.set_cursor(point, move=True)
        self._update_headers()

    def release(self) -> None:
        """Stop following the reading state (before another layout takes over)."""
        self.current.unbind_state()

    def set_prior_loading(self, fraction: float | None) -> None:
        """Say in the prior pane that the prior is loading (``fraction`` done, if known)."""
        text = self.tr("Loading the prior study…")
        if fraction is not None:
            text += f" {round(100 * fraction)}%"
        self.prior.set_note(text)

    def set_prior_failed(self, message: str) -> None:
        self.prior.set_note(self.tr("The prior study could not be opened:") + "\n" + message)

    def set_prior(self, prior: Volume, image: vtk.vtkImageData,
                  alignment: Alignment | None = None) -> None:
        """Show the prior, linked to the current study by ``alignment`` (same table
        position when none is given)."""
        if self.current.volume is None:
            raise ValueError("show the current study first")
        self.alignment = alignment or align_by_position(self.current.volume, prior)
        self._linking = True  # the current study's place wins over the prior's centre
        try:
            self.prior.set_volume(prior, image)
        finally:
            self._linking = False
        self.prior.set_note("")
        self.prior.set_window(*self.current.window())
        self._update_headers()
        self._follow(self.current, self.prior)

    def _update_headers(self) -> None:
        current = self.current.volume.info if self.current.volume is not None else None
        prior = self.prior.volume.info if self.prior.volume is not None else None
        self.headers[0].setText(self.tr("Current") + _dated(current))
        text = self.tr("Prior") + _dated(prior)
        days = interval_days(current.study_date, prior.study_date) if current and prior \
            else None
        if days == 0:
            text += " · " + self.tr("the same day")
        elif days is not None and days > 0:
            text += " · " + self.tr("%1 days earlier").replace("%1", str(days))
        elif days is not None:
            text += " · " + self.tr("%1 days later").replace("%1", str(-days))
        self.headers[1].setText(text)
        ids = (current.patient_id.strip(), prior.patient_id.strip()) if current and prior \
            else ("", "")
        differ = all(ids) and ids[0] != ids[1]
        self.warning.setText(self.tr("Different patients: the current study is of patient ID "
                                     "%1, the prior of patient ID %2. Check before comparing.")
                             .replace("%1", ids[0]).replace("%2", ids[1]) if differ else "")
        self.warning.setVisible(differ)

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


def interval_days(current: str, prior: str) -> int | None:
    """Days from the prior's DICOM date (YYYYMMDD) to the current one's; None if unknown."""
    try:
        a = date(int(current[:4]), int(current[4:6]), int(current[6:8]))
        b = date(int(prior[:4]), int(prior[4:6]), int(prior[6:8]))
    except (ValueError, TypeError):
        return None
    return (a - b).days


def _dated(info) -> str:
    d = (info.study_date or "").strip() if info is not None else ""
    return f" · {d[6:8]}.{d[4:6]}.{d[:4]}" if len(d) == 8 and d.isdigit() else ""
