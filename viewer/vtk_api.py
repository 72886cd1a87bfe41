"""The VTK classes the viewer uses, each from its own module.

``import vtk`` loads every VTK module (about a second at start-up); this loads what the
viewer needs. Use it as ``from viewer import vtk_api as vtk``.
"""

# Factory registrations: OpenGL (X, EGL) render windows, text, interactor styles.
import vtkmodules.vtkInteractionStyle
import vtkmodules.vtkRenderingFreeType
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkImageData, vtkPlane, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkAppendPolyData
from vtkmodules.vtkFiltersModeling import vtkImageDataOutlineFilter
from vtkmodules.vtkFiltersSources import vtkLineSource, vtkPolyLineSource
from vtkmodules.vtkInteractionStyle import (
    vtkInteractorStyleImage,
    vtkInteractorStyleTrackballCamera,
)
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkCoordinate,
    vtkImageSlice,
    vtkPolyDataMapper,
    vtkPolyDataMapper2D,
    vtkProp,
    vtkRenderer,
    vtkRenderWindow,
    vtkTextActor,
    vtkWindowToImageFilter,
)
from vtkmodules.vtkRenderingImage import vtkImageResliceMapper, vtkImageStack

__all__ = [
    "vtkActor", "vtkActor2D", "vtkAppendPolyData", "vtkCellArray", "vtkCoordinate",
    "vtkImageData", "vtkImageDataOutlineFilter", "vtkImageResliceMapper", "vtkImageSlice",
    "vtkImageStack", "vtkInteractorStyleImage", "vtkInteractorStyleTrackballCamera",
    "vtkLineSource", "vtkLookupTable", "vtkPlane", "vtkPoints", "vtkPolyData",
    "vtkPolyDataMapper", "vtkPolyDataMapper2D", "vtkPolyLineSource", "vtkProp", "vtkRenderWindow",
    "vtkRenderer", "vtkTextActor", "vtkWindowToImageFilter",
]
