"""U-Net post-processing: the heart read as consolidation is vetoed; real lesions are kept."""

import numpy as np
import pytest

from inference.geometry import Orientation
from inference.labels import CLASS_CONSOLIDATION, CLASS_GGO, CLASS_LUNG, CONSOLIDATION, GGO
from inference.lungs import segment_lungs
from inference.measures import measure
from inference.segmenters import UNetSegmenter, grow_ground_glass, mediastinal_consolidation
from tests.inference.conftest import ellipsoid, make_phantom


@pytest.fixture(scope="module")
def unet() -> UNetSegmenter:
    return UNetSegmenter(device="cpu")


def _classes_reading_the_heart_as_disease(v, patch: bool) -> np.ndarray:
    """Network classes as seen on unseen patients: lungs, the heart and mediastinum called
    consolidation; optionally a real lateral GGO patch."""
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    classes = np.zeros(v.shape, np.uint8)
    classes[right | left] = CLASS_LUNG
    heart = ellipsoid((160, 165, 100), (14, 35, 60))
    classes[heart & ~(right | left)] = CLASS_CONSOLIDATION
    if patch:
        classes[ellipsoid((75, 160, 100), (10, 10, 10)) & right] = CLASS_GGO
    return classes


def test_heart_read_as_consolidation_is_vetoed_clear_lungs_grade_ct0(unet):
    v = make_phantom()
    labels = unet._postprocess(v, _classes_reading_the_heart_as_disease(v, patch=False))
    heart = ellipsoid((160, 165, 100), (14, 35, 60))
    assert not (labels[heart] >= 3).any()
    m = measure(labels, v.spacing, Orientation.of(v))
    assert m.grade == "CT-0" and m.involvement_percent["total"] == 0.0
    assert 900 < m.volumes_ml["lung_right"] < 1500  # the heart is not counted as lung


def test_small_lateral_lesion_is_still_found(unet):
    v = make_phantom()
    labels = unet._postprocess(v, _classes_reading_the_heart_as_disease(v, patch=True))
    patch = ellipsoid((75, 160, 100), (10, 10, 10))
    assert np.isin(labels[patch], GGO).mean() > 0.8
    assert not np.isin(labels, CONSOLIDATION).any()
    m = measure(labels, v.spacing, Orientation.of(v))
    assert m.grade == "CT-1" and 0.2 < m.involvement_percent["right"] < 1.0


# Lesion share of the lung on real COVID-19 slices (no masks exist), measured with v2+post5
# on 2026-12-06 and bounded about 5 points either side, so a change of the model or its
# post-processing that moves them shows here (re-measure and re-bound with the change).
@pytest.mark.parametrize(("slice_key", "lo", "hi"), [
    # clear lungs: the heart once read 32 %, 12.2 % with post 2, 15.6 % with 4 and 5 (GGO
    # grown at its edge also grows false GGO: measured and accepted, see the model card)
    ("A048383/axial/19001231-30", 10.6, 20.6),  # 15.6
    ("A048383/axial/19010410-30", 7.6, 17.6),  # 12.6; clear lungs: once 21 %
    ("A046441/axial/19001111-045", 90.8, 100.0),  # 95.8: extensive bilateral disease
    ("A056642/axial/19010107-111", 31.0, 41.0),  # 36.0: bilateral peripheral GGO
])
def test_real_covid_slices(unet, shared_data, slice_key, lo, hi):
    import studies

    v = studies.open_volume(shared_data / "covid-slices" / f"{slice_key}.dcm")
    labels = unet.segment(v)
    lung = (labels > 0).sum()
    assert lung * v.spacing[0] * v.spacing[1] / 100 > 100  # cm2 of lung in the slice
    percent = 100 * np.isin(labels, GGO + CONSOLIDATION).sum() / lung
    assert lo <= percent <= hi


def test_consolidated_lung_outside_the_corridor_is_kept(unet):
    v = make_phantom(consolidation_bite=True)
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    classes = np.zeros(v.shape, np.uint8)
    classes[right | left] = CLASS_LUNG
    bite = ellipsoid((105, 160, 100), (45, 70, 90)) & ellipsoid((62, 160, 100), (18, 25, 30))
    classes[bite] = CLASS_CONSOLIDATION
    labels = unet._postprocess(v, classes)
    assert np.isin(labels[bite], CONSOLIDATION).mean() > 0.8


def test_only_consolidation_lying_mostly_in_the_mediastinum_is_vetoed():
    classes = np.zeros((3, 20, 40), np.uint8)
    mediastinum = np.zeros(classes.shape, bool)
    mediastinum[:, :, 15:25] = True
    classes[:, 5:10, 16:24] = CLASS_CONSOLIDATION  # the heart: all inside
    classes[:, 12:18, 2:18] = CLASS_CONSOLIDATION  # lung consolidation reaching the corridor
    heart = mediastinal_consolidation(classes, mediastinum)
    assert heart[:, 5:10, 16:24].all()
    assert not heart[:, 12:18, 2:18].any()
    assert not mediastinal_consolidation(np.zeros_like(classes), mediastinum).any()


def test_ground_glass_grows_into_its_faint_edge_only():
    """Found GGO takes the ground-glass-density lung at its edge, up to the reach, and
    leaves normal lung, vessels, consolidation and GGO-density lung it does not touch."""
    spacing = (1.0, 1.0, 2.0)
    hu = np.full((3, 40, 60), -860, np.int16)  # normal lung
    lung = np.ones(hu.shape, bool)
    hu[:, 10:30, 5:35] = -600  # a ground-glass patch ...
    found = np.zeros(hu.shape, bool)
    found[:, 14:26, 15:25] = True  # ... of which the network found the core
    hu[:, 19:21, 35:45] = 80  # a vessel leaving the patch
    hu[:, 10:30, 50:58] = -600  # another patch, not touched by the found one
    grown = grow_ground_glass(hu, lung, found, spacing, reach_mm=12.0)
    assert grown[:, 11:29, 6:34].all()  # the patch's edge, within reach, joined
    assert not grown[:, :, 37:].any()  # not the vessel (past its blurred root), the far patch
    assert not grown[:, :8].any()
    near = grow_ground_glass(hu, lung, found, spacing, reach_mm=3.0)
    assert near[:, 14:26, 12:28].all() and not near[:, :, 5:10].any()  # the reach holds
    outside = grow_ground_glass(hu, lung & (np.arange(60) < 20), found, spacing)
    assert not outside[:, :, 25:].any()  # never into what is not lung
    assert not grow_ground_glass(hu, lung, np.zeros_like(found), spacing).any()


def test_reported_version_names_weights_and_postprocessing(phantom):
    """The pre-read's output names the shipped weights (their sidecar) and the
    post-processing version, so a result can be traced to both."""
    import json

    from inference.preread import PreReadOptions, analyze
    from inference.segmenters import POSTPROCESS_VERSION
    from inference.weights import DEFAULT_WEIGHTS

    sidecar = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text(encoding="utf-8"))
    result = analyze(phantom, PreReadOptions(engine="unet", device="cpu", fallback=False))
    assert result.to_json()["model_version"] == f"{sidecar['version']}+post{POSTPROCESS_VERSION}"


COVID_AXIAL = ["A002304/axial/19001231-076", "A002304/axial/19010112-135",
               "A046441/axial/19001111-045", "A046441/axial/19010101-23",
               "A048383/axial/19001231-30", "A048383/axial/19010410-30",
               "A056642/axial/19001229-053", "A056642/axial/19010107-111"]


@pytest.mark.parametrize("slice_key", COVID_AXIAL)
def test_no_lesion_outside_the_lung_on_real_covid_slices(unet, shared_data, slice_key):
    """Consolidation blobs once sat on the pleura, in the chest wall and mediastinum, outside
    the lung. Now no lesion component lies (90 %) beyond the lung envelope (the classical
    lungs, air-filled lung closed and hulled over consolidation, computed here at full
    resolution, grown by the envelope's reach plus 3 mm of slack for the pre-read's
    half-resolution grid) unless it is a consolidated region the classical lungs miss
    (OUTSIDE_MAX_ML or more). With the rule off (post 5) it fails on
    A056642/19001229-053; A002304/19010112-135 then had four blobs of 0.3-0.9 mL wholly
    beyond 10 mm of the classical lungs."""
    from scipy import ndimage as ndi

    import studies
    from inference.borders import ENVELOPE_MM, OUTSIDE_MAX_ML, lung_envelope
    from inference.geometry import voxel_ml

    v = studies.open_volume(shared_data / "covid-slices" / f"{slice_key}.dcm")
    labels = unet.segment(v)
    lesion = np.isin(labels, GGO + CONSOLIDATION)
    assert lesion.any() and not (lesion & (labels == 0)).any()
    right, left = segment_lungs(v.voxels, v.spacing, Orientation.of(v))
    envelope = lung_envelope(right | left, v.spacing, ENVELOPE_MM + 3.0)
    comps, n = ndi.label(lesion, structure=np.ones((3, 3, 3), bool))
    for idx in range(1, n + 1):
        comp = comps == idx
        if (comp & ~envelope).sum() >= 0.9 * comp.sum():
            assert comp.sum() * voxel_ml(v.spacing) >= OUTSIDE_MAX_ML


def test_slab_pipeline_reads_the_classes_of_one_slab_after_another(unet):
    """The network's slabs pipelined (the next input and the last classes on a second
    thread) give the classes of the plain loop, slab by slab; progress rises to 0.85 and a
    cancel stops it."""
    import threading

    import torch

    from inference.errors import AnalysisCancelled
    from inference.model import classes_out, to_input
    from inference.segmenters import SLAB

    v = make_phantom(consolidation_bite=True)  # 40 slices: two full slabs and a part
    n, rows, cols = v.shape
    plain = np.empty(v.shape, np.uint8)
    with torch.inference_mode():
        for start in range(0, n, SLAB):
            x, place = to_input(v.voxels[start:start + SLAB], v.spacing, unet.grid)
            plain[start:start + SLAB] = classes_out(unet.forward(x).float().numpy(), place,
                                                    rows, cols)
    seen: list[float] = []
    got = unet._classes(v, seen.append, None)
    assert np.array_equal(got, plain)
    assert (got == CLASS_LUNG).sum() > 1000 and (got == 0).sum() > 1000
    assert seen == sorted(seen) and seen[-1] == pytest.approx(0.85) and len(seen) == 3
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(AnalysisCancelled):
        unet._classes(v, None, cancel)


@pytest.mark.parametrize("seed", range(4))
def test_ground_glass_grown_with_a_mean_made_beforehand_is_the_same(seed):
    """The 3x3 mean made in the box of all candidates (before the lesion rules) grows the
    same ground glass as the mean made in the grown seed's own box, at the volume's edges
    too; a mean whose box does not hold the seed's is not used."""
    from scipy import ndimage as ndi

    from inference.segmenters import ground_glass_mean

    rng = np.random.default_rng(seed)
    shape, spacing = (6, 60, 70), (1.0, 1.0, 2.0)
    hu = (rng.normal(-600, 200, shape)).astype(np.int16)
    lung = ndi.gaussian_filter(rng.random(shape), 2) > 0.45
    candidates = ndi.gaussian_filter(rng.random(shape), 2) > 0.55 - 0.02 * seed
    candidates[:, :3, 20:30] = seed % 2 == 0  # at the volume's edge in half the cases
    ggo = candidates & (rng.random(shape) > 0.5)
    ggo[:, : 25 + 5 * seed] = False  # a seed in part of the candidates' box only
    mean = ground_glass_mean(hu, candidates, spacing, reach_mm=4.0)
    expected = grow_ground_glass(hu, lung, ggo, spacing, reach_mm=4.0)
    assert expected.sum() > ggo.sum() > 0
    assert np.array_equal(grow_ground_glass(hu, lung, ggo, spacing, reach_mm=4.0, mean=mean),
                          expected)
    small = ground_glass_mean(hu, ggo & (np.arange(70) < 30),
                              spacing, reach_mm=4.0)
    assert np.array_equal(grow_ground_glass(hu, lung, ggo, spacing, reach_mm=4.0, mean=small),
                          expected)
    assert ground_glass_mean(hu, np.zeros(shape, bool), spacing) is None


@pytest.mark.parametrize("seed", range(4))
def test_thin_lesion_dropped_in_the_candidate_lung_as_in_the_kept_lung(seed):
    """The post-processing opens the lesion in the candidate lung beside the lung's
    components: what of it lies in the kept components is the opening in the kept lung
    (a disk lies in one face-connected component)."""
    from scipy import ndimage as ndi

    from inference.lungs import lung_components
    from inference.segmenters import drop_thin_lesions

    rng = np.random.default_rng(seed)
    spacing = (1.0, 1.0, 2.0)
    candidate = ndi.gaussian_filter(rng.random((8, 70, 80)), 2.5) > 0.5
    candidate[:, 30:60, 20:60] = True  # one large lung component, the rest small ones
    lesion = ndi.gaussian_filter(rng.random(candidate.shape), 1.5) > 0.5 - 0.02 * seed
    lung, _ = lung_components(candidate, (20.0, 20.0, 20.0))
    assert 0 < lung.sum() < candidate.sum()  # some components dropped
    expected = drop_thin_lesions(lesion & lung, spacing)
    assert expected.any()
    assert np.array_equal(drop_thin_lesions(lesion & candidate, spacing) & lung, expected)
