"""The AI's flagged findings as report sentences, in Russian and English."""

from __future__ import annotations

from records.findings import ai_findings, findings_text

AI = {"grade": "CT-1",
      "quality_flags": ["thick-slices",
                        "solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 at=1,2,3"],
      "lesions": [{"side": "right", "slices": "30-41", "ml": 12.34, "ggo_share": 0.9,
                   "at": [1, 2, 3]},
                  {"side": "left", "slices": "5-5", "ml": 3.0, "ggo_share": 0.1,
                   "at": [4, 5, 6]}]}


def test_foci_and_lesions_are_read_from_the_pre_read():
    found = ai_findings(AI)
    assert [(f.kind, f.side, f.slices) for f in found] == [
        ("focus", "left", "44-47"), ("lesion", "right", "30-41"), ("lesion", "left", "5-5")]
    assert ai_findings({**AI, "grade": "not-assessable"}) == []
    assert ai_findings(None) == []


def test_sentences_in_russian_and_english():
    assert findings_text(AI, "ru").splitlines() == [
        "В левом лёгком определяется солитарный солидный очаг (20 мм, 10,2 мл; срезы 44–47), "
        "не типичный для вирусной пневмонии (узел или ателектаз?): требует оценки.",
        "В правом лёгком определяется участок уплотнения по типу «матового стекла» объёмом "
        "12,3 мл (срезы 30–41).",
        "В левом лёгком определяется участок консолидации объёмом 3 мл (срез 5)."]
    assert findings_text(AI, "en", kinds=("focus",)) == (
        "Solitary solid focus in the left lung (20 mm, 10.2 mL; slices 44–47), not typical of "
        "viral pneumonia (nodule or atelectasis?): to be assessed.")
    assert findings_text(AI, "en", kinds=("lesion",)).splitlines() == [
        "Ground-glass opacity in the right lung, 12.3 mL (slices 30–41).",
        "Consolidation in the left lung, 3 mL (slice 5)."]
