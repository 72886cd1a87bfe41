"""The reference centre's audit sample: a share of each centre's signed reports per week,
stratified by grade and reader, drawn the same way on every station.

Each centre's sample is ``ceil(share * N)`` of its N reports signed in the ISO week (at
least one when it signed any). It is split over the strata (grade x reader) in proportion
to their sizes, by largest remainder (Hamilton): each stratum gets the floor or the ceiling
of its exact quota, so a reader or a grade is never left out or over-sampled by more than
one report. Within a stratum, and for the remainders' ties, reports are ranked by a SHA-256
of the seed (the week and the centre) and their SOP Instance UID: no random generator state
and no dependence on the order the reports were read, so two reference stations holding the
same reports draw the same sample, and the next week draws another.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from records.errors import ReferralError

CENTRE_FIELD = "_centre"  # a signed report's centre, in its fields (written at signing)
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Candidate:
    """A signed report version that may be audited."""

    version_id: int
    report_sop_uid: str
    centre: str
    reader: str
    grade: str
    signed_at: datetime
    study_instance_uid: str = ""

    @property
    def stratum(self) -> tuple[str, str]:
        return self.grade or "-", self.reader or "-"


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """``YYYY-Www`` (ISO week) as [Monday 00:00 UTC, next Monday) or a clear error."""
    found = WEEK.match(week.strip())
    if found is None:
        raise ReferralError(f"not an ISO week (YYYY-Www, e.g. 2026-W49): {week}")
    try:
        start = datetime.fromisocalendar(int(found[1]), int(found[2]), 1).replace(tzinfo=UTC)
    except ValueError:
        raise ReferralError(f"not an ISO week (YYYY-Www, e.g. 2026-W49): {week}") from None
    return start, start + timedelta(days=7)


def week_of(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def sample_size(n: int, share: float) -> int:
    if not 0 < share <= 1:
        raise ReferralError(f"the audit share must be above 0 and at most 1, not {share}")
    return min(n, math.ceil(share * n - 1e-9)) if n else 0


def _rank(seed: str, key: str) -> str:
    return hashlib.sha256(f"{seed}|{key}".encode()).hexdigest()


def allocate(sizes: dict[tuple[str, str], int], n: int, seed: str) -> dict[tuple[str, str], int]:
    """``n`` draws over strata of ``sizes`` in proportion, by largest remainder; ties in the
    remainder go by the seeded rank of the stratum."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    quota = {s: n * size / total for s, size in sizes.items()}
    seats = {s: math.floor(q + 1e-9) for s, q in quota.items()}
    left = n - sum(seats.values())
    order = sorted(sizes, key=lambda s: (-(quota[s] - seats[s]), _rank(seed, "|".join(s))))
    for s in order[:left]:
        seats[s] += 1
    return seats


def draw(candidates: Iterable[Candidate], week: str, share: float) -> list[Candidate]:
    """The week's sample: per centre, stratified by grade and reader (module docstring).
    Only candidates signed in the week count. Sorted by centre, then stratum, then rank."""
    start, end = week_bounds(week)
    by_centre: dict[str, list[Candidate]] = {}
    for c in candidates:
        if start <= c.signed_at < end:
            by_centre.setdefault(c.centre, []).append(c)
    drawn = []
    for centre in sorted(by_centre):
        pool, seed = by_centre[centre], f"luch-audit|{week}|{centre}"
        strata: dict[tuple[str, str], list[Candidate]] = {}
        for c in pool:
            strata.setdefault(c.stratum, []).append(c)
        seats = allocate({s: len(m) for s, m in strata.items()},
                         sample_size(len(pool), share), seed)
        for s in sorted(strata):
            ranked = sorted(strata[s], key=lambda c: _rank(seed, c.report_sop_uid))
            drawn += ranked[:seats[s]]
    return drawn
