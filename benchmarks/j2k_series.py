"""Realistic-size JPEG 2000 lossless CT series for ``load_series.py``, cached under /tmp.

The slices of a real chest CT (``lidc-idri-0001``, 133 slices, 512x512, signed 16-bit) are
encoded once each, as classic JPEG 2000 lossless with pydicom's encoder (pylibjpeg-openjpeg)
or as High-Throughput JPEG 2000 lossless (HTJ2K, OpenJPH through imagecodecs), and written
again with new positions and UIDs until the series has the asked number of slices, as one
long scan. Written to a temporary folder and renamed, so an interrupted run leaves no half
series in the cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "luch-bench-cache"


def series_name(source: Path, slices: int = 300, ht: bool = False) -> str:
    """The folder name of :func:`j2k_series`' series."""
    return f"{'htj2k' if ht else 'j2k'}-{source.name}-{slices}"


def j2k_series(source: Path, slices: int = 300, ht: bool = False) -> Path:
    """The folder of a ``slices``-slice (HT)JPEG 2000 lossless series made from ``source``."""
    target = CACHE / series_name(source, slices, ht)
    if target.is_dir():
        return target
    import pydicom
    from pydicom.uid import generate_uid

    CACHE.mkdir(parents=True, exist_ok=True)
    originals = sorted((pydicom.dcmread(p) for p in source.iterdir() if p.is_file()),
                       key=lambda ds: float(ds.ImagePositionPatient[2]))
    encoded = [_encode(ds, ht) for ds in originals]
    step = float(encoded[1].ImagePositionPatient[2]) - float(encoded[0].ImagePositionPatient[2])
    x, y, z0 = (float(v) for v in encoded[0].ImagePositionPatient)
    series_uid, study_uid = generate_uid(), generate_uid()
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=CACHE))
    try:
        for k in range(slices):
            ds = encoded[k % len(encoded)]
            ds.ImagePositionPatient = [x, y, round(z0 + k * step, 4)]
            ds.InstanceNumber = k + 1
            ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
            ds.SeriesInstanceUID, ds.StudyInstanceUID = series_uid, study_uid
            ds.save_as(work / f"{k:04d}.dcm", enforce_file_format=True)
        os.rename(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _encode(ds, ht: bool):
    from pydicom.uid import HTJ2KLossless, JPEG2000Lossless

    from studies.synthetic import compress

    if not ht:
        ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg")
        return ds
    compress(ds, HTJ2KLossless, ds.pixel_array)
    return ds
