"""A great vessel read as lesion: large, blood-dense, elongated, along the mediastinum."""

import numpy as np

from inference.vessels import elongation, great_vessels

SPACING = (1.0, 1.0, 2.5)  # x, y, z mm
SHAPE = (60, 100, 100)  # k, j, i: 150 mm craniocaudally


def mediastinum() -> np.ndarray:
    m = np.zeros(SHAPE, bool)
    m[:, :, :40] = True
    return m


def tube(col: int, radius: int = 10, k: slice = slice(5, 55)) -> np.ndarray:
    """A vertical tube (125 mm at full length) centred at row 50, column ``col``."""
    j, i = np.ogrid[:SHAPE[1], :SHAPE[2]]
    disk = (j - 50) ** 2 + (i - col) ** 2 <= radius ** 2
    out = np.zeros(SHAPE, bool)
    out[k] = disk
    return out


def bar() -> np.ndarray:
    out = np.zeros(SHAPE, bool)
    out[20:31, 10:90, 30:50] = True  # 44 mL
    return out


def ball(centre: tuple[int, int, int], radius_mm: float) -> np.ndarray:
    k, j, i = np.ogrid[:SHAPE[0], :SHAPE[1], :SHAPE[2]]
    c = centre
    return ((k - c[0]) * 2.5) ** 2 + (j - c[1]) ** 2 + (i - c[2]) ** 2 <= radius_mm ** 2


def test_a_blood_dense_tube_along_the_mediastinum_is_taken_for_a_vessel():
    lesion = tube(40)  # 39 mL, half inside the mediastinum
    hu = np.where(lesion, 40, -850).astype(np.int16)  # unenhanced blood
    assert great_vessels(lesion, hu, mediastinum(), SPACING).sum() == lesion.sum()
    hu[lesion] = 250  # enhanced blood
    assert great_vessels(lesion, hu, mediastinum(), SPACING).sum() == lesion.sum()


def test_ground_glass_a_round_mass_a_peripheral_tube_and_small_or_short_ones_are_kept():
    med = mediastinum()
    cases = {
        "ground glass": (tube(40), -500),
        "away from the mediastinum": (tube(75), 40),
        "small": (tube(40, radius=4), 40),  # 6 mL
        "on a few slices": (bar(), 40),  # elongated in-plane, 27.5 mm craniocaudally
        "round": (ball((30, 50, 40), 30.0), 40),
    }
    for name, (lesion, value) in cases.items():
        hu = np.where(lesion, value, -850).astype(np.int16)
        assert not great_vessels(lesion, hu, med, SPACING).any(), name


def test_elongation_is_measured_in_mm():
    pts = np.argwhere(tube(40, radius=5))
    assert elongation(pts, SPACING) > elongation(pts, (1.0, 1.0, 0.5))
    assert elongation(np.argwhere(ball((30, 50, 50), 20.0)), SPACING) < 1.2


def test_the_flat_and_shell_rules_labelling_gives_the_vessels_of_a_fresh_one():
    """Post 9 reuses the labelling of the flat-speck and shell rules (their kept components
    are the lesion's): the same vessels as labelling the lesion again."""
    from inference.borders import flat_and_shells

    med = mediastinum()
    flat = np.zeros(SHAPE, bool)
    flat[30, 60:80, 60:80] = True  # one slice deep: dropped as a flat speck
    shell = np.zeros(SHAPE, bool)
    shell[10:14, 5:9, 90:94] = True  # at the lung's edge: a pleural shell
    candidates = tube(40) | tube(75, radius=6) | ball((30, 15, 70), 4.0)
    lung = np.ones(SHAPE, bool)
    lung[:, :, 95:] = False
    found = []
    for raw in (candidates | flat | shell, candidates, flat, np.zeros(SHAPE, bool)):
        hu = np.where(raw, 40, -850).astype(np.int16)
        comps, drop = flat_and_shells(raw, lung, SPACING)
        lesion = raw & ~comps.select(drop) if comps.n else raw
        fresh = great_vessels(lesion, hu, med, SPACING)
        assert np.array_equal(great_vessels(lesion, hu, med, SPACING,
                                            components=(comps, ~drop)), fresh)
        found.append(int(fresh.sum()))
    assert found[0] == found[1] == tube(40).sum() and found[2] == found[3] == 0
