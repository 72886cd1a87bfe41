"""Input density normalisation at inference, leave one real chest out (issue 17).

    .venv/bin/python benchmarks/ai_normalise.py [--denoise] [--cache DIR] [--cases-dir DIR]
        [--json FILE]

The CT's HU are shifted, before the network, so that a low percentile of its own aerated
lung (classical lungs of that very CT, no hull) matches the same percentile of v2's one real
training chest (``lidc-idri-0001``), within +-100 HU (:func:`inference.density.normalised`).
A low percentile is the darkest, least diseased lung: with half the lung diseased, the 5th
percentile of the lung is still the 10th of its normal half. Candidates (``PERCENTILES``):
no shift, the 5th, 10th and 25th percentile (the 25th is the rule measured and rejected
before, ``benchmarks/ai_density.py shift``; its label maps are reused from the same cache
tag ``v2-shift``). Network and post-processing see the shifted CT (the shipped v2 weights,
post 6; the solid-foci rule and the measures as in ``analyze``).

Per chest (``CASES``: the three real whole chests, five simulated cases each, one per
grade, the seeds of ``benchmarks/ai_folds.py``): the clean chest read as it is (grade,
probability, false lesion % of lung, foci named) and the simulated cases (grade accuracy,
worst-lung error, lung and lesion Dice); the 12 real covid axial slices (visible lesion
found, clear slices called clear) as the guard that real disease is not erased.

``--denoise``: instead of the shifts, noise-adaptive in-plane smoothing
(:func:`inference.density.denoised`): a CT whose soft-tissue noise (median local s.d.) is
above the training chest's (12.9 HU) is smoothed with the smallest Gaussian that brings it
there; nothing is fitted, and a chest that is not noisier is read as it is.

Choice, declared before any result of the 5th/10th percentile was seen (2026-12-06): each
fold chooses on the two other chests, among the candidates whose simulated grade accuracy
summed over those two chests is not lower than no shift's, whose mean worst-lung error is
at most 0.5 pp higher and whose pooled lesion Dice at most 0.01 lower, the one with the
least mean clean false lesion %; no shift when none beats it. The choice is reported on
the held-apart chest. It ships only if, on every held-apart chest, it lowers the clean false
lesion without losing simulated grade accuracy, and the covid slices keep every visible
lesion found and no clear slice worse.

Outcome (2026-12-06 night): neither ships (figures in ``docs/model-card.md``, "Inference-time
levers").
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

from benchmarks.ai_eval import VISUAL_REFERENCE, slice_agreement  # noqa: E402
from benchmarks.ai_folds import DATA, dice, read, segment_cached, summarise  # noqa: E402
from inference import density  # noqa: E402
from inference.geometry import Orientation  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.measures import measure  # noqa: E402
from inference.training import data as sim_data  # noqa: E402
from studies import SeriesInfo, Volume  # noqa: E402

CASES = {"ct/popi-philips-phase00": (3000, 5), "ct/lidc-idri-0003": (1000, 5),
         "ct/lidc-idri-0001": (500, 5)}
PERCENTILES = (None, 5.0, 10.0, 25.0)
REFERENCE_CHEST = "ct/lidc-idri-0001"
LESION = GGO + CONSOLIDATION


def tag_of(q: float | None) -> str:
    if q == "denoise":
        return "v2-denoise"
    return "v2" if q is None else "v2-shift" if q == 25.0 else f"v2-p{q:g}"


def cache_tag(q, shift) -> str:
    """The label-map cache of a candidate; an unchanged input shares no shift's maps."""
    return tag_of(q) if shift else "v2"


def simulated(chest: str, seed0: int, n: int, cases_dir: Path):
    """(volume, truth) of each simulated case, from ``cases_dir`` when made before."""
    name = chest.split("/")[-1]
    series = None
    for k in range(n):
        path = cases_dir / f"{name}-{seed0 + k}.npz"
        if path.exists():
            z = np.load(path)
            hu, truth = z["hu"], z["truth"]
            if series is None:
                import studies
                series = studies.open_volume(DATA / chest)
            ref = series
        else:
            s = sim_data.load_series(DATA, chest)
            case = next(iter(sim_data.cases(s, [k % 5], seed0 + k)))
            hu, truth, ref = case.hu, case.truth, s.volume
        yield seed0 + k, Volume(voxels=hu, spacing=ref.spacing, origin=ref.origin,
                                direction=ref.direction, info=SeriesInfo(modality="CT")), truth


def shifted(volume: Volume, q: float | str | None, refs: dict) -> tuple[Volume, float]:
    """The candidate's input: shifted HU (the shift), or smoothed (``denoise``: sigma)."""
    if q is None:
        return volume, 0
    if q == "denoise":
        return density.denoised(volume)
    return density.normalised(volume, refs[q], 100.0, q)


def run_chest(chest: str, seg, refs: dict, cache: Path, cases_dir: Path, log=print) -> dict:
    import studies

    name = chest.split("/")[-1]
    volume = studies.open_volume(DATA / chest)
    out = {tag_of(q): {"cases": []} for q in PERCENTILES}
    for q in PERCENTILES:
        vol, shift = shifted(volume, q, refs)
        lab, foci, m = read(segment_cached(seg, cache_tag(q, shift), f"{name}-clean", vol,
                                           cache), vol)
        lung = int((lab > 0).sum())
        out[tag_of(q)]["clean"] = {
            "shift_hu": shift, "grade": m.grade, "probability": m.probability,
            "false_percent": round(100.0 * np.isin(lab, LESION).sum() / max(lung, 1), 3),
            "foci": [f.flag() for f in foci]}
        log(f"{name} clean {tag_of(q)}: {out[tag_of(q)]['clean']}")
    seed0, n = CASES[chest]
    for seed, vol0, truth in simulated(chest, seed0, n, cases_dir):
        t = measure(truth, vol0.spacing, Orientation.of(vol0))
        t_inv = t.involvement_percent
        for q in PERCENTILES:
            start = time.perf_counter()
            vol, shift = shifted(vol0, q, refs)
            lab, _, p = read(segment_cached(seg, cache_tag(q, shift), f"{name}-{seed}", vol,
                                            cache), vol)
            inv = p.involvement_percent
            row = {"seed": seed, "shift": shift, "truth": t.grade, "pred": p.grade,
                   "err_worst": abs(max(inv["left"], inv["right"])
                                    - max(t_inv["left"], t_inv["right"])),
                   "lung": dice(lab > 0, truth > 0),
                   "lesion": dice(np.isin(lab, LESION), np.isin(truth, LESION))}
            out[tag_of(q)]["cases"].append(row)
            log(f"{name} seed {seed} {tag_of(q)} shift {shift}: truth {t.grade} pred {p.grade} "
                f"err {row['err_worst']:.2f} ({time.perf_counter() - start:.0f} s)")
    for r in out.values():
        r["summary"] = summarise(r["cases"])
    return out


def run_covid(seg, refs: dict, cache: Path) -> dict:
    """The covid axial slices read with each candidate."""
    import studies

    out = {}
    for q in PERCENTILES:
        rows = []
        for f in sorted((DATA / "covid-slices").glob("*/axial/*.dcm")):
            v = studies.open_volume(f)
            key = f"{f.parent.parent.name}/{f.stem}"
            vol, shift = shifted(v, q, refs)
            labels = segment_cached(seg, cache_tag(q, shift), f"covid-{key.replace('/', '-')}",
                                    vol, cache)
            lung = int((labels > 0).sum())
            rows.append({"slice": key, "visible": VISUAL_REFERENCE.get(key), "shift": shift,
                         "lung_cm2": round(lung * v.spacing[0] * v.spacing[1] / 100.0, 1),
                         "lesion_percent": round(100.0 * np.isin(labels, LESION).sum()
                                                 / lung, 1) if lung else None})
        out[tag_of(q)] = {"agreement": slice_agreement(rows), "rows": rows}
    return out


def choose(res: dict, train: list[str]) -> str:
    """The fold's candidate by the criterion of the module doc, on the chests ``train``."""
    def pooled(tag):
        cases = [c for ch in train for c in res[ch][tag]["cases"]]
        s = summarise(cases)
        return (s["grade_accuracy"] * s["n"], s["err_worst_mean"], s["lesion_dice"],
                float(np.mean([res[ch][tag]["clean"]["false_percent"] for ch in train])))

    base = pooled("v2")
    best, best_false = "v2", base[3]
    for q in PERCENTILES[1:]:
        acc, err, les, false = pooled(tag_of(q))
        if (acc >= base[0] - 1e-9 and err <= base[1] + 0.5 and les >= base[2] - 0.01
                and false < best_false):
            best, best_false = tag_of(q), false
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/luch-folds"))
    parser.add_argument("--cases-dir", type=Path, default=Path("/tmp/ai17h/cases"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-slices", action="store_true")
    parser.add_argument("--denoise", action="store_true",
                        help="the noise-adaptive smoothing instead of the shifts")
    args = parser.parse_args()
    global PERCENTILES
    if args.denoise:
        PERCENTILES = (None, "denoise")
    import studies
    from inference.segmenters import UNetSegmenter

    ref_volume = studies.open_volume(DATA / REFERENCE_CHEST)
    refs = {q: (density.REFERENCE_P25_HU if q == 25.0
                else round(density.lung_percentile(ref_volume, q)))
            for q in PERCENTILES[1:] if q != "denoise"}
    print(f"references (lidc-idri-0001 classical lungs): {refs}", flush=True)
    seg = UNetSegmenter(None, device="cpu")
    res = {}
    for chest in CASES:
        res[chest] = run_chest(chest, seg, refs, args.cache, args.cases_dir,
                               log=lambda s: print(s, flush=True))
        if args.json:
            args.json.write_text(json.dumps({"references": refs, "chests": res}, indent=1))
    covid = {} if args.no_slices else run_covid(seg, refs, args.cache)
    for tag, c in covid.items():
        print(f"covid {tag}: {c['agreement']} "
              + ", ".join(f"{r['slice']} {r['lesion_percent']} (shift {r['shift']})"
                          for r in c["rows"]))
    folds = {}
    for held in CASES:
        train = [c for c in CASES if c != held]
        tag = choose(res, train)
        folds[held] = {"chosen": tag, "on": train, "held": res[held][tag],
                       "no_shift": res[held]["v2"]}
        h = res[held][tag]
        print(f"\nfold {held}: chosen {tag} on {train}\n  held apart: clean {h['clean']}\n"
              f"  simulated {h['summary']}\n  no shift: clean {res[held]['v2']['clean']}\n"
              f"  simulated {res[held]['v2']['summary']}")
    for chest, r in res.items():
        for tag, x in r.items():
            s = x["summary"]
            print(f"{chest} {tag}: clean {x['clean']['grade']} {x['clean']['probability']} "
                  f"{x['clean']['false_percent']} % shift {x['clean']['shift_hu']} | acc "
                  f"{s['grade_accuracy']} err {s['err_worst_mean']} / {s['err_worst_max']} "
                  f"lung {s['lung_dice']} lesion {s['lesion_dice']} shifts "
                  f"{[c['shift'] for c in x['cases']]}")
    if args.json:
        args.json.write_text(json.dumps({"references": refs, "chests": res, "covid": covid,
                                         "folds": folds}, indent=1))


if __name__ == "__main__":
    main()
