"""A reader's correction of an AI label map, as data: what changed and what it now measures.

The API the viewer's label tools (brush, eraser, erase component) call when the reader
saves, Qt-free::

    correction = build_correction(volume, original_labels, edited_labels, ai_values,
                                  reader="dr-a", folder=app_subdir("corrections"))
    store.save_ai_correction(ai_result_id, **correction.record(), source_path=study_path)

``build_correction`` checks the edited map (same shape, :class:`Label` values), writes both
maps to one ``.npz`` (atomically, with the volume's geometry), counts the voxels added and
removed per label, and recomputes the grade, involvement and volumes from the edited map
with the pre-read's own rules, marked ``corrected``. The AI result stays as it was; the
newest correction of a result is the one used for training (``luch train --site``) and for
the corrected SEG (:func:`corrected_seg`).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import highdicom as hd
import numpy as np
from pydicom import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import SegmentationStorage

from core.crypto import SealError
from core.vault import read_folder_file, write_folder_file
from inference.dicom_out import make_seg
from inference.errors import InferenceError
from inference.findings import head_up, largest_lesions
from inference.geometry import Orientation
from inference.grading import GradeRule
from inference.labels import Label
from inference.measures import Measures, measure
from inference.preread import PreReadResult
from studies import Volume

CORRECTED_FLAG = "corrected-by-reader"
# Quality flags measured from the label map (measures.coverage_flags), so from the corrected one.
RECOMPUTED_FLAGS = ("not-assessable", "lungs-cut-off", "thick-slices", CORRECTED_FLAG)


class CorrectionError(InferenceError):
    """A corrected label map cannot be used (wrong size or values, unreadable file)."""


@dataclass
class Correction:
    """A saved correction before it is recorded: its file, changes and recomputed values."""

    labels_file: Path
    reader: str
    changes: dict
    values: dict

    def record(self) -> dict:
        """Keyword arguments for ``records.Store.save_ai_correction``."""
        return {"reader": self.reader, "labels_file": str(self.labels_file),
                "changes": self.changes, "values": self.values}


def label_changes(original: np.ndarray, corrected: np.ndarray) -> dict:
    """Voxels added to and removed from each label (by name), and the total changed."""
    check_labels(corrected, original.shape)
    diff = original != corrected
    n = len(Label)
    removed = np.bincount(original[diff].ravel(), minlength=n)
    added = np.bincount(corrected[diff].ravel(), minlength=n)
    per = {lab.name.lower(): {"added": int(added[lab]), "removed": int(removed[lab])}
           for lab in Label if added[lab] or removed[lab]}
    return {"voxels_changed": int(diff.sum()), "labels": per}


def require_original(path: Path | None) -> Path:
    """The AI's own label map file, needed to see what a correction changed."""
    if path is None:
        raise CorrectionError("The AI's own label map is not saved with this result; give it "
                              "with --original")
    return path


def check_labels(labels: np.ndarray, shape: tuple[int, ...]) -> None:
    if labels.shape != tuple(shape):
        raise CorrectionError(f"The corrected label map has shape {labels.shape}, the study "
                              f"{tuple(shape)}")
    if labels.dtype != np.uint8 or int(labels.max(initial=0)) > int(max(Label)):
        raise CorrectionError("The corrected label map holds values that are not AI labels")


def corrected_values(volume: Volume, corrected: np.ndarray, ai_values: dict,
                     rule: GradeRule | str | None = None) -> dict:
    """The AI result's values recomputed from ``corrected``: grade, involvement, volumes,
    probability and pattern, the largest lesions, ``corrected: True`` and a quality flag
    saying so."""
    rule = rule or ai_values.get("grade_rule") or GradeRule.WORST_LUNG
    m = measure(corrected, volume.spacing, Orientation.of(volume), rule, [CORRECTED_FLAG])
    # The run's flags about the study, not about the label map, still hold (a solid focus
    # set aside and named, no air in view, the classical fallback); those the map gives
    # (coverage) are measured again.
    kept = [f for f in ai_values.get("quality_flags", [])
            if not f.startswith(RECOMPUTED_FLAGS) and f not in m.quality_flags]
    d = m.to_dict()
    lesions = largest_lesions(corrected, volume.spacing, k_head_up=head_up(volume.direction))
    return {**ai_values, "grade": m.grade, "lesions": [x.to_dict() for x in lesions],
            "grade_worst_lung": m.grade_worst_lung,
            "grade_both_lungs": m.grade_both_lungs, "grade_rule": m.rule,
            "involvement_percent": m.involvement_percent, "volumes_ml": m.volumes_ml,
            "probability": m.probability, "pattern_features": d["features"],
            "quality_flags": [*m.quality_flags, *kept], "corrected": True,
            "ai_grade": ai_values.get("grade")}


def save_label_maps(path: Path, volume: Volume, original: np.ndarray,
                    corrected: np.ndarray) -> Path:
    """Both maps and the geometry in one compressed ``.npz``, written atomically (sealed
    with the study's key when encryption at rest is on, :func:`core.vault.write_folder_file`)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, original=original, corrected=corrected,
                        spacing=np.asarray(volume.spacing, float),
                        origin=np.asarray(volume.origin, float),
                        direction=np.asarray(volume.direction, float))
    return write_folder_file(Path(path), buffer.getvalue(),
                             study_uid=volume.info.study_instance_uid)


def load_label_maps(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(original, corrected) of a saved correction (plain or sealed)."""
    try:
        with np.load(io.BytesIO(read_folder_file(Path(path)))) as data:
            return data["original"], data["corrected"]
    except (OSError, KeyError, ValueError, SealError) as err:
        raise CorrectionError("A saved correction cannot be read; it may have been "
                              "deleted") from err


def build_correction(volume: Volume, original: np.ndarray, corrected: np.ndarray,
                     ai_values: dict, reader: str, folder: Path,
                     rule: GradeRule | str | None = None) -> Correction:
    """Check, save and measure a reader's corrected label map (see the module docstring)."""
    if not reader:
        raise CorrectionError("A correction needs the reader's name")
    check_labels(original, volume.shape)
    changes = label_changes(original, corrected)
    changes["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    values = corrected_values(volume, corrected, ai_values, rule)
    path = save_label_maps(Path(folder) / f"{uuid.uuid4().hex}.npz", volume, original,
                           corrected)
    return Correction(path, reader, changes, values)


CORRECTED_SERIES_NUMBER = 9903
CORRECTED_DESCRIPTION = "AI pre-read corrected by reader (investigational)"


def corrected_seg(corrected: np.ndarray, sources: list, model_version: str, reader: str,
                  original_seg=None):
    """A DICOM SEG of the corrected label map over the source frames, marked as a reader's
    correction (segments SEMIAUTOMATIC, content label ``CORRECTED``, the reader as content
    creator) and referencing the original AI SEG (``original_seg``: its dataset or header)
    in its Common Instance Reference, so an archive keeps both and a viewer can tell them
    apart. Segments as :func:`inference.dicom_out.make_seg` writes them."""
    check_labels(corrected, (len(sources), int(sources[0].Rows), int(sources[0].Columns)))
    placeholder = Measures("", "", "", "", {}, {}, "")
    seg = make_seg(PreReadResult(corrected, placeholder, "reader-corrected", model_version,
                                 "cpu", 0.0), sources)
    seg.SeriesInstanceUID = hd.UID()
    seg.SeriesNumber = CORRECTED_SERIES_NUMBER
    seg.SeriesDescription = CORRECTED_DESCRIPTION
    seg.ContentLabel = "CORRECTED"
    seg.ContentDescription = "AI segmentation corrected by a reader"
    seg.ContentCreatorName = reader
    for item in seg.SegmentSequence:
        item.SegmentAlgorithmType = "SEMIAUTOMATIC"
    if original_seg is not None:
        ref = Dataset()
        ref.SeriesInstanceUID = original_seg.SeriesInstanceUID
        inst = Dataset()
        inst.ReferencedSOPClassUID = SegmentationStorage
        inst.ReferencedSOPInstanceUID = original_seg.SOPInstanceUID
        ref.ReferencedInstanceSequence = Sequence([inst])
        seg.ReferencedSeriesSequence.append(ref)
    return seg
