"""Synthetic CT series written as real DICOM files, for studies tests and benchmarks.

A phantom (air, body ellipse, spine) in HU, stored as CT Image Storage with rescale and
padding like a real scanner writes it, so the files exercise the real readers end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from studies.synthetic import write_ct_series


@pytest.fixture
def make_series(tmp_path: Path) -> Callable[..., Path]:
    """``make_series(**options)`` writes a synthetic series into a fresh folder."""
    counter = iter(range(1000))

    def make(**options) -> Path:
        folder = tmp_path / f"series-{next(counter)}"
        write_ct_series(folder, **options)
        return folder

    return make


@pytest.fixture(scope="session")
def ct_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One plain 24-slice synthetic axial series (shared, read-only)."""
    folder = tmp_path_factory.mktemp("ct-series")
    write_ct_series(folder, slices=24)
    return folder
