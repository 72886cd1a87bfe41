"""Folders of studies with truth masks, for ``luch evaluate``: two layouts.

MosMedData: ``studies/CT-k/study_NNNN.nii.gz`` (``k`` the truth grade 0..4) with, where
there is one, ``masks/study_NNNN_mask.nii.gz``. A mask of 0/1 marks lesions (MosMedData's
own: no lung, no side, no GGO/consolidation split); a mask with values up to 6 is a full
Luch label map (:class:`inference.labels.Label`: lungs, GGO, consolidation, each sided).

DICOM with SEG: any folder holding, per study, a CT series and a DICOM SEG that refers to
it (e.g. as written by :mod:`inference.dicom_out`). Segments map by their label: "right" /
"left" lung, "ground-glass" (or GGO), "consolidation", and "solid focus" (read as lung);
unsided lesions take the side of the nearest lung. The truth grade is measured from the
truth map by the same rules as the pre-read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
from scipy import ndimage as ndi

from inference.corrections import check_labels, load_label_maps
from inference.errors import InferenceError
from inference.labels import Label
from studies import Volume, open_volume
from studies.loader import load as load_candidate
from studies.scan import scan
from studies.seg import open_label_map

MOSMED_STUDY = re.compile(r"^(?P<name>.+)\.nii(\.gz)?$")
MOSMED_GRADE = re.compile(r"^CT-(?P<k>[0-4])$")

TRUTH_FULL = "full"  # sided lungs, GGO and consolidation
TRUTH_LESION = "lesion"  # lesion voxels only (MosMedData masks)
TRUTH_NONE = "none"  # no mask: the grade only (MosMedData CT-0 studies)


class EvaluationDataError(InferenceError):
    """A folder of studies for evaluation cannot be read."""


@dataclass
class TruthStudy:
    """One study to measure on: its CT, truth labels (per ``kind``) and truth grade."""

    name: str
    volume: Volume
    truth: np.ndarray | None
    kind: str
    grade: str | None  # None: measured from ``truth``


@dataclass
class StudyRef:
    """A study found in a folder, loaded on demand (volumes are large)."""

    name: str
    load: Callable[[], TruthStudy]


def find_studies(root: Path) -> list[StudyRef]:
    """The studies of ``root`` in either layout, sorted by name."""
    root = Path(root)
    if not root.is_dir():
        raise EvaluationDataError(f"No folder of studies at {root.name}")
    refs = _mosmed(root) if (root / "studies").is_dir() else _dicom_seg(root)
    if not refs:
        raise EvaluationDataError("No studies with truth found: expected studies/CT-k/*.nii.gz "
                                  "(MosMedData) or DICOM series with a SEG")
    return sorted(refs, key=lambda r: r.name)


def _mosmed(root: Path) -> list[StudyRef]:
    refs = []
    for folder in sorted((root / "studies").iterdir()):
        m = MOSMED_GRADE.match(folder.name)
        if not m or not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            s = MOSMED_STUDY.match(path.name)
            if not s:
                continue
            mask = root / "masks" / f"{s['name']}_mask.nii.gz"
            refs.append(StudyRef(s["name"], _mosmed_loader(s["name"], path, mask,
                                                           f"CT-{m['k']}")))
    return refs


def _mosmed_loader(name: str, path: Path, mask: Path, grade: str):
    def load() -> TruthStudy:
        volume = open_volume(path)
        if not mask.is_file():
            return TruthStudy(name, volume, None, TRUTH_NONE, grade)
        labels = open_label_map(mask).on_grid_of(volume)
        if int(labels.max()) > int(max(Label)):
            raise EvaluationDataError(f"Mask of {name} has labels above {int(max(Label))}")
        if int(labels.max()) <= 1:
            return TruthStudy(name, volume, labels.astype(bool), TRUTH_LESION, grade)
        return TruthStudy(name, volume, labels.astype(np.uint8), TRUTH_FULL, grade)

    return load


def _dicom_seg(root: Path) -> list[StudyRef]:
    found = scan(root)
    by_series = {c.info.series_instance_uid: c for c in found.images
                 if c.info.series_instance_uid}
    refs = []
    for n, seg in enumerate(found.segmentations, 1):
        ref_uid = _referenced_series(seg)
        image = by_series.get(ref_uid)
        if image is None:
            continue
        refs.append(StudyRef(f"study-{n:04d}", _dicom_loader(f"study-{n:04d}", image, seg)))
    return refs


def _referenced_series(seg_candidate) -> str:
    for ref in seg_candidate.files[:1]:
        with ref.open() as f:
            ds = pydicom.dcmread(f, stop_before_pixels=True)
        for item in ds.get("ReferencedSeriesSequence") or []:
            return str(item.get("SeriesInstanceUID", ""))
    return ""


def _dicom_loader(name: str, image, seg):
    def load() -> TruthStudy:
        volume = load_candidate(image)
        label_map = seg.load()
        raw = label_map.on_grid_of(volume)
        return TruthStudy(name, volume, luch_labels(raw, label_map.segments), TRUTH_FULL, None)

    return load


def _segment_role(label: str) -> str:
    text = label.lower()
    if "ground" in text or "ggo" in text:
        return "ggo"
    if "consolid" in text:
        return "cons"
    if "focus" in text or "nodule" in text:
        return "lung"
    if "lung" in text and "right" in text:
        return "right"
    if "lung" in text and "left" in text:
        return "left"
    if "lesion" in text or "opacity" in text or "infect" in text:
        return "ggo"
    return "other"


def luch_labels(raw: np.ndarray, segments: dict[int, str]) -> np.ndarray:
    """Segment numbers to sided :class:`Label` values; unsided voxels take the nearest lung's
    side."""
    roles = {n: _segment_role(label) for n, label in segments.items()}
    out = np.zeros(raw.shape, np.uint8)
    for n, role in roles.items():
        if role == "right":
            out[raw == n] = Label.LUNG_RIGHT
        elif role == "left":
            out[raw == n] = Label.LUNG_LEFT
    sided = out > 0
    if not sided.any():
        raise EvaluationDataError("The SEG has no right and left lung segments")
    unsided = np.isin(raw, [n for n, r in roles.items() if r in ("ggo", "cons", "lung")])
    if unsided.any():
        _, index = ndi.distance_transform_edt(~sided, return_indices=True)
        side = out[tuple(index)]  # LUNG_RIGHT or LUNG_LEFT of the nearest lung voxel
        left = side == Label.LUNG_LEFT
        for n, role in roles.items():
            sel = raw == n
            if role == "ggo":
                out[sel] = np.where(left[sel], Label.GGO_LEFT, Label.GGO_RIGHT)
            elif role == "cons":
                out[sel] = np.where(left[sel], Label.CONSOLIDATION_LEFT,
                                    Label.CONSOLIDATION_RIGHT)
            elif role == "lung":
                out[sel] = np.where(left[sel], Label.LUNG_LEFT, Label.LUNG_RIGHT)
    return out


def correction_ref(name: str, ct_path: str | Path, labels_file: str | Path) -> StudyRef:
    """A corrected study as truth: its CT and the reader's corrected label map."""
    def load() -> TruthStudy:
        volume = open_volume(ct_path)
        _, corrected = load_label_maps(labels_file)
        check_labels(corrected, volume.shape)
        return TruthStudy(name, volume, corrected, TRUTH_FULL, None)

    return StudyRef(name, load)
