"""Discrepancy statistics of signed reviews (``luch audit-stats``), with Wilson intervals,
and the grade agreement between the first reader and the expert (quadratic weighted kappa).

A review counts once (its newest signed version). Two rates per group: RADPEER score 2 or
more (any discrepancy) and 3 or more (likely to matter). Each with the 95 % Wilson score
interval, which stays inside [0, 1] and behaves for small groups and rates near 0 or 1
(unlike the normal approximation).
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from records.errors import RecordsError
from records.referral import URGENCY_HOURS
from records.referral_store import SignedReview

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal
GROUPINGS = ("reader", "centre", "month", "all")


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` trials ((0, 1) for n = 0)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    group: str
    reviews: int
    score2: int  # RADPEER >= 2
    score3: int  # RADPEER >= 3

    @property
    def rate2(self) -> float:
        return self.score2 / self.reviews if self.reviews else 0.0

    @property
    def rate3(self) -> float:
        return self.score3 / self.reviews if self.reviews else 0.0

    @property
    def ci2(self) -> tuple[float, float]:
        return wilson(self.score2, self.reviews)

    @property
    def ci3(self) -> tuple[float, float]:
        return wilson(self.score3, self.reviews)


def _key(review: SignedReview, by: str) -> str:
    if by == "reader":
        return review.first_reader or "-"
    if by == "centre":
        return review.centre or "-"
    if by == "month":
        return review.signed_at.strftime("%Y-%m")
    return "all"


def natural(name: str) -> list:
    """Sort key: numbers by value ("Reader 2" before "Reader 10")."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", name)]


def discrepancy_rates(reviews: Iterable[SignedReview], by: str = "all") -> list[Rate]:
    """One rate per group (sorted by its name, numbers by value), then the total when
    grouped."""
    if by not in GROUPINGS:
        raise RecordsError(f"audit statistics group by reader, centre or month, not '{by}'")
    counts: dict[str, list[int]] = {}
    total = [0, 0, 0]
    for review in reviews:
        row = counts.setdefault(_key(review, by), [0, 0, 0])
        for acc in (row, total):
            acc[0] += 1
            acc[1] += review.score >= 2
            acc[2] += review.score >= 3
    rates = [Rate(group, *counts[group]) for group in sorted(counts, key=natural)]
    if by != "all":
        rates.append(Rate("all", *total))
    return rates or [Rate("all", 0, 0, 0)]


COLUMNS = ("group", "reviews", "score>=2", "rate2", "ci2_low", "ci2_high",
           "score>=3", "rate3", "ci3_low", "ci3_high")
KAPPA_COLUMNS = ("kappa_reader_expert", "n_reader_expert", "kappa_ai_expert", "n_ai_expert")


def rows(rates: list[Rate]) -> list[tuple]:
    return [(r.group, r.reviews, r.score2, round(r.rate2, 4), round(r.ci2[0], 4),
             round(r.ci2[1], 4), r.score3, round(r.rate3, 4), round(r.ci3[0], 4),
             round(r.ci3[1], 4)) for r in rates]


def _kappa_cells(agreement: tuple[tuple[float | None, int], tuple[float | None, int]]
                 ) -> tuple:
    (k1, n1), (k2, n2) = agreement
    return ("" if k1 is None else round(k1, 4), n1, "" if k2 is None else round(k2, 4), n2)


def as_csv(rates: list[Rate], agreement: dict | None = None) -> str:
    """The rates as CSV; with ``agreement`` (:func:`agreement_by_group`) its kappa columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + (KAPPA_COLUMNS if agreement is not None else ()))
    for rate, row in zip(rates, rows(rates), strict=True):
        if agreement is not None:
            row += _kappa_cells(agreement.get(rate.group, ((None, 0), (None, 0))))
        writer.writerow(row)
    return out.getvalue()


def as_table(rates: list[Rate]) -> str:
    def pct(rate: float, ci: tuple[float, float]) -> str:
        return f"{rate:6.1%} ({ci[0]:5.1%} - {ci[1]:5.1%})"

    width = max([5, *(len(r.group) for r in rates)])
    lines = [f"{'group':<{width}}  reviews  score>=2 rate (95% CI)     score>=3 rate (95% CI)"]
    lines += [f"{r.group:<{width}}  {r.reviews:7d}  {r.score2:4d} {pct(r.rate2, r.ci2)}  "
              f"{r.score3:4d} {pct(r.rate3, r.ci3)}" for r in rates]
    return "\n".join(lines)


GRADES = ("CT-0", "CT-1", "CT-2", "CT-3", "CT-4")


def weighted_kappa(pairs: Iterable[tuple[str, str]]) -> tuple[float | None, int]:
    """Cohen's kappa with quadratic weights over CT-0..CT-4 of (first, expert) grade pairs
    (pairs with another value, e.g. not assessable, are left out), and how many counted;
    None when undefined (no pairs, or both raters gave the same single grade throughout)."""
    k = len(GRADES)
    counted = [(GRADES.index(a), GRADES.index(b)) for a, b in pairs
               if a in GRADES and b in GRADES]
    n = len(counted)
    if n == 0:
        return None, 0
    rows, cols = [0] * k, [0] * k
    observed = 0.0
    for i, j in counted:
        rows[i] += 1
        cols[j] += 1
        observed += (i - j) ** 2
    expected = sum(rows[i] * cols[j] * (i - j) ** 2 for i in range(k) for j in range(k)) / n
    if expected == 0:
        return None, n
    return 1 - observed / expected, n


def grade_agreement(reviews: Iterable[SignedReview]) -> tuple[float | None, int]:
    """First reader vs expert."""
    return weighted_kappa((r.first_grade, r.expert_grade) for r in reviews)


def ai_agreement(reviews: Iterable[SignedReview]) -> tuple[float | None, int]:
    """The AI pre-read's grade (the study's newest pre-read in the expert's store) vs the
    expert; reviews of studies without an AI grade are left out."""
    return weighted_kappa((r.ai_grade, r.expert_grade) for r in reviews)


def agreement_by_group(reviews: Iterable[SignedReview], by: str = "all"
                       ) -> dict[str, tuple[tuple[float | None, int], tuple[float | None, int]]]:
    """Per group of :func:`discrepancy_rates` (and "all"): (first reader vs expert, AI vs
    expert) weighted kappa with how many pairs counted."""
    groups: dict[str, list[SignedReview]] = {}
    for review in reviews:
        groups.setdefault(_key(review, by), []).append(review)
        if by != "all":
            groups.setdefault("all", []).append(review)
    return {g: (grade_agreement(rs), ai_agreement(rs)) for g, rs in groups.items()}



# -- AI feedback: the AI pre-read against the expert ---------------------------------------
AI_GROUPINGS = ("grade", "month")
VERDICTS = ("agree", "partly", "disagree")


@dataclass(frozen=True)
class AIFeedbackRow:
    """The AI pre-read against the expert in one group (the expert's grade, or the month
    signed). ``pairs``: reviews with both grades on CT-0..CT-4, split into agree (the same
    grade), partly (one grade apart) and disagree (two or more apart); ``verdicts``: the
    expert's own verdicts on the pre-read in the AI panel (agree, partly, disagree), where
    the expert gave one."""

    group: str
    reviews: int
    pairs: int
    agree: int
    partly: int
    disagree: int
    verdicts: tuple[int, int, int] = (0, 0, 0)

    @property
    def rate(self) -> float:
        """The share of pairs with the same grade."""
        return self.agree / self.pairs if self.pairs else 0.0

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.agree, self.pairs)


def ai_feedback(reviews: Iterable[SignedReview], by: str = "grade") -> list[AIFeedbackRow]:
    """Per expert grade (CT-0..CT-4 in order, then any other value) or per month signed,
    then "all": how often the AI pre-read's grade is the expert's, one grade off or more,
    and the expert's verdicts on the pre-read."""
    if by not in AI_GROUPINGS:
        raise RecordsError(f"AI feedback groups by grade or month, not '{by}'")
    # reviews, pairs, agree, partly, disagree, verdict agree, partly, disagree
    counts: dict[str, list[int]] = {}
    total = [0] * 8
    rank = {grade: i for i, grade in enumerate(GRADES)}
    verdict_column = {verdict: 5 + i for i, verdict in enumerate(VERDICTS)}
    for review in reviews:
        when = review.signed_at
        key = (review.expert_grade or "-") if by == "grade" else f"{when.year}-{when.month:02d}"
        row = counts.setdefault(key, [0] * 8)
        ai, expert = rank.get(review.ai_grade), rank.get(review.expert_grade)
        verdict = verdict_column.get(review.ai_verdict)
        for acc in (row, total):
            acc[0] += 1
            if ai is not None and expert is not None:
                acc[1] += 1
                acc[2 + min(abs(ai - expert), 2)] += 1
            if verdict is not None:
                acc[verdict] += 1

    def order(key: str) -> tuple[int, str]:
        return (GRADES.index(key), "") if key in GRADES else (len(GRADES), key)

    keys = sorted(counts, key=order) if by == "grade" else sorted(counts)
    return [AIFeedbackRow(k, *c[:5], (c[5], c[6], c[7]))
            for k, c in [*((k, counts[k]) for k in keys), ("all", total)]]


AI_COLUMNS = ("group", "reviews", "pairs", "agree", "partly", "disagree", "agree_rate",
              "ci_low", "ci_high", "verdict_agree", "verdict_partly", "verdict_disagree")


def ai_rows(feedback: list[AIFeedbackRow]) -> list[tuple]:
    return [(f.group, f.reviews, f.pairs, f.agree, f.partly, f.disagree, round(f.rate, 4),
             round(f.ci[0], 4), round(f.ci[1], 4), *f.verdicts) for f in feedback]


# -- turnaround: request to the review's first signing ------------------------------------------
URGENCIES = ("stat", "urgent", "routine")
HOURS = {str(urgency): hours for urgency, hours in URGENCY_HOURS.items()}


@dataclass(frozen=True)
class TurnaroundRow:
    """Hours from the request to the review's first signed version, per urgency: the median,
    the 90th percentile (nearest rank) and how many were signed by the due time."""

    group: str
    reviews: int
    median_h: float | None
    p90_h: float | None
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.reviews if self.reviews else 0.0

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.on_time, self.reviews)


def _hours_row(group: str, hours: list[float], on_time: int) -> TurnaroundRow:
    if not hours:
        return TurnaroundRow(group, 0, None, None, 0)
    ordered = sorted(hours)
    rank = math.ceil(0.9 * len(ordered))  # nearest rank
    return TurnaroundRow(group, len(ordered), statistics.median(ordered), ordered[rank - 1],
                         on_time)


def turnaround(reviews: Iterable[SignedReview]) -> list[TurnaroundRow]:
    """Per urgency (stat, urgent, routine, then any other), then "all": the hours from the
    request to the first signed version of its review (an amendment answering a dispute
    does not move it) against the due time (``records.referral.URGENCY_HOURS``)."""
    hours: dict[str, list[float]] = {}
    on_time: dict[str, int] = {}
    for review in reviews:
        answered = review.answered_at or review.signed_at
        taken = (answered - review.requested_at).total_seconds() / 3600
        for key in (review.urgency or "-", "all"):
            hours.setdefault(key, []).append(taken)
            limit = HOURS.get(review.urgency)
            on_time[key] = on_time.get(key, 0) + (limit is not None and taken <= limit)
    keys = [u for u in URGENCIES if u in hours] + sorted(
        k for k in hours if k not in URGENCIES and k != "all")
    return [_hours_row(k, hours.get(k, []), on_time.get(k, 0)) for k in [*keys, "all"]]


TURNAROUND_COLUMNS = ("urgency", "reviews", "median_hours", "p90_hours", "on_time",
                      "on_time_rate", "ci_low", "ci_high")


def turnaround_rows(times: list[TurnaroundRow]) -> list[tuple]:
    def h(value: float | None) -> float | str:
        return "" if value is None else round(value, 2)

    return [(t.group, t.reviews, h(t.median_h), h(t.p90_h), t.on_time, round(t.rate, 4),
             round(t.ci[0], 4), round(t.ci[1], 4)) for t in times]


def table_csv(columns: tuple[str, ...], table: list[tuple]) -> str:
    """A header and rows as CSV (the AI feedback and turnaround tables)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(table)
    return out.getvalue()
