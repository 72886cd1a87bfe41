"""Partial-volume shells along the lung surface and lesion outside the lung envelope."""

import numpy as np

from inference.borders import SHELL_MM, drop_pleural_shells, lung_envelope

SPACING = (1.0, 1.0, 2.5)  # x, y, z mm
SHAPE = (30, 100, 100)  # k, j, i


def box_lung() -> np.ndarray:
    lung = np.zeros(SHAPE, bool)
    lung[2:28, 10:90, 10:90] = True
    return lung


def test_a_thin_shell_on_the_lung_surface_is_dropped_a_patch_reaching_deeper_kept():
    lung = box_lung()
    lesion = np.zeros(SHAPE, bool)
    lesion[8:20, 10:13, 20:60] = True  # 3 mm thick along the surface (heart border, pleura)
    lesion[8:20, 60:90, 60:90] = True  # a subpleural patch 30 mm deep into the lung
    lesion[12:16, 45:52, 45:52] = True  # a small focus deep inside the lung
    kept = drop_pleural_shells(lesion, lung, SPACING)
    assert not kept[8:20, 10:13, 20:60].any()
    assert kept[8:20, 60:90, 60:90].all() and kept[12:16, 45:52, 45:52].all()


def test_shell_depth_is_measured_in_mm_and_the_rule_can_be_switched_off():
    lung = box_lung()
    lesion = np.zeros(SHAPE, bool)
    lesion[8:20, 10:10 + int(SHELL_MM) + 3, 20:60] = True  # a little deeper than the limit
    assert drop_pleural_shells(lesion, lung, SPACING).sum() == lesion.sum()
    thin = np.zeros(SHAPE, bool)
    thin[8:20, 10:12, 20:60] = True
    assert drop_pleural_shells(thin, lung, SPACING, shell_mm=0).sum() == thin.sum()


def test_a_single_slice_is_left_alone():
    lung = box_lung()[10:11]
    lesion = np.zeros_like(lung)
    lesion[0, 10:12, 20:60] = True
    assert drop_pleural_shells(lesion, lung, SPACING).sum() == lesion.sum()


def test_envelope_reaches_about_its_distance_beyond_the_lungs():
    lung = box_lung()
    lung[:, :, :30] = False  # the lung now begins at column 30
    env = lung_envelope(lung, SPACING, reach_mm=10.0)
    assert env[15, 50, 30 - 9] and not env[15, 50, 30 - 12]
    assert env[lung].all() and not env[0].any()  # in-plane only: no lung, no envelope


def test_a_band_along_the_surface_is_dropped_a_subpleural_patch_kept(monkeypatch):
    """The band rule (BAND_SHARE of a component within NEAR_MM of the lung surface):
    a 6 mm band along the surface (dependent density, a diaphragm dome cut obliquely) with
    one bump 14 mm deep, which the depth test alone keeps, is dropped; a subpleural patch
    12 mm thick against the pleura (COVID ground glass lies so) and a 30 mm patch stay."""
    from inference import borders

    monkeypatch.setattr(borders, "BAND_SHARE", 0.8)
    lung = box_lung()
    band = np.zeros(SHAPE, bool)
    band[4:26, 10:16, 20:80] = True  # 6 mm along the j = 10 surface, 55 mm tall
    band[12:15, 16:24, 40:48] = True  # a bump to 14 mm deep: not a shell by depth
    wedge = np.zeros(SHAPE, bool)
    wedge[8:20, 78:90, 20:60] = True  # 12 mm thick against the j = 89 surface
    patch = np.zeros(SHAPE, bool)
    patch[8:20, 55:75, 60:90] = True  # 30 mm deep from the i = 89 surface
    lesion = band | wedge | patch
    monkeypatch.setattr(borders, "BAND_SHARE", 0.0)
    assert drop_pleural_shells(lesion, lung, SPACING).sum() == lesion.sum()  # rule off
    monkeypatch.setattr(borders, "BAND_SHARE", 0.8)
    kept = drop_pleural_shells(lesion, lung, SPACING)
    assert not kept[band].any()
    assert kept[wedge].all() and kept[patch].all()
