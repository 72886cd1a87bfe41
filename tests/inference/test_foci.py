"""Flat partial-volume specks and isolated solid foci (nodule, atelectasis) are not graded."""

import numpy as np
import pytest

from inference.foci import FLAG, drop_flat_lesions, set_aside_solid_foci
from inference.labels import Label

SPACING = (1.0, 1.0, 2.5)  # x, y, z mm
SHAPE = (40, 120, 120)  # k, j, i


def ball(center, radius_mm, shape=SHAPE, spacing=SPACING) -> np.ndarray:
    k, j, i = np.ogrid[: shape[0], : shape[1], : shape[2]]
    return ((i - center[2]) * spacing[0]) ** 2 + ((j - center[1]) * spacing[1]) ** 2 + (
        (k - center[0]) * spacing[2]) ** 2 <= radius_mm**2


def right_lung() -> np.ndarray:
    labels = np.zeros(SHAPE, np.uint8)
    labels[:, 10:110, 10:110] = Label.LUNG_RIGHT
    return labels


def test_flat_speck_is_dropped_a_thick_patch_and_edge_slices_kept():
    lesion = np.zeros(SHAPE, bool)
    lesion[20, 20:50, 20:50] = True  # 3 cm wide, one 2.5 mm slice: partial volume
    lesion[10:14, 60:80, 60:80] = True  # four slices, 10 mm deep: a real patch
    lesion[0, 90:110, 90:110] = True  # on the first slice: its depth is unknown
    kept = drop_flat_lesions(lesion, SPACING)
    assert not kept[20].any()
    assert kept[10:14, 60:80, 60:80].all() and kept[0, 90:110, 90:110].all()


def test_a_single_slice_keeps_its_lesions():
    lesion = np.zeros((1, 50, 50), bool)
    lesion[0, 10:30, 10:30] = True
    assert drop_flat_lesions(lesion, SPACING).sum() == 400


def nodule(labels, center=(20, 60, 60), core_mm=10.0, rim_mm=2.0) -> np.ndarray:
    """A solid ball with a thin ground-glass rim (partial volume), in the right lung."""
    shell = ball(center, core_mm + rim_mm)
    labels[shell] = Label.GGO_RIGHT
    labels[ball(center, core_mm)] = Label.CONSOLIDATION_RIGHT
    return shell


def test_solitary_solid_focus_is_read_as_lung_and_named_in_a_flag():
    labels = right_lung()
    shell = nodule(labels)
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert len(foci) == 1 and (out[shell] == Label.LUNG_RIGHT).all()
    focus = foci[0]
    assert focus.side == "right" and 15 < focus.diameter_mm < 25
    assert focus.first_slice <= 20 <= focus.last_slice
    assert focus.flag().startswith(f"{FLAG}: side=right slices=")
    assert focus.center == (60, 60, 20) and focus.flag().endswith(" at=60,60,20")
    assert labels[shell].max() == Label.CONSOLIDATION_RIGHT  # the input is not changed
    assert not (out >= Label.GGO_RIGHT).any()  # nothing left to grade: CT-0


def test_focus_counts_where_there_is_pneumonia_elsewhere():
    labels = right_lung()
    nodule(labels, core_mm=6.0)  # a 12 mm core: a focus, no mass (masses from 17 mm)
    labels[5:35, 80:105, 20:40] = Label.GGO_RIGHT  # 37 mL of ground glass elsewhere
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert foci == [] and out is labels


@pytest.mark.parametrize("case", ["mass", "wide-ground-glass", "pure-ground-glass"])
def test_what_is_not_an_isolated_solid_focus_is_graded(case):
    labels = right_lung()
    if case == "mass":  # a solid mass over 3 cm is not a focus to set aside
        nodule(labels, core_mm=20.0)
    elif case == "wide-ground-glass":  # consolidation inside a wide ground-glass patch
        labels[ball((20, 60, 60), 25.0)] = Label.GGO_RIGHT
        labels[ball((20, 60, 60), 6.0)] = Label.CONSOLIDATION_RIGHT
    else:  # a small pure ground-glass focus (early viral pneumonia) is graded
        labels[ball((20, 60, 60), 8.0)] = Label.GGO_RIGHT
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert foci == [] and out is labels


def test_two_solid_cores_in_one_opacity_are_not_a_focus():
    labels = right_lung()
    labels[ball((20, 60, 50), 14.0) | ball((20, 60, 70), 14.0)] = Label.GGO_RIGHT
    labels[ball((20, 60, 45), 6.0) | ball((20, 60, 75), 6.0)] = Label.CONSOLIDATION_RIGHT
    assert set_aside_solid_foci(labels, SPACING)[1] == []


def ellipsoid(center, radii_mm, shape=SHAPE, spacing=SPACING) -> np.ndarray:
    """Radii (slice, row, column) in mm."""
    k, j, i = np.ogrid[: shape[0], : shape[1], : shape[2]]
    return ((((i - center[2]) * spacing[0]) / radii_mm[2]) ** 2
            + (((j - center[1]) * spacing[1]) / radii_mm[1]) ** 2
            + (((k - center[0]) * spacing[2]) / radii_mm[0]) ** 2) <= 1.0


def test_round_solid_mass_is_set_aside_and_named_beside_other_lesion():
    labels = right_lung()
    shell = nodule(labels, core_mm=12.0)  # a 24 mm round core, as the POPI tumour (23 mm)
    labels[5:35, 80:105, 20:40] = Label.GGO_RIGHT  # 37 mL of ground glass elsewhere
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert len(foci) == 1 and 20 <= foci[0].diameter_mm <= 26
    assert (out[shell] == Label.LUNG_RIGHT).all()
    assert (out[5:35, 80:105, 20:40] == Label.GGO_RIGHT).all()  # the rest is still graded


def test_round_nodule_with_a_wide_halo_is_set_aside_beside_other_lesion():
    """lidc-idri-0003's spiculated nodule (post 8): an 18.5 mm round solid core whose ground
    glass reaches past the small foci's 7 mm rim (about 85 % of it within 7 mm) but lies
    within 10 mm of the core is a nodule, named beside other lesion."""
    labels = right_lung()
    halo, core = ball((20, 60, 60), 17.2), ball((20, 60, 60), 9.25)
    labels[halo] = Label.GGO_RIGHT
    labels[core] = Label.CONSOLIDATION_RIGHT
    labels[5:35, 80:105, 20:40] = Label.GGO_RIGHT  # 37 mL of ground glass elsewhere
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert len(foci) == 1 and 17 <= foci[0].diameter_mm <= 20
    assert (out[halo] == Label.LUNG_RIGHT).all()
    assert (out[5:35, 80:105, 20:40] == Label.GGO_RIGHT).all()
    # The same core with ground glass spreading beyond 10 mm is pneumonia round a core.
    labels[ball((20, 60, 60), 24.0)] = Label.GGO_RIGHT
    labels[core] = Label.CONSOLIDATION_RIGHT
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert foci == [] and out is labels


@pytest.mark.parametrize("case", ["elongated", "small"])
def test_an_elongated_or_small_solid_focus_beside_other_lesion_is_graded(case):
    labels = right_lung()
    if case == "elongated":  # a consolidation patch as simulated ones: axis ratio about 0.4
        core = ellipsoid((20, 60, 60), (8.0, 8.0, 20.0))
        rim = ellipsoid((20, 60, 60), (10.0, 10.0, 22.0))
    else:  # a round 14 mm core (simulated round foci reach 15 mm): a focus, but no mass
        core, rim = ball((20, 60, 60), 7.0), ball((20, 60, 60), 9.0)
    labels[rim] = Label.GGO_RIGHT
    labels[core] = Label.CONSOLIDATION_RIGHT
    labels[5:35, 80:105, 20:40] = Label.GGO_RIGHT
    out, foci = set_aside_solid_foci(labels, SPACING)
    assert foci == [] and out is labels
