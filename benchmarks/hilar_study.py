"""Hilar "consolidation" on an unseen chest (issue 17): can a rule decided on the other
chests remove it without losing simulated lesion? A study on cached label maps, no rule.

    .venv/bin/python benchmarks/hilar_study.py [--cache /tmp/luch-folds] [--tag v2]

For each lesion component of 1 mL or more in the shipped pre-read's label maps (cached by
``benchmarks/ai_folds.py``: each real chest read as it is and its simulated cases), prints
volume, craniocaudal extent, consolidation share, the share of its voxels in the
mediastinum (``inference.lungs.mediastinum_mask`` of the clean chest: the heart and great
vessels, whatever lesion a case adds) and its contact with it (share of the non-lung voxels
around it that are mediastinum), and whether it is false (half or more of it lies in the
clean chest's own false lesion) or simulated lesion.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.lungs import mediastinum_mask  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CHESTS = {"lidc-idri-0001": range(500, 505), "lidc-idri-0003": range(1000, 1010),
          "popi-philips-phase00": range(3000, 3010)}


def components(labels: np.ndarray, mediastinum: np.ndarray, clean_lesion: np.ndarray,
               spacing) -> list[dict]:
    lesion = np.isin(labels, GGO + CONSOLIDATION)
    comps, _ = ndi.label(lesion, structure=np.ones((3, 3, 3), bool))
    ml = voxel_ml(spacing)
    rows = []
    for k, sl in enumerate(ndi.find_objects(comps), 1):
        pad = tuple(slice(max(0, s.start - 2), s.stop + 2) for s in sl)
        c = comps[pad] == k
        size = int(c.sum()) * ml
        if size < 1.0:
            continue
        ring = ndi.binary_dilation(c, np.ones((1, 3, 3), bool), iterations=2) & ~c
        ring &= labels[pad] == 0
        cons = np.isin(labels[pad][c], CONSOLIDATION).mean()
        ks = np.nonzero(c.any(axis=(1, 2)))[0]
        rows.append({"ml": round(size, 1), "mm": round((ks[-1] - ks[0] + 1) * float(spacing[2])),
                     "cons": round(float(cons), 2),
                     "in_med": round(float(mediastinum[pad][c].mean()), 2),
                     "contact_med": round(float(mediastinum[pad][ring].mean()), 2)
                     if ring.any() else 0.0,
                     "false": bool(clean_lesion[pad][c].mean() >= 0.5)})
    return rows


def main() -> None:
    import studies

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/luch-folds"))
    parser.add_argument("--tag", default="v2")
    args = parser.parse_args()
    for name, seeds in CHESTS.items():
        volume = studies.open_volume(DATA / "ct" / name)
        med = mediastinum_mask(volume.voxels, volume.spacing, Orientation.of(volume))
        clean = np.load(args.cache / args.tag / f"{name}-clean.npz")["labels"]
        clean_lesion = np.isin(clean, GGO + CONSOLIDATION)
        for key in ["clean", *map(str, seeds)]:
            path = args.cache / args.tag / f"{name}-{key}.npz"
            if not path.exists():
                continue
            labels = np.load(path)["labels"]
            for r in components(labels, med, clean_lesion, volume.spacing):
                if r["cons"] >= 0.3 or r["contact_med"] >= 0.3 or r["ml"] >= 20:
                    print(name, key, r, flush=True)


if __name__ == "__main__":
    main()
