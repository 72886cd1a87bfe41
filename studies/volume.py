"""The volume: a CT series as Hounsfield units plus its patient-space geometry."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class SeriesInfo:
    """The DICOM metadata that matters for reading and reporting one series."""

    study_instance_uid: str = ""
    series_instance_uid: str = ""
    patient_name: str = ""
    patient_id: str = ""
    patient_birth_date: str = ""
    patient_sex: str = ""
    study_date: str = ""
    study_time: str = ""
    study_description: str = ""
    series_description: str = ""
    series_number: int | None = None
    accession_number: str = ""
    modality: str = ""
    body_part: str = ""
    manufacturer: str = ""
    model: str = ""
    convolution_kernel: str = ""
    slice_thickness: float | None = None
    window_center: float | None = None
    window_width: float | None = None
    sop_instance_uids: list[str] = field(default_factory=list)  # slice k's at [k] (or one)
    sop_class_uid: str = ""
    frame_of_reference_uid: str = ""
    #: the UIDs above that the files lacked and :mod:`studies.identity` derived from the
    #: images ("StudyInstanceUID", "SeriesInstanceUID"); empty when all are the files' own
    derived_uids: tuple[str, ...] = ()

    @property
    def study_is_local(self) -> bool:
        """Whether the study has no DICOM identity of its own (its Study Instance UID was
        derived here from the images, or it has none): the archive never had it, so its
        reports and AI results stay on this station."""
        return "StudyInstanceUID" in self.derived_uids or not self.study_instance_uid


@dataclass
class Volume:
    """A 3D CT volume in Hounsfield units.

    ``voxels`` is indexed ``[k, j, i]`` (slice, row, column), C-contiguous, so
    ``voxels[k]`` is one axial image as stored. Geometry follows ITK/DICOM LPS
    conventions: ``spacing`` and ``origin`` are ``(x, y, z)`` ordered along ``(i, j, k)``,
    ``origin`` is the LPS position (mm) of voxel ``[0, 0, 0]``, and the columns of
    ``direction`` are the LPS unit vectors of the ``i``, ``j`` and ``k`` axes.
    """

    voxels: np.ndarray
    spacing: tuple[float, float, float]
    origin: tuple[float, float, float]
    direction: np.ndarray = field(default_factory=lambda: np.eye(3))
    info: SeriesInfo = field(default_factory=SeriesInfo)
    warnings: list[str] = field(default_factory=list)
    #: distance (mm) of each slice along the ``k`` axis from the first, as acquired
    slice_positions: np.ndarray | None = None
    #: HU value of PixelPaddingValue (outside the scan field of view), when the series has one
    padding_hu: float | None = None
    #: gantry tilt: in-plane LPS shift (mm) of slice ``k``'s origin per mm of
    #: ``slice_positions[k]``; None when slices are stacked straight along the normal
    shear: tuple[float, float, float] | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(slices, rows, columns)``."""
        return tuple(self.voxels.shape)  # type: ignore[return-value]

    def index_to_lps(self, ijk: np.ndarray) -> np.ndarray:
        """LPS mm of continuous voxel indices given as ``(..., 3)`` ``(i, j, k)``."""
        ijk = np.asarray(ijk, dtype=float)
        return np.asarray(self.origin) + (ijk * np.asarray(self.spacing)) @ self.direction.T

    def lps_to_index(self, lps: np.ndarray) -> np.ndarray:
        """Continuous ``(i, j, k)`` voxel indices of LPS points given as ``(..., 3)``."""
        lps = np.asarray(lps, dtype=float) - np.asarray(self.origin)
        return (lps @ np.linalg.inv(self.direction).T) / np.asarray(self.spacing)

    @property
    def nbytes(self) -> int:
        return int(self.voxels.nbytes)
