"""The series numbers Luch gives the objects it writes into a study.

One registry so that every layer tells a reader's report from the station's other SR
objects (the AI's results, second-opinion requests and reviews) without knowing who made
them. An SR series with any other number came from another system and is taken as a report.
"""

from __future__ import annotations

REPORT = 990  # the reader's structured report (records.sr)
AI_RESULT = 991  # the AI result with the reader's verdicts (records.sr)
KEY_OBJECTS = 993  # key images (records.key_objects)
REFERRAL_REQUEST, REFERRAL_REVIEW, REFERRAL_RESPONSE = 994, 995, 996  # records.referral_sr
AI_SEG, AI_MEASUREMENTS = 9901, 9902  # the pre-read's SEG and TID 1500 SR (inference.dicom_out)

NOT_REPORTS = frozenset({AI_RESULT, KEY_OBJECTS, REFERRAL_REQUEST, REFERRAL_REVIEW,
                         REFERRAL_RESPONSE, AI_SEG, AI_MEASUREMENTS})


def is_report_series(number: object) -> bool:
    """Whether an SR series with this Series Number holds a report (unknown numbers do)."""
    try:
        return int(str(number).strip()) not in NOT_REPORTS
    except ValueError:
        return True
