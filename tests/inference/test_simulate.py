"""The lesion simulator: involvement hits its target, HU ranges, vessels kept, negatives."""

import numpy as np
import pytest

from inference.geometry import Orientation
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT, Label
from inference.lungs import segment_lungs
from inference.simulate import GRADE_RANGES, simulate
from tests.inference.conftest import make_phantom


@pytest.fixture(scope="module")
def clean():
    v = make_phantom()
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    return v, right, left


@pytest.mark.parametrize("grade", [1, 2, 3, 4])
def test_involvement_of_worst_lung_falls_in_grade(clean, grade):
    v, right, left = clean
    case = simulate(v.voxels, v.spacing, Orientation.of(v), right, left, grade,
                    np.random.default_rng(grade), negatives=False)
    lesion = np.isin(case.truth, GGO + CONSOLIDATION)
    worst = max((lesion & np.isin(case.truth, side)).sum() / np.isin(case.truth, side).sum()
                for side in (RIGHT, LEFT))
    lo, hi = GRADE_RANGES[grade]
    assert lo - 0.01 <= worst <= hi + 0.01


def test_ggo_keeps_vessels_and_consolidation_is_soft_tissue(clean):
    v, right, left = clean
    case = simulate(v.voxels, v.spacing, Orientation.of(v), right, left, 4,
                    np.random.default_rng(11), negatives=False)
    ggo = np.isin(case.truth, GGO)
    vessel = ggo & (v.voxels > 0)
    assert vessel.any()
    assert np.all(case.hu[vessel] >= v.voxels[vessel])  # max-blend: vessels never darken
    parenchyma = ggo & (v.voxels < -700)
    assert -800 < np.median(case.hu[parenchyma]) < -250
    cons = np.isin(case.truth, CONSOLIDATION)
    if cons.any():
        assert -160 < case.hu[cons].mean() < 160


def test_ct0_has_no_lesions_and_effusion_is_not_lung(clean):
    v, right, left = clean
    for seed in range(20):
        case = simulate(v.voxels, v.spacing, Orientation.of(v), right, left, 0,
                        np.random.default_rng(seed))
        assert not np.isin(case.truth, GGO + CONSOLIDATION).any()
        if "effusion" in case.negatives:
            fluid = (right | left) & (case.truth == Label.BACKGROUND)
            assert fluid.any()
            assert abs(np.median(case.hu[fluid])) < 40
            return
    pytest.fail("no effusion drawn in 20 seeds")
