"""Basal and dependent bands: the COVID-19 pattern and a diaphragm-band rule (issue 17, h15).

    .venv/bin/python benchmarks/basal_bands.py cache [--cache /tmp/ai-cache]
    .venv/bin/python benchmarks/basal_bands.py report [--cache /tmp/ai-cache] [--json OUT]

``cache`` adds to ``benchmarks/border_cache.py``'s cache (network outputs) the two lung-base
volumes no rule was tuned on (``bases/``: ``chest-abdomen-3mm``, another scanner at 3 mm,
never trained on; ``siemens-j2k-abdomen``, a v2 *training* series, so weak for the network)
and simulated lesions at the lung bases (``basal/``, :data:`BASAL`): every lesion lies in the
lowest :data:`BASAL_SHARE` of the lung's craniocaudal extent (the whole lung of the 3 mm
volume), the truth's lung the whole lung.

``report`` reads every cached case with the shipped post-processing and prints per case:
grade, the probability without and with the band exclusion of
:func:`inference.measures.pattern_features` (before / after), the band share, and on
simulated cases the truth's grade and probability. Then the diaphragm-band *removal*
candidates (:data:`CANDIDATES`, not in the pipeline): a lesion component with at least
``near`` of its voxels within 5 mm of the lung surface (3D, full resolution) and at least
``facing`` of its voxels' nearest non-lung below them (the diaphragm): what each would drop
per case, false (clean chests) or true (simulated lesion share of it).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import read  # noqa: E402
from benchmarks.border_cache import DATA, cache_case, load, postprocess  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.grading import NOT_ASSESSABLE  # noqa: E402
from inference.labels import CONSOLIDATION, GGO, Label  # noqa: E402
from inference.measures import covid_probability, measure  # noqa: E402
from inference.morphology import Components  # noqa: E402
from studies import SeriesInfo, Volume  # noqa: E402

BASES = ("chest-abdomen-3mm.nii.gz", "siemens-j2k-abdomen")
BASAL_SHARE = 0.3
# series: (first seed, grades, share of the lung's extent the lesions may lie in); declared
# before any result of them was seen
BASAL = {"ct/chest-abdomen-3mm.nii.gz": (4100, [1, 2, 3, 1, 2], 1.0),
         "ct/lidc-idri-0001": (4000, [1, 2], BASAL_SHARE),
         "ct/lidc-idri-0003": (4010, [1, 2], BASAL_SHARE),
         "ct/popi-philips-phase00": (4020, [1, 2], BASAL_SHARE)}
CANDIDATES = [(0.8, 0.5), (0.75, 0.5), (0.7, 0.5), (0.7, 0.3)]  # (near, facing)


def _stem(name: str) -> str:
    return name.split("/")[-1].split(".")[0]


def cache(root: Path) -> None:
    import studies
    from inference.segmenters import UNetSegmenter
    from inference.simulate import simulate
    from inference.training import data as sim_data

    seg = UNetSegmenter(device="cpu")
    for name in BASES:
        cache_case(seg, studies.open_volume(DATA / "ct" / name), None,
                   root / "bases" / f"{_stem(name)}.npz")
    for name, (seed0, grades, share) in BASAL.items():
        series = sim_data.load_series(DATA, name)
        v, o = series.volume, Orientation.of(series.volume)
        ks = np.nonzero((series.right | series.left).any(axis=(1, 2)))[0]
        n = int(np.ceil(share * (ks[-1] - ks[0] + 1)))
        slab = np.zeros(v.shape[0], bool)
        if o.superior_is_high_k:
            slab[ks[0]:ks[0] + n] = True
        else:
            slab[ks[-1] - n + 1:ks[-1] + 1] = True
        for i, grade in enumerate(grades):
            path = root / "basal" / f"{_stem(name)}_{seed0 + i}.npz"
            if path.exists():
                continue
            case = simulate(v.voxels, v.spacing, o, series.right & slab[:, None, None],
                            series.left & slab[:, None, None], grade,
                            np.random.default_rng(seed0 + i))
            truth = case.truth
            truth[series.right & (truth == 0)] = Label.LUNG_RIGHT
            truth[series.left & (truth == 0)] = Label.LUNG_LEFT
            vol = Volume(voxels=case.hu, spacing=v.spacing, origin=v.origin,
                         direction=v.direction, info=SeriesInfo(modality="CT"))
            cache_case(seg, vol, truth, path)


def without_bands(features):
    """The features as before the band exclusion (every component counted)."""
    return replace(features, band_share=0.0, outside_bands=None)


def diaphragm_bands(labels: np.ndarray, volume: Volume) -> list[dict]:
    """Per lesion component of 0.5 mL or more: mL, share within 5 mm of the lung surface,
    share of its voxels whose nearest non-lung lies below (mostly vertically)."""
    o = Orientation.of(volume)
    mm = np.array([volume.spacing[2], volume.spacing[1], volume.spacing[0]])
    lung = labels > 0
    comps = Components.of(np.isin(labels, GGO + CONSOLIDATION))
    pad = np.ceil(12.0 / mm).astype(int) + 1
    out = []
    for idx, sl in enumerate(comps.objects, 1):
        ml = comps.sizes[idx] * voxel_ml(volume.spacing)
        if ml < 0.5:
            continue
        box = tuple(slice(max(0, s.start - p), min(n, s.stop + p))
                    for s, p, n in zip(sl, pad, lung.shape, strict=True))
        m = comps.local(idx, box)
        dist, ind = ndi.distance_transform_edt(lung[box], sampling=mm, return_indices=True)
        pts = np.nonzero(m)
        d = [(ind[a][pts] - pts[a]) * mm[a] for a in range(3)]
        below = (d[0] < 0) if o.superior_is_high_k else (d[0] > 0)
        facing = below & (np.abs(d[0]) > np.hypot(d[1], d[2]))
        out.append({"ml": round(float(ml), 2), "near": float((dist[m] <= 5.0).mean()),
                    "facing": float(facing.mean()), "box": box, "mask": m})
    return out


def report(root: Path, keep: Path | None = None) -> dict:
    res = {}
    groups = [("clean", sorted((root / "clean").glob("*.npz"))),
              ("bases", sorted((root / "bases").glob("*.npz"))),
              ("sim", sorted((root / "sim").glob("*.npz"))),
              ("basal", sorted((root / "basal").glob("*.npz")))]
    for group, paths in groups:
        for path in paths:
            case = load(path)
            v = case.volume
            raw = postprocess(v, case.classes, case.thorax)
            labels, _, m = read(raw, v)
            if keep is not None:  # the labels, for further study
                keep.mkdir(parents=True, exist_ok=True)
                np.savez_compressed(keep / f"{path.stem}.npz", labels=labels)
            lesion = np.isin(labels, GGO + CONSOLIDATION)
            before = (m.probability if m.grade == NOT_ASSESSABLE else covid_probability(
                without_bands(m.features), (m.features.burden_percent or 0) > 0))
            row = {"group": group, "grade": m.grade, "before": before, "after": m.probability,
                   "band_share": m.features.band_share,
                   "lesion_percent": round(100.0 * lesion.sum() / max(1, (labels > 0).sum()),
                                           3)}
            if case.truth is not None:
                t = measure(case.truth, v.spacing, Orientation.of(v))
                row["truth"] = (t.grade, t.probability)
            comps = diaphragm_bands(labels, v)
            truth_lesion = (None if case.truth is None
                            else np.isin(case.truth, GGO + CONSOLIDATION))
            drops = {}
            for near, facing in CANDIDATES:
                ml = true_ml = 0.0
                for c in comps:
                    if c["near"] >= near and c["facing"] >= facing:
                        ml += c["ml"]
                        if truth_lesion is not None:
                            true_ml += c["ml"] * float(truth_lesion[c["box"]][c["mask"]].mean())
                drops[f"{near}/{facing}"] = (round(ml, 1), round(true_ml, 2))
            row["drops"] = drops
            res[path.stem] = row
            print(path.stem, row, flush=True)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["cache", "report"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-cache"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--labels", type=Path, help="keep each case's labels here")
    args = parser.parse_args()
    if args.what == "cache":
        cache(args.cache)
        return
    res = report(args.cache, args.labels)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
