"""PNG screenshots of Qt windows with the VTK pixels in them.

``QWidget.grab()`` paints Qt widgets but not what OpenGL drew into VTK views, so each VTK view
is read back through ``vtkWindowToImageFilter`` and painted over its place in the grab.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget
from vtkmodules.util import numpy_support

from viewer import vtk_api as vtk
from viewer.qt_vtk import QVTKRenderWindowInteractor


def render_window_pixels(window: vtk.vtkRenderWindow) -> np.ndarray:
    """The window's current frame as an ``(h, w, 3)`` uint8 RGB array, top row first."""
    window.Render()
    grabber = vtk.vtkWindowToImageFilter()
    grabber.SetInput(window)
    grabber.SetInputBufferTypeToRGB()
    grabber.ReadFrontBufferOff()
    grabber.ShouldRerenderOff()
    grabber.Update()
    image = grabber.GetOutput()
    w, h, _ = image.GetDimensions()
    pixels = numpy_support.vtk_to_numpy(image.GetPointData().GetScalars()).reshape(h, w, -1)
    return np.ascontiguousarray(pixels[::-1, :, :3])


def grab_window(widget: QWidget) -> QImage:
    """The widget as the user sees it, VTK views included."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    painter = QPainter(image)
    for view in widget.findChildren(QVTKRenderWindowInteractor):
        if not view.isVisible():
            continue
        pixels = render_window_pixels(view.GetRenderWindow())
        h, w, _ = pixels.shape
        frame = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        top_left = view.mapTo(widget, QPoint(0, 0))
        painter.drawImage(QRect(top_left, view.size()), frame)
    painter.end()
    return image


def save_screenshot(widget: QWidget, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not grab_window(widget).save(str(path), "PNG"):
        raise OSError(f"could not write screenshot {path}")
    return path
