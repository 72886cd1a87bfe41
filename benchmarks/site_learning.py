"""Learning from corrections: fine-tune on one real chest's correction, measure on others.

    .venv/bin/python benchmarks/site_learning.py [--steps 200] [--device cpu] [--out FILE]

1. The active (shipped) model reads ``ct/lidc-idri-0003`` (GE, a clean chest with nodules:
   every lesion it finds is false; the shipped model reads it CT-1). The correction a reader
   would make, "erase this component" on every lesion, is saved through the real API
   (``inference.corrections`` + ``records``) in a throwaway ``LUCH_HOME``.
2. ``luch train --site``'s fine-tuning (``inference.site_training.fine_tune``) runs on it.
3. The shipped model and the candidate read, by the same ``evaluate``: the other real
   chest of another vendor (``popi-philips-phase00``, Philips, a tumour), whose false lesion
   is the question, the shipped model's own training chest (``lidc-idri-0001``, read CT-0
   already: it must stay so), and simulated lesions (CT-1, CT-2, CT-3, seeds 1000-1002 of
   the validation stream) in ``popi-philips-phase00``, to see whether sensitivity is paid
   for it.
   Prints both, the ratios, and what the gate would decide on these studies.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ["LUCH_HOME"] = tempfile.mkdtemp(prefix="luch-bench-site-")

    import records
    import studies
    from inference.corrections import build_correction
    from inference.eval_sets import TRUTH_FULL, TRUTH_NONE, StudyRef, TruthStudy
    from inference.evaluate import evaluate_refs, table
    from inference.gate import decide
    from inference.labels import CONSOLIDATION, GGO, Label
    from inference.preread import PreReadOptions, analyze
    from inference.registry import ModelRegistry
    from inference.site_training import SiteSample, fine_tune
    from inference.training import data as sim_data

    print(f"load average {os.getloadavg()[0]:.1f}, cores {os.cpu_count()}")
    t0 = time.time()
    train_path = DATA / "ct" / "lidc-idri-0003"
    volume = studies.open_volume(train_path)
    read = analyze(volume, PreReadOptions(device=args.device))
    lesion = np.isin(read.labels, GGO + CONSOLIDATION)
    corrected = read.labels.copy()
    right = np.isin(read.labels, (Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT))
    corrected[lesion] = np.where(right[lesion], Label.LUNG_RIGHT, Label.LUNG_LEFT)
    store = records.open_store()
    rid = store.save_ai_result(volume.info.study_instance_uid, model_name="luch-unet",
                               model_version=read.model_version, values=read.to_json(),
                               sync=False)
    correction = build_correction(volume, read.labels, corrected, read.to_json(), "bench",
                                  Path(os.environ["LUCH_HOME"]) / "corrections")
    store.save_ai_correction(rid, **correction.record(), source_path=str(train_path))
    (saved,) = store.ai_corrections(latest_only=True)
    print(f"correction of lidc-idri-0003: read {read.measures.grade}, "
          f"{read.measures.involvement_percent['total']} %, "
          f"{correction.changes['voxels_changed']} voxels erased; corrected grade "
          f"{saved.values['grade']} ({time.time() - t0:.0f} s)")

    t1 = time.time()
    registry = ModelRegistry()
    candidate = fine_tune([SiteSample(saved.uid, saved.source_path, saved.labels_file)],
                          registry, args.steps, args.device)  # its log flushed per line
    train_s = time.time() - t1
    print(f"candidate {candidate.version}: {args.steps} steps in {train_s:.0f} s")

    clean = {}
    for name in ("popi-philips-phase00", "lidc-idri-0001"):
        clean[name] = studies.open_volume(DATA / "ct" / name)
    refs = [StudyRef(n, lambda n=n: TruthStudy(n, clean[n], None, TRUTH_NONE, "CT-0"))
            for n in clean]
    series = sim_data.load_series(DATA, "ct/popi-philips-phase00")
    for case in sim_data.cases(series, [1, 2, 3], sim_data.VALIDATION_SEED0):
        v = studies.Volume(voxels=case.hu, spacing=series.volume.spacing,
                           origin=series.volume.origin, direction=series.volume.direction,
                           info=series.volume.info)
        name = f"popi-sim-CT-{case.target_grade}"
        refs.append(StudyRef(name, lambda v=v, case=case, name=name: TruthStudy(
            name, v, case.truth, TRUTH_FULL, f"CT-{case.target_grade}")))
    before = evaluate_refs(refs, registry.shipped().weights, args.device, label="other chests")
    after = evaluate_refs(refs, candidate.weights, args.device, label="other chests")
    print(table(before))
    print(table(after))
    print(f"\n{'study':<26} {'shipped':>12} {'candidate':>12} {'ratio':>7}")
    for b, a in zip(before.studies, after.studies, strict=True):
        if b.false_lesion_percent is not None:
            fb, fa = b.false_lesion_percent, a.false_lesion_percent
            ratio = f"{fa / fb:7.2f}" if fb else "    n/a"
            print(f"{b.name:<26} {fb:10.3f} % {fa:10.3f} % {ratio}  grade {b.grade} -> "
                  f"{a.grade}")
        else:
            print(f"{b.name:<26} Dice {b.dice['lesion']:.3f}  Dice {a.dice['lesion']:.3f}"
                  f"          grade {b.grade} -> {a.grade} (truth {b.truth_grade})")
    decision = decide(after.summary, before.summary)
    print(f"gate on these studies: {'passed' if decision.passed else 'failed'} "
          f"{decision.reasons}")
    print(f"total {time.time() - t0:.0f} s, load average {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.write_text(json.dumps({"shipped": before.to_json(), "candidate":
                                        after.to_json(), "steps": args.steps,
                                        "train_seconds": round(train_s),
                                        "gate": decision.to_dict()}, indent=1))


if __name__ == "__main__":
    main()
