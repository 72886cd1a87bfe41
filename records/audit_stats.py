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
from collections.abc import Iterable
from dataclasses import dataclass

from records.errors import RecordsError
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
