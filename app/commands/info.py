"""``luch info PATH [--json]``: list the series at a folder, zip, DICOMDIR or file.

One slice file is described with the whole series it belongs to in its folder, as
``luch open`` opens it, saying which slice the file is."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands._audit import audit_access


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "info", help="list the series at a path with geometry and warnings",
        description="List the image series at a DICOM folder, zip, DICOMDIR or NIfTI file: "
                    "geometry, slice count and warnings. One slice file is described with "
                    "the whole series it belongs to, as `luch open` opens it. Only headers "
                    "are read.")
    parser.add_argument("path", type=Path, help="DICOM folder, zip, DICOMDIR or file")
    parser.add_argument("--json", action="store_true",
                        help="print JSON (includes the patient fields of each series)")
    parser.set_defaults(run=run)


def describe(candidate, index: int | None, with_patient: bool) -> dict:
    """One series as a JSON-ready dict; ``index`` is what ``export --series`` takes (images
    only; None for segmentations and unreadable files)."""
    info = candidate.info
    entry = {
        "index": index,
        "kind": candidate.kind,
        "reader": candidate.reader,
        "confidence": round(candidate.confidence, 2),
        "modality": info.modality,
        "description": info.series_description,
        "series_number": info.series_number,
        "study_instance_uid": info.study_instance_uid,
        "series_instance_uid": info.series_instance_uid,
        "derived_uids": list(info.derived_uids),  # derived from the images: the files lack them
        "slices": candidate.shape[0],
        "rows": candidate.shape[1],
        "columns": candidate.shape[2],
        "spacing": [round(float(v), 6) for v in candidate.spacing],
        "origin": [round(float(v), 6) for v in candidate.origin],
        "direction": (None if candidate.direction is None else
                      [round(float(v), 6) for v in candidate.direction.ravel()]),
        "manufacturer": info.manufacturer,
        "model": info.model,
        "convolution_kernel": info.convolution_kernel,
        "slice_thickness": info.slice_thickness,
        "files": len(candidate.files),
        "warnings": list(candidate.warnings),
    }
    if with_patient:
        entry["patient"] = {"name": info.patient_name, "id": info.patient_id,
                            "birth_date": info.patient_birth_date, "sex": info.patient_sex}
        entry["study_date"] = info.study_date
        entry["accession_number"] = info.accession_number
    return entry


def given_file(result) -> dict | None:
    """Which file was asked about when ``result`` describes its whole series: its name and
    0-based slice index in the series (``None`` when a folder, zip or volume was given)."""
    if result.given is None:
        return None
    files = result.images[0].files
    return {"path": str(result.given), "slice": files.index(result.given),
            "slices": len(files)}


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import studies

    result = studies.scan(args.path, whole_series=True)
    audit_access("inspected", [c.info.study_instance_uid for c in result.candidates])
    images = result.images  # indices match `luch export --series N`
    others = [c for c in result.candidates if c not in images and (c.shape[0] > 0 or c.warnings)]
    series = images + others
    index = {id(c): n for n, c in enumerate(images)}
    given = given_file(result)
    if args.json:
        json.dump({
            "path": str(args.path),
            "given_file": given,
            "files": result.files_seen,
            "non_dicom_files": result.non_dicom_files,
            "other_dicom_objects": result.other_dicom_objects,
            "notes": result.notes,
            "series": [describe(c, index.get(id(c)), with_patient=True) for c in series],
        }, sys.stdout, indent=2)
        print()
        return 0 if result.images else 2
    if given is not None:
        print(f"{args.path}: slice {given['slice'] + 1} of {given['slices']} of this series "
              "(opening the file opens the whole series)")
    else:
        print(f"{args.path}: {result.files_seen} file(s), {len(series)} series")
    for c in series:
        d = describe(c, index.get(id(c)), with_patient=False)
        spacing = " x ".join(f"{v:.3g}" for v in d["spacing"])
        number = f"[{d['index']}]" if d["index"] is not None else "[-]"
        print(f"{number} {d['kind']:<12} {c.label}  {d['modality']}  spacing {spacing} mm  "
              f"({d['reader']})")
        for warning in d["warnings"]:
            print(f"      warning: {warning}")
    for note in result.notes:
        print(f"note: {note}")
    if not result.images:
        print("No image series found", file=sys.stderr)
        return 2
    return 0
