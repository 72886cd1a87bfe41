"""The CT-0..CT-4 severity scale of COVID-19 pneumonia by % lung involvement.

CT-0 none; CT-1 up to 25 %; CT-2 over 25 up to 50 %; CT-3 over 50 and under 75 %;
CT-4 75 % or more. The grade is taken from the more involved lung by default
(``worst-lung``); ``both-lungs`` grades the two lungs together. Both numbers are reported.
"""

from __future__ import annotations

from enum import StrEnum

NOT_ASSESSABLE = "not-assessable"


class GradeRule(StrEnum):
    """Which involvement figure decides the grade (a user setting: ``inference.grade_rule``)."""

    WORST_LUNG = "worst-lung"
    BOTH_LUNGS = "both-lungs"


def grade_of(percent: float) -> str:
    """The CT grade of an involvement percentage (0 means no lesions found)."""
    if percent < 0 or percent != percent:
        raise ValueError(f"involvement must be a percentage, got {percent}")
    if percent == 0:
        return "CT-0"
    if percent <= 25:
        return "CT-1"
    if percent <= 50:
        return "CT-2"
    if percent < 75:
        return "CT-3"
    return "CT-4"


GRADES = ("CT-0", "CT-1", "CT-2", "CT-3", "CT-4")
