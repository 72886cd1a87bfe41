"""The pre-read network: a small 2D U-Net on axial slices at reduced resolution.

Classes per pixel: background, lung (aerated), GGO, consolidation. Side (left/right) is
assigned afterwards from the lung components, so the network may be trained with flips.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as nnf
from torch import nn

from inference.labels import N_CLASSES

INPUT_SIZE = 144  # pixels per side of the network input
PIXEL_MM = 2.8  # input pixel size: a fixed 403 mm field of view whatever the scanner's
HU_LOW, HU_HIGH = -1024.0, 600.0
CHANNELS = (16, 32, 64, 96)


def normalise(hu: torch.Tensor) -> torch.Tensor:
    """HU to the network's input range (about -1..1 over lung to soft tissue)."""
    return (hu.clamp(HU_LOW, HU_HIGH) + 400.0) / 500.0


@dataclass(frozen=True)
class InputGrid:
    """How slices map to the network input: ``pixel_mm`` None = whole slice resized (v1)."""

    size: int = INPUT_SIZE
    pixel_mm: float | None = PIXEL_MM


@dataclass(frozen=True)
class Placement:
    """Where the resampled slice (``h`` x ``w``) sits in the input (offsets may be < 0)."""

    h: int
    w: int
    top: int
    left: int


def _place(rows: int, cols: int, spacing_xy, grid: InputGrid) -> Placement:
    if grid.pixel_mm is None:
        return Placement(grid.size, grid.size, 0, 0)
    h = max(8, round(rows * float(spacing_xy[1]) / grid.pixel_mm))
    w = max(8, round(cols * float(spacing_xy[0]) / grid.pixel_mm))
    return Placement(h, w, (grid.size - h) // 2, (grid.size - w) // 2)


def _overlap(p: Placement, size: int):
    """Slices of the input and of the resampled slice that overlap."""
    t0, l0 = max(p.top, 0), max(p.left, 0)
    t1, l1 = min(p.top + p.h, size), min(p.left + p.w, size)
    return (slice(t0, t1), slice(l0, l1)), (slice(t0 - p.top, t1 - p.top),
                                            slice(l0 - p.left, l1 - p.left))


def resample_in(t: torch.Tensor, spacing_xy, grid: InputGrid, fill: torch.Tensor | float
                ) -> tuple[torch.Tensor, Placement]:
    """``(n, c, rows, cols)`` to ``(n, c, size, size)`` on the input grid, padded by ``fill``."""
    n, c, rows, cols = t.shape
    p = _place(rows, cols, spacing_xy, grid)
    mode = "area" if p.h <= rows and p.w <= cols else "bilinear"
    r = nnf.interpolate(t, size=(p.h, p.w), mode=mode)
    out = torch.empty((n, c, grid.size, grid.size), dtype=t.dtype, device=t.device)
    out[:] = torch.as_tensor(fill, dtype=t.dtype, device=t.device).reshape(1, -1, 1, 1)
    dst, src = _overlap(p, grid.size)
    out[:, :, dst[0], dst[1]] = r[:, :, src[0], src[1]]
    return out, p


def resample_out(logits: torch.Tensor, p: Placement, rows: int, cols: int) -> torch.Tensor:
    """Network output back to ``(n, k, rows, cols)``; outside the input grid: background."""
    n, k, size, _ = logits.shape
    full = torch.full((n, k, p.h, p.w), -20.0, dtype=logits.dtype, device=logits.device)
    full[:, 0] = 20.0
    dst, src = _overlap(p, size)
    full[:, :, src[0], src[1]] = logits[:, :, dst[0], dst[1]]
    return nnf.interpolate(full, size=(rows, cols), mode="bilinear", align_corners=False)


def to_input(slices: np.ndarray | torch.Tensor, spacing_xy=(1.0, 1.0),
             grid: InputGrid = InputGrid()) -> tuple[torch.Tensor, Placement]:
    """``(n, rows, cols)`` HU slices to ``(n, 1, size, size)`` network input."""
    t = torch.as_tensor(slices, dtype=torch.float32)[:, None]
    x, p = resample_in(t, spacing_xy, grid, HU_LOW)
    return normalise(x), p


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


def _source_index(out_size: int, in_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each output row: the two input rows bilinear up-sampling (``align_corners``
    False) blends and the second one's weight, in float32 as torch computes them."""
    scale = np.float32(in_size) / np.float32(out_size)
    src = np.maximum(scale * (np.arange(out_size, dtype=np.float32) + np.float32(0.5))
                     - np.float32(0.5), np.float32(0.0))
    i0 = src.astype(np.int64)  # floor: src >= 0
    i1 = np.minimum(i0 + 1, in_size - 1)
    return i0, i1, np.clip(src - i0, 0.0, 1.0).astype(np.float32)


def classes_out(logits: np.ndarray, p: Placement, rows: int, cols: int) -> np.ndarray:
    """``argmax(resample_out(logits))`` as ``(n, rows, cols)`` uint8 classes, without
    up-sampling every logit: where the (up to) four input pixels an output pixel blends all
    have the same class, a blend of them has that class too (each is a convex combination
    of vectors whose largest entry is that class's); only the others, along the class
    borders, are blended. The same classes but for float rounding at near-ties."""
    n, k, size, _ = logits.shape
    full = np.full((n, k, p.h, p.w), -20.0, np.float32)
    full[:, 0] = 20.0
    dst, src = _overlap(p, size)
    full[:, :, src[0], src[1]] = logits[:, :, dst[0], dst[1]]
    low = np.argmax(full, axis=1).astype(np.uint8)  # first largest, as torch's argmax
    r0, r1, wr = _source_index(rows, p.h)
    c0, c1, wc = _source_index(cols, p.w)
    # Whether the 2x2 input pixels from (i, j) on (the last row and column paired with
    # themselves, as the clamped i1, j1 are) share a class: found at the input's size, then
    # gathered once, instead of comparing four gathered full-size class maps.
    edge = np.pad(low, ((0, 0), (0, 1), (0, 1)), mode="edge")
    uniform = ((low == edge[:, 1:, :-1]) & (low == edge[:, :-1, 1:])
               & (low == edge[:, 1:, 1:]))
    out = low[:, r0][:, :, c0]
    mixed = ~uniform[:, r0][:, :, c0]
    s, r, c = np.nonzero(mixed)
    if s.size:
        a, b = wr[r][:, None], wc[c][:, None]

        def at(rr, cc):
            return full[s, :, rr[r], cc[c]]  # (m, k)

        blend = ((1 - a) * ((1 - b) * at(r0, c0) + b * at(r0, c1))
                 + a * ((1 - b) * at(r1, c0) + b * at(r1, c1)))
        out[s, r, c] = np.argmax(blend, axis=1)
    return out
