"""Run the AI pre-read on a volume: segment, measure, compare with a prior; sync or threaded.

The output is investigational. When the shipped weights are missing or damaged the
classical densitometric baseline runs instead and the result says so (``engine`` and a
quality flag), never silently.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from inference.dynamics import Dynamics, compare
from inference.errors import InferenceError, WeightsError
from inference.findings import Lesion, head_up, largest_lesions
from inference.foci import SolidFocus, set_aside_solid_foci
from inference.geometry import Orientation
from inference.grading import GradeRule
from inference.measures import Measures, measure
from inference.segmenters import SEGMENTERS, ClassicalSegmenter, Segmenter
from studies import Volume

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
INVESTIGATIONAL = ("Investigational AI pre-read, not a medical device: a radiologist must "
                   "review every result.")
FALLBACK_FLAG = "classical-fallback"


@dataclass
class PreReadOptions:
    """How to run: engine (``unet`` or ``classical``), device, grade rule, weights file
    (None: the active version of the station's model registry, :mod:`inference.registry`),
    the U-Net's CPU runtime (``auto``: ONNX Runtime where it runs, else torch;
    :mod:`inference.runtime`)."""

    engine: str = "unet"
    device: str = "auto"
    rule: GradeRule | str = GradeRule.WORST_LUNG
    weights: Path | None = None
    fallback: bool = True
    runtime: str = "auto"


@dataclass
class PreReadResult:
    """Labels (sided :class:`Label` map), measures and how they were made; ``foci`` the
    isolated solid foci set aside from grading (read as lung in ``labels``, each named in a
    quality flag); ``lesions`` the largest lesions with where to look."""

    labels: np.ndarray
    measures: Measures
    engine: str
    model_version: str
    device: str
    seconds: float
    dynamics: Dynamics | None = None
    notice: str = INVESTIGATIONAL
    extra: dict = field(default_factory=dict)
    foci: list[SolidFocus] = field(default_factory=list)
    lesions: list[Lesion] = field(default_factory=list)

    def to_json(self) -> dict:
        m = self.measures
        out = {
            "grade": m.grade,
            "involvement_percent": m.involvement_percent,
            "volumes_ml": m.volumes_ml,
            "probability": m.probability,
            "quality_flags": m.quality_flags,
            "device": self.device,
            "seconds": round(self.seconds, 2),
            "grade_worst_lung": m.grade_worst_lung,
            "grade_both_lungs": m.grade_both_lungs,
            "grade_rule": m.rule,
            "pattern_features": m.to_dict()["features"],
            "engine": self.engine,
            "model_version": self.model_version,
            "investigational": True,
            "notice": self.notice,
            "lesions": [lesion.to_dict() for lesion in self.lesions],
            "foci": [focus.to_dict() for focus in self.foci],
        }
        if self.dynamics is not None:
            out["dynamics"] = self.dynamics.to_dict()
        return out


@lru_cache(maxsize=4)
def _segmenter(engine: str, device: str, weights: Path | None, runtime: str = "auto"
               ) -> Segmenter:
    factory = SEGMENTERS.get(engine)
    if factory is None:
        raise InferenceError(f"Unknown AI engine {engine!r}; use one of {', '.join(SEGMENTERS)}")
    return factory(weights=weights, device=device, runtime=runtime)


def load_segmenter(options: PreReadOptions) -> tuple[Segmenter, list[str]]:
    """The segmenter asked for, or the classical fallback (with a flag) if weights fail."""
    weights = options.weights
    if weights is None and options.engine == "unet":  # the station's active model version
        # deferred: the registry imports torch (~2 s) through weights; a U-Net run needs it
        from inference.registry import active_weights

        weights = active_weights()
    try:
        return _segmenter(options.engine, options.device, weights, options.runtime), []
    except WeightsError as err:
        if not options.fallback:
            raise
        log.warning("AI weights unusable, classical fallback: %s", err)
        return ClassicalSegmenter(), [f"{FALLBACK_FLAG}: {err}"]


def check_input(volume: Volume) -> list[str]:
    """Refuse what is not CT; flags for what is CT but odd."""
    modality = (volume.info.modality or "CT").upper()
    if modality != "CT":
        raise InferenceError(f"The AI pre-read reads CT only; this series is {modality}")
    if volume.voxels.ndim != 3 or min(volume.shape) < 1:
        raise InferenceError("The AI pre-read needs a 3D series")
    flags = []
    if volume.shape[0] < 10:
        flags.append("few-slices")
    if float(np.percentile(volume.voxels[:: max(1, volume.shape[0] // 8), ::8, ::8], 1)) > -500:
        flags.append("no-air-in-view: HU scale may be wrong")
    return flags


def analyze(volume: Volume, options: PreReadOptions | None = None,
            progress: Progress | None = None, cancel: threading.Event | None = None,
            prior: PreReadResult | None = None) -> PreReadResult:
    """Segment and measure ``volume`` on the calling thread (see :class:`AnalysisJob`)."""
    options = options or PreReadOptions()
    t0 = time.perf_counter()
    flags = check_input(volume)
    segmenter, fallback_flags = load_segmenter(options)
    labels = segmenter.segment(volume, progress, cancel)
    labels, foci = set_aside_solid_foci(labels, volume.spacing, head_up(volume.direction))
    engine = segmenter.name if not fallback_flags else FALLBACK_FLAG
    # The largest lesions on a second thread while the measures are taken (both read labels).
    with ThreadPoolExecutor(1, thread_name_prefix="luch-ai-lesions") as pool:
        lesions = pool.submit(largest_lesions, labels, volume.spacing,
                              k_head_up=head_up(volume.direction))
        measures = measure(labels, volume.spacing, Orientation.of(volume), options.rule,
                           fallback_flags + flags + [f.flag() for f in foci])
        lesions = lesions.result()
    if progress:
        progress(1.0)
    result = PreReadResult(labels, measures, engine, segmenter.version, segmenter.device,
                           time.perf_counter() - t0, foci=foci, lesions=lesions)
    if prior is not None:
        result.dynamics = compare(measures, prior.measures)
    return result


class AnalysisJob:
    """The pre-read on a worker thread with progress and cancel.

    ``job = AnalysisJob(volume).start(); ...; job.cancel(); result = job.result()``.
    ``result()`` re-raises the worker's error (``AnalysisCancelled`` after a cancel).
    """

    def __init__(self, volume: Volume, options: PreReadOptions | None = None,
                 progress: Progress | None = None, prior: PreReadResult | None = None) -> None:
        self._volume, self._options, self._progress, self._prior = volume, options, progress, prior
        self.cancel_event = threading.Event()
        self._done = threading.Event()
        self._result: PreReadResult | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="luch-ai-preread", daemon=True)

    def start(self) -> AnalysisJob:
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def _run(self) -> None:
        try:
            self._result = analyze(self._volume, self._options, self._progress,
                                   self.cancel_event, self._prior)
        except BaseException as err:  # handed to the caller in result()
            self._error = err
        finally:
            self._done.set()

    def result(self, timeout: float | None = None) -> PreReadResult:
        if not self._done.wait(timeout):
            raise InferenceError("The AI pre-read is still running")
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
