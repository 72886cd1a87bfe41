"""The first report and an expert's review of it, field by field (the reader's feedback).

Qt-free: the rows the side-by-side view shows, each marked when the two reads differ. The
grade differs when the two grades are not the same; the findings when the expert wrote
findings and they are not the first report's conclusion (or text) up to case and spacing.
The expert's verdict (score, category, technique, comment) has no counterpart in the first
report: those rows are never marked as differing, and the score says how much it matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from records.referral import TECHNIQUE_ASPECTS, ReviewFields

COMPARED = ("grade", "findings")
VERDICT = ("score", "category", "technique", "comment")


@dataclass(frozen=True)
class CompareRow:
    field: str  # one of COMPARED + VERDICT
    first: str  # the first report's value ("" for the verdict rows)
    expert: str
    differs: bool


def _plain(text: str) -> str:
    return " ".join(str(text or "").split()).casefold().rstrip(".")


def compare(first_fields: dict[str, Any], first_text: str,
            review: ReviewFields) -> list[CompareRow]:
    """The rows of the first report (its fields and text) beside the review."""
    first_grade = str(first_fields.get("grade", "") or "")
    first_findings = str(first_fields.get("conclusion", "") or "") or str(first_text or "")
    rows = [
        CompareRow("grade", first_grade, review.grade, first_grade != review.grade),
        CompareRow("findings", first_findings, review.findings,
                   bool(review.findings.strip())
                   and _plain(first_findings) != _plain(review.findings)),
        CompareRow("score", "", "" if review.score is None else str(review.score), False),
        CompareRow("category", "", review.category, False),
    ]
    if review.technique:
        rows.append(CompareRow("technique", "", ", ".join(
            f"{a}: {review.technique[a]}" for a in TECHNIQUE_ASPECTS if a in review.technique),
            False))
    rows.append(CompareRow("comment", "", review.comment, False))
    return rows


def differing(rows: list[CompareRow]) -> list[str]:
    """The fields marked as differing."""
    return [r.field for r in rows if r.differs]
