"""A 3D view of the three orthogonal reading planes through the cursor, inside the volume box."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from studies import Volume
from viewer import vtk_api as vtk
from viewer.orientation import AXIAL, CORONAL, SAGITTAL
from viewer.qt_vtk import VtkPanel


class OrthoSlices3D(VtkPanel):
    """Axial, coronal and sagittal planes in 3D, seen from the front; rotate with the mouse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=(0.05, 0.05, 0.08))
        self.interactor.SetInteractorStyle(vtk.vtkInteractorStyleTrackballCamera())
        self.planes: dict[str, vtk.vtkPlane] = {}
        self.slices: list[vtk.vtkImageSlice] = []
        self.outline = vtk.vtkActor()

    def set_volume(self, volume: Volume, image: vtk.vtkImageData) -> None:
        self.renderer.RemoveAllViewProps()
        self.slices.clear()
        for plane in (AXIAL, CORONAL, SAGITTAL):
            vtk_plane = vtk.vtkPlane()
            vtk_plane.SetNormal(*plane.normal)
            mapper = vtk.vtkImageResliceMapper()
            mapper.SetInputData(image)
            mapper.SetSlicePlane(vtk_plane)
            image_slice = vtk.vtkImageSlice()
            image_slice.SetMapper(mapper)
            image_slice.GetProperty().SetColorWindow(1500)
            image_slice.GetProperty().SetColorLevel(-600)
            self.renderer.AddViewProp(image_slice)
            self.planes[plane.name] = vtk_plane
            self.slices.append(image_slice)
        outline = vtk.vtkImageDataOutlineFilter()
        outline.SetInputData(image)
        mapper = vtk.vtkPolyDataMapper()
        mapper.SetInputConnection(outline.GetOutputPort())
        self.outline.SetMapper(mapper)
        self.outline.GetProperty().SetColor(0.8, 0.8, 0.3)
        self.renderer.AddActor(self.outline)
        camera = self.renderer.GetActiveCamera()
        camera.SetFocalPoint(0, 0, 0)
        camera.SetPosition(0, -1, 0)  # from the front (anterior), superior up
        camera.SetViewUp(0, 0, 1)
        camera.Azimuth(-30)
        camera.Elevation(20)
        self.renderer.ResetCamera()

    def set_cursor(self, lps: np.ndarray) -> None:
        for plane in self.planes.values():
            plane.SetOrigin(*np.asarray(lps, float))
        self.render_window.Render()

    def set_window(self, center: float, width: float) -> None:
        for image_slice in self.slices:
            image_slice.GetProperty().SetColorLevel(center)
            image_slice.GetProperty().SetColorWindow(width)
        self.render_window.Render()
