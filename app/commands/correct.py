"""``luch correct ID LABELS --study PATH``: save a corrected label map of a stored AI result.

For corrections made outside the viewer (e.g. in 3D Slicer): the edited map as NIfTI (Luch
label values 0-6) or as a DICOM SEG with lung, GGO and consolidation segments.
"""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path

from core.paths import app_subdir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "correct", help="save a corrected AI label map (NIfTI or SEG) with its AI result",
        description="Store a reader's corrected label map with a saved AI result: what changed "
                    "per label, and the grade and volumes recomputed from it (marked "
                    "corrected). 'luch train --site' learns from these.")
    parser.add_argument("ai_result", type=int, metavar="ID", help="the saved AI result's id "
                        "(printed by 'luch analyze --save')")
    parser.add_argument("labels", type=Path, help="the corrected label map: NIfTI with Luch "
                        "labels (1/2 lungs R/L, 3/4 GGO R/L, 5/6 consolidation R/L) or a SEG")
    parser.add_argument("--study", type=Path, required=True, help="the CT the AI read")
    parser.add_argument("--original", type=Path, help="the AI's label map (default: the "
                        "NIfTI mask saved with the result)")
    parser.add_argument("--reader", default=None, help="who corrected it (default: the "
                        "logged-in user)")
    parser.set_defaults(run=run)


def read_labels(path: Path, volume):
    """A label map in Luch values on ``volume``'s grid."""
    # deferred: `luch --help` and the other commands do not load it
    import numpy as np

    from inference.eval_sets import luch_labels
    from studies.seg import open_label_map

    label_map = open_label_map(path)
    raw = label_map.on_grid_of(volume)
    if any(not name.startswith("Label ") for name in label_map.segments.values()):
        return luch_labels(raw, label_map.segments)  # a SEG: segments by name
    return raw.astype(np.uint8)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import records
    import studies
    from inference.corrections import build_correction, require_original

    store = records.open_store()
    try:
        result = store.ai_result(args.ai_result)
        original_path = require_original(args.original or next(
            (Path(f) for f in result.mask_files if str(f).endswith((".nii", ".nii.gz"))), None))
        volume = studies.open_volume(args.study)
        original = read_labels(original_path, volume)
        corrected = read_labels(args.labels, volume)
        correction = build_correction(volume, original, corrected, result.values,
                                      args.reader or getpass.getuser(),
                                      app_subdir("corrections"))
        cid = store.save_ai_correction(args.ai_result, **correction.record(),
                                       source_path=str(args.study.resolve()))
    finally:
        store.close()
    v = correction.values
    print(json.dumps({"correction_id": cid, "changes": correction.changes, "grade": v["grade"],
                      "ai_grade": v["ai_grade"], "involvement_percent":
                      v["involvement_percent"]}, indent=2, ensure_ascii=False))
    return 0
