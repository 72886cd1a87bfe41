"""Network outputs cached for post-processing studies (issue 17, the lung-border levers).

    .venv/bin/python benchmarks/border_cache.py [--cache /tmp/ai-cache] [--cases 5]

For the three real chests as they are, ``--cases`` simulated cases in each (seeds 500+,
1000+, 3000+ as in ``ai_folds.py``; grades 0,1,2,3,4,...) and every axial covid slice:
the shipped U-Net's classes before post-processing, its low-resolution logits (float16)
and the classical thorax masks, with the simulated truth and HU. A post-processing rule
can then be tried on them without the network (:func:`load`, :func:`postprocess`): the
shipped post-processing on these arrays gives the shipped labels.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studies import SeriesInfo, Volume  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CHESTS = {"lidc-idri-0001": 500, "lidc-idri-0003": 1000, "popi-philips-phase00": 3000}


@dataclass
class Case:
    """One cached case: its volume, the network's classes, thorax masks and truth."""

    key: str
    volume: Volume
    classes: np.ndarray
    thorax: tuple[np.ndarray, np.ndarray, np.ndarray]
    truth: np.ndarray | None
    logits: np.ndarray | None = None


def _save(path: Path, volume: Volume, classes, thorax, truth, logits) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {} if truth is None else {"truth": truth}
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, hu=volume.voxels, spacing=np.asarray(volume.spacing, float),
                        origin=np.asarray(volume.origin, float),
                        direction=np.asarray(volume.direction, float), classes=classes,
                        body=np.packbits(thorax[0]), mediastinum=np.packbits(thorax[1]),
                        envelope=np.packbits(thorax[2]), logits=logits, **extra)
    tmp.replace(path)  # whole files only: a reader never sees one half written


def load(path: Path, with_logits: bool = False) -> Case:
    """A cached case (see the module's docstring)."""
    z = np.load(path)
    hu = z["hu"]
    n = hu.size

    def unpack(name):
        return np.unpackbits(z[name], count=n).view(bool).reshape(hu.shape)

    vol = Volume(voxels=hu, spacing=tuple(z["spacing"]), origin=tuple(z["origin"]),
                 direction=z["direction"], info=SeriesInfo(modality="CT"))
    return Case(path.stem, vol, z["classes"],
                (unpack("body"), unpack("mediastinum"), unpack("envelope")),
                z["truth"] if "truth" in z.files else None,
                z["logits"] if with_logits else None)


def postprocess(volume: Volume, classes: np.ndarray, thorax) -> np.ndarray:
    """The shipped post-processing of cached network classes (no segmenter needed)."""
    from inference.segmenters import UNetSegmenter  # deferred: as cache_case

    return UNetSegmenter._postprocess(UNetSegmenter, volume, classes, thorax)


def labelled_cases(cache: Path, labels: Path, groups) -> Iterator[tuple[str, Case, np.ndarray]]:
    """(group, case, its saved post-processed label map) for each case of ``groups`` in the
    cache that has a label map of the same name in ``labels`` (h15's saved outputs)."""
    for group in groups:
        for path in sorted((cache / group).glob("*.npz")):
            saved = labels / path.name
            if saved.exists():
                yield group, load(path), np.load(saved)["labels"]


def _network(seg, volume: Volume) -> tuple[np.ndarray, np.ndarray]:
    """(classes, low-resolution logits float16) as ``UNetSegmenter._classes``."""
    import torch

    from inference.model import classes_out, to_input
    from inference.segmenters import SLAB

    n, rows, cols = volume.shape
    out = np.empty((n, rows, cols), np.uint8)
    lows = []
    with torch.inference_mode():
        for start in range(0, n, SLAB):
            x, place = to_input(volume.voxels[start:start + SLAB], volume.spacing, seg.grid)
            logits = seg.forward(x).float().cpu().numpy()
            out[start:start + SLAB] = classes_out(logits, place, rows, cols)
            lows.append(logits.astype(np.float16))
    return out, np.concatenate(lows)


def cache_case(seg, volume: Volume, truth, path: Path) -> None:
    from inference.segmenters import _thorax

    if path.exists():
        return
    t = time.perf_counter()
    classes, logits = _network(seg, volume)
    _save(path, volume, classes, _thorax(volume), truth, logits)
    print(f"cached {path.name} ({time.perf_counter() - t:.0f} s)", flush=True)


def main() -> None:
    import studies
    from inference.segmenters import UNetSegmenter
    from inference.training import data as sim_data

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-cache"))
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument("--only", choices=["slices", "clean", "sim"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["slices", "clean", "sim"])
    seg = UNetSegmenter(device="cpu")
    if "slices" in only:
        for f in sorted((DATA / "covid-slices").glob("*/axial/*.dcm")):
            cache_case(seg, studies.open_volume(f), None,
                       args.cache / "slices" / f"{f.parent.parent.name}_{f.stem}.npz")
    if "clean" in only:
        for chest in CHESTS:
            path = args.cache / "clean" / f"{chest}.npz"
            if not path.exists():
                cache_case(seg, studies.open_volume(DATA / "ct" / chest), None, path)
    if "sim" in only:
        for chest, seed0 in CHESTS.items():
            paths = [args.cache / "sim" / f"{chest}_{seed0 + n}.npz" for n in range(args.cases)]
            if all(p.exists() for p in paths):
                continue
            series = sim_data.load_series(DATA, f"ct/{chest}")
            grades = [g % 5 for g in range(args.cases)]
            for path, case in zip(paths, sim_data.cases(series, grades, seed0), strict=True):
                vol = Volume(voxels=case.hu, spacing=series.volume.spacing,
                             origin=series.volume.origin, direction=series.volume.direction,
                             info=SeriesInfo(modality="CT"))
                cache_case(seg, vol, case.truth, path)


if __name__ == "__main__":
    main()
