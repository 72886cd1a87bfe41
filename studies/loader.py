"""Open the best series at a path as a :class:`Volume` (first slice of the studies package)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pydicom

from studies.errors import NoSeriesFound, StudyError
from studies.volume import SeriesInfo, Volume

Progress = Callable[[float], None]


def open_volume(path: str | Path, progress: Progress | None = None) -> Volume:
    """Read a DICOM folder/file or a NIfTI file at ``path`` into a :class:`Volume`."""
    path = Path(path)
    if not path.exists():
        raise StudyError(f"Not found: {path}")
    if path.is_file() and path.name.lower().endswith((".nii", ".nii.gz")):
        return _open_nifti(path)
    files = sorted(p for p in (path.rglob("*") if path.is_dir() else [path]) if p.is_file())
    return _open_dicom(files, progress)


def _open_nifti(path: Path) -> Volume:
    import SimpleITK as sitk

    try:
        image = sitk.ReadImage(str(path))
    except RuntimeError as err:
        raise StudyError(f"Cannot read NIfTI file {path.name}: it is damaged or not NIfTI") from err
    voxels = sitk.GetArrayFromImage(image)
    return Volume(
        voxels=np.ascontiguousarray(voxels),
        spacing=tuple(image.GetSpacing()),
        origin=tuple(image.GetOrigin()),
        direction=np.array(image.GetDirection()).reshape(3, 3),
        info=SeriesInfo(series_description=path.name, modality="CT"),
    )


def _open_dicom(files: list[Path], progress: Progress | None) -> Volume:
    headers = []
    for f in files:
        try:
            ds = pydicom.dcmread(f, stop_before_pixels=True)
        except (pydicom.errors.InvalidDicomError, OSError, ValueError):
            continue
        if "ImagePositionPatient" in ds and "ImageOrientationPatient" in ds:
            headers.append((f, ds))
    if not headers:
        raise NoSeriesFound("No CT image series found here")
    iop = np.array(headers[0][1].ImageOrientationPatient, dtype=float)
    row, col = iop[:3], iop[3:]
    normal = np.cross(row, col)
    headers.sort(key=lambda fh: float(np.dot(normal, np.array(fh[1].ImagePositionPatient, float))))
    first = headers[0][1]
    rows, cols = int(first.Rows), int(first.Columns)
    voxels = np.empty((len(headers), rows, cols), dtype=np.int16)
    for k, (f, _) in enumerate(headers):
        ds = pydicom.dcmread(f)
        slope = float(getattr(ds, "RescaleSlope", 1) or 1)
        intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
        voxels[k] = np.round(ds.pixel_array.astype(np.float32) * slope + intercept).astype(np.int16)
        if progress:
            progress((k + 1) / len(headers))
    positions = np.array(
        [np.dot(normal, np.array(h.ImagePositionPatient, float)) for _, h in headers]
    )
    dz = float(np.median(np.diff(positions))) if len(headers) > 1 else float(
        getattr(first, "SliceThickness", 1) or 1)
    ps = [float(v) for v in first.PixelSpacing]
    info = SeriesInfo(
        study_instance_uid=str(getattr(first, "StudyInstanceUID", "")),
        series_instance_uid=str(getattr(first, "SeriesInstanceUID", "")),
        patient_name=str(getattr(first, "PatientName", "")),
        patient_id=str(getattr(first, "PatientID", "")),
        study_date=str(getattr(first, "StudyDate", "")),
        series_description=str(getattr(first, "SeriesDescription", "")),
        modality=str(getattr(first, "Modality", "")),
    )
    return Volume(
        voxels=voxels,
        spacing=(ps[1], ps[0], dz),
        origin=tuple(float(v) for v in first.ImagePositionPatient),
        direction=np.column_stack([row, col, normal]),
        info=info,
    )
