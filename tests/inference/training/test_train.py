"""Training recipe pieces: crops centred on lung borders, ignored padding, edge weights."""

import torch

from inference.labels import N_CLASSES
from inference.model import INPUT_SIZE, UNet2D
from inference.training import train
from inference.training.data import IGNORE


def _toy_labels(n: int = 4) -> torch.Tensor:
    y = torch.zeros(n, INPUT_SIZE, INPUT_SIZE, dtype=torch.uint8)
    y[:, 30:110, 20:70] = 1
    y[:, 30:110, 80:130] = 1
    y[:, 60:80, 30:50] = 2
    return y


def test_crop_is_centred_on_the_requested_pixel_also_when_flipped():
    gen = torch.Generator().manual_seed(1)
    for row, col in [(30, 20), (100, 120), (40, 110)]:
        x = torch.zeros(8, 1, INPUT_SIZE, INPUT_SIZE)
        x[:, 0, row - 2:row + 3, col - 2:col + 3] = 100
        y = torch.zeros(8, INPUT_SIZE, INPUT_SIZE, dtype=torch.uint8)
        centre = torch.tensor([[(2 * col + 1) / INPUT_SIZE - 1,
                                (2 * row + 1) / INPUT_SIZE - 1]]).repeat(8, 1)
        xb, _ = train.augment(x, y, gen, centre)
        for k in range(8):
            r, c = divmod(int(xb[k, 0].argmax()), train.CROP)
            assert abs(r - train.CROP // 2) <= 8 and abs(c - train.CROP // 2) <= 8


def test_ignored_pixels_survive_augmentation_and_do_not_move_the_loss():
    gen = torch.Generator().manual_seed(2)
    y = _toy_labels()
    y[:, :, :40] = IGNORE
    x = torch.randn(4, 1, INPUT_SIZE, INPUT_SIZE)
    xb, yb = train.augment(x, y, gen)
    assert (yb == IGNORE).any() and set(yb.unique().tolist()) <= {0, 1, 2, IGNORE}
    yb = yb.long()
    logits = UNet2D()(xb).detach()
    other = logits.clone()
    other[(yb == IGNORE)[:, None].expand_as(other)] = 7.0  # change only ignored pixels
    assert torch.isclose(train.loss_fn(logits, yb), train.loss_fn(other, yb))
    changed = logits.clone()
    changed[(yb == 1)[:, None].expand_as(changed)] = 7.0
    assert not torch.isclose(train.loss_fn(logits, yb), train.loss_fn(changed, yb))


def test_edge_weights_on_lung_borders_and_lesion_borders_only():
    y = _toy_labels(1).long()
    w = train.pixel_weights(y, 3.0)[0]
    assert w[70, 22] == 3.0  # lung next to background
    assert w[70, 45] == 1.0  # deep in the lesion
    assert w[60, 40] == 3.0  # lesion border
    assert w[95, 45] == 1.0  # lung far from borders
    assert w[5, 5] == 1.0  # background


def test_hard_centres_lie_on_lung_borders():
    y = _toy_labels()
    border = train.lung_border_pixels(y)
    assert (y[border[:, 0], border[:, 1], border[:, 2]] == 1).all()
    idx, centre = train.sample_batch(y, border, torch.Generator().manual_seed(0), 0.5)
    assert idx.shape == (train.BATCH,) and centre.abs().max() <= 1
    assert (centre != 0).any(dim=1).sum() >= 1


def test_a_few_iterations_lower_the_loss_on_a_toy_problem():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    y = _toy_labels(2)
    x = torch.where(y == 1, -0.9, torch.where(y == 2, -0.4, 0.1)).float()[:, None]
    model = UNet2D()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(15):
        xb, yb = train.augment(x, y, gen)
        loss = train.loss_fn(model(xb), yb.long())
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    assert losses[-1] < losses[0]
    assert N_CLASSES == 4


def test_shipped_recipe_v2_keeps_its_original_sampling_and_loss():
    """The shipped weights must stay reproducible: v2 draws only the slice indices and uses
    the plain class-weighted cross-entropy plus Dice of the original recipe."""
    assert train.RECIPES[train.SHIPPED].version == "2.0.0"
    y = _toy_labels()
    gen, ref = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    idx, centre = train.sample_batch(y, None, gen, 0.0)
    assert centre is None
    assert torch.equal(idx, torch.randint(0, y.shape[0], (train.BATCH,), generator=ref))
    assert torch.equal(torch.rand(3, generator=gen), torch.rand(3, generator=ref))
    logits = torch.randn(4, N_CLASSES, INPUT_SIZE, INPUT_SIZE)
    yl = y.long()
    ce = torch.nn.functional.cross_entropy(logits, yl, weight=torch.tensor(train.CLASS_WEIGHTS))
    prob = logits.softmax(1)
    onehot = torch.nn.functional.one_hot(yl, N_CLASSES).permute(0, 3, 1, 2).float()
    inter = (prob * onehot).sum((0, 2, 3))
    dice = 1 - (2 * inter + 1) / (prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + 1)
    assert torch.isclose(train.loss_fn(logits, yl, None), ce + dice[1:].mean())


def test_leave_one_chest_out_recipes_hold_their_chest_apart():
    folds = {k: r for k, r in train.RECIPES.items() if k.startswith("v4-")}
    assert len(folds) == len(train.REAL_CHESTS) == 3
    for name in train.REAL_CHESTS:
        recipe = folds[f"v4-{name.split('/')[-1]}"]
        assert name not in recipe.grades and recipe.scanner and recipe.extra_negatives
        assert set(train.REAL_CHESTS) - {name} <= set(recipe.grades)


def test_scanner_augmentation_changes_kernel_noise_and_offset_but_not_the_layout():
    import numpy as np

    gen = torch.Generator().manual_seed(3)
    x = torch.zeros(16, 1, 32, 32)
    x[:, :, 8:24, 8:24] = 1.0
    out = train.scanner_augment(x, gen)
    assert out.shape == x.shape and not torch.equal(out, x)
    # the square is still where it was: augmentation is photometric, labels stay valid
    assert (out[:, :, 12:20, 12:20].mean() - out[:, :, :4, :4].mean()) > 0.5
    rng = np.random.default_rng(0)
    hu = np.zeros((9, 4, 4), np.float32)
    hu[4] = 100.0
    thick = [train.thicken(hu, 1.0, rng) for _ in range(20)]
    assert any(t[4, 0, 0] < 100 for t in thick) and any(t[4, 0, 0] == 100 for t in thick)


def test_cached_cases_are_the_same_slices_and_are_not_simulated_again(tmp_path, monkeypatch):
    """``--cache`` keeps each simulated case's training slices: a rerun reads them instead of
    simulating (the expensive part on a loaded box), and gets the very tensors an uncached
    build makes, slab thickening (drawn from the recipe's stream) included."""
    from dataclasses import replace

    from inference.training import data as sim_data
    from tests.inference.conftest import make_phantom
    from tests.inference.truth_folders import _write_nifti

    phantom = make_phantom()
    _write_nifti(tmp_path / "ct" / "phantom.nii.gz", phantom.voxels, phantom)
    recipe = replace(train.RECIPES["v4ftlr-popi-philips-phase00"],
                     grades={"ct/phantom.nii.gz": [0, 2, 3, 1]})
    x_ref, y_ref = train.build_dataset(tmp_path, recipe, log=lambda *_: None)
    cache = tmp_path / "cache"
    x1, y1 = train.build_dataset(tmp_path, recipe, log=lambda *_: None, cache=cache)
    assert len(list(cache.glob("*.pt"))) == 4
    simulated = []
    real_cases = sim_data.cases
    monkeypatch.setattr(sim_data, "cases",
                        lambda *a, **k: simulated.append(a) or real_cases(*a, **k))
    x2, y2 = train.build_dataset(tmp_path, recipe, log=lambda *_: None, cache=cache)
    assert not simulated
    for x, y in ((x1, y1), (x2, y2)):
        assert torch.equal(x, x_ref) and torch.equal(y, y_ref)
    # another recipe sharing the first cases reuses them and simulates only the new one
    longer = replace(recipe, grades={"ct/phantom.nii.gz": [0, 2, 3, 1, 4]})
    x3, _ = train.build_dataset(tmp_path, longer, log=lambda *_: None, cache=cache)
    assert len(simulated) == 1 and torch.equal(x3[:x_ref.shape[0]], x_ref)


def test_next_step_fine_tune_recipes_change_one_thing_each():
    """v4ft12: v2's 12 cases per real chest; v4ftlr: the v4ft data at lr 3e-4."""
    for name in train.REAL_CHESTS:
        short = name.split("/")[-1]
        base = train.RECIPES[f"v4ft-{short}"]
        more, slow = train.RECIPES[f"v4ft12-{short}"], train.RECIPES[f"v4ftlr-{short}"]
        assert name not in more.grades and name not in slow.grades
        assert slow.grades == base.grades and slow.lr == 3e-4 < base.lr
        assert more.lr == base.lr and more.iterations == base.iterations
        assert all(len(more.grades[c]) == 12 for c in train.REAL_CHESTS if c != name)


def test_decontrast_brings_enhanced_blood_to_unenhanced_density_only():
    """The contrast-phase augmentation (recipe v5ft): enhanced blood (120-450 HU) goes to
    30-60 HU in the images picked; air, lung, fat, plain soft tissue and cortical bone stay."""
    from inference.model import normalise

    hu = torch.tensor([-900.0, -100.0, 40.0, 200.0, 350.0, 1000.0]).reshape(1, 1, 1, 6)
    x = normalise(hu).repeat(8, 1, 1, 1)
    gen = torch.Generator().manual_seed(5)
    out = train.decontrast_augment(x, gen, 1.0) * 500.0 - 400.0
    for i in (0, 1, 2, 5):
        assert torch.allclose(out[..., i], x[..., i] * 500.0 - 400.0, atol=1e-3)
    assert ((out[..., 3:5] >= 29.9) & (out[..., 3:5] <= 60.1)).all()
    assert torch.equal(train.decontrast_augment(x, gen, 0.0), x)
    assert train.RECIPES["v5ft"].grades == train.RECIPES["v2"].grades  # v2's data only


def test_lesion_centres_are_lesion_pixels_and_picked_for_the_recipe_share():
    """Recipe v5ftles: crop centres on simulated lesion (never lung or ignored padding), a
    share of each batch; v5ft's data and decontrast otherwise."""
    y = _toy_labels()
    y[0, 0:5, 0:5] = IGNORE
    px = train.lesion_pixels(y, step=1)
    assert len(px) == 4 * 20 * 20
    assert (y[px[:, 0], px[:, 1], px[:, 2]] == 2).all()
    gen = torch.Generator().manual_seed(3)
    y[2:] = 1  # lesion on the first two slices only: a centred crop's slice holds it
    px = train.lesion_pixels(y, step=1)
    for _ in range(20):
        idx, centre = train.sample_batch(y, px, gen, 1.0)
        col = (((centre[:, 0] + 1) * INPUT_SIZE - 1) / 2).round().long()
        row = (((centre[:, 1] + 1) * INPUT_SIZE - 1) / 2).round().long()
        assert (y[idx, row, col] == 2).all()
    r = train.RECIPES["v5ftles"]
    assert r.lesion_centre_share == 0.5 and r.lr == 3e-4
    assert (r.grades, r.decontrast) == (train.RECIPES["v5ft"].grades, 0.5)
