"""Classical lung segmentation: sides, vessels and consolidated lung included."""

import numpy as np

from inference.geometry import Orientation, voxel_ml
from inference.lungs import mediastinum_mask, segment_lungs
from tests.inference.conftest import ellipsoid, make_phantom


def test_phantom_lungs_sides_and_volumes():
    v = make_phantom()
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    true_ml = 4 / 3 * np.pi * 45 * 70 * 90 / 1000
    for side in (right, left):
        assert abs(side.sum() * voxel_ml(v.spacing) - true_ml) / true_ml < 0.08
    # Patient right is at low column index i for an identity direction (LPS).
    assert np.nonzero(right)[2].mean() < np.nonzero(left)[2].mean()
    assert not (right & left).any()


def test_vessels_inside_lung_count_as_lung():
    v = make_phantom()
    right, _ = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    vessel = ellipsoid((95, 150, 100), (3, 3, 200)) & ellipsoid((105, 160, 100), (45, 70, 90))
    assert right[vessel].mean() > 0.9


def test_consolidated_peripheral_lung_is_kept_in_the_lung_mask():
    v = make_phantom(consolidation_bite=True)
    right, _ = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    bite = ellipsoid((105, 160, 100), (45, 70, 90)) & ellipsoid((62, 160, 100), (18, 25, 30))
    assert bite.sum() > 200
    assert right[bite].mean() > 0.8  # a plain threshold would give 0


def test_real_chest_lungs(shared_data):
    import studies

    v = studies.open_volume(shared_data / "ct" / "lidc-idri-0003")
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    ml = voxel_ml(v.spacing)
    assert 1500 < right.sum() * ml < 5000
    assert 1500 < left.sum() * ml < 5000



def test_mediastinum_lies_between_the_lungs():
    v = make_phantom()
    orient = Orientation.of(v)
    right, left = segment_lungs(v.voxels, v.spacing, orient)
    mediastinum = mediastinum_mask(v.voxels, v.spacing, orient)
    assert mediastinum[20, 64, 64]  # x = y = 160 mm, between the lungs at mid-height
    lungs = right | left
    assert (mediastinum & lungs).sum() < 0.03 * lungs.sum()  # half-resolution edge only
    assert not mediastinum[20, 64, 8]  # chest wall lateral to the right lung
    assert not mediastinum[20, 64, 120]  # chest wall lateral to the left lung
    assert not mediastinum[0].any()  # no lungs in the first slice: no corridor


def test_half_full_blocks_as_the_float_mean_of_each_block():
    from inference.lungs import _half_full_blocks

    rng = np.random.default_rng(3)
    for f in (1, 2, 3, 4):
        mask = rng.random((5, 12 * f, 7 * f)) > 0.4
        mean = mask.reshape(5, 12, f, 7, f).mean(axis=(2, 4)) >= 0.5
        assert np.array_equal(_half_full_blocks(mask, f), mean)


def test_lateral_hull_of_the_rows_ends_is_the_hull_of_every_lung_pixel():
    from scipy import ndimage as ndi

    from inference.lungs import _lateral_hull
    from tests.inference.plain_lungs import _lateral_hull as _plain_lateral_hull

    rng = np.random.default_rng(7)
    coarse = ndi.gaussian_filter(rng.random((24, 50, 60)), 2.0) > 0.52
    coarse[:5] = False
    coarse[1, 10, 5:30] = True  # one row: collinear, no hull
    coarse[2, 5:30, 7] = True  # one column
    coarse[3, 5:8, 5:8] = True  # under ten pixels
    coarse[4, 10:30, 20:40] = True  # a rectangle: points on the hull's edges
    for medial_high_i in (True, False):
        assert np.array_equal(_lateral_hull(coarse, medial_high_i),
                              _plain_lateral_hull(coarse, medial_high_i))


def test_up_sampling_by_two_in_integers_is_torchs_bilinear():
    from scipy import ndimage as ndi

    from inference.lungs import _smooth_upsample
    from tests.inference import plain_lungs

    rng = np.random.default_rng(5)
    for shape in ((6, 33, 47), (3, 1, 9), (2, 8, 1)):
        for level in (0.3, 0.5, 0.7):
            mask = ndi.gaussian_filter(rng.random(shape), 1.0) > level
            for f in (1, 2, 3):
                assert np.array_equal(_smooth_upsample(mask, f),
                                      plain_lungs._smooth_upsample(mask, f))


def test_joined_lungs_split_per_slice_in_one_labelling_as_slice_by_slice():
    from scipy import ndimage as ndi

    from inference.lungs import _split_joined
    from tests.inference import plain_lungs

    rng = np.random.default_rng(9)
    for _ in range(3):
        comp = ndi.gaussian_filter(rng.random((12, 40, 60)), 1.5) > 0.5
        mid = rng.uniform(20, 40, comp.shape[0])
        side = np.broadcast_to((np.arange(60)[None, :] > mid[:, None])[:, None, :], comp.shape)
        for new, old in zip(_split_joined(comp, side), plain_lungs._split_joined(comp, side),
                            strict=True):
            assert np.array_equal(new, old)



def test_gas_components_are_not_lung():
    """A component of pure gas (bowel, about -1000 HU) is dropped when HU are given; lung
    (air mixed with tissue) is kept, and the 10 % size floor is of the largest lung."""
    from inference.lungs import lung_components

    rng = np.random.default_rng(0)
    hu = np.full((20, 60, 60), 40.0)
    lung = np.zeros(hu.shape, bool)
    lung[2:18, 5:30, 5:25] = True  # lung: -860 HU with noise, hardly any voxel below -980
    gas = np.zeros(hu.shape, bool)
    gas[2:18, 5:55, 32:58] = True  # bigger than the lung: gas with stool
    hu[lung] = rng.normal(-860, 40, lung.sum())
    hu[gas] = rng.normal(-960, 40, gas.sum())
    mask = lung | gas
    spacing = (1.0, 1.0, 2.5)
    kept, _ = lung_components(mask, spacing)
    assert kept[gas].all() and kept[lung].all()  # without HU: both
    kept, (_, keep) = lung_components(mask, spacing, hu)
    assert kept[lung].all() and not kept[gas].any()
    assert keep.sum() == 1


def test_classical_lungs_leave_bowel_gas_out():
    """:func:`segment_lungs` (the classical engine and the simulator's truth) drops a gas
    component under the lungs as the U-Net's post 12 does (h18): before, the colon of a lung
    bases volume was lung there."""
    from inference.geometry import Orientation
    from inference.lungs import segment_lungs

    rng = np.random.default_rng(1)
    hu = np.full((30, 80, 100), -1000.0)
    hu[:, 5:75, 5:95] = rng.normal(40, 10, (30, 70, 90))  # the body
    right = np.zeros(hu.shape, bool)
    right[14:28, 15:60, 12:45] = True
    left = np.zeros(hu.shape, bool)
    left[14:28, 15:60, 55:88] = True
    gas = np.zeros(hu.shape, bool)
    gas[1:9, 15:65, 20:80] = True  # below the lungs, larger than either: the colon
    hu[right | left] = rng.normal(-860, 40, (right | left).sum())
    hu[gas] = rng.normal(-965, 40, gas.sum())
    r, lft = segment_lungs(hu, (1.5, 1.5, 2.5), Orientation(True, True, True), hull=False)
    assert r[right].mean() > 0.95 and lft[left].mean() > 0.95
    assert not (r | lft)[gas].any()
