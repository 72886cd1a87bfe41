"""A partial-volume ramp rule, declared before measuring (issue 17, h18; not in the pipeline).

    .venv/bin/python benchmarks/pv_ramps.py [--cache /tmp/ai-h18/cache] [--group G] [--json OUT]

Partial volume at a surface (popi's diaphragm-dome rims) is a ramp: the HU fall away from
the surface; true ground glass is a plateau. On each case of ``border_cache.py``'s and
``basal_bands.py``'s cache (groups clean, bases, sim, basal, slices), the shipped
post-processing's labels, then :func:`ramp_components` drops the lesion components whose
voxels are :data:`SHARE` ramp voxels (docs/model-card.md, "Inference-time levers" 15), then
the foci rule and the measures. Per case: grade and lesion % without and with the rule, the
mL dropped, and on simulated cases the true lesion mL dropped and the truth's grade; on the
clean volumes the measures without the assessability gate too (lesion mL per lung).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import read  # noqa: E402
from benchmarks.border_cache import load, postprocess  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT, Label  # noqa: E402
from inference.measures import measure  # noqa: E402
from inference.morphology import Components  # noqa: E402

GROUPS = ("clean", "bases", "sim", "basal", "slices")
SMOOTH_MM = 1.0
DEPTH_MM = 6.0  # a ramp voxel lies this near the lung surface at most ...
STEP_MM = 3.0  # ... and is at least DROP_HU denser than the point this much deeper
DROP_HU = 100.0
SHARE = 0.8  # of a component's voxels: partial volume
MIN_SLICES = 10


def ramp_components(labels: np.ndarray, hu: np.ndarray, spacing) -> tuple[np.ndarray, list]:
    """(mask of the lesion components the rule drops, [(mL, ramp share) per component])."""
    out = np.zeros(labels.shape, bool)
    if labels.shape[0] < MIN_SLICES:
        return out, []
    mm = np.array([spacing[2], spacing[1], spacing[0]], float)
    lung = labels > 0
    comps = Components.of(np.isin(labels, GGO + CONSOLIDATION))
    pad = np.ceil((DEPTH_MM + STEP_MM + 3 * SMOOTH_MM) / mm).astype(int) + 1
    shares = []
    for idx, sl in enumerate(comps.objects, 1):
        box = tuple(slice(max(0, s.start - p), min(n, s.stop + p))
                    for s, p, n in zip(sl, pad, lung.shape, strict=True))
        m = comps.local(idx, box)
        smooth = ndi.gaussian_filter(hu[box].astype(np.float32), SMOOTH_MM / mm)
        dist, ind = ndi.distance_transform_edt(lung[box], sampling=mm, return_indices=True)
        pts = np.nonzero(m)
        d = dist[pts]
        vec = np.stack([(pts[a] - ind[a][pts]) * mm[a] for a in range(3)])  # from surface
        unit = vec / np.maximum(np.linalg.norm(vec, axis=0), 1e-6)
        deeper = [np.clip(np.rint(pts[a] + STEP_MM * unit[a] / mm[a]).astype(int), 0,
                          m.shape[a] - 1) for a in range(3)]
        drop = smooth[pts] - smooth[tuple(deeper)]
        share = float(((d <= DEPTH_MM) & (drop >= DROP_HU)).mean())
        shares.append((round(float(comps.sizes[idx] * np.prod(mm) / 1000), 2),
                       round(share, 3)))
        if share >= SHARE:
            out[box] |= m
    return out, shares


def _as_lung(labels: np.ndarray, drop: np.ndarray) -> np.ndarray:
    out = labels.copy()
    out[drop & np.isin(labels, RIGHT)] = Label.LUNG_RIGHT
    out[drop & np.isin(labels, LEFT)] = Label.LUNG_LEFT
    return out


def _per_lung(labels: np.ndarray, ml: float) -> list[float]:
    les = np.isin(labels, GGO + CONSOLIDATION)
    return [round(float((les & np.isin(labels, s)).sum() * ml), 1) for s in (RIGHT, LEFT)]


def study(cache: Path, groups=GROUPS) -> dict:
    res = {}
    for group in groups:
        for path in sorted((cache / group).glob("*.npz")):
            case = load(path)
            v = case.volume
            ml = voxel_ml(v.spacing)
            raw = postprocess(v, case.classes, case.thorax)
            t0 = time.process_time()
            drop, shares = ramp_components(raw, v.voxels, v.spacing)
            cpu = time.process_time() - t0
            row = {"group": group, "dropped_ml": round(float(drop.sum() * ml), 1),
                   "cpu_s": round(cpu, 1),
                   "top": sorted(shares, key=lambda x: -x[1])[:4]}
            for tag, lab in (("off", raw), ("on", _as_lung(raw, drop))):
                labels, _, m = read(lab, v)
                les = np.isin(labels, GGO + CONSOLIDATION)
                row[tag] = {"grade": m.grade, "pattern": m.probability,
                            "lesion_pct": round(100.0 * les.sum() / max(1, (labels > 0).sum()),
                                                3),
                            "lesion_ml_rl": _per_lung(labels, ml)}
            if case.truth is not None:
                true = np.isin(case.truth, GGO + CONSOLIDATION)
                row["true_dropped_ml"] = round(float((drop & true).sum() * ml), 2)
                row["truth"] = measure(case.truth, v.spacing, Orientation.of(v)).grade
            res[f"{group}/{path.stem}"] = row
            print(f"{group}/{path.stem}", json.dumps(row), flush=True)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h18/cache"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--group", choices=GROUPS, action="append")
    args = parser.parse_args()
    res = study(args.cache, args.group or GROUPS)
    sims = [r for r in res.values() if "truth" in r]
    for tag in ("off", "on"):
        acc = sum(r[tag]["grade"] == r["truth"] for r in sims)
        print(f"{tag}: simulated grade agreement {acc}/{len(sims)}")
    print("true lesion dropped (mL), max:", max((r["true_dropped_ml"] for r in sims),
                                                default=0))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
