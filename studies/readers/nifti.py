"""NIfTI-1/2 volumes (.nii, .nii.gz), as MosMedData and most research tools ship CT.

NIfTI stores a RAS affine; the :class:`Volume` is LPS, so the first two axes flip sign.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence

import numpy as np

from studies.dicom_header import DicomHeader
from studies.errors import DamagedFile, UnsupportedData, is_fatal
from studies.identity import file_content, fill_missing
from studies.registry import Candidate, register
from studies.sources import FileRef
from studies.volume import SeriesInfo, Volume

RAS_TO_LPS = np.diag([-1.0, -1.0, 1.0])


def _open(ref: FileRef):
    import nibabel as nib  # deferred: nibabel loads on first use (start-up time)

    try:
        if ref.member is None and ref.key is None:
            return nib.load(str(ref.path))  # sealed files (a key) are decrypted in memory
        data = ref.read_bytes()
        klass = nib.Nifti2Image if data[:4] == b"\x1c\x02\x00\x00" else nib.Nifti1Image
        return klass.from_bytes(_gunzip(data) if ref.name.lower().endswith(".gz") else data)
    except BaseException as err:
        if is_fatal(err):
            raise
        raise DamagedFile(f"{ref.name} is damaged or is not a NIfTI file") from err


def _gunzip(data: bytes) -> bytes:
    return gzip.decompress(data)


def lps_geometry(affine: np.ndarray) -> tuple[tuple, tuple, np.ndarray]:
    """``(spacing, origin, direction)`` in LPS from a NIfTI RAS voxel-to-world affine."""
    lps = RAS_TO_LPS @ np.asarray(affine, dtype=float)[:3, :4]
    matrix, origin = lps[:, :3], lps[:, 3]
    spacing = np.linalg.norm(matrix, axis=0)
    if np.any(spacing <= 0) or not np.all(np.isfinite(matrix)):
        raise UnsupportedData("The NIfTI file has an invalid voxel-to-world transform")
    direction = matrix / spacing
    return tuple(float(s) for s in spacing), tuple(float(o) for o in origin), direction


class NiftiReader:
    name = "nifti"

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]:
        candidates = []
        for ref in others:
            if not ref.is_nifti:
                continue
            try:
                image = _open(ref)
                shape = image.shape
                spacing, origin, direction = lps_geometry(image.affine)
            except (DamagedFile, UnsupportedData) as err:
                candidates.append(Candidate(
                    reader=self.name, confidence=0.05, kind="image", files=[ref],
                    shape=(0, 0, 0), info=SeriesInfo(series_description=ref.name),
                    warnings=[str(err)], plan=None,
                ))
                continue
            if len(shape) < 3:
                shape = (*shape, 1, 1)[:3]
            info = SeriesInfo(series_description=ref.name, modality="CT")
            fill_missing(info, lambda ref=ref: file_content(None, ref))
            candidates.append(Candidate(
                reader=self.name, confidence=0.9, kind="image", files=[ref],
                shape=(int(shape[2]), int(shape[1]), int(shape[0])), info=info,
                spacing=spacing, origin=origin, direction=direction,
                warnings=[] if len(image.shape) <= 3 or image.shape[3] == 1 else [
                    "This NIfTI file holds several volumes; the first is shown"],
                plan=ref,
            ))
        return candidates

    def load(self, candidate, progress, cancel, on_first_slice) -> Volume:
        ref = candidate.plan
        if ref is None:
            raise DamagedFile(candidate.warnings[0])
        image = _open(ref)
        try:
            data = np.asanyarray(image.dataobj)
        except BaseException as err:
            if is_fatal(err):
                raise
            raise DamagedFile(f"{ref.name} is truncated or damaged") from err
        while data.ndim > 3:
            data = data[..., 0]
        while data.ndim < 3:
            data = data[..., np.newaxis]
        if data.dtype == np.float64:
            data = data.astype(np.float32)
        voxels = np.ascontiguousarray(data.transpose(2, 1, 0))
        if progress:
            progress(1.0)
        if on_first_slice is not None:
            on_first_slice(len(voxels) // 2, voxels[len(voxels) // 2])
        nz = voxels.shape[0]
        return Volume(
            voxels=voxels, spacing=candidate.spacing, origin=candidate.origin,
            direction=candidate.direction, info=candidate.info,
            warnings=list(candidate.warnings),
            slice_positions=np.arange(nz) * candidate.spacing[2],
        )


register(NiftiReader())
