"""Measures of a pre-read label map: volumes, % involvement, grade, pattern, quality flags."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import ndimage as ndi

from inference.geometry import Orientation, voxel_ml
from inference.grading import NOT_ASSESSABLE, GradeRule, grade_of
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT
from inference.morphology import bounding_box, label

MIN_LESION_ML = 1.0  # below this a lung counts as free of lesions (noise floor)
MIN_LUNGS_ML = 400.0  # less aerated+diseased lung than this in view: not assessable
MIN_ONE_LUNG_ML = 100.0
MIN_EXTENT_MM = 100.0  # craniocaudal lung coverage needed for a grade
PERIPHERAL_MM = 20.0  # lesion within this of the lung surface counts as peripheral
# "high" COVID-19 probability needs multifocal disease of some burden (a policy set before
# any measurement, not fitted; docs/model-card.md): never for a solitary lesion (then at most
# "low") or under HIGH_MIN_PERCENT of both lungs together (then at most "medium").
HIGH_MIN_PERCENT = 2.0
# The solitary cap is for a focal lesion (nodule, mass, one patch): a single lesion of
# SOLITARY_MAX_PERCENT of both lungs or more (confluent disease of one lung, CT-2..CT-4) is
# judged by its distribution, at most "medium" (set before any measurement: a 10 cm mass
# is about 9 % of both lungs; docs/model-card.md).
SOLITARY_MAX_PERCENT = 25.0
LESION_MIN_ML = 1.0  # a lesion component counts as a lesion from this volume
# A basal or dependent band is no COVID-19 pattern (partial volume of the diaphragm domes,
# dependent density, atelectasis): a lesion component with BAND_SHARE of its voxels within
# BAND_MM of the lung surface (on the pattern's ~3 mm grid), most of those facing the
# diaphragm or the posterior chest wall, is left out of the probability (not the grade).
# Only components of BAND_MIN_ML or more: simulated COVID-19 lesion at the bases holds thin
# patches that pass the band test up to 7.3 mL (26 simulated cases, docs/model-card.md), and
# a few mL of thin basal ground glass may be early disease.
BAND_MM = 6.0
BAND_SHARE = 0.8
BAND_FACING = 0.5
BAND_MIN_ML = 10.0


@dataclass
class PatternFeatures:
    """Distribution of lesions that drives the suggested COVID-19 probability."""

    bilateral: bool = False
    peripheral_share: float = 0.0
    lower_zone_share: float = 0.0
    ggo_share: float = 0.0
    lesions: int | None = None  # lesion components of LESION_MIN_ML or more, each lung's
    # part counted on its own (None: unknown)
    burden_percent: float | None = None  # lesion % of both lungs together
    band_share: float = 0.0  # share of the lesion in basal / dependent bands
    # The same features of the lesion outside those bands (None: no band), which decide the
    # probability; its burden_percent is that lesion's % of both lungs.
    outside_bands: PatternFeatures | None = None


@dataclass
class Measures:
    """Everything the report shows; percentages in %, volumes in mL."""

    grade: str
    grade_worst_lung: str
    grade_both_lungs: str
    rule: str
    involvement_percent: dict[str, float]
    volumes_ml: dict[str, float]
    probability: str
    features: PatternFeatures = field(default_factory=PatternFeatures)
    quality_flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _ml(mask_count: int, spacing) -> float:
    return round(mask_count * voxel_ml(spacing), 1)


def measure(labels: np.ndarray, spacing, orient: Orientation,
            rule: GradeRule | str = GradeRule.WORST_LUNG,
            flags: list[str] | None = None) -> Measures:
    """Volumes, involvement, grades and pattern of a sided label map (see :mod:`labels`)."""
    rule = GradeRule(rule)
    flags = list(flags or [])
    box = bounding_box(labels)  # labels are background outside it
    counts = label_counts(labels, box)
    right = int(sum(counts[v] for v in RIGHT))
    left = int(sum(counts[v] for v in LEFT))
    ggo_r, ggo_l = int(counts[GGO[0]]), int(counts[GGO[1]])
    con_r, con_l = int(counts[CONSOLIDATION[0]]), int(counts[CONSOLIDATION[1]])
    les_r, les_l = ggo_r + con_r, ggo_l + con_l
    ml = voxel_ml(spacing)
    floor = MIN_LESION_ML / ml
    pr = 100.0 * les_r / right if right and les_r >= floor else 0.0
    pl = 100.0 * les_l / left if left and les_l >= floor else 0.0
    lesion_total = (les_r if pr else 0) + (les_l if pl else 0)
    pt = 100.0 * lesion_total / (right + left) if right + left else 0.0
    volumes = {"lung_left": _ml(left, spacing), "lung_right": _ml(right, spacing),
               "ggo": _ml(ggo_r + ggo_l, spacing), "consolidation": _ml(con_r + con_l, spacing)}
    involvement = {"left": round(pl, 1), "right": round(pr, 1), "total": round(pt, 1)}
    flags += coverage_flags(labels, spacing, volumes, box)
    assessable = not any(f.startswith("not-assessable") for f in flags)
    if not assessable:
        return Measures(NOT_ASSESSABLE, NOT_ASSESSABLE, NOT_ASSESSABLE, rule.value, involvement,
                        volumes, NOT_ASSESSABLE, PatternFeatures(), flags)
    worst, both = grade_of(max(pr, pl)), grade_of(pt)
    grade = worst if rule is GradeRule.WORST_LUNG else both
    features = pattern_features(labels, spacing, orient, les_r >= floor and les_l >= floor)
    features.burden_percent = round(pt, 2)
    if features.outside_bands is not None:
        features.outside_bands.burden_percent = round(pt * (1.0 - features.band_share), 2)
    probability = covid_probability(features, lesion_total > 0)
    return Measures(grade, worst, both, rule.value, involvement, volumes, probability, features,
                    flags)


def label_counts(labels: np.ndarray, box=None) -> np.ndarray:
    """Voxels of each label 0-6 of a sided label map, counted in ``box`` (its
    :func:`bounding_box`, found here when not given; [0] counts the box's background only):
    one comparison per label, not ``np.bincount``, which widens every byte to 8."""
    box = bounding_box(labels) if box is None else box
    counts = np.zeros(7, np.intp)
    if box is not None:
        part = labels[box]
        counts[1:] = [np.count_nonzero(part == v) for v in range(1, 7)]
        counts[0] = part.size - counts[1:].sum()
    return counts


def coverage_flags(labels: np.ndarray, spacing, volumes: dict[str, float], box=None
                   ) -> list[str]:
    """Quality flags about how much lung is in view; ``not-assessable:*`` ones block a grade.
    ``box``: the labels' :func:`bounding_box` where the caller has it."""
    flags = []
    total = volumes["lung_left"] + volumes["lung_right"]
    box = bounding_box(labels) if box is None else box
    per_slice = np.zeros(labels.shape[0], np.intp)  # lung voxels per slice
    if box is not None:
        per_slice[box[0]] = [np.count_nonzero(s) for s in labels[box]]
    ks = np.nonzero(per_slice)[0]
    extent = (ks[-1] - ks[0] + 1) * float(spacing[2]) if ks.size else 0.0
    # A lung seen on a few slices (a single image, a thin slab) is "too little covered", not
    # "missing": the reader sees lung there and would take "missing" for a wrong AI.
    short = bool(ks.size) and extent < MIN_EXTENT_MM
    if short:
        flags.append("not-assessable:too-little-lung-coverage")
    elif total < MIN_LUNGS_ML:
        flags.append("not-assessable:lungs-missing-or-barely-in-view")
    elif min(volumes["lung_left"], volumes["lung_right"]) < MIN_ONE_LUNG_ML:
        flags.append("not-assessable:one-lung-not-found")
    if ks.size and not short:  # cut-off ends mean nothing on a slab too short to grade
        if per_slice[0] > 0.25 * per_slice.max():
            flags.append("lungs-cut-off-at-first-slice")
        if per_slice[-1] > 0.25 * per_slice.max():
            flags.append("lungs-cut-off-at-last-slice")
    if float(spacing[2]) > 5.0:
        flags.append("thick-slices")
    return flags


def pattern_features(labels: np.ndarray, spacing, orient: Orientation,
                     bilateral: bool) -> PatternFeatures:
    """Peripheral, lower-zone and GGO shares of the lesions (on a ~3 mm grid for speed), and
    the same of the lesion outside basal / dependent bands (:func:`surface_bands`)."""
    f = max(1, round(3.0 / float(spacing[0])))
    sub = labels[:, ::f, ::f]
    lung = sub > 0
    lesion = np.isin(sub, GGO + CONSOLIDATION)
    if not lesion.any():
        return PatternFeatures(bilateral=False)
    sampling = (float(spacing[2]), float(spacing[1]) * f, float(spacing[0]) * f)
    # The depth in the lung's box with one empty voxel around it: the same distances as on
    # the whole padded grid (the nearest voxel outside the box is on that ring).
    box = bounding_box(lung)
    depth, near = ndi.distance_transform_edt(np.pad(lung[box], 1), sampling=sampling,
                                             return_indices=True)
    depth = depth[1:-1, 1:-1, 1:-1]
    ks = np.nonzero(lung.any(axis=(1, 2)))[0]
    comps, n = label(lesion)  # 26-connected
    feat = _shares(sub, lesion, depth[lesion[box]], ks, orient, sampling, comps, n, bilateral)
    band = (surface_bands(lesion[box], comps[box], n, depth, near[:, 1:-1, 1:-1, 1:-1] - 1,
                          sampling, orient)
            if sub.shape[0] > 1 else np.zeros(n + 1, bool))  # single slices: no depth
    if band[1:].any():
        outside = lesion & ~band[comps]
        feat.band_share = round(float(1.0 - outside.sum() / lesion.sum()), 3)
        if outside.any():
            ml = float(np.prod(sampling)) / 1000.0
            both = bilateral and all(np.isin(sub[outside], side).sum() * ml >= MIN_LESION_ML
                                     for side in (RIGHT_LESION, LEFT_LESION))
            feat.outside_bands = _shares(sub, outside, depth[outside[box]], ks, orient,
                                         sampling, comps * outside, n, both)
        else:
            feat.outside_bands = PatternFeatures(bilateral=False, lesions=0)
    return feat


RIGHT_LESION = (GGO[0], CONSOLIDATION[0])
LEFT_LESION = (GGO[1], CONSOLIDATION[1])


def _shares(sub: np.ndarray, lesion: np.ndarray, depth: np.ndarray, ks: np.ndarray,
            orient: Orientation, sampling, comps: np.ndarray, n: int,
            bilateral: bool) -> PatternFeatures:
    """The features of ``lesion`` (``depth``: its voxels' depth in the lung, ``comps``: its
    26-connected labels, 0 elsewhere) on the pattern grid ``sub``."""
    n_les = int(lesion.sum())
    peripheral = float((depth <= PERIPHERAL_MM).mean())
    mid = (ks[0] + ks[-1]) / 2.0
    k_les = np.nonzero(lesion)[0]
    lower = float((k_les < mid).mean() if orient.superior_is_high_k else (k_les > mid).mean())
    ggo_share = float(np.isin(sub[lesion], GGO).sum() / n_les)
    # A lesion is a component within one lung: confluent disease of both lungs that touches
    # at the midline (or through a voxel of mediastinum) is two lesions, not a solitary one.
    left = np.isin(sub[lesion], LEFT_LESION)
    sizes = (np.bincount(comps[lesion] * 2 + left, minlength=2 * n + 2)[2:]
             * float(np.prod(sampling)) / 1000)
    return PatternFeatures(bool(bilateral), round(peripheral, 3), round(lower, 3),
                           round(ggo_share, 3), int((sizes >= LESION_MIN_ML).sum()))


def surface_bands(lesion: np.ndarray, comps: np.ndarray, n: int, depth: np.ndarray,
                  near: np.ndarray, sampling, orient: Orientation) -> np.ndarray:
    """Per label of ``comps``, whether the component is a basal or dependent band: at least
    :data:`BAND_MIN_ML`, with :data:`BAND_SHARE` of its voxels within :data:`BAND_MM` of the
    lung surface, and at least :data:`BAND_FACING` of those with their nearest non-lung
    voxel (``near``: its indices from the distance transform, in ``lesion``'s coordinates)
    below (the diaphragm) or behind them (the posterior chest wall), along that axis more
    than across it."""
    pts = np.nonzero(lesion)
    on = depth[pts] <= BAND_MM
    d = [(near[a][pts] - pts[a]) * float(sampling[a]) for a in range(3)]
    below = (d[0] < 0) if orient.superior_is_high_k else (d[0] > 0)
    behind = (d[1] > 0) if orient.posterior_is_high_j else (d[1] < 0)
    facing = ((below & (np.abs(d[0]) > np.hypot(d[1], d[2])))
              | (behind & (np.abs(d[1]) > np.hypot(d[0], d[2]))))
    labels = comps[pts]
    count = np.bincount(labels, minlength=n + 1)
    count_on = np.bincount(labels[on], minlength=n + 1)
    count_facing = np.bincount(labels[on & facing], minlength=n + 1)
    band = ((count_on >= BAND_SHARE * np.maximum(count, 1))
            & (count_facing >= BAND_FACING * np.maximum(count_on, 1))
            & (count * float(np.prod(sampling)) / 1000.0 >= BAND_MIN_ML))
    band[0] = False
    return band


def covid_probability(feat: PatternFeatures, has_lesions: bool) -> str:
    """Suggested likelihood that the pattern is COVID-19: high, medium, low or atypical.

    Typical: bilateral, peripheral, lower-zone, GGO-dominant opacities. Consolidation
    without GGO is atypical (e.g. lobar bacterial pneumonia). No lesions: low. The burden
    caps it: a solitary lesion at most low (one confluent lesion of
    :data:`SOLITARY_MAX_PERCENT` or more at most medium), under :data:`HIGH_MIN_PERCENT` at
    most medium.
    Basal and dependent bands count for nothing here: the features of the lesion outside
    them decide (only bands: low).
    """
    if not has_lesions:
        return "low"
    if feat.band_share >= 1.0:
        return "low"  # nothing but bands
    if feat.outside_bands is not None:
        feat = feat.outside_bands
    if feat.ggo_share < 0.2:
        return "atypical"
    typical = [feat.bilateral, feat.peripheral_share >= 0.5, feat.lower_zone_share >= 0.5,
               feat.ggo_share >= 0.5]
    score = sum(typical)
    if not feat.bilateral and feat.peripheral_share < 0.3 and score < 2:
        return "atypical"
    solitary = feat.lesions is not None and feat.lesions <= 1
    if solitary and (feat.burden_percent is None
                     or feat.burden_percent < SOLITARY_MAX_PERCENT):
        return "low"
    if score == 4 or (score == 3 and feat.bilateral and feat.ggo_share >= 0.5):
        if not solitary and (feat.burden_percent is None
                             or feat.burden_percent >= HIGH_MIN_PERCENT):
            return "high"
        return "medium"
    if score >= 2:
        return "medium"
    return "low"
