"""Checks before signing: an empty conclusion, contradictions between the grade, the
distribution, the percentages and the text, and AI flags the report does not mention.

Each problem is a code with details (the app words it in the interface language); none
stops signing by itself: the reader sees them in the preview and decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from records.findings import ai_findings

# Moscow CT scale: the share of lung involved (by the worse lung or by both lungs).
GRADE_LIMITS = ((0.0, "CT-0"), (25.0, "CT-1"), (50.0, "CT-2"), (75.0, "CT-3"), (100.1, "CT-4"))
TOLERANCE_PP = 2.0  # percentages this close to a limit fit the grades on both sides of it

_UNILATERAL = re.compile(r"unilateral|односторон", re.I)
_BILATERAL = re.compile(r"bilateral|двусторон", re.I)
_GRADE_IN_TEXT = re.compile(r"(?<![A-Za-zА-Яа-яЁё])(?:CT|КТ)\s*[-‐–—]?\s*([0-4])(?!\d)", re.I)
_FOCUS_WORDS = re.compile(r"focus|foci|nodul|очаг|узел|узл|образован|ателектаз|atelecta", re.I)


# The protocol field a reader goes back to for each problem (where it is put right).
PROBLEM_FIELDS = {
    "empty-conclusion": "conclusion",
    "normal-with-side": "distribution_side",
    "normal-with-percent": "involvement_right_percent",
    "normal-with-signs": "main_signs",
    "normal-with-probability": "covid_probability",
    "grade-without-involvement": "involvement_right_percent",
    "grade-vs-percent": "grade",
    "side-vs-percent": "distribution_side",
    "text-side": "conclusion",
    "text-grade": "conclusion",
    "ai-focus-not-mentioned": "conclusion",
}


@dataclass(frozen=True)
class Problem:
    """``code`` names the check; ``details`` fills its message (grade, side, percent...)."""

    code: str
    details: dict[str, str] = field(default_factory=dict)

    @property
    def form_field(self) -> str:
        """The protocol field to go back to (:data:`PROBLEM_FIELDS`)."""
        return PROBLEM_FIELDS.get(self.code, "conclusion")


def grades_for_percent(percent: float) -> set[str]:
    """The grades a lung involvement of ``percent`` fits (both grades near a limit)."""
    if percent <= 0:
        return {"CT-0"}
    found = set()
    for p in (percent - TOLERANCE_PP, percent, percent + TOLERANCE_PP):
        p = min(max(p, 0.01), 100.0)
        found.add(next(g for limit, g in GRADE_LIMITS[1:] if p < limit))
    return found


def _percent(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def check_report(fields: dict[str, Any], free_text: str = "",
                 ai: dict[str, Any] | None = None, report_text: str = "") -> list[Problem]:
    """Problems of a report about to be signed (``fields`` as the protocol form gives them,
    ``ai`` the pre-read JSON shown to the reader, ``report_text`` the full text)."""
    problems: list[Problem] = []
    grade = fields.get("grade")
    side = fields.get("distribution_side")
    right = _percent(fields.get("involvement_right_percent"))
    left = _percent(fields.get("involvement_left_percent"))
    given = [p for p in (right, left) if p is not None]
    words = " ".join(str(fields.get(k) or "") for k in ("conclusion", "recommendations"))
    words = f"{words} {free_text}"

    if not str(fields.get("conclusion") or "").strip():
        problems.append(Problem("empty-conclusion"))
    if grade == "CT-0":
        if side:
            problems.append(Problem("normal-with-side", {"grade": grade, "side": side}))
        if any(p > 0 for p in given):
            problems.append(Problem("normal-with-percent", {"grade": grade,
                                                            "percent": f"{max(given):g}"}))
        if fields.get("main_signs"):
            problems.append(Problem("normal-with-signs", {"grade": grade}))
        if fields.get("covid_probability") in ("high", "medium"):
            problems.append(Problem("normal-with-probability", {
                "grade": grade, "probability": fields["covid_probability"]}))
    elif grade and given:
        if all(p == 0 for p in given):
            problems.append(Problem("grade-without-involvement", {"grade": grade}))
        else:
            worse = max(given)
            both = sum(given) / len(given)
            if grade not in grades_for_percent(worse) | grades_for_percent(both):
                problems.append(Problem("grade-vs-percent", {"grade": grade,
                                                             "percent": f"{worse:g}"}))
    if right is not None and left is not None:
        both_involved = right > 0 and left > 0
        if (side == "unilateral" and both_involved) or (
                side == "bilateral" and not both_involved):
            problems.append(Problem("side-vs-percent", {"side": side}))
    text_sides = {s for s, rx in (("unilateral", _UNILATERAL), ("bilateral", _BILATERAL))
                  if rx.search(words)}
    for said in sorted(text_sides):
        if grade == "CT-0" or (side and said != side):
            problems.append(Problem("text-side", {"side": said, "grade": grade or ""}))
    if grade:
        for said in sorted({f"CT-{m}" for m in _GRADE_IN_TEXT.findall(words)} - {grade}):
            problems.append(Problem("text-grade", {"grade": grade, "said": said}))
    everything = f"{report_text} {words}"
    for finding in ai_findings(ai):
        if finding.kind == "focus" and not _FOCUS_WORDS.search(everything):
            problems.append(Problem("ai-focus-not-mentioned",
                                    {"side": finding.side, "slices": finding.slices}))
    return problems
