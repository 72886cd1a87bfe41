"""Second opinions and audits, Qt-free: what a request and a review may hold, and blind first.

A reading station asks a reference centre to re-read a signed report (a second opinion, for
doubt, a complex case or the patient's request) or the centre audits it (a quality sample).
The expert reads blind: :class:`BlindCase` gives the first reader's report only after the
expert's own read is saved. A review scores the first report RADPEER-style (1 concur ...
4 should be made almost every time) with a category for a discrepancy, and an audit rates the
technique (protocol, coverage, artefacts). UIDs derive from the report and request, so a
resent request or review is the same DICOM object.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from records.errors import BlindReadError, ReferralError
from records.uids import derived_uid


class Kind(enum.StrEnum):
    SECOND_OPINION = "second_opinion"
    AUDIT = "audit"


class Reason(enum.StrEnum):
    DOUBT = "doubt"
    COMPLEX_CASE = "complex_case"
    PATIENT_REQUEST = "patient_request"
    QUALITY_SAMPLE = "quality_sample"


class Urgency(enum.StrEnum):
    STAT = "stat"
    URGENT = "urgent"
    ROUTINE = "routine"


class Action(enum.StrEnum):
    """The first reader's answer to a review."""

    ACKNOWLEDGE = "acknowledge"
    DISPUTE = "dispute"


class Category(enum.StrEnum):
    """What kind of discrepancy (RADPEER score 2 or more)."""

    PERCEPTION = "perception"
    INTERPRETATION = "interpretation"
    COMMUNICATION = "communication"
    TECHNIQUE = "technique"


# Hours from the request to its due time; the queue order (most urgent first).
URGENCY_HOURS = {Urgency.STAT: 4, Urgency.URGENT: 24, Urgency.ROUTINE: 72}
URGENCY_RANK = {Urgency.STAT: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}
TECHNIQUE_ASPECTS = ("protocol", "coverage", "artefacts")
TECHNIQUE_RATINGS = ("good", "acceptable", "poor")
SCORES = (1, 2, 3, 4)
REQUEST_SERIES_DESCRIPTION = "Luch referral request"
REVIEW_SERIES_DESCRIPTION = "Luch referral review"
RESPONSE_SERIES_DESCRIPTION = "Luch referral response"


def parse(cls: type[enum.StrEnum], value: Any) -> Any:
    """``value`` as a member of ``cls`` (Kind, Reason, Urgency, Category) or a clear error."""
    try:
        return cls(str(value))
    except ValueError:
        pass
    allowed = ", ".join(m.value for m in cls)
    if cls is Kind:
        raise ReferralError(f"unknown request kind '{value}' (one of: {allowed})")
    if cls is Reason:
        raise ReferralError(f"unknown reason '{value}' (one of: {allowed})")
    if cls is Urgency:
        raise ReferralError(f"unknown urgency '{value}' (one of: {allowed})")
    if cls is Action:
        raise ReferralError(f"unknown answer to a review '{value}' (one of: {allowed})")
    raise ReferralError(f"unknown discrepancy category '{value}' (one of: {allowed})")


def due_at(requested_at: datetime, urgency: Urgency | str) -> datetime:
    return requested_at + timedelta(hours=URGENCY_HOURS[Urgency(urgency)])


def queue_key(urgency: Urgency | str, requested_at: datetime) -> tuple[int, datetime]:
    """Most urgent first, then the oldest."""
    return URGENCY_RANK[Urgency(urgency)], requested_at


# -- identity ------------------------------------------------------------------------------------
def referral_uid(report_sop_uid: str, kind: Kind | str) -> str:
    """One request of a kind per report version: asking twice is the same request."""
    return derived_uid("luch-referral", report_sop_uid, str(kind))


def request_series_uid(ref_uid: str) -> str:
    return derived_uid("luch-referral-series", ref_uid)


def review_uid(ref_uid: str, expert: str) -> str:
    return derived_uid("luch-review", ref_uid, expert)


def review_series_uid(ref_uid: str) -> str:
    """Every review of one request goes into one series (the queue's "answered" test)."""
    return derived_uid("luch-review-series", ref_uid)


def review_sop_uid(rev_uid: str, version: int) -> str:
    return derived_uid("luch-review-sr", rev_uid, str(version))


def response_uid(review_sop: str, reader: str) -> str:
    """One answer per reader to one review version."""
    return derived_uid("luch-response", review_sop, reader)


def response_series_uid(ref_uid: str) -> str:
    return derived_uid("luch-response-series", ref_uid)


# -- the review ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewFields:
    """An expert's read and verdict on the first report."""

    grade: str = ""
    findings: str = ""
    score: int | None = None  # RADPEER 1..4
    category: str = ""  # Category, for a score of 2 or more
    technique: dict[str, str] = field(default_factory=dict)  # aspect -> rating (audits)
    comment: str = ""

    def checked(self, kind: Kind | str, signing: bool) -> ReviewFields:
        """The fields if valid; a signed review needs a grade and a score, a discrepancy its
        category, and an audit its technique rating."""
        score = self.score
        if score is not None and score not in SCORES:
            raise ReferralError(f"the discrepancy score must be 1 to 4, not {score}")
        category = parse(Category, self.category).value if self.category else ""
        for aspect, rating in self.technique.items():
            if aspect not in TECHNIQUE_ASPECTS or rating not in TECHNIQUE_RATINGS:
                raise ReferralError(f"bad technique rating {aspect}={rating}")
        if signing:
            if not self.grade.strip() or score is None:
                raise ReferralError("a signed review needs the expert's grade and a score")
            if score >= 2 and not category:
                raise ReferralError("a discrepancy (score 2 to 4) needs its category")
            if Kind(kind) is Kind.AUDIT and set(self.technique) != set(TECHNIQUE_ASPECTS):
                raise ReferralError("an audit needs the technique rated: "
                                    "protocol, coverage and artefacts")
        if score == 1 and category:
            raise ReferralError("a score of 1 (concur) has no discrepancy category")
        return ReviewFields(self.grade.strip(), self.findings, score, category,
                            dict(self.technique), self.comment)

    def as_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "findings": self.findings, "score": self.score,
                "category": self.category, "technique": dict(self.technique),
                "comment": self.comment}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewFields:
        score = data.get("score")
        return cls(str(data.get("grade", "")), str(data.get("findings", "")),
                   None if score in (None, "") else int(score), str(data.get("category", "")),
                   dict(data.get("technique") or {}), str(data.get("comment", "")))


@dataclass(frozen=True)
class BlindCase:
    """What an expert sees of a request: everything but the first reader's report until
    the expert's own read is saved (then compare)."""

    referral_id: int
    referral_uid: str
    kind: str
    reason: str
    urgency: str
    study_instance_uid: str
    requested_at: datetime
    first_reader: str
    expert: str
    own_read: ReviewFields | None
    _first_report: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def due_at(self) -> datetime:
        return due_at(self.requested_at, self.urgency)

    @property
    def own_read_saved(self) -> bool:
        return self.own_read is not None

    def first_report(self) -> dict[str, Any]:
        """The first reader's grade, conclusion and text; refused before the own read."""
        if self.own_read is None:
            raise BlindReadError("save your own read first: the first report is shown after it")
        return dict(self._first_report)

    def first_grade(self) -> str:
        return str(self.first_report().get("grade", ""))


@dataclass(frozen=True)
class ReferralRecord:
    """A stored request, detached from the database (the first report left out: see
    :class:`BlindCase`)."""

    id: int
    uid: str
    study_instance_uid: str
    report_sop_uid: str
    report_series_uid: str
    kind: str
    reason: str
    urgency: str
    requester: str
    first_reader: str
    centre: str
    addressed_to: str
    note: str
    requested_at: datetime
    images: list[dict[str, Any]]
    origin: str
    addressed_expert: str = ""  # one expert's login, "" for any expert of the centre

    @property
    def due_at(self) -> datetime:
        return due_at(self.requested_at, self.urgency)

    def as_dict(self) -> dict[str, Any]:
        """What the request SR carries (read back by the expert station)."""
        return {"uid": self.uid, "study_instance_uid": self.study_instance_uid,
                "report_sop_uid": self.report_sop_uid,
                "report_series_uid": self.report_series_uid, "kind": self.kind,
                "reason": self.reason, "urgency": self.urgency, "requester": self.requester,
                "first_reader": self.first_reader, "centre": self.centre,
                "addressed_to": self.addressed_to,
                "addressed_expert": self.addressed_expert, "note": self.note,
                "requested_at": self.requested_at.isoformat(), "images": self.images}


@dataclass(frozen=True)
class ReviewVersionRecord:
    """A saved review version, detached, with what its SR references."""

    id: int
    review_uid: str
    version: int
    status: str
    fields: ReviewFields
    expert: str
    signed_at: datetime | None
    created_at: datetime
    sop_instance_uid: str
    predecessor_sop_uid: str | None
    referral: ReferralRecord
    addendum_reason: str = ""


@dataclass(frozen=True)
class ResponseRecord:
    """The first reader's answer to one review version, detached."""

    id: int
    uid: str
    referral: ReferralRecord
    review_uid: str
    review_sop_uid: str
    reader: str
    action: str
    comment: str
    responded_at: datetime
    origin: str

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "referral_uid": self.referral.uid,
                "review_uid": self.review_uid, "review_sop_uid": self.review_sop_uid,
                "reader": self.reader, "action": self.action, "comment": self.comment,
                "responded_at": self.responded_at.isoformat()}
