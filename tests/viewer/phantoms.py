"""Generated volumes of known geometry for viewer tests."""

from __future__ import annotations

import numpy as np

from studies import SeriesInfo, Volume


def marker_phantom() -> Volume:
    """Air-filled box (-1000 HU) with a water body and one bright marker.

    The body (0 HU) fills the middle; a +1000 HU marker cube sits at the patient's LEFT and
    ANTERIOR side, in slices 30-39 only, so an axial view in radiological convention must show
    it at the screen's right and top, and only on those slices.
    """
    nk, nj, ni = 60, 80, 100
    voxels = np.full((nk, nj, ni), -1000, dtype=np.int16)
    voxels[:, 10:70, 10:90] = 0
    voxels[30:40, 15:30, 70:85] = 1000  # i high = patient left (LPS x), j low = anterior
    return Volume(voxels=voxels, spacing=(1.0, 1.0, 2.0), origin=(-50.0, -40.0, 100.0),
                  info=SeriesInfo(patient_name="PHANTOM^MARKER", series_description="phantom",
                                  modality="CT"))


def marker_labels(volume: Volume) -> Volume:
    """A label map on ``volume``'s grid: label 5 (consolidation, right) in a known box."""
    labels = np.zeros(volume.shape, dtype=np.uint8)
    labels[20:40, 40:60, 15:35] = 5  # patient's right (low i), posterior half
    return Volume(voxels=labels, spacing=volume.spacing, origin=volume.origin,
                  direction=volume.direction.copy(), info=volume.info)


def shifted(volume: Volume, dz_mm: float) -> Volume:
    """The same anatomy scanned with the table moved by ``dz_mm`` along z."""
    x, y, z = volume.origin
    return Volume(voxels=volume.voxels.copy(), spacing=volume.spacing, origin=(x, y, z + dz_mm),
                  direction=volume.direction.copy(), info=volume.info)


def show_in_view(qtbot, widget, volume: Volume | None = None, size=(400, 400)):
    """Show ``widget`` (a SliceView or a layout) at ``size`` with ``volume`` (the marker
    phantom by default) loaded; returns the widget."""
    from viewer.vtk_bridge import volume_to_vtk

    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    volume = volume if volume is not None else marker_phantom()
    widget.set_volume(volume, volume_to_vtk(volume))
    return widget
