"""A synthetic chest phantom (body, two lungs, vessels) for fast, data-free tests."""

from __future__ import annotations

import numpy as np
import pytest

from studies import SeriesInfo, Volume

SPACING = (2.5, 2.5, 5.0)  # x, y, z mm
SHAPE = (40, 128, 128)  # k, j, i


def ellipsoid(center_mm, radii_mm, shape=SHAPE, spacing=SPACING) -> np.ndarray:
    k, j, i = np.ogrid[: shape[0], : shape[1], : shape[2]]
    x, y, z = i * spacing[0], j * spacing[1], k * spacing[2]
    cx, cy, cz = center_mm
    rx, ry, rz = radii_mm
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + ((z - cz) / rz) ** 2 <= 1


def make_phantom(consolidation_bite: bool = False, lungs: bool = True) -> Volume:
    """Soft-tissue body with two aerated lungs (about 1.2 L each) and a few vessels."""
    rng = np.random.default_rng(7)
    hu = np.full(SHAPE, -1000.0)
    hu[ellipsoid((160, 160, 100), (140, 100, 400))] = 40.0
    if lungs:
        for cx in (105, 215):  # patient right lung at low i (x), left at high i
            hu[ellipsoid((cx, 160, 100), (45, 70, 90))] = -860.0
        for cx in (95, 225):
            hu[ellipsoid((cx, 150, 100), (3, 3, 200))] = 30.0  # a vessel along z
    if consolidation_bite:
        # Consolidated peripheral lung on the right: 0 HU where lung was, touching the wall.
        bite = ellipsoid((105, 160, 100), (45, 70, 90)) & ellipsoid((62, 160, 100), (18, 25, 30))
        hu[bite] = 10.0
    hu += rng.normal(0, 10, SHAPE)
    return Volume(voxels=hu.astype(np.int16), spacing=SPACING, origin=(0.0, 0.0, 0.0),
                  info=SeriesInfo(modality="CT", series_description="phantom"))


@pytest.fixture
def phantom() -> Volume:
    return make_phantom()


@pytest.fixture(scope="session")
def demo_preread():
    """The bundled demo chest (real LIDC, a 2.5 cm solid nodule, no pneumonia) and its
    shipped U-Net pre-read on the CPU, run once for every test that reads it."""
    import studies
    from core.paths import DEMO_STUDY
    from inference.preread import PreReadOptions, analyze

    volume = studies.open_volume(DEMO_STUDY)
    return volume, analyze(volume, PreReadOptions(engine="unet", device="cpu"))
