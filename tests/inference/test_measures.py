"""Volumes, involvement, grade rules, pattern, not-assessable and dynamics on label maps."""

from dataclasses import replace

import numpy as np
import pytest

from inference.dynamics import compare
from inference.geometry import Orientation
from inference.labels import Label
from inference.measures import PatternFeatures, covid_probability, measure

SPACING = (1.0, 1.0, 2.0)  # 2 uL voxels: 500 voxels = 1 mL
ORIENT = Orientation(True, True, True)


def lungs_map(right_lesion: float, left_lesion: float, shape=(100, 60, 120)) -> np.ndarray:
    """Two box lungs of 100x60x50 voxels (600 mL each); lesions fill the first slices."""
    labels = np.zeros(shape, np.uint8)
    labels[:, :, 5:55] = Label.LUNG_RIGHT
    labels[:, :, 65:115] = Label.LUNG_LEFT
    for frac, sl, ggo in ((right_lesion, slice(5, 55), Label.GGO_RIGHT),
                          (left_lesion, slice(65, 115), Label.GGO_LEFT)):
        n = round(frac * shape[0])
        labels[:n, :, sl] = ggo
    return labels


def test_volumes_and_involvement():
    m = measure(lungs_map(0.30, 0.10), SPACING, ORIENT)
    assert m.volumes_ml["lung_right"] == pytest.approx(600.0)
    assert m.volumes_ml["lung_left"] == pytest.approx(600.0)
    assert m.volumes_ml["ggo"] == pytest.approx(240.0)
    assert m.involvement_percent == {"right": 30.0, "left": 10.0, "total": 20.0}


def test_worst_lung_rule_and_both_lungs_number():
    m = measure(lungs_map(0.60, 0.10), SPACING, ORIENT)
    assert (m.grade, m.grade_worst_lung, m.grade_both_lungs) == ("CT-3", "CT-3", "CT-2")
    m2 = measure(lungs_map(0.60, 0.10), SPACING, ORIENT, rule="both-lungs")
    assert m2.grade == "CT-2" and m2.rule == "both-lungs"


def test_consolidation_counts_as_involvement():
    labels = lungs_map(0.0, 0.0)
    labels[:80, :, 5:55] = Label.CONSOLIDATION_RIGHT
    m = measure(labels, SPACING, ORIENT)
    assert m.volumes_ml["consolidation"] == pytest.approx(480.0)
    assert m.grade == "CT-4"
    assert m.probability == "atypical"  # consolidation without GGO


def test_no_lesions_is_ct0_low():
    m = measure(lungs_map(0.0, 0.0), SPACING, ORIENT)
    assert (m.grade, m.probability) == ("CT-0", "low")


def test_lesion_below_noise_floor_is_ct0():
    labels = lungs_map(0.0, 0.0)
    labels[0, 0, 5:105] = Label.GGO_RIGHT  # 100 voxels = 0.2 mL
    assert measure(labels, SPACING, ORIENT).grade == "CT-0"


def test_no_lungs_is_not_assessable_never_ct0():
    m = measure(np.zeros((50, 60, 60), np.uint8), SPACING, ORIENT)
    assert m.grade == "not-assessable"
    assert m.grade_worst_lung == m.grade_both_lungs == "not-assessable"
    assert any(f.startswith("not-assessable") for f in m.quality_flags)


def test_lungs_barely_in_view_are_not_assessable():
    labels = lungs_map(0.0, 0.0)[:8]  # 16 mm of lung: 48 mL each
    m = measure(labels, SPACING, ORIENT)
    assert m.grade == "not-assessable"
    assert m.quality_flags == ["not-assessable:too-little-lung-coverage"]


def test_a_single_image_of_lung_is_too_little_coverage_not_missing_lungs():
    """One axial image through both lungs (the COVID-19 slice studies): the reader sees lung,
    so the reason given is the coverage, without "cut off at the first/last slice" noise."""
    m = measure(lungs_map(0.3, 0.3)[:1], SPACING, ORIENT)
    assert m.grade == "not-assessable"
    assert m.quality_flags == ["not-assessable:too-little-lung-coverage"]


def test_little_lung_over_a_long_extent_is_missing_lungs():
    """Lung bases in an abdomen scan: coverage long enough, too little lung in it."""
    labels = np.zeros((100, 60, 120), np.uint8)
    labels[:, :5, 5:15] = Label.LUNG_RIGHT  # 100 slices x 50 voxels: 10 mL each side
    labels[:, :5, 65:75] = Label.LUNG_LEFT
    m = measure(labels, SPACING, ORIENT)
    assert "not-assessable:lungs-missing-or-barely-in-view" in m.quality_flags


def test_one_lung_missing_is_not_assessable():
    labels = lungs_map(0.0, 0.0)
    labels[labels == Label.LUNG_LEFT] = 0
    m = measure(labels, SPACING, ORIENT)
    assert m.grade == "not-assessable"
    assert "not-assessable:one-lung-not-found" in m.quality_flags


def test_typical_pattern_is_high_probability():
    feat = PatternFeatures(bilateral=True, peripheral_share=0.8, lower_zone_share=0.7,
                           ggo_share=0.9)
    assert covid_probability(feat, True) == "high"
    assert covid_probability(PatternFeatures(True, 0.2, 0.3, 0.9), True) == "medium"
    assert covid_probability(PatternFeatures(False, 0.1, 0.2, 0.6), True) == "atypical"


def test_dynamics_flags_increase_of_half_or_more():
    prior = measure(lungs_map(0.20, 0.20), SPACING, ORIENT)
    grew = measure(lungs_map(0.30, 0.30), SPACING, ORIENT)  # +50 % lesion volume
    d = compare(grew, prior)
    assert d.lesion_volume_change_percent == pytest.approx(50.0)
    assert d.involvement_change_pp["total"] == pytest.approx(10.0)
    assert d.flag_increase
    less = compare(measure(lungs_map(0.29, 0.29), SPACING, ORIENT), prior)
    assert not less.flag_increase


def test_dynamics_new_lesions_and_not_assessable_prior():
    clear = measure(lungs_map(0.0, 0.0), SPACING, ORIENT)
    sick = measure(lungs_map(0.1, 0.0), SPACING, ORIENT)
    d = compare(sick, clear)
    assert d.flag_increase and d.lesion_volume_change_percent is None
    missing = measure(np.zeros((10, 10, 10), np.uint8), SPACING, ORIENT)
    assert compare(sick, missing).involvement_change_pp is None


def _patch(labels, k0, j0, i0, label, size=(10, 12, 12)) -> None:
    """A GGO patch (k, j, i box) at the lung's edge: peripheral, in the lower slices."""
    labels[k0:k0 + size[0], j0:j0 + size[1], i0:i0 + size[2]] = label


def test_probability_is_never_high_for_a_solitary_lesion():
    labels = lungs_map(0.0, 0.0)
    _patch(labels, 0, 0, 5, Label.GGO_RIGHT, size=(30, 30, 30))  # 54 mL, 4.5 %, one lesion
    m = measure(labels, SPACING, ORIENT)
    assert m.grade == "CT-1" and m.features.lesions == 1
    assert m.probability == "low"


def test_probability_is_never_high_under_the_minimum_burden():
    labels = lungs_map(0.0, 0.0)
    for k0, i0 in ((0, 5), (20, 5), (0, 103), (20, 103)):  # four small peripheral patches
        _patch(labels, k0, 0, i0, Label.GGO_RIGHT if i0 < 60 else Label.GGO_LEFT)
    m = measure(labels, SPACING, ORIENT)
    f = m.features
    assert f.bilateral and f.lesions == 4 and f.burden_percent < 2.0
    assert covid_probability(PatternFeatures(True, f.peripheral_share, f.lower_zone_share,
                                             f.ggo_share), True) == "high"  # burden unknown
    assert m.probability == "medium"
    heavier = lungs_map(0.0, 0.0)
    for k0, i0 in ((0, 5), (20, 5), (0, 103), (20, 103)):
        _patch(heavier, k0, 0, i0, Label.GGO_RIGHT if i0 < 60 else Label.GGO_LEFT,
               size=(10, 30, 12))
    assert measure(heavier, SPACING, ORIENT).probability == "high"


def _bilateral(labels, box, right=True, left=True) -> None:
    """GGO in ``box`` (k, j, i slices within the right lung) and its mirror in the left."""
    k, j, i = box
    if right:
        labels[k, j, i] = Label.GGO_RIGHT
    if left:
        labels[k, j, slice(120 - i.stop, 120 - i.start)] = Label.GGO_LEFT


def test_basal_bands_on_the_diaphragm_are_no_covid_pattern():
    """Thin ground glass hugging both diaphragm domes (partial volume, dependent density):
    bilateral, peripheral, lower-zone and over 2 % of lung, so the distribution alone said
    "high"; such bands count for nothing in the probability (the grade keeps them)."""
    labels = lungs_map(0.0, 0.0)
    _bilateral(labels, (slice(0, 2), slice(0, 60), slice(5, 55)))  # 4 mm over each base
    m = measure(labels, SPACING, ORIENT)
    f = m.features
    assert m.grade == "CT-1" and f.bilateral and f.burden_percent >= 2.0 and f.lesions == 2
    assert covid_probability(PatternFeatures(True, f.peripheral_share, f.lower_zone_share,
                                             f.ggo_share, 2, f.burden_percent), True) == "high"
    assert f.band_share == 1.0
    assert m.probability == "low"


def test_dependent_posterior_strips_are_no_covid_pattern():
    """A thin strip along the posterior chest wall of both lungs (dependent density)."""
    labels = lungs_map(0.0, 0.0)
    _bilateral(labels, (slice(0, 60), slice(56, 60), slice(5, 55)))  # 4 mm deep, lower half
    m = measure(labels, SPACING, ORIENT)
    assert m.features.burden_percent >= 2.0 and m.features.band_share == 1.0
    assert m.probability == "low"


def test_thick_patches_on_the_diaphragm_keep_a_typical_pattern():
    """Rounded peripheral patches resting on the diaphragm (the usual COVID-19 bases) are no
    bands: they reach deep into the lung, so the pattern stays "high"."""
    labels = lungs_map(0.0, 0.0)
    for j0 in (0, 30):
        _bilateral(labels, (slice(0, 12), slice(j0, j0 + 24), slice(5, 29)))
    m = measure(labels, SPACING, ORIENT)
    assert m.features.band_share == 0.0 and m.features.outside_bands is None
    assert m.probability == "high"


def test_bands_beside_typical_disease_leave_the_pattern_to_the_rest():
    """Bands beside multifocal peripheral patches: the patches decide ("high" while they
    carry the burden; a small rest under the burden floor reads "medium")."""
    labels = lungs_map(0.0, 0.0)
    _bilateral(labels, (slice(0, 2), slice(0, 60), slice(5, 55)))
    for k0 in (30, 60):
        _bilateral(labels, (slice(k0, k0 + 12), slice(0, 24), slice(5, 29)))
    m = measure(labels, SPACING, ORIENT)
    f = m.features
    assert 0 < f.band_share < 1 and f.outside_bands.lesions == 4
    assert f.outside_bands.burden_percent >= 2.0 and m.probability == "high"
    small = lungs_map(0.0, 0.0)
    _bilateral(small, (slice(0, 2), slice(0, 60), slice(5, 55)))
    for k0 in (30, 60):
        _bilateral(small, (slice(k0, k0 + 4), slice(0, 12), slice(5, 17)))
    m = measure(small, SPACING, ORIENT)
    assert m.features.outside_bands.burden_percent < 2.0 and m.probability == "medium"


def test_a_few_ml_of_thin_basal_ground_glass_stay_in_the_pattern():
    """Thin basal patches under BAND_MIN_ML (simulated COVID-19 lesion at the bases has them,
    and they may be early disease) are no bands: the pattern sees them as before."""
    from inference.measures import BAND_MIN_ML

    labels = lungs_map(0.0, 0.0)
    for j0 in (0, 30):  # four thin patches on the diaphragm, 2.4 mL each
        _bilateral(labels, (slice(0, 2), slice(j0, j0 + 24), slice(5, 30)))
    m = measure(labels, SPACING, ORIENT)
    assert BAND_MIN_ML > 2.4
    assert m.features.band_share == 0.0 and m.features.outside_bands is None
    assert m.features.lesions == 4


def test_confluent_disease_of_both_lungs_is_not_a_solitary_lesion():
    """Diffuse ground glass of both lungs that touches at the midline is one 3D component,
    but a lesion in each lung is two lesions: typical, "high" (it read "low" as solitary)."""
    labels = np.zeros((100, 60, 120), np.uint8)
    labels[:, :, 5:60] = Label.LUNG_RIGHT
    labels[:, :, 60:115] = Label.LUNG_LEFT
    labels[:80, :, 5:60] = Label.GGO_RIGHT
    labels[:80, :, 60:115] = Label.GGO_LEFT
    m = measure(labels, SPACING, ORIENT)
    assert m.grade == "CT-4" and m.features.bilateral
    assert m.features.lesions == 2
    assert m.probability == "high"


def test_label_counts_are_the_bincount_of_the_label_map():
    from inference.measures import label_counts

    rng = np.random.default_rng(11)
    labels = np.zeros((9, 30, 40), np.uint8)
    labels[2:7, 5:25, 8:30] = rng.integers(0, 7, (5, 20, 22))
    box = (slice(2, 7), slice(5, 25), slice(8, 30))
    assert np.array_equal(label_counts(labels)[1:], np.bincount(labels.ravel(), minlength=7)[1:])
    assert np.array_equal(label_counts(labels, box), np.bincount(labels[box].ravel(), minlength=7))
    assert not label_counts(np.zeros((2, 3, 4), np.uint8)).any()


def test_one_lung_confluent_disease_is_not_a_focal_solitary_lesion():
    """Ground glass filling one lung (CT-4) is one lesion, but no focal one: judged by its
    distribution, unilateral at most "medium" (it read "low" as solitary); a focal lesion
    under SOLITARY_MAX_PERCENT stays "low"."""
    from inference.measures import SOLITARY_MAX_PERCENT

    labels = np.zeros((100, 60, 120), np.uint8)
    labels[:, :, 5:60] = Label.LUNG_RIGHT
    labels[:, :, 60:115] = Label.LUNG_LEFT
    labels[:85, :, 5:60] = Label.GGO_RIGHT
    m = measure(labels, SPACING, ORIENT)
    assert m.grade == "CT-4" and not m.features.bilateral and m.features.lesions == 1
    assert m.features.burden_percent >= SOLITARY_MAX_PERCENT
    assert m.probability == "medium"
    f = replace(m.features, burden_percent=SOLITARY_MAX_PERCENT - 1.0)
    assert covid_probability(f, True) == "low"
    assert covid_probability(replace(m.features, bilateral=True, peripheral_share=1.0,
                                     lower_zone_share=1.0), True) == "medium"  # never high
