"""The lesion simulator: involvement hits its target, HU ranges, vessels kept, negatives."""

import numpy as np
import pytest

from inference.geometry import Orientation
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT, Label
from inference.lungs import segment_lungs
from inference.simulate import (
    GRADE_RANGES,
    _dependent_density,
    simulate,
    training_negatives,
)
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


def test_training_negatives_are_lung_and_leave_lesions_alone(clean):
    v, right, left = clean
    orient = Orientation.of(v)
    seen = set()
    for seed in range(12):
        case = simulate(v.voxels, v.spacing, orient, right, left, 2, np.random.default_rng(seed))
        before_truth, before_hu = case.truth.copy(), case.hu.copy()
        training_negatives(case, v.spacing, orient, np.random.default_rng(seed + 100_000))
        seen.update(case.negatives)
        assert np.array_equal(case.truth[np.isin(before_truth, GGO + CONSOLIDATION)],
                              before_truth[np.isin(before_truth, GGO + CONSOLIDATION)])
        changed = case.hu != before_hu
        assert not np.isin(case.truth[changed], GGO + CONSOLIDATION).any()
        assert np.isin(case.truth[changed], (Label.LUNG_RIGHT, Label.LUNG_LEFT)).all()
        if "large-nodules" in case.negatives:
            solid = changed & (case.hu > -100)
            assert solid.sum() * np.prod(v.spacing) > 4 / 3 * np.pi * 7.0**3 * 0.3
    assert {"dependent-density", "large-nodules"} <= seen


def test_dependent_density_is_thin_and_posterior(clean):
    v, right, left = clean
    orient = Orientation.of(v)
    for seed in range(20):
        case = simulate(v.voxels, v.spacing, orient, right, left, 0, np.random.default_rng(seed),
                        negatives=False)
        case.hu = case.hu.astype(np.float32)
        before = case.hu.copy()
        _dependent_density(case, v.spacing, orient, np.random.default_rng(seed))
        raised = (case.hu.astype(float) - before) > 30
        if not raised.any():
            continue
        j = np.nonzero(raised)[1]
        lung_j = np.nonzero(right | left)[1]
        assert np.median(j) > np.median(lung_j)  # posterior half (j grows posteriorly here)
        assert raised.sum() < 0.15 * (right | left).sum()  # a thin band, not a patch
        return
    pytest.fail("no dependent density drawn")

