"""Bowel gas read as lung (issue 17, h17): what post-processing 12 changes on every cached case.

    .venv/bin/python benchmarks/bowel_gas.py [--cache /tmp/ai-h15/cache] [--json OUT]

The network (and the classical lungs the simulator's truth comes from) call the colon's gas
lung on ``chest-abdomen-3mm`` (its lung bases and the abdomen): 437 of its 550 mL of "lung"
are two colon components, so the volume read CT-1 beside 114 mL of real lung, and the
simulated cases 4100-4104 put their lesion partly in the colon. Post-processing 12 drops a
lung component with :data:`inference.lungs.GAS_SHARE` of its voxels below
:data:`inference.lungs.GAS_HU` (:func:`inference.lungs.gas_components`). For each case of
``border_cache.py``'s and ``basal_bands.py``'s caches (groups clean, bases, sim, basal,
slices) this runs the shipped post-processing with the rule off (share above 1) and on,
then the solid-foci rule and the measures, and prints lung mL, grade, pattern, whether the
labels are the same voxel for voxel, and on simulated cases the truth's grade.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import read  # noqa: E402
from benchmarks.border_cache import load, postprocess  # noqa: E402
from inference import lungs  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.measures import measure  # noqa: E402

GROUPS = ("clean", "bases", "sim", "basal", "slices")


def _read(case, share: float):
    old, lungs.GAS_SHARE = lungs.GAS_SHARE, share
    try:
        raw = postprocess(case.volume,
                                                    case.classes, case.thorax)
    finally:
        lungs.GAS_SHARE = old
    return read(raw, case.volume)


def study(cache: Path) -> dict:
    res = {}
    for group in GROUPS:
        for path in sorted((cache / group).glob("*.npz")):
            case = load(path)
            ml = voxel_ml(case.volume.spacing)
            row = {"group": group}
            t0 = time.process_time()
            labels = {}
            for tag, share in (("off", 2.0), ("on", lungs.GAS_SHARE)):
                lab, foci, m = _read(case, share)
                labels[tag] = lab
                row[tag] = {"lung_ml": round(float((lab > 0).sum() * ml), 1),
                            "grade": m.grade, "pattern": m.probability,
                            "worst": max(m.involvement_percent.get("left", 0.0),
                                         m.involvement_percent.get("right", 0.0)),
                            "foci": len(foci)}
            row["same"] = bool((labels["off"] == labels["on"]).all())
            row["cpu_s"] = round(time.process_time() - t0, 1)
            if case.truth is not None:
                t = measure(case.truth, case.volume.spacing, Orientation.of(case.volume))
                row["truth"] = t.grade
                row["truth_lung_ml"] = round(float((case.truth > 0).sum() * ml), 1)
            res[f"{group}/{path.stem}"] = row
            print(f"{group}/{path.stem}", json.dumps(row), flush=True)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h15/cache"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    res = study(args.cache)
    changed = [k for k, r in res.items() if not r["same"]]
    print("changed:", changed)
    for tag in ("off", "on"):
        sims = [r for r in res.values() if "truth" in r]
        acc = sum(r[tag]["grade"] == r["truth"] for r in sims)
        print(f"{tag}: simulated accuracy {acc}/{len(sims)}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
