"""An AI pre-read's files and its stored result, without Qt: the label map (NIfTI), the DICOM
SEG and TID 1500 SR under ``LUCH_HOME/ai-dicom``, and the stored result of a series found
again when its study is opened (whatever made it: the panel, the background queue, an
import of the archive's pre-read), so that it is shown instead of running the model again.

Used by the AI panel and by the background pre-read's worker process."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.paths import app_subdir
from core.vault import write_folder_file
from inference.registry import ModelRegistry
from records import Store
from records.models import AIResult
from studies import Volume

if TYPE_CHECKING:  # the AI stack (torch, scipy) loads on the first run, not at start-up
    from inference.preread import PreReadResult

DICOM_DIR = "ai-dicom"  # under LUCH_HOME: the SEG and SR files (and label maps) of pre-reads
LABELS_SUFFIX = ".labels.nii.gz"
GRID_TOL_MM = 0.01


log = logging.getLogger(__name__)


@dataclass
class StoredPreRead:
    """A stored AI result placed on the series being read: what the panel shows and the
    overlay draws, like a :class:`PreReadResult` (``labels``, ``to_json()``)."""

    labels: np.ndarray
    values: dict
    ai_result_id: int
    files: list[Path] = field(default_factory=list)
    # The reader's newest saved correction of it, if any: its id, recomputed values and map.
    correction_id: int | None = None
    corrected_values: dict | None = None
    corrected: np.ndarray | None = None

    def to_json(self) -> dict:
        return dict(self.values)


def _shape(grid) -> tuple[int, ...]:
    return tuple(getattr(grid, "shape", None) or grid.labels.shape)


def same_grid(a: Volume | None, b: Volume | None, tol_mm: float = GRID_TOL_MM) -> bool:
    """Whether two volumes (or label maps) lie on one voxel grid: shape, spacing, origin,
    direction. Two series of a study may share a matrix size and nothing else."""
    if a is None or b is None or _shape(a) != _shape(b):
        return False
    return (np.allclose(a.spacing, b.spacing, atol=tol_mm)
            and np.allclose(a.origin, b.origin, atol=tol_mm)
            and np.allclose(a.direction, b.direction, atol=1e-4))


def write_label_map(labels: np.ndarray, volume: Volume, folder: Path | None = None) -> Path:
    """The pre-read's label map as a NIfTI file on ``volume``'s grid (under ``ai-dicom``),
    made in memory and written atomically, sealed with the study's key when encryption at
    rest is on (:func:`core.vault.write_folder_file`)."""
    from studies.export import nifti_bytes  # deferred: nibabel loads with the first pre-read

    folder = folder or app_subdir(DICOM_DIR)
    grid = Volume(voxels=np.ascontiguousarray(labels, dtype=np.uint8), spacing=volume.spacing,
                  origin=volume.origin, direction=volume.direction)
    return write_folder_file(folder / f"{uuid.uuid4().hex}{LABELS_SUFFIX}", nifti_bytes(grid),
                             study_uid=volume.info.study_instance_uid)


def write_dicom_outputs(result: PreReadResult, volume: Volume, source: Path) -> list[Path]:
    """Write the pre-read as a DICOM SEG and a TID 1500 SR (the SR refers to the SEG) under
    ``LUCH_HOME/ai-dicom``, each atomically and sealed when encryption at rest is on;
    returns their paths. Raises DicomOutputError for a source that is not a matching DICOM
    series."""
    from archive.dicomweb import dataset_bytes  # deferred: with the DICOM writers
    from inference.dicom_out import (  # deferred: the DICOM writers load with the first output
        make_seg,
        make_sr,
        source_datasets,
    )

    sources = source_datasets(source, volume)
    seg = make_seg(result, sources)
    sr = make_sr(result, sources, seg)
    folder = app_subdir(DICOM_DIR)
    paths = [folder / f"{seg.SOPInstanceUID}.seg.dcm", folder / f"{sr.SOPInstanceUID}.sr.dcm"]
    for dataset, path in zip((seg, sr), paths, strict=True):
        write_folder_file(path, dataset_bytes(dataset), study_uid=str(dataset.StudyInstanceUID))
    return paths


def current_model_version() -> str | None:
    """The model version this station's pre-read reports now (``<weights>+post<N>`` of the
    active registry version); None when it cannot be told (then nothing stored is reused)."""
    from inference.segmenters import active_model_version  # deferred: read at a study's open

    try:
        return active_model_version()
    except Exception:  # a damaged registry: run the model rather than guess
        return None


def model_version_signature() -> tuple | None:
    """The stat signature the current model version hangs on
    (:meth:`inference.registry.ModelRegistry.signature`; no scipy or torch): read the version
    again only when it changes. None when it cannot be told (then read it each time)."""
    try:
        return ModelRegistry().signature()
    except OSError:  # LUCH_HOME cannot be made
        return None


def _labels_on(path: Path, volume: Volume, same_series: bool) -> np.ndarray | None:
    """The label map in ``path`` (a NIfTI label map or a DICOM SEG) on ``volume``'s grid, or
    None when it lies on another grid or cannot be read. One made for this very series
    (``same_series``: a SEG may hold only the frames with segments) is placed on its grid."""
    from inference.eval_sets import luch_labels  # deferred: loads with a stored SEG
    from studies.seg import open_label_map  # deferred: the readers load with the first open

    try:
        label_map = open_label_map(path)
    except Exception:  # a file pruned or damaged: the model runs instead
        return None
    if same_grid(label_map, volume):
        raw = np.asarray(label_map.labels)
    elif same_series:
        raw = label_map.on_grid_of(volume)
    else:
        return None
    if any(not name.startswith("Label ") for name in label_map.segments.values()):
        return luch_labels(raw, label_map.segments)  # a SEG: segments by name
    return raw.astype(np.uint8)


def _series_matches(result: AIResult, volume: Volume) -> bool | None:
    """True: made for this series; None: not known (either UID missing); False: another."""
    stored, shown = result.series_instance_uid, volume.info.series_instance_uid
    if not stored or not shown:
        return None
    return stored == shown


def find_stored(store: Store, study_uid: str, volume: Volume,
                model_version: str | None) -> StoredPreRead | None:
    """The newest stored AI result of ``study_uid`` for this series (same voxel grid) made by
    ``model_version``, with its label map on ``volume``'s grid; None if there is none."""
    if not study_uid or not model_version:
        return None
    for result in store.ai_results_of(study_uid, model_version):
        series = _series_matches(result, volume)
        if series is False or "grade" not in result.values:
            continue
        files = [Path(f) for f in result.mask_files]
        ordered = sorted((f for f in files if f.is_file()),  # the label map before a SEG
                         key=lambda f: (not f.name.endswith(LABELS_SUFFIX),
                                        not f.name.endswith(".seg.dcm")))
        for path in ordered:
            if path.name.endswith(".sr.dcm"):
                continue
            labels = _labels_on(path, volume, bool(series))
            if labels is not None:
                return _with_correction(store, StoredPreRead(labels, dict(result.values),
                                                             result.id, files))
    return None


def _with_correction(store: Store, stored: StoredPreRead) -> StoredPreRead:
    """``stored`` with the reader's newest saved correction of it, where its map can be
    read and lies on the result's grid (else as the AI left it, logged)."""
    newest = store.ai_corrections(stored.ai_result_id, latest_only=True)
    if not newest:
        return stored
    correction = newest[-1]
    try:
        # deferred: the corrections module loads with the first stored correction
        from inference.corrections import load_label_maps

        _original, corrected = load_label_maps(correction.labels_file)
    except Exception as err:  # a missing or damaged file: the AI's map, the AI's values
        log.warning("saved label correction not read: %s", type(err).__name__)
        return stored
    if corrected.shape != stored.labels.shape:
        return stored
    return replace(stored, correction_id=correction.id,
                   corrected_values=dict(correction.values), corrected=corrected)
