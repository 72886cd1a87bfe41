"""Measure a model version on studies with known truth (``luch evaluate``, and the gate).

Per study: Dice of lung, GGO, consolidation and lesion (GGO + consolidation), the
involvement error per lung (percentage points), the truth and read grades, and on CT-0
studies the false lesion (read lesion as % of read lung). Overall: mean Dice (over the
studies where the structure exists in truth or read), mean absolute involvement error,
the grade confusion matrix and accuracy, mean and worst false lesion.

Limits: a MosMedData lesion mask has no lung, side or GGO/consolidation split, so there
only lesion Dice is measured and the truth involvement uses the read lungs as its
denominator; studies without a mask give the grade and (CT-0) the false lesion only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from inference.eval_sets import (
    TRUTH_FULL,
    TRUTH_LESION,
    EvaluationDataError,
    StudyRef,
    TruthStudy,
    find_studies,
)
from inference.geometry import Orientation
from inference.grading import GRADES, NOT_ASSESSABLE, grade_of
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT
from inference.measures import measure
from inference.preread import PreReadOptions, analyze

GRADE_AXIS = (*GRADES, NOT_ASSESSABLE)
Progress = Callable[[float], None]


@dataclass
class StudyScore:
    name: str
    truth_grade: str
    grade: str
    dice: dict[str, float | None]
    involvement: dict[str, float]  # read, per lung and total, %
    truth_involvement: dict[str, float | None]
    involvement_error_pp: dict[str, float | None]  # read - truth, per lung
    false_lesion_percent: float | None  # CT-0 studies only
    seconds: float


@dataclass
class EvalReport:
    """The scores of one model version on one folder of studies."""

    model_version: str
    folder: str
    studies: list[StudyScore] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return summarise(self.studies)

    def to_json(self) -> dict:
        return {"model_version": self.model_version, "folder": self.folder,
                "summary": self.summary, "studies": [asdict(s) for s in self.studies]}


def dice(a: np.ndarray, b: np.ndarray) -> float | None:
    """Dice of two masks; None when both are empty (nothing to find, nothing found)."""
    na, nb = int(a.sum()), int(b.sum())
    if na + nb == 0:
        return None
    return round(2.0 * int(np.count_nonzero(a & b)) / (na + nb), 4)


def _lesion_share(lesion: np.ndarray, lung: np.ndarray) -> float:
    n = int(lung.sum())
    return 100.0 * int(np.count_nonzero(lesion & lung)) / n if n else 0.0


def score_study(study: TruthStudy, labels: np.ndarray, read: dict, seconds: float = 0.0
                ) -> StudyScore:
    """Compare a read label map (and its result JSON ``read``) with the study's truth."""
    les = np.isin(labels, GGO + CONSOLIDATION)
    d: dict[str, float | None] = {"lung": None, "ggo": None, "consolidation": None,
                                  "lesion": None}
    truth_inv: dict[str, float | None] = {"right": None, "left": None}
    truth_grade = study.grade
    spacing = study.volume.spacing
    if study.kind == TRUTH_FULL:
        t = study.truth
        d["lung"] = dice(t > 0, labels > 0)
        d["ggo"] = dice(np.isin(t, GGO), np.isin(labels, GGO))
        d["consolidation"] = dice(np.isin(t, CONSOLIDATION), np.isin(labels, CONSOLIDATION))
        d["lesion"] = dice(np.isin(t, GGO + CONSOLIDATION), les)
        m = measure(t, spacing, Orientation.of(study.volume))
        truth_inv = {"right": m.involvement_percent["right"],
                     "left": m.involvement_percent["left"]}
        if truth_grade is None:
            truth_grade = m.grade_worst_lung
    elif study.kind == TRUTH_LESION:
        t = study.truth
        d["lesion"] = dice(t, les)
        truth_inv = {"right": round(_lesion_share(t, np.isin(labels, RIGHT)), 1),
                     "left": round(_lesion_share(t, np.isin(labels, LEFT)), 1)}
        if truth_grade is None:
            truth_grade = grade_of(max(truth_inv.values()))
    inv = read["involvement_percent"]
    err = {side: (None if truth_inv[side] is None else round(inv[side] - truth_inv[side], 2))
           for side in ("right", "left")}
    false = None
    if truth_grade == "CT-0":
        false = round(_lesion_share(les, labels > 0), 3)
    return StudyScore(study.name, truth_grade or NOT_ASSESSABLE, read["grade"], d,
                      dict(inv), truth_inv, err, false, round(seconds, 2))


def _mean(values) -> float | None:
    vals = [v for v in values if v is not None]
    return round(float(np.mean(vals)), 4) if vals else None


def summarise(scores: list[StudyScore]) -> dict:
    confusion = confusion_matrix([(s.truth_grade, s.grade) for s in scores])
    graded = [s for s in scores if s.truth_grade in GRADES]
    errors = [abs(v) for s in scores for v in s.involvement_error_pp.values() if v is not None]
    false = [s.false_lesion_percent for s in scores if s.false_lesion_percent is not None]
    return {
        "studies": len(scores),
        "dice": {k: _mean(s.dice[k] for s in scores)
                 for k in ("lung", "ggo", "consolidation", "lesion")},
        "involvement_mae_pp": round(float(np.mean(errors)), 2) if errors else None,
        "involvement_max_error_pp": round(float(np.max(errors)), 2) if errors else None,
        "grade_accuracy": (round(sum(s.grade == s.truth_grade for s in graded) / len(graded), 4)
                           if graded else None),
        "grade_confusion": {"axis": list(GRADE_AXIS), "rows_truth_cols_read": confusion},
        "false_lesion_percent_mean": _mean(false),
        "false_lesion_percent_max": round(max(false), 3) if false else None,
        "ct0_studies": len(false),
    }


def confusion_matrix(pairs) -> list[list[int]]:
    index = {g: n for n, g in enumerate(GRADE_AXIS)}
    out = [[0] * len(GRADE_AXIS) for _ in GRADE_AXIS]
    for truth, read in pairs:
        out[index.get(truth, len(GRADE_AXIS) - 1)][index.get(read, len(GRADE_AXIS) - 1)] += 1
    return out


def evaluate(folder: Path, weights: Path | None = None, device: str = "cpu",
             engine: str = "unet", progress: Progress | None = None,
             cancel: threading.Event | None = None, log=None) -> EvalReport:
    """Read every study of ``folder`` with the model ``weights`` (None: the active version)
    and score it against its truth (no fallback: a broken model is an error here)."""
    return evaluate_refs(find_studies(folder), weights, device, engine, progress, cancel, log,
                         Path(folder).name)


def evaluate_refs(refs: list[StudyRef], weights: Path | None = None, device: str = "cpu",
                  engine: str = "unet", progress: Progress | None = None,
                  cancel: threading.Event | None = None, log=None,
                  label: str = "held-apart studies") -> EvalReport:
    """:func:`evaluate` on studies given one by one (e.g. held-apart corrections)."""
    if not refs:
        raise EvaluationDataError("No studies to evaluate on")
    options = PreReadOptions(engine=engine, device=device, weights=weights, fallback=False)
    report: EvalReport | None = None
    for n, ref in enumerate(refs):
        study = ref.load()
        result = analyze(study.volume, options, cancel=cancel)
        if report is None:
            report = EvalReport(result.model_version, label)
        score = score_study(study, result.labels, result.to_json(), result.seconds)
        report.studies.append(score)
        if log:
            log(f"{ref.name}: truth {score.truth_grade}, read {score.grade}, lesion Dice "
                f"{score.dice['lesion']}")
        if progress:
            progress((n + 1) / len(refs))
    assert report is not None
    return report


def table(report: EvalReport) -> str:
    """A readable text table: one line per study, then the summary."""
    def f(v, digits=3):
        return "   n/a" if v is None else f"{v:6.{digits}f}"

    lines = [f"model {report.model_version} on {report.folder}: {len(report.studies)} studies",
             f"{'study':<20} {'truth':>6} {'read':>6} {'lung':>6} {'GGO':>6} {'cons':>6} "
             f"{'lesion':>6} {'dR pp':>6} {'dL pp':>6} {'false%':>6}"]
    for s in report.studies:
        lines.append(f"{s.name[:20]:<20} {s.truth_grade:>6} {s.grade[:6]:>6} "
                     f"{f(s.dice['lung'])} {f(s.dice['ggo'])} {f(s.dice['consolidation'])} "
                     f"{f(s.dice['lesion'])} {f(s.involvement_error_pp['right'], 1)} "
                     f"{f(s.involvement_error_pp['left'], 1)} {f(s.false_lesion_percent, 2)}")
    m = report.summary
    lines.append("overall: Dice lung {} GGO {} cons {} lesion {}".format(
        *(f(m["dice"][k]).strip() for k in ("lung", "ggo", "consolidation", "lesion"))))
    lines.append(f"involvement error: mean {f(m['involvement_mae_pp'], 2).strip()} pp, max "
                 f"{f(m['involvement_max_error_pp'], 2).strip()} pp; grade accuracy "
                 f"{f(m['grade_accuracy'], 2).strip()}; false lesion on CT-0 "
                 f"({m['ct0_studies']}): mean {f(m['false_lesion_percent_mean'], 3).strip()} %, "
                 f"max {f(m['false_lesion_percent_max'], 3).strip()} %")
    axis = m["grade_confusion"]["axis"]
    lines.append("grade confusion (rows truth, columns read): " + " ".join(
        a.replace("not-assessable", "n/a") for a in axis))
    for name, row in zip(axis, m["grade_confusion"]["rows_truth_cols_read"], strict=True):
        if any(row):
            lines.append(f"  {name.replace('not-assessable', 'n/a'):>6} " + " ".join(
                f"{v:4d}" for v in row))
    return "\n".join(lines)
