"""Zero-copy hand-over of a :class:`studies.Volume` to VTK."""

from __future__ import annotations

import numpy as np
from vtkmodules.util import numpy_support

from studies import Volume
from viewer import vtk_api as vtk


def volume_to_vtk(volume: Volume) -> vtk.vtkImageData:
    """A ``vtkImageData`` that shares ``volume.voxels`` (no copy) with LPS geometry.

    The image keeps a reference to the numpy buffer, so the buffer lives as long as the image.
    """
    voxels = volume.voxels
    if not voxels.flags.c_contiguous:
        raise ValueError("volume voxels must be C-contiguous to share them with VTK")
    nk, nj, ni = voxels.shape
    image = vtk.vtkImageData()
    image.SetDimensions(ni, nj, nk)
    image.SetSpacing(*volume.spacing)
    image.SetOrigin(*volume.origin)
    image.SetDirectionMatrix(*np.asarray(volume.direction, float).ravel())
    scalars = numpy_support.numpy_to_vtk(voxels.reshape(-1), deep=False)
    scalars.SetName("HU")
    image.GetPointData().SetScalars(scalars)
    image._luch_buffer = voxels  # keep the numpy owner alive with the image
    return image
