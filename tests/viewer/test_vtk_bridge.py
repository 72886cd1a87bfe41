"""The numpy volume and the VTK image share one buffer."""

import numpy as np

from tests.viewer.phantoms import marker_phantom
from viewer.vtk_bridge import volume_to_vtk


def test_vtk_image_shares_the_numpy_buffer():
    volume = marker_phantom()
    image = volume_to_vtk(volume)
    assert image.GetDimensions() == (100, 80, 60)
    assert image.GetScalarComponentAsDouble(77, 22, 35, 0) == 1000
    volume.voxels[35, 22, 77] = -123  # write through numpy, read through VTK: no copy
    assert image.GetScalarComponentAsDouble(77, 22, 35, 0) == -123


def test_geometry_is_carried_over():
    volume = marker_phantom()
    volume.direction = np.array([[1.0, 0, 0], [0, 0, 1.0], [0, -1.0, 0]])
    image = volume_to_vtk(volume)
    assert image.GetSpacing() == (1.0, 1.0, 2.0)
    assert image.GetOrigin() == (-50.0, -40.0, 100.0)
    matrix = image.GetDirectionMatrix()
    got = np.array([[matrix.GetElement(r, c) for c in range(3)] for r in range(3)])
    np.testing.assert_array_equal(got, volume.direction)
    world = [0.0, 0.0, 0.0]
    image.TransformContinuousIndexToPhysicalPoint([3, 4, 5], world)
    np.testing.assert_allclose(world, volume.index_to_lps(np.array([3, 4, 5])))
