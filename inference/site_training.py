"""Fine-tune the active model on the station's corrected studies (``luch train --site``).

Training data: each correction's CT (its ``source_path``) and the reader's corrected label
map, as network classes on the input grid (:mod:`inference.training.data`), plus simulated
lesions replayed inside that study's corrected lungs (so the model keeps seeing lesions).
Half of each batch comes from slices the reader changed, so the corrections weigh. The recipe
(:data:`SITE_RECIPE`), seed and data list (correction ids with the checksum of each label
file) go into the candidate's sidecar: the same data, recipe, seed, torch version and
thread count give the same weights on the CPU.

Nothing half-written is kept: the candidate is written to a hidden staging folder and moved
into the registry in one rename after the last step; a cancel (or Ctrl+C) before that
leaves the registry as it was. The candidate is not active: :func:`gate_and_activate`
decides on held-apart studies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as nnf

from inference.corrections import load_label_maps
from inference.errors import AnalysisCancelled, InferenceError
from inference.evaluate import evaluate_refs
from inference.gate import decide
from inference.geometry import Orientation
from inference.labels import CONSOLIDATION, GGO, N_CLASSES, Label
from inference.registry import WEIGHTS_NAME, ModelRegistry, ModelVersion
from inference.segmenters import pick_device
from inference.simulate import SimulatedCase, simulate
from inference.training.data import IGNORE, to_training_slices
from inference.training.train import augment, log_line
from inference.weights import load_model
from studies import open_volume

Progress = Callable[[float], None]


class SiteTrainingError(InferenceError):
    """Site fine-tuning cannot run (no usable corrections, unusable device)."""


class TrainingCancelled(AnalysisCancelled):
    """Site fine-tuning was cancelled; no candidate was written."""


@dataclass(frozen=True)
class SiteRecipe:
    """How a site candidate is fine-tuned from the active model."""

    name: str = "site-v2"
    lr: float = 3e-4
    weight_decay: float = 1e-4
    batch: int = 10
    changed_share: float = 0.5  # share of each batch drawn from slices the reader changed
    class_weights: tuple[float, ...] = (1.0, 1.0, 2.0, 2.0)
    seed: int = 20261206
    default_steps: int = 300
    # Simulated lesions (inference.simulate) replayed inside each corrected study's own
    # lungs, one case per grade: without them (site-v1) a model fine-tuned on "no lesion
    # here" corrections forgot lesions (benchmarks/README.md, site_learning).
    replay_grades: tuple[int, ...] = (1, 2, 3, 4)


SITE_RECIPE = SiteRecipe()


@dataclass
class SiteSample:
    """One corrected study: the correction's id, its CT and its label-map file."""

    correction_uid: str
    ct_path: str
    labels_file: str


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _replay(volume, corrected: np.ndarray, sl: slice, recipe: SiteRecipe, n: int):
    """Simulated lesion cases in the corrected lungs (the reader's lesions kept)."""
    lab = corrected[sl]
    right, left = lab == Label.LUNG_RIGHT, lab == Label.LUNG_LEFT
    if not (right.any() and left.any()):
        return
    real = np.isin(lab, GGO + CONSOLIDATION)
    for k, grade in enumerate(recipe.replay_grades):
        rng = np.random.default_rng(recipe.seed + 1000 * n + k)
        case = simulate(volume.voxels[sl], volume.spacing, Orientation.of(volume), right,
                        left, grade, rng, negatives=False)
        case.truth[real] = lab[real]
        yield case


def build_dataset(samples: list[SiteSample], log=log_line, recipe: SiteRecipe = SITE_RECIPE):
    """(x, y, changed slice indices, data list) on the network's input grid."""
    xs, ys, changed, data = [], [], [], []
    offset = 0
    for s in samples:
        original, corrected = load_label_maps(s.labels_file)
        try:
            volume = open_volume(s.ct_path)
        except Exception as err:  # a study moved or deleted: said, and skipped
            log(f"correction {s.correction_uid}: its CT cannot be opened "
                f"({type(err).__name__}); skipped")
            continue
        if volume.shape != corrected.shape:
            log(f"correction {s.correction_uid}: CT and label map differ in size; skipped")
            continue
        ks = np.nonzero(corrected.any(axis=(1, 2)))[0]
        if not ks.size:
            continue
        sl = slice(int(ks[0]), int(ks[-1]) + 1)
        case = SimulatedCase(volume.voxels[sl], corrected[sl], -1, {})
        x, y = to_training_slices(case, volume.spacing)
        diff = np.nonzero((original[sl] != corrected[sl]).any(axis=(1, 2)))[0]
        xs.append(x)
        ys.append(y)
        changed.extend(int(offset + k) for k in diff)
        offset += x.shape[0]
        for replay in _replay(volume, corrected, sl, recipe, len(data)):
            rx, ry = to_training_slices(replay, volume.spacing)
            xs.append(rx)
            ys.append(ry)
            offset += rx.shape[0]
        data.append({"correction": s.correction_uid, "labels_sha256": _sha256(s.labels_file),
                     "slices": int(x.shape[0]), "changed_slices": int(diff.size)})
    if not xs:
        raise SiteTrainingError("No corrected study can be used for training (none saved, or "
                                "their images are no longer on this station)")
    return torch.cat(xs), torch.cat(ys), torch.tensor(changed, dtype=torch.long), data


def _loss(logits, y, class_weights):
    """Class-weighted cross-entropy plus soft Dice of lung, GGO and consolidation (the
    shipped v2 loss), on the logits' device; ignored pixels count in neither."""
    ignore = y == IGNORE
    yc = torch.where(ignore, 0, y)
    ce = nnf.cross_entropy(logits, torch.where(ignore, -100, y),
                           weight=torch.tensor(class_weights, device=logits.device))
    valid = (~ignore).float()[:, None]
    prob = logits.softmax(1) * valid
    onehot = nnf.one_hot(yc, N_CLASSES).permute(0, 3, 1, 2).float() * valid
    inter = (prob * onehot).sum((0, 2, 3))
    denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return ce + (1 - (2 * inter + 1) / (denom + 1))[1:].mean()


def _batch(n_slices, changed, gen, recipe: SiteRecipe):
    idx = torch.randint(0, n_slices, (recipe.batch,), generator=gen)
    if changed.numel():
        pick = changed[torch.randint(0, changed.numel(), (recipe.batch,), generator=gen)]
        use = torch.rand(recipe.batch, generator=gen) < recipe.changed_share
        idx = torch.where(use, pick, idx)
    return idx


def fine_tune(samples: list[SiteSample], registry: ModelRegistry | None = None,
              steps: int | None = None, device: str = "auto", recipe: SiteRecipe = SITE_RECIPE,
              progress: Progress | None = None, cancel: threading.Event | None = None,
              log=log_line) -> ModelVersion:
    """Fine-tune the active version on ``samples``; returns the new (inactive) candidate."""
    registry = registry or ModelRegistry()
    steps = int(steps or recipe.default_steps)
    if steps < 1:
        raise SiteTrainingError("The training budget must be at least one step")
    device = pick_device(device)
    parent = registry.active()
    t0 = time.time()
    x_all, y_all, changed, data = build_dataset(samples, log, recipe)
    log(f"{x_all.shape[0]} slices from {len(data)} corrected studies ({changed.numel()} "
        f"changed, with {len(recipe.replay_grades)} replayed lesion cases each) in "
        f"{time.time() - t0:.0f} s")
    model, meta = load_model(parent.weights)
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    if device == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.manual_seed(recipe.seed)
    torch.use_deterministic_algorithms(True, warn_only=device == "cuda")
    try:
        model = model.to(device).train()
        opt = torch.optim.AdamW(model.parameters(), lr=recipe.lr,
                                weight_decay=recipe.weight_decay)
        gen = torch.Generator().manual_seed(recipe.seed)
        running = 0.0
        for step in range(steps):
            if cancel is not None and cancel.is_set():
                raise TrainingCancelled("Site training cancelled; no model was written")
            idx = _batch(x_all.shape[0], changed, gen, recipe)
            xb, yb = augment(x_all[idx].float(), y_all[idx], gen)
            loss = _loss(model(xb.to(device)), yb.long().to(device), recipe.class_weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
            value = float(loss.detach())
            running = 0.9 * running + 0.1 * value if step else value
            if progress:
                progress((step + 1) / steps)
            if step % 50 == 0 or step == steps - 1:
                log(f"step {step + 1}/{steps}: loss {running:.4f} ({time.time() - t0:.0f} s)")
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    finally:
        torch.use_deterministic_algorithms(deterministic)
    version = registry.next_site_version()
    sidecar = {"name": meta.get("name", "luch-lung-unet"),
               "architecture": meta.get("architecture", {}), "version": version,
               "base_version": registry.shipped().version, "parent_version": parent.version,
               "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "torch": torch.__version__,
               "training": {"recipe": recipe.name, **asdict(recipe), "steps": steps,
                            "device": device, "threads": threads, "data": data,
                            "seconds": round(time.time() - t0, 1),
                            "source": "this station's corrected studies"},
               "metrics": {}, "gate": {"passed": False, "state": "not evaluated"},
               "status": "investigational: not a medical device"}
    return _write_candidate(registry, version, state, sidecar)


def _write_candidate(registry: ModelRegistry, version: str, state, sidecar) -> ModelVersion:
    staging = registry.staging(version)
    try:
        weights = staging / WEIGHTS_NAME
        torch.save(state, weights)
        sidecar["sha256"] = _sha256(weights)
        side = weights.with_suffix(".json")
        side.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
        return registry.commit(staging, version)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def require_holdout(holdout: list) -> None:
    if not holdout:
        raise SiteTrainingError("No held-apart studies to judge a model on: give a folder of "
                                "studies with truth (--holdout) or correct more studies")


def gate_and_activate(candidate: ModelVersion, holdout: list, registry: ModelRegistry | None = None,
                      device: str = "auto", activate: bool = True, log=log_line):
    """Read the held-apart studies (:class:`inference.eval_sets.StudyRef`) with the active
    version and the candidate by the same :func:`inference.evaluate.evaluate_refs`; record
    both in the candidate's sidecar with the gate's decision; activate it if it passed."""
    registry = registry or ModelRegistry()
    active = registry.active()
    if not holdout:
        registry.update_sidecar(candidate.version, gate={
            "passed": False, "state": "no held-apart studies", "against": active.version})
    require_holdout(holdout)
    log(f"held-apart studies read with the active model {active.version}")
    before = evaluate_refs(holdout, active.weights, device, log=log)
    log(f"... and with the candidate {candidate.version}")
    after = evaluate_refs(holdout, candidate.weights, device, log=log)
    decision = decide(after.summary, before.summary)
    registry.update_sidecar(candidate.version, metrics={"held_apart": after.summary}, gate={
        "passed": decision.passed, "state": "passed" if decision.passed else "failed",
        "reasons": decision.reasons, "against": active.version,
        "against_metrics": before.summary, "studies": [s.name for s in after.studies],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    if decision.passed and activate:
        registry.activate(candidate.version)
    return decision
