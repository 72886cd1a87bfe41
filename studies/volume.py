"""The volume: a CT series as Hounsfield units plus its patient-space geometry."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: relative deviation of a slice gap from the median one that counts as uneven spacing
#: (:data:`studies.geometry.SPACING_TOLERANCE`, which warns of it at load)
UNEVEN_TOLERANCE = 0.01


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

    @property
    def uneven(self) -> bool:
        """Whether the slices were acquired unevenly spaced: the voxel grid (and the viewer)
        lays them out evenly, ``spacing[2]`` apart, and :meth:`acquired_lps` says where a
        point on it was acquired."""
        positions = self.slice_positions
        if positions is None or len(positions) != self.shape[0] or len(positions) < 3:
            return False
        gaps = np.diff(np.asarray(positions, float))
        median = float(np.median(gaps))
        return bool(median > 0 and np.any(np.abs(gaps - median) / median > UNEVEN_TOLERANCE))

    def acquired_lps(self, lps: np.ndarray) -> np.ndarray:
        """Where LPS points of the evenly laid out voxel grid were acquired: along the slice
        axis, slice ``k`` at ``slice_positions[k]`` (between slices, in proportion; the SEG
        read-back places labels by the same rule); unchanged for evenly spaced slices."""
        lps = np.asarray(lps, dtype=float)
        if not self.uneven:
            return lps
        positions = np.asarray(self.slice_positions, float)
        k = self.lps_to_index(lps)[..., 2]
        last = len(positions) - 1
        inside = np.clip(k, 0, last)  # beyond the ends: the grid's own spacing
        acquired = np.interp(inside, np.arange(len(positions)), positions) \
            + (k - inside) * self.spacing[2]
        shift = acquired - k * self.spacing[2]
        return lps + shift[..., None] * self.direction[:, 2]

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
