"""One 2D reading view of a CT volume (axial, coronal or sagittal) rendered by VTK inside Qt.

The view reslices the shared VTK image (which itself shares the numpy buffer) at the camera's
focal point, so a slice change moves the camera and renders; it allocates no image memory.
Rendering happens on demand only, after something changed.

Mouse: wheel scrolls slices, left click on the image sets the cursor (crosshair) point (on
the black around it, it only takes the keyboard), left drag sets window/level, middle drag
pans, right drag zooms. With a label tool and an editor (the AI label map's
:class:`inference.label_edit.LabelEditor`) the left button paints, erases, fills or erases a
component through the editor instead.
Keys: Up/Down and PageUp/PageDown scroll (1 and 10 slices), Home/End jump to the ends, the
number keys of the window presets apply them.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollBar, QWidget
from shiboken6 import isValid

from core.names import dicom_date, person_name
from inference.label_edit import ERASE_COMPONENT
from inference.label_edit import TOOLS as LABEL_TOOLS
from studies import Volume
from viewer import vtk_api as vtk
from viewer.key_images import KeyImages
from viewer.measure_tool import MeasurementLayer
from viewer.measurements import Measurement
from viewer.numbers import decimal
from viewer.orientation import AXIAL, Plane, counts_up, orientation_letters
from viewer.pending import PendingLayer
from viewer.presets import DEFAULT_PRESETS, WindowPreset
from viewer.qt_vtk import VtkPanel
from viewer.reading_state import ReadingState
from viewer.text_style import outline

_PAGE = 10

# What the mouse and the fixed keys do in a view: (input, action), English; translated in
# the "SliceView" context (docs/reading.md, the Hotkeys tab).
VIEW_INPUTS: tuple[tuple[str, str], ...] = (
    (QT_TRANSLATE_NOOP("SliceView", "Mouse wheel, Up / Down"),
     QT_TRANSLATE_NOOP("SliceView", "next / previous slice (Up: towards the head)")),
    (QT_TRANSLATE_NOOP("SliceView", "PageUp / PageDown"),
     QT_TRANSLATE_NOOP("SliceView", "10 slices")),
    (QT_TRANSLATE_NOOP("SliceView", "Home / End"),
     QT_TRANSLATE_NOOP("SliceView", "slice 1 (most cranial) / the last slice")),
    (QT_TRANSLATE_NOOP("SliceView", "Scroll bar beside the view"),
     QT_TRANSLATE_NOOP("SliceView", "drag or click to go to a slice")),
    (QT_TRANSLATE_NOOP("SliceView", "Left click"),
     QT_TRANSLATE_NOOP("SliceView", "crosshair here; the other views go to this point")),
    (QT_TRANSLATE_NOOP("SliceView", "Left click beside the image"),
     QT_TRANSLATE_NOOP("SliceView", "the keys go to this view; the crosshair stays")),
    (QT_TRANSLATE_NOOP("SliceView", "Left drag"),
     QT_TRANSLATE_NOOP("SliceView", "window/level (with a tool: measure; with a label "
                       "tool: paint, erase or fill)")),
    (QT_TRANSLATE_NOOP("SliceView", "Left click with \"erase component\""),
     QT_TRANSLATE_NOOP("SliceView", "erase the whole 3D lesion under the cursor")),
    (QT_TRANSLATE_NOOP("SliceView", "Middle drag"),
     QT_TRANSLATE_NOOP("SliceView", "pan (kept when the layout changes)")),
    (QT_TRANSLATE_NOOP("SliceView", "Right drag"),
     QT_TRANSLATE_NOOP("SliceView", "zoom")),
    (QT_TRANSLATE_NOOP("SliceView", "Right click"),
     QT_TRANSLATE_NOOP("SliceView", "menu: tools, windows, layouts")),
    (QT_TRANSLATE_NOOP("SliceView", "Esc in the worklist search"),
     QT_TRANSLATE_NOOP("SliceView", "the keys go back to the image")),
    (QT_TRANSLATE_NOOP("SliceView", "Letters typed in the worklist"),
     QT_TRANSLATE_NOOP("SliceView", "search for a patient (Ctrl+F from anywhere)")),
)


class SliceView(VtkPanel):
    """A slice of ``volume`` in one plane, with window/level, scrolling and corner text."""

    slice_changed = Signal(int)
    window_changed = Signal(float, float)
    point_picked = Signal(object)  # LPS point (numpy array) clicked in the current slice
    measurement_added = Signal(object)  # a Measurement drawn by the user
    nothing_to_erase = Signal()  # "erase component" clicked where no lesion is
    context_menu_requested = Signal(object)  # QPoint in the view: a right click, not a drag

    TOOLS = ("distance", "ellipse", "freehand")
    LABEL_TOOLS = LABEL_TOOLS  # edit the AI label map (inference.label_edit) when it is set

    def __init__(self, plane: Plane = AXIAL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plane = plane
        self.presets: list[WindowPreset] = list(DEFAULT_PRESETS)
        self.anonymize = False
        self.volume: Volume | None = None
        self._index = 0
        self._count = 1
        self._step = 1.0
        self._start = 0.0  # position of slice 0 along the plane normal (mm)
        self._center = np.zeros(3)
        self._fit_scale = 1.0

        self.mapper = vtk.vtkImageResliceMapper()
        self.mapper.SliceFacesCameraOn()
        self.mapper.SliceAtFocalPointOn()
        self.image_slice = vtk.vtkImageSlice()
        self.image_slice.SetMapper(self.mapper)
        self.image_property = self.image_slice.GetProperty()
        self.image_property.SetInterpolationTypeToLinear()
        self.stack = vtk.vtkImageStack()
        self.stack.AddImage(self.image_slice)
        self.stack.SetActiveLayer(0)
        self.overlays: list = []
        self.slab_mode = "none"
        self._announced_window = (0.0, 0.0)
        self.cursor: np.ndarray | None = None
        self.state: ReadingState | None = None  # shared with the layout's other views
        self._quiet = False  # moving because the state moved (or loading): do not publish
        self._crosshair = _Crosshair()
        self.renderer.AddViewProp(self._crosshair.actor)
        self._ring = _BrushRing()  # the brush's size and place under the mouse
        self.renderer.AddViewProp(self._ring.actor)
        self._press: tuple[int, int] | None = None
        self.tool: str | None = None  # a measurement tool takes the left button when set
        self.editor = None  # the study's inference.label_edit.LabelEditor, for label tools
        self._painted: np.ndarray | None = None  # the last brush point of a stroke
        self.measurements: list[Measurement] = []
        self.key_images: KeyImages | None = None  # the study's marks (a marked slice says so)
        self._drawing: list[np.ndarray] = []
        self._measure_layer = MeasurementLayer(self.renderer)
        self.scale_bar = _ScaleBar()
        self.renderer.AddViewProp(self.scale_bar.line)
        self.renderer.AddViewProp(self.scale_bar.text)
        self._cine = QTimer(self)
        self._cine.timeout.connect(self._cine_step)

        self.corner_text = CornerText(self.renderer)
        # Slice position beside the view: top = slice 1 (most cranial); drag or click to go.
        self.slider = QScrollBar(Qt.Orientation.Vertical, self)
        self.slider.setObjectName("slice-slider")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the image
        self.slider.setRange(1, 1)
        self.slider.valueChanged.connect(self._slider_moved)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        outer = self.layout()
        outer.removeWidget(self.interactor)
        row.addWidget(self.interactor, 1)
        row.addWidget(self.slider)
        outer.addLayout(row)
        self.arrived: np.ndarray | None = None  # a study still arriving: see set_arrived
        self._pending = PendingLayer()  # hatching over the slices not here yet
        self._note = vtk.vtkTextActor()  # a centred message where there is no picture
        note = outline(self._note.GetTextProperty())
        note.SetFontSize(14)
        note.SetColor(0.9, 0.9, 0.6)
        note.SetJustificationToCentered()
        note.SetVerticalJustificationToCentered()
        self._note.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
        self._note.GetPositionCoordinate().SetValue(0.5, 0.5)
        self.renderer.AddViewProp(self._note)

        self.style = vtk.vtkInteractorStyleImage()
        self.style.SetInteractionModeToImage2D()
        self.interactor.SetInteractorStyle(self.style)
        self.style.AddObserver("MouseWheelForwardEvent", lambda *_: self.scroll(1))
        self.style.AddObserver("MouseWheelBackwardEvent", lambda *_: self.scroll(-1))
        self.style.AddObserver("KeyPressEvent", self._on_key)
        self.style.AddObserver("CharEvent", lambda *_: None)  # keep VTK's 'r', 'w', 'q' keys off
        self.style.AddObserver("InteractionEvent", self._after_interaction)
        self.style.AddObserver("LeftButtonPressEvent", self._on_left_press)
        self.style.AddObserver("LeftButtonReleaseEvent", self._on_left_release)
        self.style.AddObserver("MouseMoveEvent", self._on_mouse_move)
        self.style.AddObserver("RightButtonPressEvent", self._on_right_press)
        self.style.AddObserver("RightButtonReleaseEvent", self._on_right_release)
        self.style.AddObserver("LeaveEvent", self._on_leave)
        self._right_press: tuple[int, int] | None = None

    # -- data ---------------------------------------------------------------------------------
    def set_volume(self, volume: Volume, image: vtk.vtkImageData) -> None:
        """Show ``volume`` (``image`` is its zero-copy VTK twin), centred, in the current window."""
        self.volume = volume
        self.mapper.SetInputData(image)
        if self.stack not in _props(self.renderer):
            self.renderer.AddViewProp(self.stack)
        corners = _corners(volume)
        normal = np.array(self.plane.normal)
        along = corners @ normal
        self._step = _step_along(volume, normal)
        self._start = float(along.min())
        self._count = max(1, round((along.max() - along.min()) / self._step) + 1)
        self.slider.blockSignals(True)
        self.slider.setRange(1, self._count)
        self.slider.setPageStep(_PAGE)
        self.slider.blockSignals(False)
        flat = float(np.ptp(corners @ np.array(self.plane.view_up))) < 1e-6
        self._note.SetInput(self._single_slice_note() if flat else "")
        self._center = corners.mean(axis=0)
        self._update_text()  # the corner text's size shapes the fit
        self._reset_camera(corners)
        self._quiet = True
        try:
            self.set_slice_index(self._count // 2, render=False)
        finally:
            self._quiet = False
        if self.image_property.GetColorWindow() in (0, 255):
            self.set_window(self.presets[0].center, self.presets[0].width, render=False)
        self._update_crosshair()  # its reach is the new volume's
        self.render()

    def set_note(self, text: str) -> None:
        """A centred message (loading, no picture); "" removes it."""
        self._note.SetInput(text)
        self.render()

    def set_arrived(self, arrived: np.ndarray | None) -> None:
        """A study still arriving: ``arrived[k]`` is False until stored slice ``k`` is in the
        volume (the array fills in as it comes); None once the whole study is here. A slice
        not yet here is shown as such: hatched (in a reformat, the rows of the missing
        slices), and said in the acquisition plane; never black or a stale picture."""
        self.arrived = arrived
        layers = _layers(self.stack)
        if arrived is None or self.volume is None or len(arrived) != self.volume.shape[0]:
            if self._pending.slice in layers:
                self.stack.RemoveImage(self._pending.slice)
            self._pending.hide()
        else:
            self._pending.show(self.volume, arrived)
            if self._pending.slice not in layers:
                self.stack.AddImage(self._pending.slice)
        self._update_pending()

    def _update_pending(self) -> None:
        if self.arrived is not None and self._pending.active:
            if len(self.arrived) != self._pending.slices:  # the volume was replaced since
                self.set_arrived(self.arrived)  # hatched anew for it (or not at all)
                return
            self._pending.update(self.arrived)
        pending = self.tr("This slice has not arrived yet")
        k = self.acquired_index() if self.arrived is not None else None
        waiting = k is not None and k < len(self.arrived) and not bool(self.arrived[k])
        if waiting:
            self._note.SetInput(pending)
        elif self._note.GetInput() == pending:
            self._note.SetInput("")

    def note_text(self) -> str:
        """The centred message shown instead of a picture ("" when there is a picture)."""
        return self._note.GetInput() or ""

    def _single_slice_note(self) -> str:
        return {"coronal": self.tr("Single slice: no coronal reconstruction"),
                "sagittal": self.tr("Single slice: no sagittal reconstruction")}.get(
            self.plane.name, self.tr("Single slice: no reconstruction in this plane"))

    def _plane_title(self) -> str:
        return {"axial": self.tr("Axial"), "coronal": self.tr("Coronal"),
                "sagittal": self.tr("Sagittal")}.get(self.plane.name, self.plane.name)

    # -- navigation ---------------------------------------------------------------------------
    @property
    def slice_index(self) -> int:
        return self._index

    @property
    def slice_count(self) -> int:
        return self._count

    @property
    def slice_number(self) -> int:
        """The slice as the reader counts it: 1 = most cranial (axial), most anterior
        (coronal), patient's rightmost (sagittal)."""
        return self._index + 1 if counts_up(self.plane) else self._count - self._index

    def set_slice_number(self, number: int) -> None:
        index = number - 1 if counts_up(self.plane) else self._count - number
        self.set_slice_index(index)

    def slice_position(self) -> float:
        """Position of the current slice along the plane normal (mm)."""
        return self._start + self._index * self._step

    def set_slice_index(self, index: int, render: bool = True) -> None:
        index = max(0, min(self._count - 1, int(index)))
        camera = self.renderer.GetActiveCamera()
        normal = np.array(self.plane.normal)
        focal = np.array(camera.GetFocalPoint())
        offset = self._start + index * self._step - float(focal @ normal)
        camera.SetFocalPoint(*(focal + offset * normal))
        camera.SetPosition(*(np.array(camera.GetPosition()) + offset * normal))
        changed = index != self._index
        self._index = index
        if self.slider.value() != self.slice_number:
            self.slider.blockSignals(True)
            self.slider.setValue(self.slice_number)
            self.slider.blockSignals(False)
        self._update_measurements()
        self._update_text()
        if self.arrived is not None:
            self._update_pending()
        if render:
            self.render()
        if changed:
            if self.state is not None and not self._quiet and self.volume is not None:
                self._quiet = True  # this view is already there
                try:
                    self.state.move_point(normal, self.slice_position())
                finally:
                    self._quiet = False
            self.slice_changed.emit(index)

    def acquired_position(self) -> float:
        """The slice's position along the plane normal (mm) where it was acquired: an
        unevenly spaced series is drawn evenly spaced (``Volume.acquired_lps``)."""
        volume = self.volume
        if volume is None or not volume.uneven:
            return self.slice_position()
        normal = np.array(self.plane.normal, dtype=float)
        centre = self._center + (self.slice_position() - float(self._center @ normal)) * normal
        return float(volume.acquired_lps(centre) @ normal)

    def acquired_index(self) -> int | None:
        """The stored slice (``k``) this view shows, when it shows the acquisition plane; None
        in a reformat."""
        volume = self.volume
        if volume is None:
            return None
        normal = np.array(self.plane.normal, dtype=float)
        if abs(float(volume.direction[:, 2] @ normal)) < 0.99:
            return None
        centre = self._center + (self.slice_position() - float(self._center @ normal)) * normal
        k = round(float(volume.lps_to_index(centre)[2]))
        return k if 0 <= k < volume.shape[0] else None

    def is_key_image(self) -> bool:
        """Whether the slice shown is marked as a key image."""
        if self.key_images is None or self.volume is None or not len(self.key_images):
            return False
        k = self.acquired_index()
        return k is not None and self.key_images.marked(
            self.volume.info.series_instance_uid, k)

    def _slider_moved(self, number: int) -> None:
        if self.volume is not None and number != self.slice_number:
            self.set_slice_number(number)

    def scroll(self, delta: int) -> None:
        self.set_slice_index(self._index + delta)

    def start_cine(self, frames_per_second: float = 10.0) -> None:
        """Play through the slices, looping at the end."""
        self._cine.start(max(1, round(1000 / frames_per_second)))

    def stop_cine(self) -> None:
        self._cine.stop()

    @property
    def cine_running(self) -> bool:
        return self._cine.isActive()

    def _cine_step(self) -> None:
        self.set_slice_index((self._index + 1) % self._count)

    def move_to_point(self, lps: np.ndarray, render: bool = True) -> None:
        """Move to the slice that contains the LPS point ``lps``."""
        position = float(np.asarray(lps) @ np.array(self.plane.normal))
        self.set_slice_index(round((position - self._start) / self._step), render=render)

    def set_cursor(self, lps: np.ndarray | None, move: bool = True) -> None:
        """Show the crosshair at ``lps`` (and move to its slice when ``move``); renders once,
        and not at all when neither the slice nor the crosshair changed."""
        cursor = None if lps is None else np.asarray(lps, dtype=float)
        unchanged = (cursor is None and self.cursor is None) or (
            cursor is not None and self.cursor is not None
            and np.array_equal(cursor, self.cursor))
        index = self._index
        self.cursor = cursor
        if move and cursor is not None:
            self.move_to_point(cursor, render=False)
        if unchanged and index == self._index and self._crosshair_shown():
            return
        self._update_crosshair()
        self.render()

    def _crosshair_shown(self) -> bool:
        return bool(self._crosshair.actor.GetVisibility()) == (
            self.cursor is not None and self.volume is not None)

    def display_to_lps(self, x: float, y: float) -> np.ndarray:
        """The LPS point under display pixel ``(x, y)`` (VTK origin: bottom left), in this slice."""
        self.renderer.SetDisplayPoint(x, y, 0.0)
        self.renderer.DisplayToWorld()
        world = np.array(self.renderer.GetWorldPoint(), dtype=float)
        point = world[:3] / (world[3] or 1.0)
        normal = np.array(self.plane.normal)
        return point - (point @ normal - self.slice_position()) * normal

    def lps_to_display(self, lps: np.ndarray) -> tuple[float, float]:
        self.renderer.SetWorldPoint(*np.asarray(lps, float), 1.0)
        self.renderer.WorldToDisplay()
        x, y, _ = self.renderer.GetDisplayPoint()
        return x, y

    # -- shared reading state ----------------------------------------------------------------
    def bind_state(self, state: ReadingState) -> None:
        """Follow ``state`` (cursor point, window, zoom, pan, tool) and write this view's changes
        to it; unbound again by :meth:`unbind_state` or when the widget is destroyed."""
        self.unbind_state()
        self.state = state
        state.subscribe(self._on_state)

    def unbind_state(self) -> None:
        if self.state is not None:
            self.state.unsubscribe(self._on_state)
            self.state = None

    def apply_state(self) -> None:
        """Take the state's window, zoom, pan and tool (after a volume is set)."""
        state = self.state
        if state is None:
            return
        if state.window is not None and self.window() != state.window:
            self.set_window(*state.window, render=False)
        if self.plane.name in state.zoom:
            self.set_zoom(state.zoom[self.plane.name], render=False)
        if self.plane.name in state.pan:
            self.set_pan(*state.pan[self.plane.name], render=False)
        self.set_tool(state.tool)

    def _on_state(self, name: str, value) -> None:
        if not isValid(self):  # the widget went with its layout
            if self.state is not None:
                self.state.unsubscribe(self._on_state)
            return
        if self.volume is None or self._quiet:
            return
        self._quiet = True
        try:
            if name == "point":
                self.set_cursor(value, move=True)
            elif name == "window" and self.window() != value:
                self.set_window(*value)
            elif name == "zoom" and value[0] == self.plane.name:
                self.set_zoom(value[1])
            elif name == "pan" and value[0] == self.plane.name:
                self.set_pan(*value[1])
            elif name == "tool":
                self.set_tool(value)
        finally:
            self._quiet = False

    def set_zoom(self, factor: float, render: bool = True) -> None:
        """Zoom to ``factor`` times the fitted size (1 = the whole image fits)."""
        camera = self.renderer.GetActiveCamera()
        camera.SetParallelScale(self._fit_scale / max(0.05, factor))
        self._update_text()
        if render:
            self.render()

    def _right_up(self) -> tuple[np.ndarray, np.ndarray]:
        up = np.array(self.plane.view_up, dtype=float)
        return np.cross(np.array(self.plane.normal, dtype=float), up), up

    def pan_offset(self) -> tuple[float, float]:
        """Where the view's centre is: mm right and up of the image centre."""
        right, up = self._right_up()
        focal = np.array(self.renderer.GetActiveCamera().GetFocalPoint()) - self._center
        return float(focal @ right), float(focal @ up)

    def set_pan(self, right_mm: float, up_mm: float, render: bool = True) -> None:
        """Centre the view ``right_mm`` right and ``up_mm`` up of the image centre (the
        slice stays)."""
        right, up = self._right_up()
        now_right, now_up = self.pan_offset()
        shift = (right_mm - now_right) * right + (up_mm - now_up) * up
        camera = self.renderer.GetActiveCamera()
        camera.SetFocalPoint(*(np.array(camera.GetFocalPoint()) + shift))
        camera.SetPosition(*(np.array(camera.GetPosition()) + shift))
        if render:
            self.render()

    # -- overlays and slabs -----------------------------------------------------------------
    def add_overlay(self, overlay) -> None:
        """Draw a :class:`viewer.overlay.LabelOverlay` over the CT."""
        self.overlays.append(overlay)
        overlay.slice.GetProperty().SetLayerNumber(len(self.overlays))
        self.stack.AddImage(overlay.slice)
        self.render()

    def remove_overlay(self, overlay) -> None:
        self.overlays.remove(overlay)
        self.stack.RemoveImage(overlay.slice)
        self.render()

    def set_slab(self, mode: str = "none", thickness_mm: float = 0.0) -> None:
        """Thick slab: ``mip``, ``minip`` or ``mean`` over ``thickness_mm``; ``none`` = thin."""
        setters = {"mip": self.mapper.SetSlabTypeToMax, "minip": self.mapper.SetSlabTypeToMin,
                   "mean": self.mapper.SetSlabTypeToMean, "none": self.mapper.SetSlabTypeToMean}
        if mode not in setters:
            raise ValueError(f"unknown slab mode {mode!r}; use one of {', '.join(setters)}")
        setters[mode]()
        self.slab_mode = mode
        self.mapper.SetSlabThickness(0.0 if mode == "none" else max(0.0, thickness_mm))
        self._update_text()
        self.render()

    # -- window/level -------------------------------------------------------------------------
    def set_window(self, center: float, width: float, render: bool = True) -> None:
        self.image_property.SetColorLevel(center)
        self.image_property.SetColorWindow(max(1.0, width))
        self._update_text()
        if render:
            self.render()
        self._announced_window = self.window()
        self._publish_window()
        self.window_changed.emit(*self._announced_window)

    def _publish_window(self) -> None:
        if self.state is not None and not self._quiet:
            self._quiet = True
            try:
                self.state.set_window(*self._announced_window)
            finally:
                self._quiet = False

    def window(self) -> tuple[float, float]:
        return self.image_property.GetColorLevel(), self.image_property.GetColorWindow()

    def apply_preset(self, name: str) -> None:
        for preset in self.presets:
            if preset.name == name:
                self.set_window(preset.center, preset.width)
                return
        raise KeyError(name)

    # -- rendering ----------------------------------------------------------------------------
    def render(self) -> None:
        self.render_window.Render()

    def zoom_factor(self) -> float:
        camera = self.renderer.GetActiveCamera()
        return self._fit_scale / camera.GetParallelScale() if camera.GetParallelScale() else 1.0

    def _reset_camera(self, corners: np.ndarray) -> None:
        camera = self.renderer.GetActiveCamera()
        camera.ParallelProjectionOn()
        normal = np.array(self.plane.normal)
        up = np.array(self.plane.view_up)
        right = np.cross(normal, up)
        camera.SetFocalPoint(*self._center)
        camera.SetPosition(*(self._center - normal * 1000.0))
        camera.SetViewUp(*up)
        half_h = float(np.ptp(corners @ up)) / 2
        half_w = float(np.ptp(corners @ right)) / 2
        self._fit_scale = self._fit(half_w, half_h) * 1.02
        camera.SetParallelScale(self._fit_scale)
        self.renderer.ResetCameraClippingRange()
        camera.SetClippingRange(1.0, 4000.0)

    def _fit(self, half_w: float, half_h: float) -> float:
        """The parallel scale that fits the image and keeps it out of the corner text: the
        image may fill the view's height or its width, not both where the text sits."""
        w, h = max(1, self.interactor.width()), max(1, self.interactor.height())
        tw, th = self.corner_text.extent(self.renderer)
        plain = max(half_h, half_w * h / w)
        clear_rows = max(half_h * h / (h - 2 * th), half_w * h / w) if h > 2 * th else math.inf
        clear_cols = max(half_h, half_w * h / (w - 2 * tw)) if w > 2 * tw else math.inf
        fitted = min(clear_rows, clear_cols)
        return fitted if fitted < 3 * plain else plain  # tiny views: the image first

    def resizeEvent(self, event) -> None:  # keep the image fitted when the widget is resized
        super().resizeEvent(event)
        if self.volume is not None and math.isclose(self.zoom_factor(), 1.0, rel_tol=1e-6):
            index, pan = self._index, self.pan_offset()
            self._reset_camera(_corners(self.volume))
            self.set_slice_index(index, render=False)
            self.set_pan(*pan, render=False)  # a detached or resized view keeps its place

    # -- events -------------------------------------------------------------------------------
    def _on_key(self, *_args) -> None:
        key = self.interactor.GetKeySym() or ""
        if self.interactor.GetControlKey() or self.interactor.GetAltKey():
            return  # Ctrl+1..4 are layouts, Alt+1..3 overlay labels: not the window presets
        moves = {"Up": 1, "Down": -1, "Prior": _PAGE, "Next": -_PAGE}
        if key in moves:
            self.scroll(moves[key])
        elif key == "Home":
            self.set_slice_number(1)
        elif key == "End":
            self.set_slice_number(self._count)
        elif key in ("c", "C"):
            self.stop_cine() if self.cine_running else self.start_cine()
        else:
            for preset in self.presets:
                if preset.key and preset.key == key:
                    self.set_window(preset.center, preset.width)

    # -- measurements -----------------------------------------------------------------------
    def set_tool(self, tool: str | None) -> None:
        """``distance``, ``ellipse``, ``freehand``, a label tool (``paint``, ``erase``,
        ``threshold``, ``erase-component``) or None (left drag = window/level again)."""
        if tool is not None and tool not in self.TOOLS + self.LABEL_TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        self._end_stroke()
        self.tool = tool
        self._drawing.clear()
        if tool in (None, ERASE_COMPONENT, *self.TOOLS):
            self._ring.actor.SetVisibility(False)

    def _label_tool(self) -> bool:
        return (self.tool in self.LABEL_TOOLS and self.editor is not None
                and self.volume is not None and self.editor.volume is self.volume)

    def _label_press(self) -> None:
        point = self.display_to_lps(*self._press)
        normal = np.array(self.plane.normal)
        if self.tool == ERASE_COMPONENT:
            # a click beside a thin lesion still takes it: 4 screen pixels, at least 2 mm
            height = max(1, self.interactor.height())
            mm_per_px = 2 * self.renderer.GetActiveCamera().GetParallelScale() / height
            if not self.editor.erase_component(point, normal, max(2.0, 4 * mm_per_px)):
                self.nothing_to_erase.emit()
            return
        self.editor.begin_stroke()
        self._painted = point
        self.editor.stroke(self.tool, point, normal)

    def _on_leave(self, *_args) -> None:
        if self._ring.actor.GetVisibility():
            self._ring.actor.SetVisibility(False)
            self.render()

    def _place_ring(self, point: np.ndarray) -> None:
        up = np.array(self.plane.view_up)
        self._ring.place(point, np.cross(np.array(self.plane.normal), up), up,
                         self.editor.radius_mm)

    def _end_stroke(self) -> None:
        if self._painted is not None:
            self._painted = None
            if self.editor is not None:
                self.editor.end_stroke()

    def set_measurements(self, measurements: list[Measurement]) -> None:
        self.measurements = list(measurements)
        self._update_measurements()
        self.render()

    def _current_measurement(self) -> Measurement | None:
        if len(self._drawing) < 2 or self.tool is None:
            return None
        points = self._drawing if self.tool == "freehand" else [self._drawing[0], self._drawing[-1]]
        return Measurement(self.tool, [tuple(map(float, p)) for p in points],
                           normal=tuple(float(v) for v in self.plane.normal))

    def _update_measurements(self, preview: Measurement | None = None) -> None:
        if self.volume is None:
            return
        self._measure_layer.draw(self.volume, self.measurements, np.array(self.plane.normal),
                                 np.array(self.plane.view_up), self.slice_position(),
                                 self._step / 2, preview)

    def _on_mouse_move(self, *_args) -> None:
        if self._label_tool() and self.tool != ERASE_COMPONENT:
            point = self.display_to_lps(*self.interactor.GetEventPosition())
            self._place_ring(point)
            if self._painted is not None:
                self.editor.stroke(self.tool, point, np.array(self.plane.normal), self._painted)
                self._painted = point
                return
            self.render()
        if self.tool is None or not self._drawing:
            self.style.OnMouseMove()
            return
        point = self.display_to_lps(*self.interactor.GetEventPosition())
        if self.tool == "freehand":
            self._drawing.append(point)
        else:
            self._drawing[1:] = [point]
        self._update_measurements(self._current_measurement())
        self.render()

    def _on_left_press(self, *_args) -> None:
        self._press = self.interactor.GetEventPosition()
        if self._label_tool():
            self._label_press()
            return
        if self.tool in self.TOOLS and self.volume is not None:
            self._drawing = [self.display_to_lps(*self._press)]
            return
        self.style.OnLeftButtonDown()

    def _finish_drawing(self) -> None:
        measurement = self._current_measurement()
        self._drawing = []
        if measurement is not None and (measurement.kind != "freehand"
                                        or len(measurement.points) >= 3):
            self.measurements.append(measurement)
            self.measurement_added.emit(measurement)
        self._update_measurements()
        self.render()

    def _on_left_release(self, *_args) -> None:
        if self._label_tool():
            self._press = None
            self._end_stroke()
            return
        if self.tool is not None and self._drawing:
            self._press = None
            self._finish_drawing()
            return
        self.style.OnLeftButtonUp()
        position = self.interactor.GetEventPosition()
        pressed, self._press = self._press, None
        if pressed is None or self.volume is None:
            return
        if abs(position[0] - pressed[0]) + abs(position[1] - pressed[1]) <= 2:  # a click
            point = self.display_to_lps(*position)
            if inside(self.volume, point):  # a click on the black around it only focuses
                self.set_cursor(point, move=False)
                self.point_picked.emit(point)

    def _on_right_press(self, *_args) -> None:
        self._right_press = self.interactor.GetEventPosition()
        self.style.OnRightButtonDown()  # a right drag still zooms

    def _on_right_release(self, *_args) -> None:
        self.style.OnRightButtonUp()
        pressed, self._right_press = self._right_press, None
        x, y = self.interactor.GetEventPosition()
        if pressed is not None and abs(x - pressed[0]) + abs(y - pressed[1]) <= 2:
            ratio = self.interactor.devicePixelRatioF() or 1.0
            self.context_menu_requested.emit(
                QPoint(round(x / ratio), round(self.interactor.height() - 1 - y / ratio)))

    def _update_crosshair(self) -> None:
        if self.cursor is None or self.volume is None:
            self._crosshair.actor.SetVisibility(False)
            return
        up = np.array(self.plane.view_up)
        right = np.cross(np.array(self.plane.normal), up)
        reach = float(np.ptp(_corners(self.volume), axis=0).max())
        # Parallel projection: the lines fall on the same pixels whatever the slice, so they
        # are placed through the cursor itself and need no update when scrolling.
        self._crosshair.place(self.cursor, right, up, reach)

    def _after_interaction(self, *_args) -> None:
        """After VTK's own window/level, pan or zoom: refresh the text, announce a new window,
        and write the zoom and pan to the reading state."""
        self._update_text()
        if self.window() != self._announced_window:
            self._announced_window = self.window()
            self._publish_window()
            self.window_changed.emit(*self._announced_window)
        if self.state is not None and self.volume is not None and not self._quiet:
            self._quiet = True
            try:
                self.state.set_zoom(self.plane.name, round(self.zoom_factor(), 4))
                self.state.set_pan(self.plane.name,
                                   *(round(v, 3) for v in self.pan_offset()))
            finally:
                self._quiet = False

    def _update_text(self) -> None:
        if self.volume is None:
            return
        info = self.volume.info
        if self.anonymize:
            top_left = "Anonymized"
        else:
            top_left = "\n".join(x for x in (person_name(info.patient_name), info.patient_id)
                                 if x)
        top_right = "\n".join(x for x in (dicom_date(info.study_date),
                                          info.series_description) if x)
        center, width = self.window()
        mm = self.tr("mm")
        bottom_left = (f"{self._plane_title()} {self.slice_number}/{self._count}\n"
                       f"{decimal(self.acquired_position())} {mm}")
        bottom_right = (self.tr("W %1 L %2").replace("%1", f"{width:.0f}")
                        .replace("%2", f"{center:.0f}") + "\n"
                        + self.tr("Zoom %1").replace("%1", decimal(self.zoom_factor(), 2)))
        if self.is_key_image():
            bottom_left = self.tr("Key image") + "\n" + bottom_left
        if self.slab_mode != "none":
            thickness = self.mapper.GetSlabThickness()
            slab = {"mip": self.tr("MIP"), "minip": self.tr("MinIP"),
                    "mean": self.tr("Mean")}.get(self.slab_mode, self.slab_mode.upper())
            bottom_left += f"\n{slab} {thickness:.0f} {mm}"
        # The top texts share one line width: each keeps to its half of the view (elided).
        chars = max(8, int((self.interactor.width() / 2 - 10) / (CornerText.FONT_SIZE * 0.62)))
        top_left, top_right = _elide(top_left, chars), _elide(top_right, chars)
        for pos, text in enumerate((bottom_left, bottom_right, top_left, top_right)):
            self.corner_text.set(pos, text)
        if self._bottom_texts_collide():  # a narrow view (reformats in MPR): the short forms
            bottom_left = bottom_left.replace(f"{self._plane_title()} ", "")
            bottom_right = bottom_right.replace(
                self.tr("Zoom %1").replace("%1", decimal(self.zoom_factor(), 2)),
                "×" + decimal(self.zoom_factor(), 2))
            self.corner_text.set(0, bottom_left)
            self.corner_text.set(1, bottom_right)
        camera = self.renderer.GetActiveCamera()
        height = self.interactor.height()
        if height > 0:  # the scale bar sits above the bottom corner text
            lines = max(bottom_left.count("\n"), bottom_right.count("\n")) + 1
            self.scale_bar.update(2 * camera.GetParallelScale() / height, self.interactor.width(),
                                  8 + lines * CornerText.LINE_PX)
        letters = orientation_letters(self.plane)
        for pos, edge in ((4, "bottom"), (5, "right"), (6, "left"), (7, "top")):
            self.corner_text.set(pos, letters[edge])

    def _bottom_texts_collide(self) -> bool:
        """Whether the two bottom corner texts would run into each other."""
        width = self.interactor.width()
        if width <= 0:
            return False
        return (self.corner_text.width(self.renderer, 0)
                + self.corner_text.width(self.renderer, 1) + 16) > width

    def refresh_text(self) -> None:
        """Draw the corner text anew (after something it shows changed elsewhere)."""
        self._update_text()
        self.render()

    def closeEvent(self, event) -> None:
        self.stop_cine()
        self.unbind_state()
        self.style.RemoveAllObservers()  # observers hold Python callables that hold self
        self.interactor.Finalize()
        super().closeEvent(event)


class CornerText:
    """Text in the four corners and at the four edge centres, in a fixed font size.

    Positions follow vtkCornerAnnotation's numbering: 0 lower left, 1 lower right, 2 upper
    left, 3 upper right, 4 lower edge, 5 right edge, 6 left edge, 7 upper edge. A text is
    rasterised again only when it changes (vtkCornerAnnotation re-fits its font every frame).
    """

    # (normalised x, y, horizontal justification, vertical justification)
    _PLACES = ((0.005, 0.005, 0, 0), (0.995, 0.005, 2, 0), (0.005, 0.995, 0, 2),
               (0.995, 0.995, 2, 2), (0.5, 0.005, 1, 0), (0.995, 0.5, 2, 1),
               (0.005, 0.5, 0, 1), (0.5, 0.995, 1, 2))

    FONT_SIZE = 11
    LINE_PX = 15  # one line of text at FONT_SIZE, with its spacing

    def __init__(self, renderer: vtk.vtkRenderer, font_size: int = FONT_SIZE) -> None:
        self.actors = []
        for x, y, h, v in self._PLACES:
            actor = vtk.vtkTextActor()
            prop = actor.GetTextProperty()
            prop.SetFontSize(font_size)
            prop.SetColor(0.9, 0.9, 0.6)
            prop.SetJustification(h)
            prop.SetVerticalJustification(v)
            outline(prop)
            actor.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
            actor.GetPositionCoordinate().SetValue(x, y)
            renderer.AddViewProp(actor)
            self.actors.append(actor)

    def set(self, position: int, text: str) -> None:
        actor = self.actors[position]
        if actor.GetInput() != text:
            actor.SetInput(text)

    def text(self, position: int) -> str:
        return self.actors[position].GetInput() or ""

    def width(self, renderer: vtk.vtkRenderer, position: int) -> float:
        """The width (pixels) of the text at ``position``; 0 when there is none."""
        actor = self.actors[position]
        if not actor.GetInput():
            return 0.0
        box = [0.0] * 4
        actor.GetBoundingBox(renderer, box)
        return box[1] - box[0]

    def extent(self, renderer: vtk.vtkRenderer, pad: int = 4) -> tuple[int, int]:
        """Width and height (pixels) of the largest corner text, plus ``pad``."""
        width = height = 0
        box = [0.0] * 4
        for actor in self.actors[:4]:
            if actor.GetInput():
                actor.GetBoundingBox(renderer, box)
                width, height = max(width, box[1] - box[0]), max(height, box[3] - box[2])
        return int(width) + pad, int(height) + pad


def _world_lines_actor(port, color: tuple[float, float, float], opacity: float):
    """A hidden 2D actor drawing the lines at ``port`` (world coordinates) over the image."""
    coordinate = vtk.vtkCoordinate()
    coordinate.SetCoordinateSystemToWorld()
    mapper = vtk.vtkPolyDataMapper2D()
    mapper.SetInputConnection(port)
    mapper.SetTransformCoordinate(coordinate)
    actor = vtk.vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*color)
    actor.GetProperty().SetOpacity(opacity)
    actor.SetVisibility(False)
    return actor


class _Crosshair:
    """Two thin lines through the cursor point, drawn in world coordinates on top."""

    def __init__(self) -> None:
        self.lines = vtk.vtkAppendPolyData()
        self.sources = [vtk.vtkLineSource(), vtk.vtkLineSource()]
        for source in self.sources:
            self.lines.AddInputConnection(source.GetOutputPort())
        self.actor = _world_lines_actor(self.lines.GetOutputPort(), (0.1, 0.9, 0.1), 0.7)

    def place(self, center: np.ndarray, right: np.ndarray, up: np.ndarray, reach: float) -> None:
        for source, axis in zip(self.sources, (right, up), strict=True):
            source.SetPoint1(*(center - reach * axis))
            source.SetPoint2(*(center + reach * axis))
        self.actor.SetVisibility(True)


class _BrushRing:
    """A circle of the brush's radius around the mouse, in world coordinates."""

    SEGMENTS = 48

    def __init__(self) -> None:
        self.source = vtk.vtkPolyLineSource()
        self.source.SetNumberOfPoints(self.SEGMENTS + 1)
        self.actor = _world_lines_actor(self.source.GetOutputPort(), (1.0, 0.85, 0.1), 0.8)

    def place(self, center: np.ndarray, right: np.ndarray, up: np.ndarray,
              radius: float) -> None:
        t = np.linspace(0.0, 2 * math.pi, self.SEGMENTS + 1)
        points = center + radius * (np.outer(np.cos(t), right) + np.outer(np.sin(t), up))
        for n, p in enumerate(points):
            self.source.SetPoint(n, *p)
        self.source.Modified()
        self.actor.SetVisibility(True)


class _ScaleBar:
    """A horizontal bar of a round length (1, 2, 5, 10... cm) at the bottom centre."""

    STEPS_MM = (1, 2, 5, 10, 20, 50, 100, 200, 500)

    def __init__(self) -> None:
        self.points = vtk.vtkPoints()
        self.points.SetNumberOfPoints(2)
        cells = vtk.vtkCellArray()
        cells.InsertNextCell(2, [0, 1])
        data = vtk.vtkPolyData()
        data.SetPoints(self.points)
        data.SetLines(cells)
        mapper = vtk.vtkPolyDataMapper2D()
        mapper.SetInputData(data)
        self.line = vtk.vtkActor2D()
        self.line.SetMapper(mapper)
        self.line.GetProperty().SetColor(0.9, 0.9, 0.6)
        self.text = vtk.vtkTextActor()
        self.text.GetTextProperty().SetColor(0.9, 0.9, 0.6)
        self.text.GetTextProperty().SetFontSize(12)
        self.text.GetTextProperty().SetJustificationToCentered()
        outline(self.text.GetTextProperty())
        self.length_mm = 0.0
        self._state: tuple[float, int, int] | None = None

    def update(self, mm_per_pixel: float, width_px: int, lift_px: int = 18) -> None:
        if (mm_per_pixel, width_px, lift_px) == self._state:
            return
        self._state = (mm_per_pixel, width_px, lift_px)
        target = mm_per_pixel * width_px / 5  # about a fifth of the view
        self.length_mm = max((s for s in self.STEPS_MM if s <= target), default=self.STEPS_MM[0])
        pixels = self.length_mm / mm_per_pixel
        x0 = width_px / 2 - pixels / 2
        self.points.SetPoint(0, x0, lift_px, 0)
        self.points.SetPoint(1, x0 + pixels, lift_px, 0)
        self.points.Modified()
        cm = QCoreApplication.translate("SliceView", "cm")
        mm = QCoreApplication.translate("SliceView", "mm")
        label = (f"{self.length_mm / 10:g} {cm}" if self.length_mm >= 10
                 else f"{self.length_mm} {mm}")
        self.text.SetInput(label)
        self.text.SetPosition(width_px / 2, lift_px + 4)


def inside(volume: Volume, lps: np.ndarray) -> bool:
    """True when ``lps`` lies within the volume's voxel grid (half a voxel of slack)."""
    ijk = volume.lps_to_index(np.asarray(lps, float))
    return bool(np.all(ijk >= -0.5) and np.all(ijk <= np.array(volume.shape[::-1]) - 0.5))


def _layers(stack: vtk.vtkImageStack) -> list:
    images = stack.GetImages()
    return [images.GetItemAsObject(n) for n in range(images.GetNumberOfItems())]


def _props(renderer: vtk.vtkRenderer) -> list:
    props = renderer.GetViewProps()
    return [props.GetItemAsObject(i) for i in range(props.GetNumberOfItems())]


def _corners(volume: Volume) -> np.ndarray:
    nk, nj, ni = volume.shape
    ijk = np.array([[i, j, k] for i in (0, ni - 1) for j in (0, nj - 1) for k in (0, nk - 1)])
    return volume.index_to_lps(ijk)


def _step_along(volume: Volume, normal: np.ndarray) -> float:
    """Voxel step along ``normal``: the spacing of the image axis closest to it."""
    axis = int(np.argmax(np.abs(volume.direction.T @ normal)))
    return float(volume.spacing[axis])


def _elide(text: str, chars: int) -> str:
    """Each line of ``text`` cut to ``chars`` characters, with an ellipsis where cut."""
    return "\n".join(line if len(line) <= chars else line[:chars - 1] + "…"
                     for line in text.split("\n"))
