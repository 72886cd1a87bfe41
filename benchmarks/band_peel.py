"""Peeling thin basal / dependent bands off the lesion, voxel by voxel (issue 17, h16 study).

    .venv/bin/python benchmarks/band_peel.py [--labels /tmp/ai-h15/labels2]
        [--cache /tmp/ai-h15/cache] [--json OUT]

h15 (``basal_bands.py``) measured removing whole *components* that lie as bands along the
diaphragm and the posterior pleura: every candidate also took true simulated basal lesion,
because the network joins diaphragm partial volume to simulated lesion in one component.
This study removes *voxels* instead: a lesion voxel within ``depth_mm`` of the lung surface
whose nearest non-lung voxel lies below it (the diaphragm) or behind it (the posterior
wall), along that axis more than across it, and farther than ``anchor_mm`` from any lesion
voxel deeper than ``depth_mm`` (so the subpleural edge of a patch that reaches deeper
stays). The candidates (:data:`CANDIDATES`) were declared before any result.

It reads the post-processed labels kept by ``basal_bands.py report --labels`` (post 9/10:
the same labels) and each case's spacing, direction and truth from the network cache, and
prints per case: lesion mL, what each candidate peels (false / true mL), grade and pattern,
worst-lung involvement error and lesion Dice against the truth, before and after; then a
summary per group, and what a per-lung lesion floor (CT-0 under it) would grade
(``--summary JSON`` prints only that, from an earlier run).
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

from benchmarks.border_cache import labelled_cases  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO, LEFT  # noqa: E402
from inference.measures import measure  # noqa: E402
from inference.morphology import ball_dilation, bounding_box  # noqa: E402

# (depth_mm, anchor_mm), declared before any result
CANDIDATES = [(4.0, 5.0), (6.0, 5.0), (6.0, 10.0), (8.0, 10.0)]
GROUPS = ("clean", "bases", "sim", "basal")


def surface(labels: np.ndarray, spacing, orient: Orientation):
    """(box, lesion voxel indices in it, their depth in mm, whether their nearest non-lung
    lies below or behind them along that axis more than across it, lesion in the box):
    made once per case for every candidate; None for single slices or no lesion."""
    lesion = np.isin(labels, GGO + CONSOLIDATION)
    if labels.shape[0] < 2 or not lesion.any():
        return None
    lung = labels > 0
    box = bounding_box(lung)
    sampling = (float(spacing[2]), float(spacing[1]), float(spacing[0]))
    depth, near = ndi.distance_transform_edt(np.pad(lung[box], 1), sampling=sampling,
                                             return_indices=True)
    depth = depth[1:-1, 1:-1, 1:-1]
    near = near[:, 1:-1, 1:-1, 1:-1] - 1
    les = lesion[box]
    pts = np.nonzero(les)
    d = [(near[a][pts] - pts[a]) * sampling[a] for a in range(3)]
    below = (d[0] < 0) if orient.superior_is_high_k else (d[0] > 0)
    behind = (d[1] > 0) if orient.posterior_is_high_j else (d[1] < 0)
    facing = ((below & (np.abs(d[0]) > np.hypot(d[1], d[2])))
              | (behind & (np.abs(d[1]) > np.hypot(d[0], d[2]))))
    return box, pts, depth[pts], facing, les, sampling


def peel(labels: np.ndarray, surf, depth_mm: float, anchor_mm: float) -> np.ndarray:
    """The lesion voxels the candidate peels (see the module's docstring); ``surf``:
    :func:`surface` of ``labels``."""
    out = np.zeros(labels.shape, bool)
    if surf is None:
        return out
    box, pts, depth, facing, les, sampling = surf
    deep = np.zeros(les.shape, bool)
    far = depth > depth_mm
    deep[tuple(p[far] for p in pts)] = True
    anchored = (ball_dilation(deep, sampling, anchor_mm)[pts] if far.any()
                else np.zeros(len(pts[0]), bool))
    hit = (depth <= depth_mm) & facing & ~anchored
    part = np.zeros(les.shape, bool)
    part[tuple(p[hit] for p in pts)] = True
    out[box] = part
    return out


def unlabel(labels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``labels`` with the lesion voxels of ``mask`` back to their side's lung."""
    out = labels.copy()
    left = np.isin(labels, LEFT)
    out[mask & left] = 2
    out[mask & ~left] = 1
    return out


def _worst(m) -> float:
    return max(m.involvement_percent["left"], m.involvement_percent["right"])


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    s = int(a.sum() + b.sum())
    return 1.0 if s == 0 else round(2.0 * int((a & b).sum()) / s, 4)


def study(labels_dir: Path, cache: Path) -> dict:
    res = {}
    for group, case, labels in labelled_cases(cache, labels_dir, GROUPS):
        spacing, truth = case.volume.spacing, case.truth
        orient = Orientation.of(case.volume)
        ml = voxel_ml(spacing)
        lesion = np.isin(labels, GGO + CONSOLIDATION)
        m0 = measure(labels, spacing, orient)
        row = {"group": group, "lesion_ml": round(float(lesion.sum() * ml), 1),
               "lesion_percent": round(100.0 * lesion.sum() / max(1, (labels > 0).sum()), 3),
               "grade": m0.grade, "pattern": m0.probability,
               "per_lung_ml": {side: round(float(np.isin(labels, vals).sum() * ml), 1)
                               for side, vals in (("right", (3, 5)), ("left", (4, 6)))}}
        t_les = None
        if truth is not None:
            t = measure(truth, spacing, orient)
            t_les = np.isin(truth, GGO + CONSOLIDATION)
            row.update(truth=t.grade, truth_pattern=t.probability,
                       error_pp=round(abs(_worst(m0) - _worst(t)), 2),
                       dice=_dice(lesion, t_les))
        t0 = time.process_time()
        surf = surface(labels, spacing, orient)
        row["surface_cpu_s"] = round(time.process_time() - t0, 2)
        for depth_mm, anchor_mm in CANDIDATES:
            t0 = time.process_time()
            gone = peel(labels, surf, depth_mm, anchor_mm)
            cpu = time.process_time() - t0
            new = unlabel(labels, gone)
            m1 = measure(new, spacing, orient)
            cand = {"peeled_ml": round(float(gone.sum() * ml), 1), "grade": m1.grade,
                    "pattern": m1.probability, "cpu_s": round(cpu, 2),
                    "lesion_percent": round(100.0 * (lesion & ~gone).sum()
                                            / max(1, (labels > 0).sum()), 3),
                    "dice_vs_current": _dice(lesion & ~gone, lesion)}
            if t_les is not None:
                cand.update(true_peeled_ml=round(float((gone & t_les).sum() * ml), 1),
                            error_pp=round(abs(_worst(m1) - _worst(t)), 2),
                            dice=_dice(lesion & ~gone, t_les))
            row[f"{depth_mm:g}/{anchor_mm:g}"] = cand
        res[case.key] = row
        print(case.key, json.dumps(row), flush=True)
    return res


FLOORS = (1.0, 5.0, 10.0, 15.0)  # mL of lesion per lung below which it counts as free


def summary(res: dict) -> None:
    """Per candidate and group: mL peeled (true), grade accuracy, mean worst-lung error,
    pooled-over-cases mean lesion Dice; then the grade with a per-lung lesion floor (both
    lungs under it: CT-0, else the grade as it is; :data:`FLOORS`, 1 mL = shipped)."""
    keys = ["now"] + [f"{d:g}/{a:g}" for d, a in CANDIDATES]
    for group in GROUPS:
        rows = [r for r in res.values() if r["group"] == group]
        for key in keys:
            cs = [r if key == "now" else {**r[key], "truth": r.get("truth")} for r in rows]
            line = f"{group:6s} {key:5s} peeled {sum(c.get('peeled_ml', 0) for c in cs):6.1f} mL"
            truth = [c for c in cs if c.get("truth")]
            if truth:
                acc = sum(c["grade"] == c["truth"] for c in truth)
                line += (f" (true {sum(c.get('true_peeled_ml', 0) for c in truth):.1f});"
                         f" accuracy {acc}/{len(truth)}; error mean "
                         f"{np.mean([c['error_pp'] for c in truth]):.2f} pp; Dice mean "
                         f"{np.mean([c['dice'] for c in truth]):.4f}")
            print(line)
    for floor in FLOORS:
        grades = {k: ("CT-0" if r["grade"] != "not-assessable"
                      and max(r["per_lung_ml"].values()) < floor else r["grade"])
                  for k, r in res.items()}
        sims = [k for k, r in res.items() if r.get("truth")]
        acc = sum(grades[k] == res[k]["truth"] for k in sims)
        clean = {k: grades[k] for k, r in res.items() if not r.get("truth")}
        print(f"floor {floor:g} mL: clean {clean}; simulated accuracy {acc}/{len(sims)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=Path("/tmp/ai-h15/labels2"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h15/cache"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--summary", type=Path, help="only summarise this earlier --json")
    args = parser.parse_args()
    if args.summary:
        summary(json.loads(args.summary.read_text()))
        return
    res = study(args.labels, args.cache)
    summary(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
