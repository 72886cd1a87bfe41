"""Which simulated grades the pre-read confuses, and why (issue 17, h17).

    .venv/bin/python benchmarks/grade_misses.py [--labels /tmp/ai-h15/labels2]
        [--cache /tmp/ai-h15/cache] [--json OUT]

On the post-processed labels ``basal_bands.py report --labels`` kept (26 simulated cases:
seeds 500-504, 1000-1004, 3000-3004 and the basal 4000-4104) with each case's truth from the
network cache: the grade confusion matrix (rows truth CT-0..CT-4, columns predicted), and per
case the truth's and the reading's involvement per lung, lung and lesion mL, the median HU of
the true lesion found and missed, and where the missed true lesion went: what the network
called it (background, lung, ground glass, consolidation) and how much of the network's
lesion there the post-processing dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.border_cache import labelled_cases  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.measures import measure  # noqa: E402

GRADES = ["CT-0", "CT-1", "CT-2", "CT-3", "CT-4"]


def _median(hu: np.ndarray, mask: np.ndarray) -> float | None:
    return float(np.median(hu[mask])) if mask.any() else None


def study(labels_dir: Path, cache: Path) -> dict:
    res = {}
    for _, case, labels in labelled_cases(cache, labels_dir, ("sim", "basal")):
        v, hu = case.volume, case.volume.voxels
        o, ml = Orientation.of(v), voxel_ml(v.spacing)
        t, m = measure(case.truth, v.spacing, o), measure(labels, v.spacing, o)
        true = np.isin(case.truth, GGO + CONSOLIDATION)
        read = np.isin(labels, GGO + CONSOLIDATION)
        miss = true & ~read
        net = case.classes[miss]
        res[case.key] = {
            "truth": t.grade, "read": m.grade,
            "truth_percent": t.involvement_percent, "read_percent": m.involvement_percent,
            "lung_ml": [round(float((case.truth > 0).sum() * ml)),
                        round(float((labels > 0).sum() * ml))],
            "lesion_ml": [round(float(true.sum() * ml), 1), round(float(read.sum() * ml), 1)],
            "missed_ml": round(float(miss.sum() * ml), 1),
            "false_ml": round(float((read & ~true).sum() * ml), 1),
            "hu_found": _median(hu, true & read), "hu_missed": _median(hu, miss),
            # the network's class of the missed true lesion: background, lung, GGO, cons.
            "missed_as": [round(float((net == c).sum() * ml), 1) for c in range(4)]}
        print(case.key, json.dumps(res[case.key]), flush=True)
    return res


def confusion(res: dict) -> list[list[int]]:
    out = [[0] * len(GRADES) for _ in GRADES]
    for r in res.values():
        if r["read"] in GRADES:
            out[GRADES.index(r["truth"])][GRADES.index(r["read"])] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=Path("/tmp/ai-h15/labels2"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h15/cache"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    res = study(args.labels, args.cache)
    for grade, row in zip(GRADES, confusion(res), strict=True):
        print(grade, row)
    right = sum(r["truth"] == r["read"] for r in res.values())
    print(f"accuracy {right}/{len(res)}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
