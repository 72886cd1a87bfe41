"""Reading layouts of linked views: 1x1, axial+coronal, MPR 1x3, 2x2 with 3D, and compare.

Views of one study share a :class:`~viewer.reading_state.ReadingState`: the cursor point
(clicking in one view moves the others to that point; scrolling one moves the point along its
normal, so the others' reference lines follow), the window/level, each plane's zoom and the
tool. A layout rebuilt on the same state shows the same place. Every view can be detached
into its own window (for a second monitor) and comes back when that window closes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QWidget
from shiboken6 import isValid

from studies import Volume
from viewer import vtk_api as vtk
from viewer.orientation import AXIAL, CORONAL, SAGITTAL, Plane
from viewer.overlay import LabelOverlay
from viewer.reading_state import ReadingState
from viewer.slice_view import SliceView, inside
from viewer.three_d import OrthoSlices3D

LAYOUTS: dict[str, tuple[Plane, ...]] = {
    "1x1": (AXIAL,),
    "1x2": (AXIAL, CORONAL),
    "mpr": (AXIAL, CORONAL, SAGITTAL),
    "2x2": (AXIAL, CORONAL, SAGITTAL),
}


def cell_positions(layout: str, count: int, portrait: bool) -> list[tuple[int, int, int, int]]:
    """Grid cells (row, column, row span, column span) for ``count`` views of ``layout``.

    In a tall area (the panels beside a narrow viewer) views side by side would each be a
    thin strip: 1x2 stacks its two views, MPR puts the main view on top across the width
    and the two reformats below it. 2x2 stays a square grid."""
    if layout == "2x2":
        return [(n // 2, n % 2, 1, 1) for n in range(count)]
    if portrait and count == 2:
        return [(0, 0, 1, 1), (1, 0, 1, 1)]
    if portrait and count == 3:
        return [(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)]
    return [(0, n, 1, 1) for n in range(count)]


def refill_grid(grid: QGridLayout, placed) -> None:
    """Empty ``grid`` and put in it each (widget, row, column, rows, columns, grows) of
    ``placed``; the rows and columns of the widgets that grow share the room equally."""
    while grid.count():
        grid.takeAt(0)
    for n in range(grid.rowCount()):
        grid.setRowStretch(n, 0)
    for n in range(grid.columnCount()):
        grid.setColumnStretch(n, 0)
    for widget, row, column, rows, columns, grows in placed:
        grid.addWidget(widget, row, column, rows, columns)
        if grows:
            grid.setRowStretch(row, 1)
            grid.setColumnStretch(column, 1)


def is_tall(size) -> bool:
    """An area taller than wide (the panels shown beside a narrow viewer)."""
    return size.height() > size.width()


def layout_planes(layout: str, acquired: Plane = AXIAL) -> tuple[Plane, ...]:
    """The planes of ``layout`` for a series acquired in ``acquired`` (see
    :func:`~viewer.orientation.acquisition_plane`): the main view of 1x1 and 1x2 shows the
    acquisition plane, so a coronal or single-slice series is read as acquired, not as a
    reformat across it; in MPR and 2x2 the acquired plane takes its usual place."""
    planes = LAYOUTS[layout]
    if layout == "1x1":
        return (acquired,)
    if layout == "1x2":
        return (acquired, CORONAL if acquired.name == AXIAL.name else AXIAL)
    return tuple(acquired if p.name == acquired.name else p for p in planes)


class ReadingLayout(QWidget):
    """Linked views of one volume in a named layout (see :data:`LAYOUTS`)."""

    cursor_changed = Signal(object)

    def __init__(self, layout: str = "1x1", parent: QWidget | None = None,
                 state: ReadingState | None = None, acquired: Plane = AXIAL) -> None:
        super().__init__(parent)
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
        self.layout_name = layout
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.views: list[SliceView] = [SliceView(plane, self)
                                       for plane in layout_planes(layout, acquired)]
        self.three_d: OrthoSlices3D | None = OrthoSlices3D(self) if layout == "2x2" else None
        self._detached: dict[SliceView, QWidget] = {}
        self._syncing = False
        self._portrait = False
        self.state = state if state is not None else ReadingState()
        for view in self.views:
            view.bind_state(self.state)
            view.point_picked.connect(self.set_cursor)
            view.window_changed.connect(lambda c, w, src=view: self._sync_window(src, c, w))
        if self.three_d is not None:  # the 3D planes follow scrolling in any view
            self.state.subscribe(self._on_state)
        self._place_views()
        self.volume: Volume | None = None

    def _place_views(self) -> None:
        """(Re)place the views that are not detached, for the area's current shape."""
        cells = [widget for widget in (*self.views, self.three_d)
                 if widget is not None and widget not in self._detached]
        refill_grid(self.grid, [(widget, *cell, True) for widget, cell in zip(
            cells, cell_positions(self.layout_name, len(cells), self._portrait), strict=True)])

    def resizeEvent(self, event) -> None:
        if is_tall(event.size()) != self._portrait:
            self._portrait = not self._portrait
            self._place_views()
        super().resizeEvent(event)

    @property
    def primary(self) -> SliceView:
        return self.views[0]

    def set_volume(self, volume: Volume, image: vtk.vtkImageData) -> None:
        self.volume = volume
        for view in self.views:
            view.set_volume(volume, image)
        if self.three_d is not None:
            self.three_d.set_volume(volume, image)
        for view in self.views:
            view.apply_state()
        point = self.state.point
        if point is None or not inside(volume, point):
            nk, nj, ni = volume.shape
            point = volume.index_to_lps(np.array([(ni - 1) / 2, (nj - 1) / 2, nk // 2]))
        self.set_cursor(point, move=True)

    def release(self) -> None:
        """Stop following the state (before this layout is replaced by another on it)."""
        for view in self.views:
            view.unbind_state()
        self.state.unsubscribe(self._on_state)

    def _on_state(self, name: str, value) -> None:
        if not isValid(self):
            self.state.unsubscribe(self._on_state)
        elif name == "point" and self.three_d is not None and self.volume is not None:
            self.three_d.set_cursor(value)

    def set_cursor(self, lps: np.ndarray, move: bool = True) -> None:
        """Put the crosshair at ``lps`` in every view; each view moves to its slice."""
        self.state.set_point(lps)
        for view in self.views:  # also when the state already held that point
            view.set_cursor(lps, move=move)
        if self.three_d is not None:
            self.three_d.set_cursor(lps)
        self.cursor_changed.emit(np.asarray(lps))

    def set_window(self, center: float, width: float) -> None:
        self.state.set_window(center, width)
        for view in self.views:
            view.set_window(center, width)

    def apply_preset(self, name: str) -> None:
        for view in self.views:
            view.apply_preset(name)

    def add_overlay(self, overlay: LabelOverlay) -> list[LabelOverlay]:
        """Show ``overlay`` in every view; returns the per-view layers (sharing one image)."""
        layers = [overlay if n == 0 else overlay.clone() for n in range(len(self.views))]
        for view, layer in zip(self.views, layers, strict=True):
            view.add_overlay(layer)
        return layers

    def _sync_window(self, source: SliceView, center: float, width: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for view in self.views:
                if view is not source and view.window() != (center, width):
                    view.set_window(center, width)
            if self.three_d is not None:
                self.three_d.set_window(center, width)
        finally:
            self._syncing = False

    # -- second monitor -------------------------------------------------------------------------
    def detach(self, view: SliceView) -> QWidget:
        """Move ``view`` into its own top-level window; closing that window brings it back."""
        window = _DetachedWindow(self, view)
        self._detached[view] = window
        self._place_views()  # the others take its room
        window.show()
        return window

    def reattach(self, view: SliceView) -> None:
        self._detached.pop(view, None)
        view.setParent(self)
        self._place_views()
        view.show()


class _DetachedWindow(QWidget):
    def __init__(self, owner: ReadingLayout, view: SliceView) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.owner, self.view = owner, view
        self.setWindowTitle(f"Luch — {view.plane.name}")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(view)
        self.resize(max(400, view.width()), max(400, view.height()))

    def closeEvent(self, event) -> None:
        self.owner.reattach(self.view)
        super().closeEvent(event)
