"""Where a clean chest's false lesion lies by component, and the mass floor (issue 17, post 8).

    .venv/bin/python benchmarks/mass_census.py components [--chest lidc-idri-0003]
    .venv/bin/python benchmarks/mass_census.py census [--extra 8]

Works on ``benchmarks/border_cache.py``'s cached network outputs (v2), post-processed as in
the pipeline (``UNetSegmenter._postprocess``) before the solid-foci rule.

* ``components``: every lesion component of a clean chest of 0.3 mL or more with its volume,
  slices, median HU, consolidation share, depth into the lung and region (each voxel's
  nearest non-lung voxel: the mediastinum split into heart border, posterior mediastinum and
  hila / great vessels by level and side; else diaphragm or costal pleura; deeper than 15 mm
  intrapulmonary) and whether the foci rule sets it aside.
* ``census``: every single-core lesion component of 5-30 mm (core equivalent-sphere
  diameter) in the clean chests and the simulated cases, with the core's axis ratio, the
  share within 7 and 10 mm of the core and, for simulated cases, the share that is true
  lesion; ``--extra N`` adds N new simulated CT-1..CT-4 cases on the training chest (seeds
  505+, network run here). The floor rule declared with it: the widest round (axis ratio >=
  ``MASS_ROUNDNESS``) simulated lesion focus plus 10 %, rounded up to a whole mm.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.border_cache import DATA, load, postprocess  # noqa: E402
from inference import foci  # noqa: E402
from inference.findings import head_up  # noqa: E402
from inference.geometry import voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402

CONNECT = np.ones((3, 3, 3), bool)


def _labels(case) -> np.ndarray:
    return postprocess(case.volume, case.classes, case.thorax)


def _mm(volume) -> np.ndarray:
    return np.array([volume.spacing[2], volume.spacing[1], volume.spacing[0]])


def components(case) -> list[dict]:
    """The clean chest's lesion components (see the module's docstring), largest first."""
    v = case.volume
    lab = _labels(case)
    after, _ = foci.set_aside_solid_foci(lab, v.spacing, head_up(v.direction))
    lesion, lung = np.isin(lab, GGO + CONSOLIDATION), lab > 0
    aside = lesion & ~np.isin(after, GGO + CONSOLIDATION)
    mm, vml = _mm(v), voxel_ml(v.spacing)
    dist, idx = ndi.distance_transform_edt(lung, sampling=mm, return_indices=True)
    kk, jj, _ = np.nonzero(lung)
    up = float(np.asarray(v.direction)[2][2]) > 0
    comps, _ = ndi.label(lesion, CONNECT)
    rows = []
    for c, sl in enumerate(ndi.find_objects(comps), 1):
        k, j, i = (a + s.start for a, s in zip(np.nonzero(comps[sl] == c), sl, strict=True))
        if len(k) * vml < 0.3:
            continue
        nk, nj, ni = idx[0][k, j, i], idx[1][k, j, i], idx[2][k, j, i]
        dk = (nk - k) * mm[0]
        below = (dk < 0) if up else (dk > 0)
        zf = (k - kk.min()) / max(1, kk.max() - kk.min())
        zf = 1 - zf if up else zf  # 0 apex, 1 base
        yf = (j - jj.min()) / max(1, jj.max() - jj.min())  # 0 anterior, 1 posterior
        med = case.thorax[1][nk, nj, ni]
        region = np.select(
            [dist[k, j, i] > 15, med & (zf > 0.55) & (yf < 0.6), med & (yf >= 0.6), med,
             below & (np.abs(dk) > np.hypot((nj - j) * mm[1], (ni - i) * mm[2])), yf > 0.5],
            ["intrapulmonary", "heart border", "posterior mediastinum", "hila / great vessels",
             "diaphragm", "pleura posterior"], "pleura anterior / lateral")
        names, counts = np.unique(region, return_counts=True)
        rows.append({"ml": round(len(k) * vml, 2), "slices": f"{sl[0].start}-{sl[0].stop - 1}",
                     "hu": int(np.median(v.voxels[k, j, i])),
                     "cons": round(float(np.isin(lab[k, j, i], CONSOLIDATION).mean()), 2),
                     "depth_mm": round(float(dist[k, j, i].max()), 1),
                     "region": str(names[np.argmax(counts)]),
                     "regions_ml": {str(n): round(float(x * vml), 2)
                                    for n, x in zip(names, counts, strict=True)},
                     "set_aside": bool(aside[k, j, i].any())})
    return sorted(rows, key=lambda r: -r["ml"])


def census(name: str, volume, lab: np.ndarray, truth: np.ndarray | None) -> list[dict]:
    """Single-core lesion components of 5-30 mm (see the module's docstring)."""
    mm, vml = _mm(volume), voxel_ml(volume.spacing)
    cons = np.isin(lab, CONSOLIDATION)
    true = None if truth is None else np.isin(truth, GGO + CONSOLIDATION)
    comps, _ = ndi.label(np.isin(lab, GGO + CONSOLIDATION), CONNECT)
    out = []
    for c, sl in enumerate(ndi.find_objects(comps), 1):
        comp = comps[sl] == c
        core = comp & cons[sl]
        if not core.any() or ndi.label(core, CONNECT)[1] != 1:
            continue
        d = (6.0 * core.sum() * vml * 1000.0 / np.pi) ** (1 / 3)
        if not 5.0 <= d <= 30.0:
            continue
        dist = ndi.distance_transform_edt(~core, sampling=mm)
        pts = np.argwhere(core) * mm
        axes = (np.sqrt(np.clip(np.linalg.eigvalsh(np.cov(pts.T)), 0, None))
                if len(pts) >= 4 else np.zeros(3))
        out.append({"case": name, "ml": round(float(comp.sum() * vml), 2), "d": round(d, 1),
                    "ratio": round(float(axes[0] / axes[-1]), 2) if axes[-1] > 0 else 0.0,
                    "rim7": round(float((comp & (dist <= 7)).sum() / comp.sum()), 3),
                    "rim10": round(float((comp & (dist <= 10)).sum() / comp.sum()), 3),
                    "true": None if true is None else round(float(true[sl][comp].mean()), 2)})
    return out


def _extra(n: int):
    """(name, volume, labels, truth) of ``n`` new simulated CT-1..CT-4 cases (seeds 505+)
    on the training chest, read by the shipped network."""
    from benchmarks.border_cache import _network
    from inference.segmenters import UNetSegmenter, _thorax
    from inference.training import data as sim_data
    from studies import SeriesInfo, Volume

    seg = UNetSegmenter(device="cpu")
    series = sim_data.load_series(DATA, "ct/lidc-idri-0001")
    grades = [1 + g % 4 for g in range(n)]
    for k, case in enumerate(sim_data.cases(series, grades, 505)):
        v = Volume(voxels=case.hu, spacing=series.volume.spacing, origin=series.volume.origin,
                   direction=series.volume.direction, info=SeriesInfo(modality="CT"))
        classes, _ = _network(seg, v)
        yield (f"extra/lidc-idri-0001_{505 + k}", v,
               postprocess(v, classes, _thorax(v)), case.truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["components", "census"])
    parser.add_argument("--chest", default="lidc-idri-0003")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-cache"))
    parser.add_argument("--extra", type=int, default=0)
    args = parser.parse_args()
    if args.what == "components":
        for row in components(load(args.cache / "clean" / f"{args.chest}.npz")):
            print(row)
        return
    rows = []
    for path in sorted((args.cache / "clean").glob("*.npz")) + sorted(
            (args.cache / "sim").glob("*.npz")):
        case = load(path)
        rows += census(f"{path.parent.name}/{path.stem}", case.volume, _labels(case),
                       case.truth)
        print(path.stem, flush=True)
    for name, v, lab, truth in _extra(args.extra):
        rows += census(name, v, lab, truth)
        print(name, flush=True)
    for r in sorted(rows, key=lambda r: -r["d"]):
        print(r)
    round_sim = [r["d"] for r in rows if r["true"] and r["true"] >= 0.5
                 and r["ratio"] >= foci.MASS_ROUNDNESS]
    if round_sim:
        print(f"widest round simulated focus {max(round_sim)} mm: floor "
              f"{math.ceil(1.1 * max(round_sim))} mm")


if __name__ == "__main__":
    main()
