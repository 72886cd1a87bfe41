"""Train the shipped pre-read U-Net: ``python -m inference.training.train [--data DIR]``.

Deterministic (fixed seeds, deterministic algorithms, 1 thread): running it again on the
same data and torch version regenerates the shipped weights. About 15 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as nnf

from inference.labels import N_CLASSES
from inference.model import CHANNELS, INPUT_SIZE, PIXEL_MM, UNet2D
from inference.training import data as sim_data
from inference.weights import DEFAULT_WEIGHTS

SEED = 20260522
ITERATIONS = 2000
BATCH = 10
CROP = 96
LR = 3e-3
CLASS_WEIGHTS = (1.0, 1.0, 2.0, 2.0)
# Grades of the simulated training cases per series (every grade, twice for the full chest).
TRAIN_GRADES = {"ct/lidc-idri-0001": [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 2, 3],
                "ct/siemens-j2k-abdomen": [0, 1, 2, 3, 4]}


def build_dataset(data_root: Path, log=print) -> tuple[torch.Tensor, torch.Tensor]:
    xs, ys = [], []
    for name in sim_data.TRAIN_SERIES:
        series = sim_data.load_series(data_root, name)
        for case in sim_data.cases(series, TRAIN_GRADES[name], sim_data.TRAIN_SEED0):
            x, y = sim_data.to_training_slices(case, series.volume.spacing)
            xs.append(x)
            ys.append(y)
        log(f"simulated {len(TRAIN_GRADES[name])} cases on {name}")
    return torch.cat(xs), torch.cat(ys)


def augment(x: torch.Tensor, y: torch.Tensor, gen: torch.Generator):
    """Random flip, scale/rotation, crop, intensity offset and noise (all from ``gen``)."""
    n = x.shape[0]
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x)
    y = torch.where(flip[:, None, None], y.flip(-1), y)
    scale = 0.85 + 0.3 * torch.rand(n, generator=gen)
    angle = (torch.rand(n, generator=gen) - 0.5) * 0.3
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    shift = (torch.rand(n, 2, generator=gen) - 0.5) * 0.2
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = nnf.affine_grid(theta, (n, 1, CROP, CROP), align_corners=False)
    grid = grid * (CROP / INPUT_SIZE)
    xa = nnf.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    onehot = nnf.one_hot(y.long(), N_CLASSES).permute(0, 3, 1, 2).float()
    ya = nnf.grid_sample(onehot, grid, mode="nearest", padding_mode="zeros", align_corners=False)
    ya = ya.argmax(1)
    xa = xa + (torch.rand(n, 1, 1, 1, generator=gen) - 0.5) * 0.08
    xa = xa + torch.randn(xa.shape, generator=gen) * (0.04 * torch.rand(n, 1, 1, 1, generator=gen))
    return xa, ya


def loss_fn(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    ce = nnf.cross_entropy(logits, y, weight=torch.tensor(CLASS_WEIGHTS))
    prob = logits.softmax(1)
    onehot = nnf.one_hot(y, N_CLASSES).permute(0, 3, 1, 2).float()
    inter = (prob * onehot).sum((0, 2, 3))
    denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    dice = 1 - (2 * inter + 1) / (denom + 1)
    return ce + dice[1:].mean()


def train(data_root: Path, out: Path, iterations: int = ITERATIONS, log=print) -> dict:
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # steadier than 2 on a shared 2-core box; same result
    t0 = time.time()
    x_all, y_all = build_dataset(data_root, log)
    log(f"{x_all.shape[0]} slices ready in {time.time() - t0:.0f} s")
    gen = torch.Generator().manual_seed(SEED)
    model = UNet2D()
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=iterations)
    model.train()
    running = 0.0
    for it in range(iterations):
        idx = torch.randint(0, x_all.shape[0], (BATCH,), generator=gen)
        xb, yb = augment(x_all[idx].float(), y_all[idx], gen)
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running = 0.98 * running + 0.02 * float(loss.detach()) if it else float(loss.detach())
        if it % 100 == 0 or it == iterations - 1:
            log(f"iteration {it}: loss {running:.4f} ({time.time() - t0:.0f} s)")
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out)
    sidecar = {
        "name": "luch-lung-unet",
        "version": "2.0.0",
        "architecture": {"type": "UNet2D", "channels": list(CHANNELS), "input_size": INPUT_SIZE,
                         "pixel_mm": PIXEL_MM,
                         "classes": ["background", "lung", "ggo", "consolidation"]},
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "trained": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "torch": torch.__version__,
        "training": {
            "series": list(sim_data.TRAIN_SERIES), "grades": TRAIN_GRADES,
            "seed0": sim_data.TRAIN_SEED0,
            "slices": int(x_all.shape[0]), "iterations": iterations, "batch": BATCH,
            "crop": CROP, "seed": SEED, "seconds": round(time.time() - t0),
            "data": "real LIDC-IDRI / TotalSegmentator CT with simulated lesions "
                    "(inference/simulate.py); lung truth from the classical method on the "
                    "clean CT",
        },
        "validation": {"series": list(sim_data.VALIDATION_SERIES),
                       "seed0": sim_data.VALIDATION_SEED0},
        "metrics": {},
        "status": "investigational: not a medical device",
    }
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    return sidecar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2].parent
                        / "shared" / "data")
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS)
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    args = parser.parse_args()
    train(args.data, args.out, args.iterations)


if __name__ == "__main__":
    main()
