"""``luch export PATH OUT``: write a series as NIfTI, or as (anonymized) DICOM files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands._audit import audit_access
from core.errors import LuchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write a series as NIfTI or as anonymized DICOM",
        description="Write the best (or --series) series at PATH to OUT: a .nii/.nii.gz file "
                    "with its geometry kept, or with --dicom a folder of DICOM files.")
    parser.add_argument("path", type=Path, help="DICOM folder, zip, DICOMDIR or NIfTI file")
    parser.add_argument("out", type=Path, help="OUT.nii(.gz), or a folder with --dicom")
    parser.add_argument("--series", help="SeriesInstanceUID or index from `luch info`")
    parser.add_argument("--anonymize", action="store_true",
                        help="de-identify (DICOM PS3.15 basic profile; NIfTI: no metadata)")
    parser.add_argument("--dicom", action="store_true",
                        help="write DICOM files into the folder OUT instead of NIfTI")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import studies

    result = studies.scan(args.path, whole_series=True)
    candidate = studies.choose(result, args.series)
    audit_access("exported", [candidate.info.study_instance_uid],
                 anonymized=bool(args.anonymize))
    if args.dicom:
        return _export_dicom(candidate, args.out, args.anonymize)
    # deferred: `luch --help` and the other commands do not load it
    from studies.export import write_nifti

    volume = studies.load(candidate)
    for warning in volume.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_nifti(volume, args.out, anonymize=args.anonymize)
    spacing = " x ".join(f"{v:.3g}" for v in volume.spacing)
    print(f"wrote {args.out} ({volume.shape[0]}x{volume.shape[1]}x{volume.shape[2]}, "
          f"{spacing} mm)")
    return 0


def _export_dicom(candidate, out: Path, anonymize: bool) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import shutil

    from core import vault
    from studies.anonymize import Anonymizer, anonymize_files

    if candidate.reader == "nifti":
        raise LuchError("--dicom needs DICOM input; this series is NIfTI")
    if out.exists() and any(out.iterdir()):
        raise LuchError(f"{out} is not empty; choose a new folder")
    if anonymize:
        key = vault.station_secret(vault.ANONYMIZE_KEY)  # wrapped when encryption is on
        written = anonymize_files(candidate.files, out, Anonymizer(key))
    else:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for n, ref in enumerate(candidate.files):
            target = out / f"IM{n + 1:05d}.dcm"
            target.write_bytes(ref.read_bytes())
            written.append(target)
        shutil.copystat(out, out)
    print(f"wrote {len(written)} DICOM file(s) to {out}" + (" (anonymized)" if anonymize else ""))
    return 0
