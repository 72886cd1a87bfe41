"""Synthetic CT series as real DICOM files: for tests, benchmarks and demos without PHI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    HTJ2KLossless,
    ImplicitVRLittleEndian,
    generate_uid,
)

INTERCEPT = -1024
PADDING = -2000  # stored value outside the field of view (HU -3024)


def phantom(slices: int, rows: int, columns: int) -> np.ndarray:
    """A chest-like HU phantom ``[k, j, i]``: padding corners, air, body, lungs, spine."""
    j, i = np.mgrid[0:rows, 0:columns]
    y, x = (j - rows / 2) / (rows / 2), (i - columns / 2) / (columns / 2)
    image = np.full((rows, columns), -1000, dtype=np.int16)
    image[(x / 0.9) ** 2 + (y / 0.7) ** 2 < 1] = 40
    for cx in (-0.4, 0.4):
        image[((x - cx) / 0.3) ** 2 + (y / 0.45) ** 2 < 1] = -850
    image[(x**2 + (y - 0.45) ** 2) < 0.02] = 700
    image[x**2 + y**2 > 1.9] = PADDING + INTERCEPT
    volume = np.repeat(image[np.newaxis], slices, axis=0)
    volume += (np.arange(slices, dtype=np.int16) % 50)[:, None, None]  # each slice distinct
    volume[:, 0, 0] = np.arange(slices, dtype=np.int16) - 1000  # a per-slice fingerprint
    return volume


def write_ct_series(
    folder: Path,
    slices: int = 24,
    rows: int = 64,
    columns: int = 64,
    pixel_spacing: tuple[float, float] = (0.7, 0.8),
    slice_spacing: float = 2.5,
    orientation: Sequence[float] = (1, 0, 0, 0, 1, 0),
    origin: Sequence[float] = (-120.0, -130.0, -300.0),
    tilt_degrees: float = 0.0,
    skip: Sequence[int] = (),
    positions: Sequence[float] | None = None,
    series_uid: str | None = None,
    study_uid: str | None = None,
    transfer_syntax: str = ExplicitVRLittleEndian,
    shuffle_names: bool = True,
    patient_name: str = "Synthetic^Phantom",
    image_type: Sequence[str] = ("ORIGINAL", "PRIMARY", "AXIAL"),
    first_number: int = 1,
    voxels: np.ndarray | None = None,
    acquisition_number: int | None = None,
    name_prefix: str = "IM",
) -> list[Path]:
    """Write one CT series; returns the files. Slices at ``positions`` (mm along the normal)
    or evenly ``slice_spacing`` apart, leaving out the indices in ``skip``."""
    folder.mkdir(parents=True, exist_ok=True)
    hu = voxels if voxels is not None else phantom(slices, rows, columns)
    iop = np.asarray(orientation, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    col = iop[3:]
    shear = np.tan(np.radians(tilt_degrees))
    series_uid = series_uid or generate_uid()
    study_uid = study_uid or generate_uid()
    frame_uid = generate_uid()
    distances = positions if positions is not None else [k * slice_spacing for k in range(
        len(hu))]
    rng = np.random.default_rng(len(hu))
    names = rng.permutation(len(hu)) if shuffle_names else np.arange(len(hu))
    files = []
    for k, distance in enumerate(distances):
        if k in skip:
            continue
        position = np.asarray(origin, float) + normal * distance + col * distance * shear
        ds = _slice_dataset(hu[k], iop, position, pixel_spacing, slice_spacing, transfer_syntax)
        ds.SeriesInstanceUID, ds.StudyInstanceUID = series_uid, study_uid
        ds.FrameOfReferenceUID = frame_uid
        ds.InstanceNumber = first_number + k
        ds.PatientName = patient_name
        ds.ImageType = list(image_type)
        ds.GantryDetectorTilt = tilt_degrees
        if acquisition_number is not None:
            ds.AcquisitionNumber = acquisition_number
        path = folder / f"{name_prefix}{int(names[k]):05d}"
        ds.save_as(path, enforce_file_format=True)
        files.append(path)
    return files


def _slice_dataset(hu: np.ndarray, iop, position, pixel_spacing, thickness, syntax) -> Dataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = syntax
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.Manufacturer, ds.SeriesDescription = "CT", "Luch", "Synthetic chest"
    ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "SYN0001", "19700101", "O"
    ds.StudyDate, ds.StudyTime, ds.AccessionNumber = "20240101", "120000", "ACC0001"
    ds.StudyDescription, ds.SeriesNumber, ds.StudyID = "CT chest", 2, "1"
    ds.ImagePositionPatient = [round(float(v), 4) for v in position]
    ds.ImageOrientationPatient = [float(v) for v in iop]
    ds.PixelSpacing = list(pixel_spacing)
    ds.SliceThickness = thickness
    ds.Rows, ds.Columns = hu.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = INTERCEPT, 1, "HU"
    ds.PixelPaddingValue = PADDING
    ds.WindowCenter, ds.WindowWidth = -600, 1500
    stored = (hu.astype(np.int32) - INTERCEPT).astype(np.int16)
    if syntax in (ExplicitVRLittleEndian, ImplicitVRLittleEndian):
        ds.PixelData = stored.tobytes()
        ds["PixelData"].VR = "OW"
    else:
        compress(ds, syntax, stored)
    return ds


def compress(ds: Dataset, syntax: str, stored: np.ndarray) -> None:
    """Encode ``stored`` into ``ds`` as ``syntax``: with pydicom's encoders, or with OpenJPH
    (imagecodecs) for High-Throughput JPEG 2000 lossless, which pydicom cannot encode."""
    if syntax != HTJ2KLossless:
        ds.compress(syntax, stored, encoding_plugin="")
        return
    import imagecodecs  # deferred: only HTJ2K needs it (import time)

    ds.PixelData = encapsulate([imagecodecs.htj2k_encode(stored)])
    ds["PixelData"].VR, ds["PixelData"].is_undefined_length = "OB", True
    ds.file_meta.TransferSyntaxUID = HTJ2KLossless
