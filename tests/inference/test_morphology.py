"""The faster post-processing (inference/morphology.py: one labelling, bounding boxes, disks
as rectangles) gives exactly the voxels of the plain scipy.ndimage form it replaced.

``_reference_postprocess`` is the U-Net's post-processing 6 as it was before (commit
716b3cb), kept here verbatim in its plain form as the reference.
"""

import numpy as np
import pytest
from scipy import ndimage as ndi

from inference import borders
from inference.morphology import (
    Components,
    ball_dilation,
    disk_dilation,
    disk_erosion,
    disk_opening,
)

_CONNECT = np.ones((3, 3, 3), bool)


def _disk(r: int) -> np.ndarray:
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return (yy**2 + xx**2 <= r * r)[None]


def _blobs(shape=(12, 70, 90), seed=3, density=0.55) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return ndi.gaussian_filter(rng.random(shape), 1.5) > density


@pytest.mark.parametrize("r", [1, 2, 3, 5, 7, 14])
def test_disk_morphology_equals_scipy(r):
    mask = _blobs()
    disk = _disk(r)
    assert np.array_equal(disk_dilation(mask, r), ndi.binary_dilation(mask, disk))
    assert np.array_equal(disk_erosion(mask, r), ndi.binary_erosion(mask, disk))
    assert np.array_equal(disk_opening(mask, r), ndi.binary_opening(mask, disk))


@pytest.mark.parametrize("sampling, r", [
    ((2.5, 3.281248, 3.281248), 12.0),  # the classical lungs' closing (0.82 mm at half size)
    ((1.0, 1.0, 1.0), 5.0),  # ties: (3, 4, 0) voxels lie exactly 5 mm away
    ((1.25, 0.7, 0.9), 4.2),  # anisotropic in-plane
    ((5.0, 1.0, 1.0), 3.0),  # the section at one slice's offset only
])
def test_ball_dilation_is_the_distance_transform_threshold(sampling, r):
    """``ball_dilation`` (the classical lungs' closing) gives the voxels of the two distance
    transforms it replaced, at the array's edge too."""
    for seed, density in ((3, 0.55), (4, 0.53), (5, 0.56)):
        mask = _blobs((14, 40, 50), seed=seed, density=density)
        dilated = ball_dilation(mask, sampling, r)
        assert mask.any() and not dilated.all()  # (a transform of no feature is undefined)
        assert np.array_equal(dilated, ndi.distance_transform_edt(~mask, sampling=sampling) <= r)
        assert np.array_equal(~ball_dilation(~dilated, sampling, r),
                              ndi.distance_transform_edt(dilated, sampling=sampling) > r)


def test_components_number_as_a_whole_volume_label_and_select_them():
    mask = np.zeros((20, 60, 60), bool)
    mask[5:15, 10:50, 10:50] = _blobs((10, 40, 40), seed=5, density=0.5)
    comps = Components.of(mask)
    labels, n = ndi.label(mask, structure=_CONNECT)
    assert comps.n == n and n > 3
    assert np.array_equal(comps.objects, ndi.find_objects(labels))
    keep = np.arange(n + 1) % 2 == 1
    assert np.array_equal(comps.select(keep), keep[labels] & (labels > 0))
    assert np.array_equal(comps.sizes[1:], np.bincount(labels.ravel())[1:])
    empty = Components.of(np.zeros((3, 4, 5), bool))
    assert empty.n == 0 and not empty.select(np.ones(1, bool)).any()


# --- the plain form before the change (commit 716b3cb), verbatim ---------------------

def _ref_drop_flat(lesion, spacing, flat_mm=6.0):
    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return lesion
    dz = float(spacing[2])
    last = lesion.shape[0] - 1
    drop = np.zeros(n + 1, bool)
    for idx, sl in enumerate(ndi.find_objects(comps), 1):
        k = sl[0]
        drop[idx] = (k.stop - k.start) * dz < flat_mm and k.start > 0 and k.stop - 1 < last
    return lesion & ~drop[comps]


def _ref_shells(lesion, lung, spacing, shell_mm):
    from inference.geometry import voxel_ml

    if shell_mm <= 0 or lesion.shape[0] < 2:
        return lesion
    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return lesion
    mm = np.array([spacing[2], spacing[1], spacing[0]], float)
    sizes = np.bincount(comps.ravel(), minlength=n + 1)
    too_big = borders.SHELL_MAX_ML / voxel_ml(spacing)
    pad = np.ceil(shell_mm / mm).astype(int) + 1
    drop = np.zeros(n + 1, bool)
    for idx, sl in enumerate(ndi.find_objects(comps), 1):
        if sizes[idx] > too_big:
            continue
        box = tuple(slice(max(0, s.start - p), s.stop + p) for s, p in zip(sl, pad, strict=True))
        depth = ndi.distance_transform_edt(lung[box], sampling=mm)
        drop[idx] = depth[comps[box] == idx].max() <= shell_mm
    return lesion & ~drop[comps]


def _ref_envelope(classical, spacing, reach_mm=borders.ENVELOPE_MM):
    r = max(1, round(reach_mm / float(spacing[0])))
    ks = np.nonzero(classical.any(axis=(1, 2)))[0]
    out = np.zeros_like(classical)
    if ks.size:
        sl = slice(ks[0], ks[-1] + 1)
        out[sl] = ndi.binary_dilation(classical[sl], structure=_disk(r))
    return out


def _ref_outside(lesion, envelope, spacing):
    from inference.geometry import voxel_ml

    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return np.zeros_like(lesion)
    sizes = np.bincount(comps.ravel(), minlength=n + 1)
    out = np.bincount(comps[lesion & ~envelope], minlength=n + 1)
    drop = ((out >= borders.OUTSIDE_SHARE * sizes)
            & (sizes * voxel_ml(spacing) < borders.OUTSIDE_MAX_ML))
    drop[0] = False
    return drop[comps]


def _ref_mediastinal(classes, mediastinum, share=0.9):
    from inference.labels import CLASS_CONSOLIDATION

    comps, n = ndi.label(classes == CLASS_CONSOLIDATION)
    if n == 0:
        return np.zeros(classes.shape, bool)
    inside = np.bincount(comps[mediastinum], minlength=n + 1)
    frac = inside / np.maximum(np.bincount(comps.ravel(), minlength=n + 1), 1)
    frac[0] = 0.0
    return (frac >= share)[comps]


def _ref_thin(lesion, spacing, radius_mm=2.5):
    ks = np.nonzero(lesion.any(axis=(1, 2)))[0]
    if not ks.size:
        return lesion
    r = max(1, round(radius_mm / float(spacing[0])))
    out = np.zeros_like(lesion)
    sl = slice(ks[0], ks[-1] + 1)
    out[sl] = ndi.binary_opening(lesion[sl], structure=_disk(r))
    return out


def _ref_grow(hu, lung, ggo, spacing, reach_mm=5.0, band=(-750.0, -300.0)):
    ks = np.nonzero(ggo.any(axis=(1, 2)))[0]
    if not ks.size:
        return ggo
    sl = slice(ks[0], ks[-1] + 1)
    mean = ndi.uniform_filter(hu[sl].astype(np.float32), size=(1, 3, 3))
    room = lung[sl] & (mean >= band[0]) & (mean <= band[1])
    plane = np.zeros((3, 3, 3), bool)
    plane[1] = ndi.generate_binary_structure(2, 1)
    steps = max(1, round(reach_mm / float(spacing[0])))
    out = ggo.copy()
    out[sl] = ndi.binary_dilation(ggo[sl], plane, iterations=steps, mask=room | ggo[sl])
    return out


def _ref_keep(mask, spacing):
    from inference.lungs import MIN_LUNG_ML

    labels, n = ndi.label(mask)
    if n == 0:
        return mask
    sizes = np.bincount(labels.ravel()) * float(np.prod(spacing)) / 1000.0
    sizes[0] = 0
    keep = (sizes >= MIN_LUNG_ML) & (sizes >= 0.1 * sizes.max())
    return keep[labels]


def _reference_postprocess(volume, classes):
    from inference.geometry import Orientation
    from inference.labels import CLASS_CONSOLIDATION, CLASS_GGO
    from inference.lungs import (
        _corridor,
        _full,
        _half_lungs,
        body_mask,
        split_sides,
    )
    from inference.segmenters import sided_labels

    hu = volume.voxels
    body = _full(body_mask(hu[:, ::2, ::2]), hu.shape)
    orient = Orientation.of(volume)
    right, left, half = _half_lungs(hu, volume.spacing, orient)
    mediastinum = _full(_corridor(right, left), hu.shape)
    envelope = _full(_ref_envelope(right | left, half), hu.shape)
    heart = _ref_mediastinal(classes, mediastinum)
    outside = _ref_outside(classes >= CLASS_GGO, envelope, volume.spacing)
    lung = _ref_keep((classes > 0) & body & ~heart & ~outside, volume.spacing)
    right, left = split_sides(lung, body, orient)
    lesion = _ref_thin((classes >= CLASS_GGO) & lung, volume.spacing)
    cons = (classes == CLASS_CONSOLIDATION) & lesion
    ggo = _ref_grow(volume.voxels, lung, (classes == CLASS_GGO) & lesion,
                            volume.spacing) & ~cons
    lesion = _ref_drop_flat(ggo | cons, volume.spacing)
    lesion = _ref_shells(lesion, lung, volume.spacing, borders.SHELL_MM)
    return sided_labels(lung, ggo & lesion, cons & lesion, right, left)


@pytest.mark.parametrize("chest", ["lidc-idri-0003", "popi-philips-phase00"])
def test_postprocessing_is_bit_identical_to_the_plain_form_on_a_real_chest(shared_data, chest,
                                                                          monkeypatch):
    import studies
    from inference import lungs
    from inference.labels import CLASS_GGO
    from inference.segmenters import UNetSegmenter

    volume = studies.open_volume(shared_data / "ct" / chest)
    seg = UNetSegmenter(device="cpu")
    classes = seg._classes(volume, None, None)
    assert (classes >= CLASS_GGO).sum() > 1000  # the network's false lesion is there to clean
    from inference import segmenters, vessels

    # The rules in the work box (rows and columns of the network's lung and lesion, grown
    # by the rules' reach) give the voxels of the whole grid, post 9's vessels included.
    thorax = segmenters._thorax(volume)
    boxed = seg._postprocess(volume, classes, thorax)
    box = segmenters.work_box(classes, volume.spacing)
    assert box is not None and box[1].stop - box[1].start < classes.shape[1]  # a real crop
    whole = tuple(slice(0, n) for n in classes.shape)
    with monkeypatch.context() as m:
        m.setattr(segmenters, "work_box", lambda *_a: whole)
        assert np.array_equal(boxed, seg._postprocess(volume, classes, thorax))
    # post 9 came after the plain form: held by test_vessels
    monkeypatch.setattr(vessels, "great_vessels",
                        lambda lesion, *_a, **_k: np.zeros_like(lesion))
    new = seg._postprocess(volume, classes, thorax)
    monkeypatch.setattr(lungs, "keep_lung_components", _ref_keep)  # the classical lungs too
    assert np.array_equal(new, _reference_postprocess(volume, classes))
