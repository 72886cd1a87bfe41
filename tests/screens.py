"""Helpers for checking what a screenshot shows (real pixels, not file existence)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def read_gray(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(float).mean(axis=2)


def ct_view_rows(gray: np.ndarray) -> np.ndarray:
    """The rows of the black-backed VTK view (Qt's menu and status bars are light)."""
    rows = np.where(gray[:, 1] < 5)[0]
    assert rows.size > 100, "no black-backed VTK view found in the screenshot"
    return gray[rows.min() : rows.max() + 1]


def chest_fractions(gray: np.ndarray) -> tuple[float, float, float]:
    """In the middle of the body: fractions of (dark-grey, black, bright) pixels."""
    view = ct_view_rows(gray)
    ys, xs = np.where(view > 200)
    assert ys.size > 1000, "no bright body found"
    h0, h1, w0, w1 = ys.min(), ys.max(), xs.min(), xs.max()
    dh, dw = (h1 - h0) // 4, (w1 - w0) // 4
    core = view[h0 + dh : h1 - dh, w0 + dw : w1 - dw]
    dark_grey = float(((core > 20) & (core < 130)).mean())
    black = float((core <= 10).mean())
    bright = float((core > 200).mean())
    return dark_grey, black, bright
