"""Helpers for checking what a screenshot shows (real pixels, not file existence)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def read_gray(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(float).mean(axis=2)


def ct_view_rows(gray: np.ndarray) -> np.ndarray:
    """The black-backed VTK area (Qt's menus, docks and status bar are light)."""
    dark = gray < 5
    cols = np.nonzero(dark.mean(axis=0) > 0.3)[0]
    assert cols.size > 100, "no black-backed VTK view found in the screenshot"
    area = dark[:, cols.min() : cols.max() + 1]
    rows = np.nonzero(area.mean(axis=1) > 0.1)[0]
    return gray[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


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
    body = view > 90  # soft tissue in a lung or a mediastinal window; not air, not lung
    assert body.sum() > 1000, "no body found"
    # The body's extent: rows/columns with real content (not thin text or lines).
    h0, h1 = _longest_run(body.sum(axis=1) > 0.15 * view.shape[1])
    w0, w1 = _longest_run(body[h0 : h1 + 1].sum(axis=0) > 0.05 * (h1 - h0 + 1))
    dh, dw = (h1 - h0) // 4, (w1 - w0) // 4
    core = view[h0 + dh : h1 - dh, w0 + dw : w1 - dw]
    dark_grey = float(((core > 20) & (core < 130)).mean())
    black = float((core <= 10).mean())
    bright = float((core > 200).mean())
    return dark_grey, black, bright


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """First and last index of the longest run of True (the body, not a line of text)."""
    best, start = (0, -1), None
    for n, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = n
        elif not flag and start is not None:
            if n - 1 - start > best[1] - best[0]:
                best = (start, n - 1)
            start = None
    assert best[1] >= best[0], "no body found"
    return best
