"""Bowel gas in the classical lungs and the simulator's truth (issue 17, h18).

    .venv/bin/python benchmarks/classical_gas.py lungs [--json OUT]
    .venv/bin/python benchmarks/classical_gas.py cases [--cache /tmp/ai-h18/cache] [--json OUT]

Post-processing 12 drops a U-Net lung component with :data:`inference.lungs.GAS_SHARE` of its
voxels below :data:`inference.lungs.GAS_HU` (bowel gas). Since h18 the classical lungs
(:func:`inference.lungs.segment_lungs`: the classical engine, the simulator's lung truth
and the thorax masks the U-Net's post-processing reads) apply the same rule to their
aerated components.

``lungs``: for every real volume (the three chests, the two bases volumes, the two chest
crops, the axial covid slices) the classical lungs with the rule off (share above 1) and on:
lung mL of the truth form (no hull), of the engine's form (hull) and whether the thorax
masks (body, mediastinum, envelope) are the same voxel for voxel; on the bases volumes the
classical engine's grade off and on.

``cases``: ``chest-abdomen-3mm``'s simulated cases 4100-4104 (grades 1, 2, 3, 1, 2, lesion
anywhere in the lung, as ``basal_bands.py``) made again from the new truth; the shipped U-Net
(cached under ``--cache``, ``border_cache.py``'s format) and post-processing read them. Per
case: the truth's and the reading's grade (both gated by the assessability rules of
:mod:`inference.measures`), the involvement per lung without the gate (lesion mL / lung mL of
each side, as the grade would use), lung and lesion mL and the lesion Dice; and how much of the
old truth's lesion lay outside the new truth's lung (the colon).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import read  # noqa: E402
from benchmarks.border_cache import DATA, cache_case, load, postprocess  # noqa: E402
from inference import lungs  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT, Label  # noqa: E402
from inference.measures import measure  # noqa: E402
from studies import SeriesInfo, Volume  # noqa: E402

DATA = Path(os.environ.get("LUCH_SHARED_DATA", DATA))  # the tests' override too
SERIES = ("ct/lidc-idri-0001", "ct/lidc-idri-0003", "ct/popi-philips-phase00",
          "ct/siemens-j2k-abdomen", "ct/chest-abdomen-3mm.nii.gz", "ct/chest-crop-a.nii.gz",
          "ct/chest-crop-b.nii.gz")
BASES = "ct/chest-abdomen-3mm.nii.gz"
SEED0, GRADES = 4100, [1, 2, 3, 1, 2]  # as benchmarks/basal_bands.py BASAL


class _Rule:
    """The gas rule on (the shipped share) or off (a share above 1) inside the block."""

    def __init__(self, on: bool):
        self.share = lungs.GAS_SHARE if on else 2.0

    def __enter__(self):
        self.old, lungs.GAS_SHARE = lungs.GAS_SHARE, self.share

    def __exit__(self, *_):
        lungs.GAS_SHARE = self.old


def _volumes():
    import studies

    for name in SERIES:
        yield name, studies.open_volume(DATA / name)
    for f in sorted((DATA / "covid-slices").glob("*/axial/*.dcm")):
        yield f"slices/{f.parent.parent.name}_{f.stem}", studies.open_volume(f)


def lungs_study() -> dict:
    from inference.segmenters import ClassicalSegmenter, _thorax

    res = {}
    for name, v in _volumes():
        o, ml = Orientation.of(v), voxel_ml(v.spacing)
        row, masks = {}, {}
        t0 = time.process_time()
        for tag, on in (("off", False), ("on", True)):
            with _Rule(on):
                truth = lungs.segment_lungs(v.voxels, v.spacing, o, hull=False)
                engine = lungs.segment_lungs(v.voxels, v.spacing, o)
                thorax = _thorax(v)
                row[tag] = {"truth_ml": round(float((truth[0] | truth[1]).sum() * ml), 1),
                            "engine_ml": round(float((engine[0] | engine[1]).sum() * ml), 1)}
                if not name.startswith("slices"):
                    labels = ClassicalSegmenter().segment(v)
                    row[tag]["classical_grade"] = read(labels, v)[2].grade
            masks[tag] = (truth, engine, thorax)
        row["same_truth"] = all(np.array_equal(a, b) for a, b in
                                zip(masks["off"][0], masks["on"][0], strict=True))
        row["same_engine"] = all(np.array_equal(a, b) for a, b in
                                 zip(masks["off"][1], masks["on"][1], strict=True))
        row["same_thorax"] = all(np.array_equal(a, b) for a, b in
                                 zip(masks["off"][2], masks["on"][2], strict=True))
        row["cpu_s"] = round(time.process_time() - t0, 1)
        res[name] = row
        print(name, json.dumps(row), flush=True)
    return res


def _truth(volume: Volume, right, left, seed: int, grade: int) -> tuple[np.ndarray, np.ndarray]:
    """(HU, truth) of one simulated case on these lungs, as ``basal_bands.py cache``."""
    from inference.simulate import simulate

    case = simulate(volume.voxels, volume.spacing, Orientation.of(volume), right, left, grade,
                    np.random.default_rng(seed))
    truth = case.truth
    truth[right & (truth == 0)] = Label.LUNG_RIGHT
    truth[left & (truth == 0)] = Label.LUNG_LEFT
    return case.hu, truth


def _ungated(labels: np.ndarray, ml: float) -> dict:
    """Per side: lung mL, lesion mL and lesion % of that lung, no assessability gate."""
    out = {}
    for side, codes in (("right", RIGHT), ("left", LEFT)):
        lung = np.isin(labels, codes)
        les = lung & np.isin(labels, GGO + CONSOLIDATION)
        n = int(lung.sum())
        out[side] = [round(n * ml, 1), round(float(les.sum()) * ml, 1),
                     round(100.0 * les.sum() / n, 1) if n else None]
    return out


def cases_study(cache: Path) -> dict:
    import studies
    from inference.segmenters import UNetSegmenter

    v = studies.open_volume(DATA / BASES)
    o, ml = Orientation.of(v), voxel_ml(v.spacing)
    seg = UNetSegmenter(device="cpu")
    res = {}
    with _Rule(False):
        old_r, old_l = lungs.segment_lungs(v.voxels, v.spacing, o, hull=False)
    right, left = lungs.segment_lungs(v.voxels, v.spacing, o, hull=False)
    for n, grade in enumerate(GRADES):
        seed = SEED0 + n
        with _Rule(False):
            _, old = _truth(v, old_r, old_l, seed, grade)
        old_les = np.isin(old, GGO + CONSOLIDATION)
        hu, truth = _truth(v, right, left, seed, grade)
        path = cache / "basal" / f"chest-abdomen-3mm_{seed}.npz"
        vol = Volume(voxels=hu, spacing=v.spacing, origin=v.origin, direction=v.direction,
                     info=SeriesInfo(modality="CT"))
        cache_case(seg, vol, truth, path)
        case = load(path)
        labels, foci, m = read(postprocess(case.volume, case.classes, case.thorax),
                               case.volume)
        t = measure(truth, v.spacing, o)
        true, got = np.isin(truth, GGO + CONSOLIDATION), np.isin(labels, GGO + CONSOLIDATION)
        row = {"grade": grade,
               "old_truth": {"lung_ml": round(float((old > 0).sum() * ml), 1),
                             "lesion_ml": round(float(old_les.sum() * ml), 1),
                             "lesion_outside_new_lung_ml":
                                 round(float((old_les & ~(right | left)).sum() * ml), 1),
                             "grade": measure(old, v.spacing, o).grade},
               "truth": t.grade, "read": m.grade,
               "truth_ungated": _ungated(truth, ml), "read_ungated": _ungated(labels, ml),
               "lesion_dice": round(2.0 * (true & got).sum() / max(true.sum() + got.sum(), 1),
                                    3),
               "foci": len(foci)}
        res[str(seed)] = row
        print(seed, json.dumps(row), flush=True)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["lungs", "cases"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h18/cache"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    res = lungs_study() if args.what == "lungs" else cases_study(args.cache)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
