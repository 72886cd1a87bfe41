"""Patient-space helpers: which voxel direction is patient-left, inferior, posterior."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studies import Volume


@dataclass(frozen=True)
class Orientation:
    """Signs telling how the voxel axes run in patient (LPS) space."""

    left_is_high_i: bool  # patient-left lies at larger column index i
    posterior_is_high_j: bool  # posterior lies at larger row index j
    superior_is_high_k: bool  # head lies at larger slice index k

    @classmethod
    def of(cls, volume: Volume) -> Orientation:
        d = np.asarray(volume.direction, dtype=float)
        # LPS: +x = patient left, +y = posterior, +z = superior.
        return cls(bool(d[0, 0] >= 0), bool(d[1, 1] >= 0), bool(d[2, 2] >= 0))


def voxel_ml(spacing: tuple[float, float, float]) -> float:
    """Volume of one voxel in millilitres."""
    return float(np.prod(spacing)) / 1000.0
