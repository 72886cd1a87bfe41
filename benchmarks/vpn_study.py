"""A 300-slice CT study built from real slices, for the VPN fetch benchmark.

No real series in ``../shared/data`` has 300 slices, so one is stacked from the three real
chests: all 140 slices of LIDC-IDRI-0003, all 133 of LIDC-IDRI-0001 and the middle 27 of
the POPI Philips series. The pixel data (and each slice's own transfer syntax, bit depth,
sign and rescale) is untouched; the headers are rewritten into one series: new study,
series and SOP Instance UIDs (derived from the originals), one patient (``VPN^BENCH``), one
pixel spacing and orientation, positions 2.5 mm apart head to feet, instance numbers 1..300.
The slices do not join into one anatomy; the bytes on the wire are real CT.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pydicom
from pydicom.uid import generate_uid

SOURCES = (("lidc-idri-0003", None), ("lidc-idri-0001", None),
           ("popi-philips-phase00", (57, 84)))
SPACING_MM = 2.5


def build_study(shared_data: Path, out: Path) -> list[Path]:
    """Write the 300 slices under ``out``; returns their paths in instance order."""
    out.mkdir(parents=True, exist_ok=True)
    study_uid = generate_uid(entropy_srcs=["luch-vpn-bench-study"])
    series_uid = generate_uid(entropy_srcs=["luch-vpn-bench-series"])
    slices: list[Path] = []
    for folder, window in SOURCES:
        files = sorted((shared_data / "ct" / folder).glob("*.dcm"))
        slices += files[slice(*window)] if window else files
    written = []
    for k, src in enumerate(slices):
        ds = pydicom.dcmread(src)
        sop = generate_uid(entropy_srcs=["luch-vpn-bench", str(ds.SOPInstanceUID)])
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study_uid, series_uid, sop
        ds.file_meta.MediaStorageSOPInstanceUID = sop
        ds.PatientName, ds.PatientID = "VPN^BENCH", "VPN-BENCH"
        ds.StudyDescription, ds.SeriesDescription = "VPN benchmark", "300 real CT slices"
        ds.PixelSpacing = [0.8, 0.8]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [-204.8, -204.8, -k * SPACING_MM]
        ds.SliceThickness = SPACING_MM
        ds.InstanceNumber = k + 1
        ds.FrameOfReferenceUID = generate_uid(entropy_srcs=["luch-vpn-bench-frame"])
        path = out / f"{k + 1:04d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        written.append(path)
    return written


@contextmanager
def shaped_archive(root: Path, files: list[Path], rate_mbit: float) -> Iterator:
    """A real Orthanc holding ``files`` in a network namespace of its own, its link shaped to
    ``rate_mbit`` with tc tbf; stopped and the namespace removed afterwards. Needs root."""
    from tests.plugins.netns import NetNamespace
    from tests.plugins.orthanc import OrthancServer

    ns = NetNamespace()
    server = None
    try:
        ns.create()
        server = OrthancServer(root / "orthanc", count_stores=False, netns=ns)
        server.start()
        server.upload(files)
        ns.shape(rate_mbit)
        yield server
    finally:
        if server is not None:
            server.stop()
        ns.remove()
