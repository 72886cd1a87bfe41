"""Leave one real chest out: a fold's weights against the shipped ones on the held-apart chest.

    .venv/bin/python benchmarks/ai_folds.py --chest ct/popi-philips-phase00 \
        --weights v2=resources/models/luch-lung-unet.pt --weights fold=/tmp/v4ft-popi.pt \
        [--cases 10] [--first-seed 3000] [--cache DIR]

For each weights file, on the held-apart chest: the clean chest read as it is (grade,
probability, false lesion % of lung, foci set aside) and ``--cases`` simulated cases
(``inference/simulate.py``, seeds from ``--first-seed``, grades 0,1,2,3,4,0,...) with grade
accuracy, worst-lung involvement error, lung and lesion Dice. The post-processing is the
shipped one (``UNetSegmenter``); the solid-foci rule and the measures run as in
``inference.preread.analyze``. The segmenter's label maps are cached (``--cache``), so a
rule applied after segmentation (the solid-foci rule) can be studied on them without the
network (:func:`read`). Seeds used in the model card: ``lidc-idri-0001`` 500+, ``lidc-idri-0003``
1000+, ``popi-philips-phase00`` 3000+ (never trained on: training uses seeds 0..99).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inference.findings import head_up  # noqa: E402
from inference.foci import set_aside_solid_foci  # noqa: E402
from inference.geometry import Orientation  # noqa: E402
from inference.grading import GRADES  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.measures import measure  # noqa: E402
from inference.training import data as sim_data  # noqa: E402
from studies import SeriesInfo, Volume  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def segment_cached(seg, tag: str, key: str, volume: Volume, cache: Path) -> np.ndarray:
    path = cache / tag / f"{key}.npz"
    if path.exists():
        return np.load(path)["labels"]
    labels = seg.segment(volume, None, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, labels=labels)
    return labels


def read(labels: np.ndarray, volume: Volume):
    """The solid-foci rule and the measures on a segmenter's labels (as ``analyze``)."""
    labels, foci = set_aside_solid_foci(labels, volume.spacing, head_up(volume.direction))
    m = measure(labels, volume.spacing, Orientation.of(volume),
                flags=[f.flag() for f in foci])
    return labels, foci, m


def dice(a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    return int((a & b).sum()), int(a.sum() + b.sum())


def evaluate(chest: str, weights: dict[str, Path], n_cases: int, seed0: int, cache: Path,
             log=print) -> dict:
    import studies
    from inference.segmenters import UNetSegmenter

    segs = {tag: UNetSegmenter(path, device="cpu") for tag, path in weights.items()}
    out = {tag: {"version": s.version, "cases": []} for tag, s in segs.items()}
    name = chest.split("/")[-1]
    volume = studies.open_volume(DATA / chest)
    for tag, seg in segs.items():
        labels, foci, m = read(segment_cached(seg, tag, f"{name}-clean", volume, cache), volume)
        lesion = np.isin(labels, GGO + CONSOLIDATION)
        lung = int((labels > 0).sum())
        out[tag]["clean"] = {"grade": m.grade, "probability": m.probability,
                             "false_percent": round(100.0 * lesion.sum() / max(lung, 1), 3),
                             "foci": [f.flag() for f in foci]}
        log(f"{tag} clean {name}: {out[tag]['clean']}")
    series = sim_data.load_series(DATA, chest)
    grades = [g % 5 for g in range(n_cases)]
    orient = Orientation.of(series.volume)
    for n, case in enumerate(sim_data.cases(series, grades, seed0)):
        vol = Volume(voxels=case.hu, spacing=series.volume.spacing, origin=series.volume.origin,
                     direction=series.volume.direction, info=SeriesInfo(modality="CT"))
        truth = measure(case.truth, vol.spacing, orient)
        t_lesion = np.isin(case.truth, GGO + CONSOLIDATION)
        for tag, seg in segs.items():
            t = time.perf_counter()
            labels, _, m = read(segment_cached(seg, tag, f"{name}-{seed0 + n}", vol, cache), vol)
            inv, t_inv = m.involvement_percent, truth.involvement_percent
            row = {"seed": seed0 + n, "truth": truth.grade, "pred": m.grade,
                   "err_worst": abs(max(inv["left"], inv["right"])
                                    - max(t_inv["left"], t_inv["right"])),
                   "lung": dice(labels > 0, case.truth > 0),
                   "lesion": dice(np.isin(labels, GGO + CONSOLIDATION), t_lesion)}
            out[tag]["cases"].append(row)
            log(f"{tag} seed {seed0 + n}: truth {truth.grade} pred {m.grade} worst-lung error "
                f"{row['err_worst']:.2f} pp ({time.perf_counter() - t:.0f} s)")
    for r in out.values():
        r["summary"] = summarise(r["cases"])
    return out


def summarise(cases: list[dict]) -> dict:
    if not cases:
        return {}
    err = [c["err_worst"] for c in cases]

    def pooled(key):
        i, t = (sum(c[key][k] for c in cases) for k in (0, 1))
        return round(2 * i / t, 4) if t else None

    return {"grade_accuracy": round(float(np.mean([c["truth"] == c["pred"] for c in cases])), 3),
            "n": len(cases), "err_worst_mean": round(float(np.mean(err)), 2),
            "err_worst_max": round(float(np.max(err)), 2), "lung_dice": pooled("lung"),
            "lesion_dice": pooled("lesion"),
            "confusion": [[sum(1 for c in cases if c["truth"] == t and c["pred"] == p)
                           for p in GRADES] for t in GRADES]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chest", required=True)
    parser.add_argument("--weights", action="append", required=True, help="TAG=PATH")
    parser.add_argument("--cases", type=int, default=10)
    parser.add_argument("--first-seed", type=int, required=True)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/luch-folds"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    weights = {w.split("=", 1)[0]: Path(w.split("=", 1)[1]) for w in args.weights}
    res = evaluate(args.chest, weights, args.cases, args.first_seed, args.cache)
    for tag, r in res.items():
        print(f"\n== {tag} ({r['version']}) on {args.chest}: clean {r['clean']}\n   "
              f"simulated {r['summary']}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
