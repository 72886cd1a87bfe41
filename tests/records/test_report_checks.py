"""Checks before signing: what contradicts what, and what is consistent."""

from __future__ import annotations

import pytest

from records.report_checks import check_report, grades_for_percent

FOCUS = {"grade": "CT-0", "lesions": [],
         "quality_flags": ["solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 "
                           "at=97,130,45"]}


def codes(fields, free_text="", ai=None, text=""):
    return [p.code for p in check_report(fields, free_text, ai, text)]


def test_a_consistent_report_has_no_problems():
    assert codes({"grade": "CT-2", "distribution_side": "bilateral",
                  "involvement_right_percent": 40.0, "involvement_left_percent": 22.0,
                  "conclusion": "Bilateral viral pneumonia, CT-2."}) == []
    assert codes({"grade": "CT-0", "involvement_right_percent": 0.0,
                  "conclusion": "Норма, КТ-0. Солидный очаг в левом лёгком."}, ai=FOCUS) == []


@pytest.mark.parametrize(("fields", "free_text", "expected"), [
    ({"grade": "CT-1"}, "", ["empty-conclusion"]),
    ({"grade": "CT-0", "distribution_side": "unilateral", "conclusion": "Норма."}, "",
     ["normal-with-side"]),
    ({"grade": "CT-0", "involvement_right_percent": 12.0, "conclusion": "Normal."}, "",
     ["normal-with-percent"]),
    ({"grade": "CT-0", "main_signs": ["consolidation"], "conclusion": "Normal."}, "",
     ["normal-with-signs"]),
    ({"grade": "CT-0", "covid_probability": "medium", "conclusion": "Normal."}, "",
     ["normal-with-probability"]),
    ({"grade": "CT-0", "covid_probability": "low", "conclusion": "Normal."}, "", []),
    ({"grade": "CT-0", "conclusion": "Normal."}, "Односторонние изменения.",
     ["text-side"]),
    ({"grade": "CT-2", "distribution_side": "bilateral", "conclusion": "Unilateral changes"},
     "", ["text-side"]),
    ({"grade": "CT-3", "involvement_right_percent": 30.0, "involvement_left_percent": 10.0,
      "distribution_side": "bilateral", "conclusion": "Pneumonia."}, "", ["grade-vs-percent"]),
    ({"grade": "CT-1", "involvement_right_percent": 0.0, "involvement_left_percent": 0.0,
      "conclusion": "Pneumonia."}, "", ["grade-without-involvement"]),
    ({"grade": "CT-1", "distribution_side": "unilateral", "involvement_right_percent": 5.0,
      "involvement_left_percent": 3.0, "conclusion": "Pneumonia."}, "", ["side-vs-percent"]),
    ({"grade": "CT-2", "involvement_right_percent": 30.0, "involvement_left_percent": 30.0,
      "conclusion": "Viral pneumonia, CT-3."}, "", ["text-grade"]),
])
def test_contradictions_are_found(fields, free_text, expected):
    assert codes(fields, free_text) == expected


def test_an_ai_focus_must_be_mentioned_somewhere_in_the_report():
    fields = {"grade": "CT-0", "conclusion": "Normal."}
    problems = check_report(fields, "", FOCUS, "Grade: CT-0. Conclusion: Normal.")
    assert [(p.code, p.details) for p in problems] == [
        ("ai-focus-not-mentioned", {"side": "left", "slices": "44-47"})]
    assert codes(fields, "Nodule in the left lower lobe.", FOCUS) == []
    not_assessable = {**FOCUS, "grade": "not-assessable"}
    assert codes(fields, "", not_assessable) == [], "a not-assessable pre-read flags nothing"


@pytest.mark.parametrize(("percent", "grades"), [
    (0.0, {"CT-0"}), (10.0, {"CT-1"}), (24.0, {"CT-1", "CT-2"}), (60.0, {"CT-3"}),
    (90.0, {"CT-4"}), (100.0, {"CT-4"})])
def test_grades_near_the_limits_fit_both_sides(percent, grades):
    assert grades_for_percent(percent) == grades


def test_every_problem_names_a_field_of_the_protocol_it_checks():
    """The reader is taken back to that field; a renamed field would strand them."""
    from records.protocol import load_protocol
    from records.report_checks import PROBLEM_FIELDS

    keys = {f.key for f in load_protocol("moscow-chest-ct-covid").fields}
    assert set(PROBLEM_FIELDS.values()) <= keys
    found = set(codes({"grade": "CT-0", "distribution_side": "unilateral",
                       "involvement_right_percent": 3.0, "main_signs": ["ggo_round"],
                       "covid_probability": "high"}, "unilateral CT-2"))
    assert found <= set(PROBLEM_FIELDS)
