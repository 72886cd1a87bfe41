"""Segmentation engines behind one interface, in a registry: the U-Net and the classical one.

``segment(volume, progress, cancel) -> labels`` returns a sided ``uint8`` label map
(:class:`inference.labels.Label`) of the volume's shape.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy import ndimage as ndi

from inference import borders, density, vessels
from inference.errors import AnalysisCancelled, InferenceError
from inference.foci import drop_flat_lesions
from inference.geometry import Orientation
from inference.labels import CLASS_CONSOLIDATION, CLASS_GGO, Label
from inference.lungs import (
    lung_components,
    midline_columns,
    segment_lungs,
    split_sides,
    thorax_masks,
)
from inference.morphology import Components, bounding_box, disk_opening
from inference.registry import ModelRegistry
from studies import Volume

Progress = Callable[[float], None]
# Version of the U-Net's post-processing, reported with the weights' version as
# ``<weights>+post<N>`` (model_version in the JSON, SEG and SR): a change of any rule or
# constant below that can change a label, or of what is measured from the labels, bumps it.
# 1: body, lung-sized components, sides, thin-lesion drop. 2 (2026-11-22): + mediastinal
# consolidation veto. (3: only with the rejected v3 weights.) 4 (2026-11-22): + ground-glass
# grown into GGO-density lung at its edges.
# 5 (2026-12-02): + flat partial-volume specks dropped, isolated solid foci in otherwise clear
# lungs not graded (:mod:`inference.foci`; the second rule runs in ``preread.analyze``).
# 6 (2026-12-06): + pleural shells and lesion outside the lung envelope dropped
# (:mod:`inference.borders`), chosen leave-one-patient-out over three real chests.
# 7 (2026-12-06): + a round solid mass (nodule, tumour) set aside and named even beside
# other lesion (:mod:`inference.foci`, in ``preread.analyze``).
# 8 (2026-12-07): + round solid masses from a 17 mm core (was 20) with their ground glass
# within 10 mm of it (a spiculated nodule's halo), limits set on simulated lesion.
# 9 (2026-12-07): + a large, blood-dense, elongated lesion component along the mediastinum
# is a great vessel: out of the lesion, and out of the lung inside the mediastinum
# (:mod:`inference.vessels`).
# 10 (2026-12-07): labels as 9; the COVID-19 pattern leaves basal and dependent bands out and
# counts lesions per lung (:mod:`inference.measures`): a stored result's pattern is of its
# version, so the worklist and the central service read the study again.
# 11 (2026-12-07): labels as 10; the pattern's solitary-lesion cap ("low") applies only to a
# lesion under 25 % of both lungs: one confluent lesion filling a lung reads by its
# distribution, at most "medium" (:mod:`inference.measures`).
# 12 (2026-12-07): a "lung" component with 15 % or more of its voxels below -980 HU is
# bowel gas, not lung (:func:`inference.lungs.gas_components`): a volume of the lung bases
# and the colon reads as what lung it has (not-assessable when under 400 mL).
# 13 (2026-12-07, h18): the classical lungs drop gas components too: the thorax masks
# (mediastinum, lung envelope) the post-processing reads leave the colon out.
POSTPROCESS_VERSION = 13
MIN_LESION_RADIUS_MM = 2.5  # lesions must hold a disk of this radius somewhere (not rims)
MEDIASTINAL_SHARE = 0.9  # consolidation this much inside the mediastinum is the heart
GGO_GROW_MM = 5.0  # ground-glass found by the network grows this far (in-plane) ...
GGO_HU = (-750.0, -300.0)  # ... into lung of ground-glass density (3x3 in-plane mean)
SHELL_MM = borders.SHELL_MM  # 0: no pleural-shell rule
ENVELOPE = True  # lesion outside the lung envelope dropped
# Patient-adaptive density (:mod:`inference.density`, studied 2026-12-06, not shipped):
# the input's HU shifted so that its aerated lung matches the training chest's; and lesion
# components not ``FAINT_MARGIN_HU`` denser than the aerated lung around them dropped.
NORMALISE = False
FAINT_MARGIN_HU = 0.0
SLAB = 16  # slices per forward pass: bounds memory (about 70 MB of logits at 512x512)


def active_model_version() -> str:
    """The version the U-Net pre-read reports with the station's active model
    (``<weights>+post<N>``), read from the registry without loading torch."""
    return f"{ModelRegistry().active().version}+post{POSTPROCESS_VERSION}"


class Segmenter(Protocol):
    name: str
    version: str
    device: str

    def segment(self, volume: Volume, progress: Progress | None,
                cancel: threading.Event | None) -> np.ndarray: ...


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled("AI pre-read cancelled")


def sided_labels(lung: np.ndarray, ggo: np.ndarray, cons: np.ndarray, right: np.ndarray,
                 left: np.ndarray) -> np.ndarray:
    """Combine lung sides and lesion classes into one sided label map (left over right,
    consolidation over ground glass; lesion only on a side). In arithmetic rather than six
    masked writes: side 1 or 2, plus 2 for ground glass or 4 for consolidation; inside the
    sides' bounding box only (background elsewhere)."""
    out = np.zeros(lung.shape, np.uint8)
    box = bounding_box(right | left)
    if box is None:
        return out
    right, left, ggo, cons = right[box], left[box], ggo[box], cons[box]
    part = np.where(left, np.uint8(Label.LUNG_LEFT), right.view(np.uint8) * np.uint8(
        Label.LUNG_RIGHT)).astype(np.uint8, copy=False)
    add = (ggo | cons).view(np.uint8) + cons.view(np.uint8)
    add <<= 1
    add *= part > 0
    part += add
    out[box] = part
    return out


def classical_lesions(hu: np.ndarray, lung: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Densitometric GGO (-750..-300 HU) and consolidation (-250..+200 HU) in lung, opened
    to drop vessels and partial-volume rims."""
    ks = np.nonzero(lung.any(axis=(1, 2)))[0]
    ggo = np.zeros_like(lung)
    cons = np.zeros_like(lung)
    if not ks.size:
        return ggo, cons
    sl = slice(ks[0], ks[-1] + 1)
    smooth = ndi.uniform_filter(hu[sl].astype(np.float32), size=(1, 5, 5))
    inside = lung[sl]
    plane = np.zeros((3, 3, 3), bool)
    plane[1] = True
    c = ndi.binary_opening(inside & (smooth > -250) & (smooth < 200), plane, iterations=3)
    g = ndi.binary_opening(inside & (smooth >= -750) & (smooth <= -300) & ~c, plane, iterations=2)
    cons[sl], ggo[sl] = c, g
    return ggo, cons


def drop_thin_lesions(lesion: np.ndarray, spacing, radius_mm: float = MIN_LESION_RADIUS_MM
                      ) -> np.ndarray:
    """In-plane opening by a disk: removes rims thinner than about 2 x ``radius_mm`` (partial
    volume at the pleura, heart and diaphragm), keeps patches."""
    return disk_opening(lesion, max(1, round(radius_mm / float(spacing[0]))))


def _reach_box(seed, shape, spacing, reach_mm: float):
    """The growth's steps and the box it works in: ``seed``'s box grown in-plane by the
    steps and one pixel more for the 3x3 mean."""
    steps = max(1, round(reach_mm / float(spacing[0])))
    return steps, tuple(slice(max(0, b.start - pad), min(n, b.stop + pad))
                        for b, pad, n in zip(seed, (0, steps + 1, steps + 1), shape,
                                             strict=True))


def ground_glass_mean(hu: np.ndarray, candidates: np.ndarray, spacing,
                      reach_mm: float = GGO_GROW_MM):
    """(box, 3x3 in-plane mean HU in it) for :func:`grow_ground_glass` of any ground glass
    inside ``candidates`` (e.g. all the network calls GGO), made before that ground glass is
    known; None when ``candidates`` is empty."""
    seed = bounding_box(candidates)
    if seed is None:
        return None
    _, box = _reach_box(seed, candidates.shape, spacing, reach_mm)
    return box, ndi.uniform_filter(hu[box].astype(np.float32), size=(1, 3, 3))


def grow_ground_glass(hu: np.ndarray, lung: np.ndarray, ggo: np.ndarray, spacing,
                      reach_mm: float = GGO_GROW_MM, band=GGO_HU, mean=None) -> np.ndarray:
    """``ggo`` grown, slice by slice and at most ``reach_mm``, into connected lung whose local
    mean density is ground glass. The network stops short of the faint edge of a patch (on
    training-side cases it under-read involvement by 2.3 pp on average); normal lung, vessels
    and consolidation stay as they are. ``mean``: :func:`ground_glass_mean` of candidates
    holding ``ggo``, else it is made here."""
    seed = bounding_box(ggo)
    if seed is None:
        return ggo
    # The growth stays within ``steps`` pixels of the ground glass, in its slices: work in
    # its box grown by that, one pixel more for the 3x3 mean (the same sums: integer HU,
    # exact partial sums; the box's outer ring is out of reach, so its mean never counts;
    # a mean made in a larger box holds the same values inside this one but for that ring).
    steps, sl = _reach_box(seed, ggo.shape, spacing, reach_mm)
    if mean is not None and all(o.start <= s.start and s.stop <= o.stop
                                for s, o in zip(sl, mean[0], strict=True)):
        outer, values = mean
        mean = values[tuple(slice(s.start - o.start, s.stop - o.start)
                            for s, o in zip(sl, outer, strict=True))]
    else:
        mean = ndi.uniform_filter(hu[sl].astype(np.float32), size=(1, 3, 3))
    room = lung[sl] & (mean >= band[0]) & (mean <= band[1])
    plane = np.zeros((3, 3, 3), bool)
    plane[1] = ndi.generate_binary_structure(2, 1)
    out = ggo.copy()
    out[sl] = ndi.binary_dilation(ggo[sl], plane, iterations=steps, mask=room | ggo[sl])
    return out


def mediastinal_consolidation(classes: np.ndarray, mediastinum: np.ndarray,
                              share: float = MEDIASTINAL_SHARE) -> np.ndarray:
    """What the network calls consolidation in 3D components lying mostly (``share``) in the
    mediastinum: on unseen patients that is the heart and great vessels, not lung. Lung
    consolidation reaching the mediastinum keeps most of its bulk inside the lung."""
    comps = Components.of(classes == CLASS_CONSOLIDATION, structure=None)
    if not comps.n:
        return np.zeros(classes.shape, bool)
    inside = comps.count_in(mediastinum)
    frac = inside / np.maximum(comps.sizes, 1)
    return comps.select(frac >= share)


@dataclass
class ClassicalSegmenter:
    """Thresholds, components and morphology: the baseline and the fallback."""

    name: str = "classical"
    # 1.0: densitometric lungs and lesions; 1.1: the isolated solid foci rule
    # (inference.foci, run by preread.analyze on every engine's labels) joined it; 1.2: flat
    # partial-volume specks dropped as for the U-Net (the lung tips read as GGO: CT-1); 1.3:
    # bowel gas is not lung (inference.lungs.gas_components, as the U-Net's post 12).
    version: str = "1.3"
    device: str = "cpu"

    def segment(self, volume: Volume, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> np.ndarray:
        _check(cancel)
        right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume))
        if progress:
            progress(0.6)
        _check(cancel)
        ggo, cons = classical_lesions(volume.voxels, right | left)
        lesion = drop_flat_lesions(ggo | cons, volume.spacing)
        ggo, cons = ggo & lesion, cons & lesion
        if progress:
            progress(1.0)
        return sided_labels(right | left, ggo, cons, right, left)


def pick_device(requested: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is usable, else ``cpu``; an unusable request is an error."""
    # deferred: torch (~2 s) loads at the first run, not when the pre-read is imported
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise InferenceError("No CUDA GPU is available here; use --device cpu or auto")
    if requested not in ("cpu", "cuda"):
        raise InferenceError(f"Unknown device {requested!r}; use auto, cpu or cuda")
    return requested


class UNetSegmenter:
    """The shipped 2D U-Net, slab by slab, then lungs cleaned and split into sides."""

    name = "unet"

    def __init__(self, weights: Path | None = None, device: str = "auto",
                 runtime: str = "auto") -> None:
        # deferred: torch (~2 s; model and weights import it) loads at the first U-Net run
        import torch

        from inference.model import InputGrid
        from inference.runtime import cpu_forward
        from inference.weights import DEFAULT_WEIGHTS, load_model

        self.device = pick_device(device)
        model, self.meta = load_model(weights or DEFAULT_WEIGHTS)
        self.version = f"{self.meta.get('version', '?')}+post{POSTPROCESS_VERSION}"
        arch = self.meta.get("architecture", {})
        self.grid = InputGrid(int(arch.get("input_size", 128)), arch.get("pixel_mm"))
        if self.device == "cpu":
            torch.set_num_threads(os.cpu_count() or 1)
        else:
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False
        self.model = model.to(self.device)
        # The CPU forward pass: ONNX Runtime where it can run (inference.runtime), else torch.
        # Its graph is cached by the weights' sha256 (checked by load_model when known).
        self.forward, self.runtime = (cpu_forward(self.model, runtime, torch.get_num_threads(),
                                                  self.meta.get("sha256"))
                                      if self.device == "cpu" else (self.model, "torch"))

    def segment(self, volume: Volume, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> np.ndarray:
        if NORMALISE:
            volume, _ = density.normalised(volume)
        # The classical thorax masks need the HU alone: made on a second thread while the
        # network runs (ONNX Runtime, torch and most of scipy.ndimage release the GIL).
        pool = ThreadPoolExecutor(1, thread_name_prefix="luch-ai-thorax")
        try:
            thorax = pool.submit(_thorax, volume)
            classes = self._classes(volume, progress, cancel)
            _check(cancel)
            return self._postprocess(volume, classes, thorax.result())
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _classes(self, volume, progress, cancel) -> np.ndarray:
        # deferred: torch (~2 s) loads at the first run, not when the pre-read is imported
        import torch

        from inference.model import classes_out, to_input

        n, rows, cols = volume.shape
        out = np.empty((n, rows, cols), np.uint8)
        cuda = self.device == "cuda"
        starts = range(0, n, SLAB)

        def prepare(start: int):
            return to_input(volume.voxels[start:start + SLAB], volume.spacing, self.grid)

        def store(start: int, logits: np.ndarray, place) -> None:
            # the classes of the logits up-sampled, blending only along class borders
            out[start:start + SLAB] = classes_out(logits, place, rows, cols)

        # A pipeline: while the network runs on one slab (ONNX Runtime and torch release
        # the GIL), a second thread makes the next slab's input and the last slab's classes
        # (each slab's arithmetic as one after the other: the same classes).
        pool = ThreadPoolExecutor(1, thread_name_prefix="luch-ai-slabs")
        try:
            with torch.inference_mode():
                ready = pool.submit(prepare, starts[0]) if n else None
                stored = None
                for i, start in enumerate(starts):
                    _check(cancel)
                    x, place = ready.result()
                    if i + 1 < len(starts):
                        ready = pool.submit(prepare, starts[i + 1])
                    with torch.autocast("cuda", dtype=torch.float16, enabled=cuda):
                        logits = self.forward(x.to(self.device))
                    logits = logits.float().cpu().numpy()
                    if stored is not None:
                        stored.result()
                        self._progress(progress, start, n)
                    stored = pool.submit(store, start, logits, place)
                if stored is not None:
                    stored.result()
                    self._progress(progress, n, n)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return out

    @staticmethod
    def _progress(progress: Progress | None, done: int, n: int) -> None:
        if progress:
            progress(0.85 * done / n)

    def _postprocess(self, volume: Volume, classes: np.ndarray,
                     thorax: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                     ) -> np.ndarray:
        body, mediastinum, envelope = _thorax(volume) if thorax is None else thorax
        # Every rule works in the rows and columns of what the network calls lung or lesion,
        # grown by the farthest any rule looks beyond it (:func:`work_box`): the same voxels
        # as on the whole grid, with the full-volume passes over a part of it.
        box = work_box(classes, volume.spacing)
        if box is None:
            return np.zeros(classes.shape, np.uint8)
        part = self._post(volume, classes[box], volume.voxels[box], body[box],
                          mediastinum[box], envelope[box], (body, box[2].start))
        if part.shape == classes.shape:
            return part
        out = np.zeros(classes.shape, np.uint8)
        out[box] = part
        return out

    @staticmethod
    def _post(volume: Volume, classes: np.ndarray, hu: np.ndarray, body: np.ndarray,
              mediastinum: np.ndarray, envelope: np.ndarray,
              whole_body: tuple[np.ndarray, int]) -> np.ndarray:
        """The post-processing's rules on arrays of one shape (the work box's);
        ``whole_body``: the whole grid's body and the box's first column, for the midline."""
        orient = Orientation.of(volume)

        def sides_of(lung, components):
            mid = midline_columns(whole_body[0]) - whole_body[1]  # in the box's columns
            return split_sides(lung, body, orient, components, mid)

        # Steps that do not need each other's output run on three threads (scipy.ndimage and
        # numpy release the GIL): the same voxels as one after the other.
        with ThreadPoolExecutor(2, thread_name_prefix="luch-ai-post") as pool:
            heart = pool.submit(mediastinal_consolidation, classes, mediastinum)
            # the ground glass's local mean density, for any ground glass the network found
            mean = pool.submit(ground_glass_mean, hu, classes == CLASS_GGO, volume.spacing)
            # Lesion lying outside the lung's envelope (mediastinum, chest wall) is neither.
            outside = (borders.outside_envelope(classes >= CLASS_GGO, envelope,
                                                volume.spacing)
                       if ENVELOPE else np.zeros_like(body))
            # Lung = what the network calls lung, inside the body, in lung-sized components.
            candidate = (classes > 0) & body & ~heart.result() & ~outside
            # Thin lesion dropped beside the lung's components: an in-plane disk lies in one
            # face-connected component of the candidate lung, so opening the lesion in the
            # candidate and keeping what is in the kept components is the opening in them.
            thick = pool.submit(drop_thin_lesions, (classes >= CLASS_GGO) & candidate,
                                volume.spacing)
            # ... and not gas: the colon under the diaphragm (post 12)
            lung, components = lung_components(candidate, volume.spacing, hu)
            sides = pool.submit(sides_of, lung, components)
            lesion = thick.result() & lung
            cons = (classes == CLASS_CONSOLIDATION) & lesion
            ggo = grow_ground_glass(hu, lung, (classes == CLASS_GGO) & lesion,
                                    volume.spacing, mean=mean.result()) & ~cons
            # Flat specks and pleural shells, on one labelling of the lesion; the components
            # it keeps are the lesion's, for the great vessels' rule unless faint ones go.
            lesion = ggo | cons
            comps, drop = borders.flat_and_shells(lesion, lung, volume.spacing, SHELL_MM)
            if comps.n:
                lesion &= ~comps.select(drop)
            kept = density.drop_faint_lesions(hu, lung, lesion, volume.spacing,
                                              FAINT_MARGIN_HU)
            # A great vessel read as lesion (the aorta, the pulmonary arteries).
            vessel = vessels.great_vessels(kept, hu, mediastinum, volume.spacing,
                                           components=(comps, ~drop) if kept is lesion
                                           else None)
            lesion = kept
            lesion &= ~vessel
            right, left = sides.result()
            if vessel.any():
                gone = vessel & mediastinum
                right, left = right & ~gone, left & ~gone
        return sided_labels(lung, ggo & lesion, cons & lesion, right, left)


def reach_px(spacing) -> int:
    """The farthest, in in-plane pixels, any post-processing rule looks beyond the network's
    lung and lesion: the pleural shells' and bands' depth box, the ground glass's growth and
    its 3x3 mean (one pixel more for safety)."""
    mm = max(SHELL_MM, borders.NEAR_MM, GGO_GROW_MM)
    return int(np.ceil(mm / min(float(spacing[0]), float(spacing[1])))) + 3


def work_box(classes: np.ndarray, spacing) -> tuple[slice, slice, slice] | None:
    """All slices, and the rows and columns of the network's lung and lesion (``classes >
    0``) grown by :func:`reach_px` (within the volume): the post-processing gives the same
    voxels in it as on the whole grid, because every rule either works in the boxes of the
    components it tests, grown by at most that reach and cut at the volume's edge (which
    stays where it was or is at least the reach away), or per slice (the body's midline,
    given from the whole body). Slices are not cut: the flat-speck rule reads the volume's
    first and last. None when the network found nothing."""
    rows = np.nonzero(classes.any(axis=(0, 2)))[0]
    if not rows.size:
        return None
    cols = np.nonzero(classes[:, rows[0]:rows[-1] + 1].any(axis=(0, 1)))[0]
    pad = reach_px(spacing)
    _, n_rows, n_cols = classes.shape
    return (slice(0, classes.shape[0]),
            slice(max(0, int(rows[0]) - pad), min(n_rows, int(rows[-1]) + 1 + pad)),
            slice(max(0, int(cols[0]) - pad), min(n_cols, int(cols[-1]) + 1 + pad)))


def _thorax(volume: Volume) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(body, mediastinum, lung envelope): one half-resolution body mask for the body and
    the classical lungs (:func:`inference.lungs.thorax_masks`)."""
    return thorax_masks(volume.voxels, volume.spacing, Orientation.of(volume),
                        borders.lung_envelope)


SEGMENTERS: dict[str, Callable[..., Segmenter]] = {
    "unet": UNetSegmenter,
    "classical": lambda **_: ClassicalSegmenter(),
}
