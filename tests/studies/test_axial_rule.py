"""One rule says which series is axial: a folder's reader ranking (:mod:`studies.registry`)
and the archive's pick of the series to open (:mod:`archive.progressive`) both ask
:func:`studies.geometry.is_axial` (they had a copy each)."""

from __future__ import annotations

import math

import numpy as np

from archive import progressive
from studies import geometry, registry
from studies.volume import SeriesInfo


def _tilted(degrees: float) -> tuple[list[float], np.ndarray]:
    """An image plane turned about the patient's left-right axis from axial (0°) towards
    coronal (90°): its ImageOrientationPatient and its direction matrix."""
    a = math.radians(degrees)
    row, col = np.array([1.0, 0.0, 0.0]), np.array([0.0, math.cos(a), -math.sin(a)])
    normal = np.cross(row, col)
    return [*row, *col], np.column_stack([row, col, normal])


def _ranked_axial(direction: np.ndarray) -> bool:
    candidate = registry.Candidate("dicom", 1.0, "image", [], (1, 2, 2), SeriesInfo(),
                                   direction=direction)
    return not registry._rank(candidate)[2]


def test_the_registry_and_the_archive_share_one_axial_rule(monkeypatch) -> None:
    for degrees in range(0, 91, 5):
        orientation, direction = _tilted(degrees)
        expected = geometry.is_axial(direction[:, 2])
        assert progressive._axial(orientation) == expected == _ranked_axial(direction), degrees
    orientation, direction = _tilted(20)
    assert progressive._axial(orientation) and _ranked_axial(direction)
    monkeypatch.setattr(geometry, "AXIAL_NORMAL_Z", 0.99)  # the one threshold, changed
    assert not progressive._axial(orientation) and not _ranked_axial(direction)
    assert progressive._axial([])  # no orientation: taken as axial, as before
