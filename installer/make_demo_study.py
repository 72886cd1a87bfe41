"""Build resources/demo/chest-ct from LIDC-IDRI-0001 (CC BY 3.0): a few MB, still real DICOM.

Reduction: 2x2 in-plane block mean (512 -> 256, 0.70 -> 1.41 mm pixels), every second slice
(2.5 -> 5 mm apart), JPEG-LS lossless. Geometry is kept exact: pixel spacing doubles and the
image position moves by half an original pixel to the centre of the first 2x2 block. The
derived study, series and images get new, deterministic UIDs.

    .venv/bin/python installer/make_demo_study.py ../shared/data/ct/lidc-idri-0001
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pydicom
from pydicom.uid import JPEGLSLossless, generate_uid

OUT = Path(__file__).resolve().parent.parent / "resources" / "demo" / "chest-ct"


def derived_uid(uid: str) -> str:
    return generate_uid(entropy_srcs=[str(uid), "luch-demo-v1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the lidc-idri-0001 folder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    slices = [pydicom.dcmread(f) for f in sorted(args.source.glob("*.dcm"))]
    iop = np.array(slices[0].ImageOrientationPatient, float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient, float))))
    kept = slices[::2]

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    for n, ds in enumerate(kept, start=1):
        raw = ds.pixel_array.astype(np.int32)
        padding = ds.get("PixelPaddingValue")
        if padding is not None:
            pad = int(np.array(padding).astype(np.uint16).astype(ds.pixel_array.dtype))
            air = round((-1024 - float(ds.RescaleIntercept)) / float(ds.RescaleSlope))
            raw[raw == pad] = air
            del ds.PixelPaddingValue
        small = raw.reshape(256, 2, 256, 2).mean(axis=(1, 3)).round().astype(np.int16)
        ps = [float(v) for v in ds.PixelSpacing]
        ipp = np.array(ds.ImagePositionPatient, float)
        ipp += 0.5 * ps[1] * iop[:3] + 0.5 * ps[0] * iop[3:]
        ds.ImagePositionPatient = [f"{v:.4f}" for v in ipp]
        ds.PixelSpacing = [f"{2 * v:.6f}" for v in ps]
        ds.Rows = ds.Columns = 256
        ds.PixelRepresentation = 1
        ds.InstanceNumber = n
        ds.ImageType = ["DERIVED", "SECONDARY", "AXIAL"]
        ds.SeriesDescription = "Luch demo (LIDC-IDRI-0001, reduced)"
        ds.DerivationDescription = "2x2 block mean, every 2nd slice, JPEG-LS lossless"
        # A derived study of its own: reports and AI results made on the demo must never land
        # in the original study if they reach an archive that holds it.
        for tag in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
            setattr(ds, tag, derived_uid(getattr(ds, tag)))
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        for tag in ("SmallestImagePixelValue", "LargestImagePixelValue"):
            if tag in ds:
                del ds[tag]
        ds.compress(JPEGLSLossless, small, encoding_plugin="pyjpegls")
        ds.save_as(args.out / f"IM{n:04d}.dcm", enforce_file_format=True)
    total = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {len(kept)} slices, {total / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
