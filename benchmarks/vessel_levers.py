"""The great vessels read as lung and lesion, leave one chest out (issue 17, 2026-12-07).

    .venv/bin/python benchmarks/vessel_levers.py [--cache /tmp/ai-cache]
        [--weights TAG=FILE ...] [--json OUT] [--report-only]

Works on ``benchmarks/border_cache.py``'s cached cases (the three clean chests, five
simulated cases each, the axial covid slices). Settings are a network and a rule:

* the network: the shipped v2 (its cached classes) or other weights (``--weights``: the
  classes are computed here on the cached HU, with the cached thorax masks);
* the rule (after the shipped post-processing): none; ``corridor`` (lesion in the
  mediastinal corridor outside the classical lungs is neither lung nor lesion, the
  anatomical envelope taken at the lungs' own border) or ``corridor10`` (only where it is
  also more than 10 mm in-plane from them, :func:`inference.borders.lung_envelope`).

Every setting is read as ``border_levers.py`` reads its shares: each clean chest (grade,
probability, false lesion % of lung), the simulated cases (grade accuracy, worst-lung
error mean / max, lung and lesion Dice) and the covid slices; the rules are chosen per fold
on the other two chests and the development slices by ``border_levers.choose`` (declared
there before any result). Weights trained on ``lidc-idri-0001`` alone (as v2 and its
fine-tunes here) leave ``lidc-idri-0003`` and ``popi`` unseen: their figures are held out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_eval import VISUAL_REFERENCE  # noqa: E402
from benchmarks.ai_folds import read, summarise  # noqa: E402
from benchmarks.border_cache import CHESTS, load, postprocess  # noqa: E402
from benchmarks.border_levers import (  # noqa: E402
    DEV_SLICES,
    HELD_SLICES,
    choose,
    report_variant,
    sim_row,
    slice_calls,
)
from inference.geometry import Orientation  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.measures import measure  # noqa: E402

RULES = ("none", "corridor10", "corridor")  # in order of change: least first


def apply_rule(labels: np.ndarray, thorax, rule: str) -> np.ndarray:
    """``labels`` with lesion in the mediastinal corridor beyond the rule's reach from the
    classical lungs set to background (neither lung nor lesion)."""
    if rule == "none":
        return labels
    _, mediastinum, envelope = thorax
    where = mediastinum & (~envelope if rule == "corridor10" else True)
    drop = np.isin(labels, GGO + CONSOLIDATION) & where
    out = labels.copy()
    out[drop] = 0
    return out


def classes_for(tag: str, seg, case, store: Path) -> np.ndarray:
    """The network's classes on a cached case: cached for v2, else computed (and kept)."""
    if seg is None:
        return case.classes
    path = store / tag / f"{case.key}.npy"
    if path.exists():
        return np.load(path)
    from benchmarks.border_cache import _network

    classes, _ = _network(seg, case.volume)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, classes)
    return classes


def variants(case, segs: dict, store: Path) -> dict[str, np.ndarray]:
    out = {}
    for tag, seg in segs.items():
        classes = classes_for(tag, seg, case, store)
        base = postprocess(case.volume, classes, case.thorax)
        for rule in RULES:
            out[f"{tag}:{rule}"] = apply_rule(base, case.thorax, rule)
    return out


def evaluate(segs: dict, cache: Path, store: Path) -> dict[str, dict]:
    res: dict = {}

    def slot(name):
        return res.setdefault(name, {"clean": {}, "sim": {c: [] for c in CHESTS},
                                     "slices": {}})

    for chest in CHESTS:
        case = load(cache / "clean" / f"{chest}.npz")
        case.key = f"clean_{chest}"
        for name, labels in variants(case, segs, store).items():
            labels, foci, m = read(labels, case.volume)
            lesion = np.isin(labels, GGO + CONSOLIDATION).sum()
            slot(name)["clean"][chest] = {
                "grade": m.grade, "probability": m.probability, "foci": len(foci),
                "false_percent": round(100.0 * lesion / max(1, (labels > 0).sum()), 3)}
        for path in sorted((cache / "sim").glob(f"{chest}_*.npz")):
            case = load(path)
            case.key = f"sim_{path.stem}"
            vol = case.volume
            truth = measure(case.truth, vol.spacing, Orientation.of(vol))
            for name, labels in variants(case, segs, store).items():
                slot(name)["sim"][chest].append(sim_row(path, case, truth, labels))
        print(f"{chest} done", flush=True)
    for path in sorted((cache / "slices").glob("*.npz")):
        case = load(path)
        case.key = f"slice_{path.stem}"
        key = path.stem.replace("_", "/")
        px = case.volume.spacing[0] * case.volume.spacing[1] / 100.0
        for name, labels in variants(case, segs, store).items():
            lung = int((labels > 0).sum())
            lesion = int(np.isin(labels, GGO + CONSOLIDATION).sum())
            slot(name)["slices"][key] = {
                "lung_cm2": round(lung * px, 1), "visible": VISUAL_REFERENCE.get(key),
                "lesion_percent": round(100.0 * lesion / lung, 1) if lung else None,
                "lesion_cm2": round(lesion * px, 2)}
    for r in res.values():
        r["sim"] = {c: {"summary": summarise(rows), "cases": rows}
                    for c, rows in r["sim"].items()}
    return res


def report(results: dict) -> None:
    for name, res in results.items():
        report_variant(name, res)
        print(f"  slice calls dev {slice_calls(res['slices'], DEV_SLICES)} held "
              f"{slice_calls(res['slices'], HELD_SLICES)}")
    print("\n== rule folds (chosen per network on the other two chests, dev slices)")
    tags = sorted({n.split(":")[0] for n in results})
    for tag in tags:
        sub = {n: r for n, r in results.items() if n.startswith(f"{tag}:")}
        for held in CHESTS:
            tune = [c for c in CHESTS if c != held]
            pick = choose(sub, f"{tag}:none", tune, DEV_SLICES)
            r, b = sub[pick], sub[f"{tag}:none"]
            print(f"  {tag} held {held}: chose {pick}; clean "
                  f"{b['clean'][held]['false_percent']} -> {r['clean'][held]['false_percent']}"
                  f" %; sim acc {r['sim'][held]['summary']['grade_accuracy']}")


def main() -> None:
    from inference.segmenters import UNetSegmenter

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-cache"))
    parser.add_argument("--store", type=Path, default=Path("/tmp/ai-work/vessel-classes"))
    parser.add_argument("--weights", action="append", default=[],
                        help="TAG=FILE: other weights to read the cached cases with")
    parser.add_argument("--json", type=Path, default=Path("/tmp/ai-work/vessel.json"))
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(args.json.read_text())
    else:
        segs: dict = {"v2": None}
        for item in args.weights:
            tag, path = item.split("=", 1)
            segs[tag] = UNetSegmenter(Path(path), device="cpu")
        results = evaluate(segs, args.cache, args.store)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    report(results)


if __name__ == "__main__":
    main()
