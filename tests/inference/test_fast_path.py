"""The faster pre-read (issue 19) reads the same labels as before.

* The classical lungs, the body and the isolated solid foci are bit-identical to the form
  before the change (``plain_lungs.py``: the functions it changed, verbatim from commit
  ca6465d, and ``_plain_set_aside`` below), on a real chest.
* The U-Net run by ONNX Runtime (:mod:`inference.runtime`) reads the classes torch reads
  (Dice >= 0.99 per class on a real chest; in practice a few voxels differ, from float
  rounding), and the whole fast pre-read against the plain one likewise.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage as ndi

from inference.foci import (
    _AS_LUNG,
    _CONNECT,
    FOCUS_DIAMETER_MM,
    SolidFocus,
    _mm,
    _solid_focus,
    set_aside_solid_foci,
    solitary_limit_ml,
)
from inference.geometry import Orientation
from inference.geometry import voxel_ml as voxel_ml_of
from inference.labels import CONSOLIDATION, GGO, LEFT, Label
from inference.morphology import fill_holes_in_plane
from tests.inference import plain_lungs

_PLANE = plain_lungs._PLANE


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int((a & b).sum()) / total


@pytest.mark.parametrize("seed", range(6))
def test_in_plane_hole_fill_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    mask = ndi.gaussian_filter(rng.random((7, 40, 50)), 1.2) > 0.5 - 0.03 * seed
    mask[3] = False  # an empty slice inside
    mask[:, 0, 10:20] = True  # and something touching the edge
    assert np.array_equal(fill_holes_in_plane(mask), ndi.binary_fill_holes(mask, _PLANE))
    empty = np.zeros((2, 5, 5), bool)
    assert not fill_holes_in_plane(empty).any()


def _plain_set_aside(labels, spacing, k_head_up=False):
    """``inference.foci.set_aside_solid_foci`` before the change, verbatim."""
    lesion = np.isin(labels, GGO + CONSOLIDATION)
    comps, n = ndi.label(lesion, structure=_CONNECT)
    if n == 0:
        return labels, []
    cons = np.isin(labels, CONSOLIDATION)
    mm = _mm(spacing)
    voxel_ml = voxel_ml_of(spacing)
    sizes = np.bincount(comps.ravel(), minlength=n + 1)
    cores = np.bincount(comps[cons], minlength=n + 1)
    max_core = np.pi / 6.0 * FOCUS_DIAMETER_MM[1] ** 3 / 1000.0 / voxel_ml
    candidate = (cores > 0) & (cores <= max_core)
    candidate[0] = False
    rest_ml = float(sizes[1:][~candidate[1:]].sum()) * voxel_ml
    limit = solitary_limit_ml(labels, voxel_ml)
    objects = ndi.find_objects(comps)
    foci, ids = [], []
    for idx in sorted(np.nonzero(candidate)[0], key=lambda i: sizes[i]):
        if rest_ml >= limit:
            return labels, []
        sl = objects[idx - 1]
        focus = _solid_focus(comps, cons, int(idx), sl, mm, voxel_ml)
        if focus is None:
            rest_ml += float(sizes[idx]) * voxel_ml
            continue
        side = "left" if np.isin(labels[sl][comps[sl] == idx], LEFT).mean() > 0.5 else "right"
        foci.append(SolidFocus(side, *focus, count=labels.shape[0], head_up=k_head_up))
        ids.append(int(idx))
    if not foci or rest_ml >= limit:
        return labels, []
    aside = np.isin(comps, ids)
    out = labels.copy()
    out[aside] = _AS_LUNG[labels[aside]]
    return out, foci


def _ball(shape, center, r):
    k, j, i = np.ogrid[: shape[0], : shape[1], : shape[2]]
    return (k - center[0]) ** 2 * 6 + (j - center[1]) ** 2 + (i - center[2]) ** 2 <= r * r


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_solid_foci_set_aside_as_before(extra):
    """Foci anywhere in the volume (so the lesions' box is offset), one per side, with or
    without other lesion beside them (``extra``: none, a little, too much)."""
    shape, spacing = (40, 120, 130), (1.0, 1.0, 2.5)
    labels = np.zeros(shape, np.uint8)
    labels[:, 5:115, 5:65] = Label.LUNG_RIGHT
    labels[:, 5:115, 65:125] = Label.LUNG_LEFT
    for center, ggo, cons in (((22, 40, 30), Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT),
                              ((12, 80, 100), Label.GGO_LEFT, Label.CONSOLIDATION_LEFT)):
        labels[_ball(shape, center, 9)] = ggo
        labels[_ball(shape, center, 7)] = cons
    if extra:
        labels[30:30 + 2 * extra, 90:100, 20:20 + 14 * extra ** 2] = Label.GGO_RIGHT
    new, new_foci = set_aside_solid_foci(labels, spacing, True)
    old, old_foci = _plain_set_aside(labels, spacing, True)
    assert np.array_equal(new, old)
    assert [f.to_dict() for f in new_foci] == [f.to_dict() for f in old_foci]
    assert [f.box for f in new_foci] == [f.box for f in old_foci]
    assert all(np.array_equal(a.mask, b.mask) for a, b in zip(new_foci, old_foci, strict=True))
    assert len(new_foci) == (2 if extra < 2 else 0)


@pytest.fixture(scope="module")
def chest(shared_data):
    import studies

    return studies.open_volume(shared_data / "ct" / "lidc-idri-0003")


def test_the_old_lungs_copy_only_what_the_fast_path_changed():
    """``plain_lungs`` writes out only the old forms that differ from the shipped ones; an
    unchanged function is the shipped one run against the old helpers, not a copy of it."""
    import ast
    import inspect

    from inference import lungs

    def bodies(module) -> dict[str, str]:
        tree = ast.parse(inspect.getsource(module))
        return {n.name: ast.dump(n) for n in tree.body if isinstance(n, ast.FunctionDef)}

    shipped = bodies(lungs)
    copied = sorted(name for name, body in bodies(plain_lungs).items()
                    if shipped.get(name) == body)
    assert copied == []
    assert plain_lungs.thorax_masks.__code__ is lungs.thorax_masks.__code__
    assert plain_lungs.thorax_masks.__globals__ is vars(plain_lungs)  # the old helpers


def test_classical_lungs_and_body_are_bit_identical_on_a_real_chest(chest):
    from inference import lungs

    hu, orient = chest.voxels[:, ::2, ::2], Orientation.of(chest)
    half = (chest.spacing[0] * 2, chest.spacing[1] * 2, chest.spacing[2])
    body = lungs.body_mask(hu)
    assert np.array_equal(body, plain_lungs.body_mask(hu))
    new = lungs.segment_lungs(hu, half, orient, body=body)
    old = plain_lungs.segment_lungs(hu, half, orient, body=body)
    assert new[0].sum() > 100_000 and new[1].sum() > 100_000
    assert np.array_equal(new[0], old[0]) and np.array_equal(new[1], old[1])
    # the split of a mask labelled by the caller equals the split that labels it itself
    lung, components = lungs.lung_components(new[0] | new[1], half)
    assert np.array_equal(lungs.split_sides(lung, body, orient, components),
                          plain_lungs.split_sides(lung, body, orient))


def test_the_fast_pre_read_reads_the_labels_of_the_plain_one_on_a_real_chest(chest,
                                                                           monkeypatch):
    """ONNX Runtime and the shipped post-processing against torch and the post-processing's
    lungs and body as before: Dice >= 0.99 for lungs, GGO and consolidation, the same
    grade, involvement within 0.1 pp. Neither sets foci aside: the fast form of that rule is
    held to the old one by ``test_solid_foci_set_aside_as_before``, the old copy knows no
    round masses (post 7-8), and since post 8 this chest's nodule is one, which left too
    little consolidation to compare."""
    pytest.importorskip("onnxruntime")
    from inference import preread, segmenters
    from inference.preread import PreReadOptions, analyze

    monkeypatch.setattr(preread, "set_aside_solid_foci", lambda labels, *_a, **_k: (labels, []))
    fast = analyze(chest, PreReadOptions(device="cpu", fallback=False, runtime="onnx"))
    assert preread._segmenter("unet", "cpu", None, "onnx").runtime == "onnx"
    monkeypatch.setattr(segmenters, "thorax_masks", plain_lungs.thorax_masks)
    monkeypatch.setattr(segmenters, "lung_components",
                        lambda mask, spacing, _hu=None: (  # no gas rule then (post 12)
                            plain_lungs.keep_lung_components(mask, spacing), None))
    monkeypatch.setattr(segmenters, "split_sides",  # its own midline: on the whole grid
                        lambda lung, body, orient, _c, _m: plain_lungs.split_sides(lung, body,
                                                                                    orient))
    monkeypatch.setattr(segmenters, "work_box",
                        lambda classes, _s: tuple(slice(0, n) for n in classes.shape))
    plain = analyze(chest, PreReadOptions(device="cpu", fallback=False, runtime="torch"))
    a, b = fast.labels, plain.labels
    for name, sel in (("lungs", lambda x: x > 0), ("ggo", lambda x: np.isin(x, GGO)),
                      ("consolidation", lambda x: np.isin(x, CONSOLIDATION))):
        assert sel(b).sum() > 100, name  # each class is there to compare
        assert _dice(sel(a), sel(b)) >= 0.99, name
    m, n = fast.measures, plain.measures
    assert m.grade == n.grade
    for side in ("left", "right", "total"):
        assert abs(m.involvement_percent[side] - n.involvement_percent[side]) <= 0.1


def test_onnx_fallback_is_torch_when_onnxruntime_is_missing(monkeypatch, caplog):
    import sys

    from inference.model import UNet2D
    from inference.runtime import cpu_forward

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    model = UNet2D()
    forward, name = cpu_forward(model, "auto", 1)
    assert name == "torch" and forward is model
    assert "torch runs" in caplog.text
    with pytest.raises(ImportError):
        cpu_forward(model, "onnx", 1)


@pytest.mark.parametrize("place", [(150, 150, -3, -3), (120, 130, 12, 7), (144, 144, 0, 0),
                                   (200, 180, -28, -18)])
def test_classes_blended_along_borders_equal_the_argmax_of_the_up_sampled_logits(place):
    """Smooth random logits (many class borders) on the input grid, placed as a slice of
    that size would be: the classes equal torch's up-sampling then argmax."""
    import torch

    from inference.model import Placement, classes_out, resample_out

    rng = np.random.default_rng(sum(place))
    logits = 30 * ndi.gaussian_filter(rng.normal(size=(3, 4, 144, 144)), (0, 0, 3, 3))
    logits = logits.astype(np.float32)
    p = Placement(*place)
    full = resample_out(torch.from_numpy(logits), p, 512, 500)
    expected = torch.argmax(full, dim=1).numpy()
    got = classes_out(logits, p, 512, 500)
    assert got.dtype == np.uint8 and got.shape == (3, 512, 500)
    assert np.bincount(expected.ravel(), minlength=4).min() > 10_000  # every class, borders
    assert np.array_equal(got, expected)


def test_sided_labels_as_six_masked_writes():
    from inference.segmenters import sided_labels

    rng = np.random.default_rng(5)
    lung, right, left, ggo, cons = (rng.random((6, 30, 40)) < p
                                    for p in (0.6, 0.4, 0.4, 0.3, 0.2))  # overlapping
    old = np.zeros(lung.shape, np.uint8)
    old[right] = Label.LUNG_RIGHT
    old[left] = Label.LUNG_LEFT
    old[ggo & right] = Label.GGO_RIGHT
    old[ggo & left] = Label.GGO_LEFT
    old[cons & right] = Label.CONSOLIDATION_RIGHT
    old[cons & left] = Label.CONSOLIDATION_LEFT
    new = sided_labels(lung, ggo, cons, right, left)
    assert new.dtype == np.uint8 and np.array_equal(new, old)
    assert set(np.unique(new)) == set(range(7))


def test_onnx_graph_is_kept_by_the_weights_sha256_and_exported_again_when_damaged(
        luch_home, monkeypatch):
    """The first use exports the graph into LUCH_HOME/cache/onnx; the next takes it from
    there without exporting (the same bytes as an export); a damaged file is exported again;
    other weights get another file."""
    pytest.importorskip("onnxruntime")
    import torch

    from inference import runtime
    from inference.model import UNet2D

    torch.manual_seed(0)
    model = UNet2D((4, 8, 8, 8)).eval()
    x = torch.rand(2, 1, 64, 64)
    first = runtime.OnnxForward(model, 1, size=64, sha256="ab" * 32)
    path = runtime.cache_path("ab" * 32, 64)
    assert path.is_file() and path.read_bytes() == runtime.export(model, 64, "ab" * 32)
    expected = first(x)
    assert torch.allclose(expected, model(x), atol=1e-4)

    def no_export(*_args, **_kwargs):
        raise AssertionError("exported again")

    with monkeypatch.context() as patch:
        patch.setattr(runtime, "export", no_export)
        assert torch.equal(runtime.OnnxForward(model, 1, size=64, sha256="ab" * 32)(x),
                           expected)
    path.write_bytes(b"not a graph")
    assert torch.equal(runtime.OnnxForward(model, 1, size=64, sha256="ab" * 32)(x), expected)
    assert path.read_bytes() == runtime.export(model, 64, "ab" * 32)
    other = UNet2D((4, 8, 8, 8)).eval()  # other random weights, no sha256 known
    runtime.OnnxForward(other, 1, size=64)
    assert runtime.cache_path(runtime.weights_key(other), 64).is_file()
    assert len(list(path.parent.glob("*.onnx"))) == 2


def test_a_cached_onnx_graph_of_other_weights_is_not_used(luch_home, caplog):
    """The cache file's name is trusted no further than its content: a valid graph of other
    weights under the weights' name (a copied cache, a stale file), or a graph that names no
    weights (kept before the check), is exported again with a log line, and the weights'
    own logits come out."""
    pytest.importorskip("onnxruntime")
    import torch

    from inference import runtime
    from inference.model import UNet2D

    torch.manual_seed(0)
    model, other = UNet2D((4, 8, 8, 8)).eval(), UNet2D((4, 8, 8, 8)).eval()
    x = torch.rand(2, 1, 64, 64)
    key = "cd" * 32
    path = runtime.cache_path(key, 64)
    for stale, said in ((runtime.export(other, 64, "ef" * 32), "is of other weights"),
                        (runtime.export(other, 64), "names no weights")):
        path.write_bytes(stale)
        caplog.clear()
        with caplog.at_level("WARNING", logger="inference.runtime"):
            forward = runtime.OnnxForward(model, 1, size=64, sha256=key)
        assert torch.allclose(forward(x), model(x), atol=1e-4)
        assert said in caplog.text
        assert path.read_bytes() == runtime.export(model, 64, key)
    caplog.clear()
    with caplog.at_level("WARNING", logger="inference.runtime"):
        runtime.OnnxForward(model, 1, size=64, sha256=key)  # its own graph: no word
    assert caplog.text == ""
