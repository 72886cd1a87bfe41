"""The flat AI SR's values read back as written (a station imports them from the archive)."""

from __future__ import annotations

from datetime import UTC, datetime

from archive.dicomweb import dataset_bytes, read_dataset
from records.sr import AIVerdict, ai_result_to_sr, read_ai_values, study_header

VALUES = {
    "grade": "CT-2", "involvement_percent": {"right": 31.5, "left": 12.25, "total": 22.0},
    "volumes_ml": {"lung_right": 2650.4, "ggo": 410.0}, "quality_flags": ["few-slices"],
    "investigational": True, "seconds": 7.5, "model_version": "2.0.0+post6",
    "lesions": [{"side": "right", "ml": 12.5, "voxel": [3, 40, 50]}], "probability": "high",
    "dynamics": None, "count": 3, "note": "{not a dict",
}


def test_the_values_come_back_as_written_verdicts_left_out():
    header = study_header("1.2.3.4", {"patient_id": "P"}, {})
    sr = ai_result_to_sr("uid-1", "luch-unet", "2.0.0+post6", VALUES,
                         datetime(2026, 1, 2, tzinfo=UTC), header,
                         [AIVerdict("Dr A", "agree", None, datetime(2026, 1, 3, tzinfo=UTC))])
    assert read_ai_values(read_dataset(dataset_bytes(sr))) == VALUES


def test_a_long_name_keeps_its_full_key():
    header = study_header("1.2.3.4", {}, {})
    sr = ai_result_to_sr("uid-2", "luch-unet", "v", {"grade_worst_lung_rule": "CT-1"},
                         datetime.now(UTC), header)
    assert read_ai_values(sr) == {"grade_worst_lung_rule": "CT-1"}
