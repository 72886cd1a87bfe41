"""The great-vessel rule (post-processing 9) on the cached cases (issue 17, 2026-12-07).

    .venv/bin/python benchmarks/great_vessels.py [--cache /tmp/ai-cache] [--held]

Works on ``benchmarks/border_cache.py``'s cached cases. Each case is post-processed as
shipped with :mod:`inference.vessels` off, then: every lesion component of at least
``vessels.MIN_ML`` with a blood-dense median HU is listed (share within ``NEAR_MM`` of the
classical mediastinum, elongation, craniocaudal extent, true-lesion share on simulated
cases), and what the rule drops (mL, true lesion in it). Without ``--held`` only the cases
the limits may be chosen on (``lidc-idri-0001`` clean, the simulated cases, the covid
slices); with it the two held-out clean chests, with grade, probability and false lesion %
before and after.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import read  # noqa: E402
from benchmarks.border_cache import load, postprocess  # noqa: E402
from inference import vessels  # noqa: E402
from inference.geometry import voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.morphology import Components  # noqa: E402

HELD = ("popi-philips-phase00", "lidc-idri-0003")


def candidates(case, lesion: np.ndarray) -> list[str]:
    """A line per blood-dense lesion component of at least ``vessels.MIN_ML``."""
    sp, med = case.volume.spacing, case.thorax[1]
    comps, out, near = Components.of(lesion), [], None
    for i, sl in enumerate(comps.objects, 1):
        ml = comps.sizes[i] * voxel_ml(sp)
        m = comps.local(i, sl)
        hu = float(np.median(case.volume.voxels[sl][m]))
        if ml < vessels.MIN_ML or not vessels.BLOOD_HU[0] <= hu <= vessels.BLOOD_HU[1]:
            continue
        near = vessels.near_mask(med, sp, vessels.NEAR_MM) if near is None else near
        pts = np.argwhere(m)
        extent = (np.ptp(pts[:, 0]) + 1) * sp[2]
        true = ("" if case.truth is None else
                f" true lesion {np.isin(case.truth[sl][m], GGO + CONSOLIDATION).mean():.2f}")
        out.append(f"    {ml:.1f} mL, median {hu:.0f} HU, near {near[sl][m].mean():.2f}, "
                   f"extent {extent:.0f} mm, elongation {vessels.elongation(pts, sp):.2f}"
                   f"{true}")
    return out


def run(path: Path, held: bool) -> None:
    case = load(path)
    keep = vessels.MIN_ML
    vessels.MIN_ML = 0.0  # the rule off: post 8's labels
    try:
        before = postprocess(case.volume, case.classes,
                                                       case.thorax)
    finally:
        vessels.MIN_ML = keep
    lesion = np.isin(before, GGO + CONSOLIDATION)
    drop = vessels.great_vessels(lesion, case.volume.voxels, case.thorax[1],
                                 case.volume.spacing)
    v = voxel_ml(case.volume.spacing)
    true = (0.0 if case.truth is None else
            float(np.isin(case.truth, GGO + CONSOLIDATION)[drop].sum() * v))
    print(f"{path.parent.name}/{path.stem}: dropped {drop.sum() * v:.1f} mL, "
          f"true lesion in it {true:.1f} mL", flush=True)
    for line in candidates(case, lesion):
        print(line)
    if held:
        after = postprocess(case.volume, case.classes,
                                                      case.thorax)
        for tag, labels in (("post 8", before), ("post 9", after)):
            labels, _, m = read(labels, case.volume)
            false = 100 * np.isin(labels, GGO + CONSOLIDATION).sum() / (labels > 0).sum()
            print(f"    {tag}: {m.grade} {m.probability} {false:.3f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-cache"))
    parser.add_argument("--held", action="store_true")
    args = parser.parse_args()
    if args.held:
        paths = [args.cache / "clean" / f"{c}.npz" for c in HELD]
    else:
        paths = [args.cache / "clean" / "lidc-idri-0001.npz",
                 *sorted((args.cache / "sim").glob("*.npz")),
                 *sorted((args.cache / "slices").glob("*.npz"))]
    for path in paths:
        run(path, args.held)


if __name__ == "__main__":
    main()
