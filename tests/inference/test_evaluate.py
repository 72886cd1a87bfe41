"""``evaluate`` on small folders built from a real chest with simulated lesions, both layouts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inference.eval_sets import TRUTH_FULL, TRUTH_LESION, TRUTH_NONE, find_studies, luch_labels
from inference.evaluate import confusion_matrix, dice, evaluate, score_study, table
from inference.gate import decide
from inference.labels import Label
from tests.inference import truth_folders as tf


@pytest.fixture(scope="module")
def crop(shared_data):
    return tf.chest_crop(shared_data)


@pytest.fixture(scope="module")
def mosmed(crop, tmp_path_factory):
    root = tmp_path_factory.mktemp("mosmed")
    return tf.mosmed_folder(root, crop, [(0, 11, "none"), (2, 12, "full"), (1, 13, "lesion")])


def test_dice_and_confusion_basics():
    a = np.zeros((4, 4), bool)
    assert dice(a, a) is None
    b = a.copy()
    b[:2] = True
    assert dice(b, b) == 1.0
    c = a.copy()
    c[1:3] = True
    assert dice(b, c) == 0.5
    m = confusion_matrix([("CT-0", "CT-0"), ("CT-2", "CT-1"), ("CT-1", "not-assessable")])
    assert m[0][0] == 1 and m[2][1] == 1 and m[1][5] == 1 and sum(map(sum, m)) == 3


def test_truth_itself_scores_perfectly(crop, mosmed):
    """Scoring the truth against itself: Dice 1, no involvement error, grade right, which
    shows the scorer compares what it should."""
    studies = {r.name: r.load() for r in find_studies(mosmed)}
    full = studies["study_0002"]
    assert full.kind == TRUTH_FULL and full.grade == "CT-2"
    from inference.geometry import Orientation
    from inference.measures import measure

    m = measure(full.truth, full.volume.spacing, Orientation.of(full.volume))
    score = score_study(full, full.truth, m.to_dict() | {"grade": m.grade})
    assert score.dice == {"lung": 1.0, "ggo": 1.0, "consolidation": score.dice["consolidation"],
                          "lesion": 1.0}
    assert score.involvement_error_pp == {"right": 0.0, "left": 0.0}
    assert score.grade == "CT-2" and score.false_lesion_percent is None
    assert studies["study_0001"].kind == TRUTH_NONE
    assert studies["study_0003"].kind == TRUTH_LESION


def test_evaluate_mosmed_layout_writes_json_table_and_plots(mosmed, tmp_path, luch_home):
    from app.cli import main

    out = tmp_path / "eval.json"
    assert main(["evaluate", str(mosmed), "--device", "cpu", "--json", str(out),
                 "--png", str(tmp_path / "png")]) == 0
    data = json.loads(out.read_text())
    s = data["summary"]
    from inference.registry import ModelRegistry

    assert data["model_version"].startswith(ModelRegistry().shipped().version + "+post")
    assert s["studies"] == 3 and s["ct0_studies"] == 1
    assert 0.9 < s["dice"]["lung"] <= 1.0  # only the full mask has lung truth
    assert s["dice"]["lesion"] is not None and s["dice"]["lesion"] > 0.3
    assert s["false_lesion_percent_mean"] is not None and s["false_lesion_percent_mean"] < 5
    assert sum(map(sum, s["grade_confusion"]["rows_truth_cols_read"])) == 3
    from PIL import Image

    for name in ("grade-confusion.png", "involvement-scatter.png"):
        with Image.open(tmp_path / "png" / name) as img:
            colours = np.unique(np.asarray(img).reshape(-1, 3), axis=0)
            assert img.size == (480, 480) and len(colours) > 3


def test_dicom_seg_layout_reads_the_apps_own_seg(crop, tmp_path):
    root = tf.dicom_seg_folder(tmp_path / "dicom", crop, [(3, 21)])
    (ref,) = find_studies(root)
    study = ref.load()
    case = tf.simulated_case(crop, 3, 21)
    assert study.kind == TRUTH_FULL and study.grade is None
    lung = np.isin(case.truth, (Label.LUNG_RIGHT, Label.LUNG_LEFT))
    assert np.array_equal(study.truth[lung], case.truth[lung])
    assert np.array_equal(study.truth > 2, case.truth > 2)
    assert np.array_equal(np.isin(study.truth, (5, 6)), np.isin(case.truth, (5, 6)))
    # GGO and consolidation are unsided in the SEG: the side of the nearest aerated lung is
    # right for nearly all of it (wrong only where a big lesion reaches the midline)
    lesion = case.truth > 2
    assert (study.truth[lesion] == case.truth[lesion]).mean() > 0.99
    report = evaluate(root, device="cpu")
    (score,) = report.studies
    assert score.truth_grade == "CT-3"
    assert score.dice["lung"] > 0.9 and score.dice["lesion"] > 0.5
    assert "CT-3" in table(report)


def test_luch_labels_sides_unsided_lesions_by_the_nearest_lung():
    raw = np.zeros((1, 1, 10), np.uint8)
    raw[0, 0, :3], raw[0, 0, 7:] = 1, 2
    raw[0, 0, 3], raw[0, 0, 6] = 3, 4
    out = luch_labels(raw, {1: "Right lung (aerated)", 2: "Left lung (aerated)",
                            3: "Ground-glass opacity", 4: "Consolidation"})
    assert out[0, 0, 3] == Label.GGO_RIGHT and out[0, 0, 6] == Label.CONSOLIDATION_LEFT


def test_gate_refuses_a_worse_candidate_and_passes_an_equal_one():
    base = {"studies": 3, "grade_accuracy": 1.0, "dice": {"lesion": 0.8, "lung": 0.97},
            "involvement_mae_pp": 2.0, "false_lesion_percent_mean": 0.3}
    assert decide(base, base).passed
    worse = base | {"false_lesion_percent_mean": 0.6, "grade_accuracy": 0.66}
    d = decide(worse, base)
    assert not d.passed and len(d.reasons) == 2
    assert not decide(base | {"studies": 0}, base).passed
