"""Simulated training and validation cases from real chest CTs (split written down here).

Training: ``ct/lidc-idri-0001`` (full chest) and ``ct/siemens-j2k-abdomen`` (lung bases and
abdomen: slices with little or no lung), seeds 0..99. Validation (never trained on):
``ct/lidc-idri-0003`` (another patient and scanner), seeds 1000+.
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
from inference.simulate import SimulatedCase, simulate
from studies import Volume, open_volume

TRAIN_SERIES = ("ct/lidc-idri-0001", "ct/siemens-j2k-abdomen")
VALIDATION_SERIES = ("ct/lidc-idri-0003",)
TRAIN_SEED0 = 0
VALIDATION_SEED0 = 1000


@dataclass
class CleanSeries:
    """A real series and its classical lung masks (the lung truth before lesions)."""

    name: str
    volume: Volume
    right: np.ndarray
    left: np.ndarray


def load_series(data_root: Path, name: str) -> CleanSeries:
    volume = open_volume(data_root / name)
    # Clean CTs have no consolidated lung to restore: no lateral hull in the truth.
    right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume),
                                hull=False)
    return CleanSeries(name, volume, right, left)


def cases(series: CleanSeries, grades: list[int], seed0: int) -> Iterator[SimulatedCase]:
    """One simulated case per grade, seeded ``seed0, seed0+1, ...``."""
    orient = Orientation.of(series.volume)
    for n, grade in enumerate(grades):
        rng = np.random.default_rng(seed0 + n)
        yield simulate(series.volume.voxels, series.volume.spacing, orient, series.right,
                       series.left, grade, rng)


def truth_classes(truth: np.ndarray) -> np.ndarray:
    """Voxel truth (sided labels) to the network's classes (0 bg, 1 lung, 2 GGO, 3 cons)."""
    out = np.zeros(truth.shape, np.uint8)
    out[np.isin(truth, RIGHT + LEFT)] = 1
    out[np.isin(truth, GGO)] = 2
    out[np.isin(truth, CONSOLIDATION)] = 3
    return out


def to_training_slices(case: SimulatedCase, spacing) -> tuple[torch.Tensor, torch.Tensor]:
    """(HU slices normalised, class maps) on the network's input grid."""
    x, _ = to_input(case.hu, spacing, InputGrid())
    cls = torch.from_numpy(truth_classes(case.truth).astype(np.int64))
    onehot = nnf.one_hot(cls, N_CLASSES).permute(0, 3, 1, 2).float()
    background = torch.tensor([1.0] + [0.0] * (N_CLASSES - 1))
    frac, _ = resample_in(onehot, spacing, InputGrid(), background)
    return x.half(), frac.argmax(dim=1).to(torch.uint8)
