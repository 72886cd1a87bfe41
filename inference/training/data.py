"""Simulated training and validation cases from real chest CTs (split written down here).

Training: ``ct/lidc-idri-0001`` (full chest), ``ct/siemens-j2k-abdomen`` (lung bases and
abdomen: slices with little or no lung) and the contrast-enhanced TotalSegmentator crops
``ct/chest-crop-a.nii.gz``, ``ct/chest-crop-b.nii.gz`` (mediastinum, hila and medial lungs;
two more patients), seeds 0..99. Training-side tuning cases: ``ct/lidc-idri-0001``, seeds
500+. Validation (never trained or tuned on): ``ct/lidc-idri-0003`` (another patient and
scanner), seeds 1000+.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as nnf

from inference.geometry import Orientation
from inference.labels import CONSOLIDATION, GGO, LEFT, N_CLASSES, RIGHT
from inference.lungs import segment_lungs
from inference.model import InputGrid, resample_in, to_input
from inference.simulate import SimulatedCase, simulate, training_negatives
from studies import Volume, open_volume

# Series the training recipes (inference.training.train.RECIPES) may draw on.
TRAIN_SERIES = ("ct/lidc-idri-0001", "ct/siemens-j2k-abdomen", "ct/chest-crop-a.nii.gz",
                "ct/chest-crop-b.nii.gz")
# Crops cut through the lungs at their sides and back: closed there by soft tissue for the
# lung truth, and that padding is ignored by the loss.
CROP_SERIES = ("ct/chest-crop-a.nii.gz", "ct/chest-crop-b.nii.gz")
CROP_PAD_MM = 18.0
VALIDATION_SERIES = ("ct/lidc-idri-0003",)
TRAIN_SEED0 = 0
TUNING_SEED0 = 500
VALIDATION_SEED0 = 1000
IGNORE = 255  # class-map value the loss ignores (outside a cropped series)


@dataclass
class CleanSeries:
    """A real series and its classical lung masks (the lung truth before lesions)."""

    name: str
    volume: Volume
    right: np.ndarray
    left: np.ndarray
    valid: np.ndarray | None = None  # (k, j, i) real voxels; None: all


def _pad_crop(volume: Volume) -> np.ndarray:
    """Close a chest crop by soft tissue at its sides and back; returns the valid mask."""
    orient = Orientation.of(volume)
    pad_j = max(1, round(CROP_PAD_MM / float(volume.spacing[1])))
    pad_i = max(1, round(CROP_PAD_MM / float(volume.spacing[0])))
    pj = (0, pad_j) if orient.posterior_is_high_j else (pad_j, 0)
    pads = ((0, 0), pj, (pad_i, pad_i))
    rng = np.random.default_rng(0)
    tissue = np.pad(np.zeros(volume.shape, bool), pads, constant_values=True)
    hu = np.pad(volume.voxels, pads).astype(np.int16)
    hu[tissue] = np.round(40 + rng.normal(0, 10, int(tissue.sum()))).astype(np.int16)
    volume.voxels = hu
    return ~tissue


def load_series(data_root: Path, name: str) -> CleanSeries:
    volume = open_volume(data_root / name)
    valid = _pad_crop(volume) if name in CROP_SERIES else None
    # Clean CTs have no consolidated lung to restore: no lateral hull in the truth.
    right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume),
                                hull=False)
    return CleanSeries(name, volume, right, left, valid)


def cases(series: CleanSeries, grades: list[int], seed0: int,
          extra_negatives: bool = False) -> Iterator[SimulatedCase]:
    """One simulated case per grade, seeded ``seed0, seed0+1, ...``; ``extra_negatives``
    adds the training-only hard negatives (from a separate stream, seed + 100000)."""
    orient = Orientation.of(series.volume)
    for n, grade in enumerate(grades):
        rng = np.random.default_rng(seed0 + n)
        case = simulate(series.volume.voxels, series.volume.spacing, orient, series.right,
                        series.left, grade, rng)
        if extra_negatives:
            training_negatives(case, series.volume.spacing, orient,
                               np.random.default_rng(seed0 + n + 100_000))
        yield case


def truth_classes(truth: np.ndarray) -> np.ndarray:
    """Voxel truth (sided labels) to the network's classes (0 bg, 1 lung, 2 GGO, 3 cons)."""
    out = np.zeros(truth.shape, np.uint8)
    out[np.isin(truth, RIGHT + LEFT)] = 1
    out[np.isin(truth, GGO)] = 2
    out[np.isin(truth, CONSOLIDATION)] = 3
    return out


def to_training_slices(case: SimulatedCase, spacing, valid: np.ndarray | None = None
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """(HU slices normalised, class maps) on the network's input grid; where ``valid`` is
    given, pixels mostly outside it are :data:`IGNORE`."""
    x, _ = to_input(case.hu, spacing, InputGrid())
    cls = torch.from_numpy(truth_classes(case.truth).astype(np.int64))
    onehot = nnf.one_hot(cls, N_CLASSES).permute(0, 3, 1, 2).float()
    background = torch.tensor([1.0] + [0.0] * (N_CLASSES - 1))
    frac, _ = resample_in(onehot, spacing, InputGrid(), background)
    y = frac.argmax(dim=1).to(torch.uint8)
    if valid is not None:
        v = torch.from_numpy(valid.astype(np.float32))[:, None]
        inside, _ = resample_in(v, spacing, InputGrid(), 0.0)
        y[inside[:, 0] < 0.5] = IGNORE
    return x.half(), y
