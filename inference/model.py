"""The pre-read network: a small 2D U-Net on axial slices at reduced resolution.

Classes per pixel: background, lung (aerated), GGO, consolidation. Side (left/right) is
assigned afterwards from the lung components, so the network may be trained with flips.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as nnf
from torch import nn

from inference.labels import N_CLASSES

INPUT_SIZE = 128  # pixels per side the slice is resampled to
HU_LOW, HU_HIGH = -1024.0, 600.0
CHANNELS = (16, 32, 64, 96)


def normalise(hu: torch.Tensor) -> torch.Tensor:
    """HU to the network's input range (about -1..1 over lung to soft tissue)."""
    return (hu.clamp(HU_LOW, HU_HIGH) + 400.0) / 500.0


def to_input(slices: np.ndarray | torch.Tensor) -> torch.Tensor:
    """``(n, rows, cols)`` HU slices to ``(n, 1, INPUT_SIZE, INPUT_SIZE)`` network input."""
    t = torch.as_tensor(slices, dtype=torch.float32)[:, None]
    t = nnf.interpolate(t, size=(INPUT_SIZE, INPUT_SIZE), mode="area")
    return normalise(t)


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class UNet2D(nn.Module):
    """A four-level U-Net with batch norm; input ``(n, 1, h, w)`` with h, w divisible by 8."""

    def __init__(self, channels: tuple[int, ...] = CHANNELS, n_classes: int = N_CLASSES) -> None:
        super().__init__()
        self.channels = tuple(channels)
        self.down = nn.ModuleList()
        cin = 1
        for c in channels:
            self.down.append(_block(cin, c))
            cin = c
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for c_skip in reversed(channels[:-1]):
            self.up.append(nn.ConvTranspose2d(cin, c_skip, 2, stride=2))
            self.merge.append(_block(2 * c_skip, c_skip))
            cin = c_skip
        self.head = nn.Conv2d(cin, n_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else nnf.max_pool2d(x, 2))
            skips.append(x)
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1]), strict=True):
            x = merge(torch.cat([up(x), skip], dim=1))
        return self.head(x)
