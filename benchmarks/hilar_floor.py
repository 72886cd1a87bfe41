"""The great-vessel rule's floor, lowered for popi's 14.7 mL hilar vessel (issue 17, h16).

    .venv/bin/python benchmarks/hilar_floor.py [--labels /tmp/ai-h15/labels2]
        [--cache /tmp/ai-h15/cache]

Post 9's rule (:mod:`inference.vessels`) drops a blood-dense, elongated lesion component
along the mediastinum from :data:`inference.vessels.MIN_ML` 20 mL and
:data:`inference.vessels.MIN_EXTENT_MM` 30 mm. Popi's second hilar component (14.7 mL,
26 mm, median +5 HU) escapes both. On the labels kept by ``basal_bands.py report --labels``
(post 9: the larger vessels are gone already) and the cached CT, mediastinum and truth, per
case: what the rule with each lowered floor (:data:`FLOORS`, declared before any result)
would drop, and how much of it is simulated lesion.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.border_cache import labelled_cases  # noqa: E402
from inference import vessels  # noqa: E402
from inference.geometry import voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402

FLOORS = [(20.0, 30.0), (10.0, 20.0), (5.0, 15.0)]  # (MIN_ML, MIN_EXTENT_MM)
GROUPS = ("clean", "bases", "sim", "basal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=Path("/tmp/ai-h15/labels2"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h15/cache"))
    args = parser.parse_args()
    extent = vessels.MIN_EXTENT_MM
    for group, case, labels in labelled_cases(args.cache, args.labels, GROUPS):
        hu, spacing = case.volume.voxels, case.volume.spacing
        med = case.thorax[1]
        lesion = np.isin(labels, GGO + CONSOLIDATION)
        truth = (np.isin(case.truth, GGO + CONSOLIDATION) if case.truth is not None
                 else np.zeros_like(lesion))
        ml = voxel_ml(spacing)
        out = []
        for min_ml, min_extent in FLOORS:
            vessels.MIN_EXTENT_MM = min_extent
            try:
                gone = vessels.great_vessels(lesion, hu, med, spacing, min_ml=min_ml)
            finally:
                vessels.MIN_EXTENT_MM = extent
            out.append(f"{min_ml:g}mL/{min_extent:g}mm: {gone.sum() * ml:.1f} mL "
                       f"(true {(gone & truth).sum() * ml:.1f})")
        print(group, case.key, f"lesion {lesion.sum() * ml:.1f} mL;", "; ".join(out),
              flush=True)


if __name__ == "__main__":
    main()
