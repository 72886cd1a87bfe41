"""Write volumes out: NIfTI (research tools, AI training) with the LPS geometry kept exactly."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from studies.errors import StudyError
from studies.volume import Volume

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0])


def nifti_affine(volume: Volume) -> np.ndarray:
    """The RAS voxel-to-world affine NIfTI stores for ``volume``'s LPS geometry."""
    affine = np.eye(4)
    affine[:3, :3] = LPS_TO_RAS @ (np.asarray(volume.direction, float) * np.asarray(
        volume.spacing, float))
    affine[:3, 3] = LPS_TO_RAS @ np.asarray(volume.origin, float)
    return affine


def _nifti_image(volume: Volume, anonymize: bool):
    import nibabel as nib  # deferred: nibabel loads on first use (start-up time)

    data = volume.voxels.transpose(2, 1, 0)  # (i, j, k) view; no copy of the volume
    image = nib.Nifti1Image(data, nifti_affine(volume))
    image.header.set_xyzt_units("mm", "sec")
    affine = nifti_affine(volume)
    image.set_qform(affine, code=1)  # scanner anatomical
    image.set_sform(affine, code=1)
    description = "" if anonymize else volume.info.series_description
    image.header["descrip"] = (f"Luch {description}".strip())[:79].encode("ascii", "replace")
    if volume.voxels.dtype == np.int16:
        image.header.set_slope_inter(1.0, 0.0)
    return image


def write_nifti(volume: Volume, path: str | Path, anonymize: bool = False) -> Path:
    """Write ``volume`` as ``.nii`` or ``.nii.gz``; the header carries no patient data.

    With ``anonymize`` even the series description is left out of the header.
    """
    import nibabel as nib  # deferred: nibabel loads on first use (start-up time)

    path = Path(path)
    if not path.name.lower().endswith((".nii", ".nii.gz")):
        raise StudyError("The output file name must end in .nii or .nii.gz")
    image = _nifti_image(volume, anonymize)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        nib.save(image, str(path))
    except OSError as err:
        raise StudyError(f"Cannot write {path.name}: {err.strerror or 'I/O error'}") from err
    return path


def nifti_bytes(volume: Volume) -> bytes:
    """``volume`` as the bytes of a ``.nii.gz`` file (anonymised header), made in memory:
    for a file that is sealed before it touches the disk."""
    return gzip.compress(_nifti_image(volume, anonymize=True).to_bytes(), compresslevel=6)
