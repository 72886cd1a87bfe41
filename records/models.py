"""The records schema: studies, reports and versions, second opinions, AI, dictation, audit, outbox.

Times are timezone-aware UTC. Report text and structured fields live in immutable
:class:`ReportVersion` rows; :class:`Report` holds the current state. Audit events are
append-only (SQLite triggers reject UPDATE and DELETE, see the initial migration).
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """A datetime stored naive in UTC and read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    PRELIMINARY = "preliminary"
    FINAL = "final"
    AMENDED = "amended"


class Verdict(enum.StrEnum):
    """A reader's opinion of an AI result."""

    AGREE = "agree"
    PARTLY = "partly"
    DISAGREE = "disagree"


class JobState(enum.StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CONFLICT = "conflict"
    FAILED = "failed"  # permanent: the archive rejected the object; needs a person


def _enum(cls: type[enum.Enum]) -> Enum:
    """A VARCHAR + CHECK enum that stores the readable values ("final"), not the member names."""
    return Enum(cls, native_enum=False, values_callable=lambda e: [m.value for m in e],
                name=cls.__name__.lower(), create_constraint=True)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON,
    }


class Patient(Base):
    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(64), index=True)
    issuer: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[str] = mapped_column(String(8), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")
    studies: Mapped[list[Study]] = relationship(back_populates="patient")
    __table_args__ = (UniqueConstraint("patient_id", "issuer"),)


class Study(Base):
    __tablename__ = "study"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    patient_pk: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), index=True)
    study_date: Mapped[str] = mapped_column(String(8), default="")
    study_time: Mapped[str] = mapped_column(String(16), default="")
    accession_number: Mapped[str] = mapped_column(String(16), default="")
    description: Mapped[str] = mapped_column(String(200), default="")
    modalities: Mapped[str] = mapped_column(String(64), default="")
    priority: Mapped[str] = mapped_column(String(16), default="routine")
    local_path: Mapped[str | None] = mapped_column(Text)
    # The UID was derived here (NIfTI, files without UIDs): the archive has no such study, so
    # reports and AI results on it stay on this station (never sent, see records/README.md).
    uid_derived: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    patient: Mapped[Patient | None] = relationship(back_populates="studies")
    series: Mapped[list[Series]] = relationship(back_populates="study")
    reports: Mapped[list[Report]] = relationship(back_populates="study")


class Series(Base):
    __tablename__ = "series"
    id: Mapped[int] = mapped_column(primary_key=True)
    series_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    study_pk: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"), index=True)
    modality: Mapped[str] = mapped_column(String(16), default="")
    description: Mapped[str] = mapped_column(String(200), default="")
    number_of_instances: Mapped[int] = mapped_column(Integer, default=0)
    local_path: Mapped[str | None] = mapped_column(Text)
    study: Mapped[Study] = relationship(back_populates="series")


class Report(Base):
    """A radiologist's report on a study; its text lives in :class:`ReportVersion` rows."""

    __tablename__ = "report"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    study_pk: Mapped[int] = mapped_column(ForeignKey("study.id"), index=True)
    protocol: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus))
    author: Mapped[str] = mapped_column(String(200))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    # The archive's report SR this one was written on top of (known and accepted), if any.
    base_remote_sop_uid: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    study: Mapped[Study] = relationship(back_populates="reports")
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.version")


class ReportVersion(Base):
    """One immutable saved state of a report (fields, text, status, author, signing time)."""

    __tablename__ = "report_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sop_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    report: Mapped[Report] = relationship(back_populates="versions")
    __table_args__ = (UniqueConstraint("report_pk", "version"),)


class Referral(Base):
    """A second-opinion or audit request on a signed report version (records.referral).

    Asked here (``origin`` "local", sent as an SR; also an audit of a report signed here,
    drawn at the reference centre and read from the archive, never sent) or imported from
    the archive on a reference-centre station (``origin`` "archive"). ``first_report``
    holds the first reader's grade, conclusion and text; the store shows it to an expert
    only after the expert's own read is saved (blind first).
    """

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)  # the request SR's UID
    study_pk: Mapped[int] = mapped_column(ForeignKey("study.id"), index=True)
    report_sop_uid: Mapped[str] = mapped_column(String(64), index=True)
    report_series_uid: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    requester: Mapped[str] = mapped_column(String(200))
    first_reader: Mapped[str] = mapped_column(String(200), index=True)
    centre: Mapped[str] = mapped_column(String(200), default="", index=True)
    addressed_to: Mapped[str] = mapped_column(String(200), default="")
    # One expert asked by login (records.directory), "" for any expert of the centre.
    addressed_expert: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    images: Mapped[list[Any]] = mapped_column(default=list)
    first_report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str] = mapped_column(String(8), default="local")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    study: Mapped[Study] = relationship()


class ReferralReview(Base):
    """One expert's review of a referral; its content lives in immutable versions."""

    __tablename__ = "referral_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    referral_pk: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    expert: Mapped[str] = mapped_column(String(200))
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    referral: Mapped[Referral] = relationship()
    versions: Mapped[list[ReferralReviewVersion]] = relationship(
        back_populates="review", order_by="ReferralReviewVersion.version")
    __table_args__ = (UniqueConstraint("referral_pk", "expert"),)


class ReferralReviewVersion(Base):
    """One saved state of a review: grade, findings, RADPEER score and category, technique,
    comment (``fields``); signed versions go to the archive as an SR."""

    __tablename__ = "referral_review_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_pk: Mapped[int] = mapped_column(ForeignKey("referral_review.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    author: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sop_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    review: Mapped[ReferralReview] = relationship(back_populates="versions")
    __table_args__ = (UniqueConstraint("review_pk", "version"),)


class ReferralResponse(Base):
    """The first reader's answer to a signed review version: acknowledge or dispute (a
    dispute goes back to the expert's queue). Written here (``origin`` "local", sent as an
    SR) or read from the archive by the reference centre (``origin`` "archive")."""

    __tablename__ = "referral_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)  # the response SR's UID
    referral_pk: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    review_uid: Mapped[str] = mapped_column(String(64))
    review_sop_uid: Mapped[str] = mapped_column(String(64), index=True)
    reader: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))  # acknowledge | dispute
    comment: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime] = mapped_column(default=utcnow)
    origin: Mapped[str] = mapped_column(String(8), default="local")
    referral: Mapped[Referral] = relationship()


class AIResult(Base):
    __tablename__ = "ai_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    study_pk: Mapped[int] = mapped_column(ForeignKey("study.id"), index=True)
    series_instance_uid: Mapped[str] = mapped_column(String(64), default="")
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(50))
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    mask_files: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    study: Mapped[Study] = relationship()


class AIFeedback(Base):
    __tablename__ = "ai_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    ai_result_pk: Mapped[int] = mapped_column(ForeignKey("ai_result.id"), index=True)
    reader: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict))
    corrected_grade: Mapped[str | None] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ai_result: Mapped[AIResult] = relationship()


class AICorrection(Base):
    """A reader's corrected label map of an AI result: who, when, what changed (voxels added
    and removed per label), the values recomputed from it (marked corrected), and where the
    maps and the CT are, and its corrected SEG (``files``; sent to the archive with the AI
    result). The newest per result is the one that counts (training)."""

    __tablename__ = "ai_correction"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    ai_result_pk: Mapped[int] = mapped_column(ForeignKey("ai_result.id"), index=True)
    reader: Mapped[str] = mapped_column(String(200))
    labels_file: Mapped[str] = mapped_column(Text)  # npz: original and corrected maps
    source_path: Mapped[str] = mapped_column(Text, default="")  # the CT series read
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    files: Mapped[list[Any]] = mapped_column(default=list)  # its corrected SEG, for the archive
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ai_result: Mapped[AIResult] = relationship()


class Dictation(Base):
    __tablename__ = "dictation"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_pk: Mapped[int] = mapped_column(ForeignKey("study.id"), index=True)
    report_pk: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    audio_path: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")
    timings: Mapped[list[Any]] = mapped_column(default=list)  # [{"word", "start", "end"}, ...]
    engine: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Who opened, changed, exported or sent which study, when. Append-only."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32), index=True)
    study_instance_uid: Mapped[str] = mapped_column(String(64), default="", index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OutboxJob(Base):
    """A sync job: send one local object to the archive, exactly once."""

    __tablename__ = "outbox_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_pk: Mapped[int] = mapped_column(Integer)
    study_instance_uid: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[JobState] = mapped_column(_enum(JobState), index=True,
                                            default=JobState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lease_until: Mapped[datetime | None]
    lease_holder: Mapped[str] = mapped_column(String(100), default="")  # "host:pid"
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("kind", "object_pk"),)


class SyncConflict(Base):
    """The archive holds a report for the study that this station has not seen: a person decides."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_pk: Mapped[int] = mapped_column(ForeignKey("outbox_job.id"), index=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    remote_sop_instance_uid: Mapped[str] = mapped_column(String(64))
    remote_author: Mapped[str] = mapped_column(String(200), default="")
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(16))  # "keep_local" | "keep_remote"
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("report_pk", "remote_sop_instance_uid"),)
