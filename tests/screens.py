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


def split_views(gray: np.ndarray) -> list[np.ndarray]:
    """The VTK views of a screenshot, left to right, top to bottom (split at light gaps)."""
    rows = ct_view_rows(gray)
    views = []
    for band in _split(rows, axis=0):
        views.extend(_split(band, axis=1))
    return views


def _split(image: np.ndarray, axis: int) -> list[np.ndarray]:
    """Cut ``image`` at lines (rows for axis 0, columns for 1) that are light all along."""
    light = (image > 150).all(axis=1 - axis)
    parts, start = [], None
    for n, is_gap in enumerate([*light, True]):
        if not is_gap and start is None:
            start = n
        elif is_gap and start is not None:
            if n - start > 50:
                parts.append(image[start:n] if axis == 0 else image[:, start:n])
            start = None
    return parts


def chest_fractions(gray: np.ndarray) -> tuple[float, float, float]:
    """In the middle of the body of the first (axial) view: (dark-grey, black, bright) shares."""
    view = split_views(gray)[0]
    bright = view > 200
    assert bright.sum() > 1000, "no bright body found"
    # The body's extent: rows/columns with real bright content (not thin text or lines).
    ys = np.nonzero(bright.sum(axis=1) > 0.15 * view.shape[1])[0]
    xs = np.nonzero(bright.sum(axis=0) > 0.15 * view.shape[0])[0]
    h0, h1, w0, w1 = ys.min(), ys.max(), xs.min(), xs.max()
    dh, dw = (h1 - h0) // 4, (w1 - w0) // 4
    core = view[h0 + dh : h1 - dh, w0 + dw : w1 - dw]
    dark_grey = float(((core > 20) & (core < 130)).mean())
    black = float((core <= 10).mean())
    bright = float((core > 200).mean())
    return dark_grey, black, bright
