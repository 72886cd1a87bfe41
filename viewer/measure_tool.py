"""Drawing measurements in a slice view: distance lines, ellipses and freehand outlines with
their values (mm, HU mean/SD/min/max, area) as text beside them."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication

from studies import Volume
from viewer import vtk_api as vtk
from viewer.measurements import Measurement, length_mm, roi_stats
from viewer.numbers import decimal
from viewer.text_style import outline

_COLOR = (1.0, 0.75, 0.1)
_ELLIPSE_SEGMENTS = 64


def describe(volume: Volume, m: Measurement) -> str:
    """The text shown beside a measurement."""
    if m.kind == "distance":
        return decimal(length_mm(volume, m)) + " " + QCoreApplication.translate(
            "Measurement", "mm")
    try:
        s = roi_stats(volume, m)
    except ValueError as err:
        return str(err)
    mean = QCoreApplication.translate("Measurement", "mean %1 HU  SD %2")
    low_high = QCoreApplication.translate("Measurement", "min %1  max %2")
    area = QCoreApplication.translate("Measurement", "area %1 cm²")
    return (mean.replace("%1", decimal(s.mean)).replace("%2", decimal(s.sd)) + "\n"
            + low_high.replace("%1", f"{s.min:.0f}").replace("%2", f"{s.max:.0f}") + "\n"
            + area.replace("%1", decimal(s.area_mm2 / 100, 2)))


def outline_points(m: Measurement, right: np.ndarray, up: np.ndarray) -> np.ndarray:
    """The polyline to draw for ``m`` (LPS), in a view with the given in-plane axes."""
    points = np.asarray(m.points, float)
    if m.kind == "ellipse":
        centre = points.mean(axis=0)
        half = (points[1] - points[0]) / 2
        a, b = abs(half @ right), abs(half @ up)
        t = np.linspace(0, 2 * math.pi, _ELLIPSE_SEGMENTS + 1)
        return centre + np.outer(a * np.cos(t), right) + np.outer(b * np.sin(t), up)
    if m.kind == "freehand":
        return np.vstack([points, points[:1]])
    return points


class MeasurementLayer:
    """The measurements of one view, drawn when they lie on its current slice."""

    def __init__(self, renderer: vtk.vtkRenderer) -> None:
        self.renderer = renderer
        self._actors: list[vtk.vtkProp] = []
        self._texts: dict[str, str] = {}  # measurement id -> its values (they never change)
        self._shown: tuple = ()

    def clear(self) -> None:
        for actor in self._actors:
            self.renderer.RemoveViewProp(actor)
        self._actors.clear()

    def draw(self, volume: Volume, measurements: list[Measurement], normal: np.ndarray,
             up: np.ndarray, position: float, tolerance: float,
             preview: Measurement | None = None) -> None:
        shown = [m for m in measurements
                 if np.allclose(np.abs(m.normal), np.abs(normal))
                 and abs(float(np.mean(np.asarray(m.points) @ normal)) - position) <= tolerance]
        key = tuple(f"{m.id}:{m.label}" for m in shown)
        if preview is None and key == self._shown:
            return  # scrolling past: nothing to redraw on this slice
        self._shown = key if preview is None else ()
        self.clear()
        right = np.cross(normal, up)
        for m in [*shown, *([preview] if preview else [])]:
            line = outline_points(m, right, up)
            self._add_polyline(line)
            if m is preview and m.kind != "distance":
                continue  # HU statistics once the ROI is drawn, not on every mouse move
            key = f"{m.id}:{m.label}"
            if key not in self._texts:
                self._texts[key] = (f"{m.label}\n" if m.label else "") + describe(volume, m)
            self._add_text(self._texts[key], line.max(axis=0) if m.kind != "distance"
                           else line[-1])

    def _add_polyline(self, points: np.ndarray) -> None:
        source = vtk.vtkPolyLineSource()
        source.SetNumberOfPoints(len(points))
        for n, p in enumerate(points):
            source.SetPoint(n, *p)
        coordinate = vtk.vtkCoordinate()
        coordinate.SetCoordinateSystemToWorld()
        mapper = vtk.vtkPolyDataMapper2D()
        mapper.SetInputConnection(source.GetOutputPort())
        mapper.SetTransformCoordinate(coordinate)
        actor = vtk.vtkActor2D()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(*_COLOR)
        actor.GetProperty().SetLineWidth(2)
        self.renderer.AddViewProp(actor)
        self._actors.append(actor)

    def _add_text(self, text: str, anchor: np.ndarray) -> None:
        actor = vtk.vtkTextActor()
        actor.SetInput(text)
        actor.GetTextProperty().SetColor(*_COLOR)
        actor.GetTextProperty().SetFontSize(13)
        outline(actor.GetTextProperty())
        actor.GetPositionCoordinate().SetCoordinateSystemToWorld()
        actor.GetPositionCoordinate().SetValue(*anchor)
        self.renderer.AddViewProp(actor)
        self._actors.append(actor)
