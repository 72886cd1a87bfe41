"""Where a clean chest's false lesion lies, by region (issue 17).

    .venv/bin/python benchmarks/false_lesion_regions.py [--chest popi-philips-phase00]
        [--tag v2] [--cache /tmp/luch-folds]

Works on a label map ``benchmarks/ai_folds.py`` cached for the clean chest; the solid-foci
rule runs first as in ``analyze`` (a named nodule or tumour is not false lesion). Each
remaining lesion voxel is attributed to its nearest non-lung voxel (3D, mm): inside
:func:`inference.lungs.mediastinum_mask` (hila, heart border, great vessels); below the lung
and mostly vertical (diaphragm); else the costal pleura, in the posterior half of the lung
(dependent) or anterior / lateral. Voxels deeper than 15 mm into the lung are
"intrapulmonary". A script's attribution, not a radiologist's read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ai_folds import DATA, read  # noqa: E402
from inference.geometry import Orientation, voxel_ml  # noqa: E402
from inference.labels import CONSOLIDATION, GGO  # noqa: E402
from inference.lungs import mediastinum_mask  # noqa: E402

DEEP_MM = 15.0


def regions(chest: str, tag: str, cache: Path) -> list[tuple[str, float, float, float]]:
    """(region, mL, % of lung, consolidation share) per region of the false lesion."""
    import studies

    v = studies.open_volume(DATA / "ct" / chest)
    lab, foci, _ = read(np.load(cache / tag / f"{chest}-clean.npz")["labels"], v)
    mm = np.array([v.spacing[2], v.spacing[1], v.spacing[0]])
    lesion, lung = np.isin(lab, GGO + CONSOLIDATION), lab > 0
    med = mediastinum_mask(v.voxels, v.spacing, Orientation.of(v))
    dist, idx = ndi.distance_transform_edt(lung, sampling=mm, return_indices=True)
    kk, jj, _ = np.nonzero(lesion)
    nk, nj, ni = (idx[a][lesion] for a in range(3))
    dk, dj = (nk - kk) * mm[0], (nj - jj) * mm[1]
    di = (ni - np.nonzero(lesion)[2]) * mm[2]
    head_up = float(np.asarray(v.direction)[2][2]) > 0
    below = (dk < 0) if head_up else (dk > 0)
    rows = np.nonzero(lung.any(axis=(0, 2)))[0]
    posterior = jj > (rows[0] + rows[-1]) / 2  # rows run anterior -> posterior (LPS)
    region = np.where(dist[lesion] > DEEP_MM, "intrapulmonary (> 15 mm deep)",
                      np.where(med[nk, nj, ni], "mediastinal border: hila, heart, great vessels",
                               np.where(below & (np.abs(dk) > np.hypot(dj, di)),
                                        "diaphragm (lung bases)",
                                        np.where(posterior, "costal pleura, posterior (dependent)",
                                                 "costal pleura, anterior / lateral"))))
    cons = np.isin(lab[lesion], CONSOLIDATION)
    vml = voxel_ml(v.spacing)
    print(f"{chest}: false lesion {lesion.sum() * vml:.1f} mL of {lung.sum() * vml:.0f} mL; "
          f"named: {[f.flag() for f in foci]}")
    return [(r, float((region == r).sum() * vml), 100.0 * (region == r).sum() / lung.sum(),
             float(cons[region == r].mean())) for r in np.unique(region)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chest", default="popi-philips-phase00")
    parser.add_argument("--tag", default="v2")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/luch-folds"))
    args = parser.parse_args()
    rows = regions(args.chest, args.tag, args.cache)
    total = sum(r[1] for r in rows)
    for name, ml, pct, cons in sorted(rows, key=lambda r: -r[1]):
        print(f"| {name} | {ml:.1f} mL | {100 * ml / total:.0f} % | {pct:.2f} % | {cons:.2f} |")


if __name__ == "__main__":
    main()
