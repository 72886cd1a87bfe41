"""The outbox: sync jobs leased to one process at a time, and conflicts parked for a person.

Mixed into :class:`records.store.Store`. A job is leased for ``lease_s``; a holder that died
(SIGKILL, power cut) loses its lease when it expires, or at once when it was on this machine.
"""

from __future__ import annotations

import os
import socket
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psutil
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from records.errors import RecordsError
from records.models import AuditEvent, JobState, OutboxJob, Report, Study, SyncConflict

# Audit actions (free text is allowed, these are the ones the app uses).
OPENED, CHANGED, EXPORTED, SENT, RECEIVED = "opened", "changed", "exported", "sent", "received"
KEPT_LOCAL = "kept-local"  # signed or saved, deliberately not sent (derived-UID study)
KEPT_LOCAL_REASON = ("kept on this workstation: the study has no DICOM identity in the archive "
                     "(opened from NIfTI or files without UIDs)")

# Outbox job kinds; the sync engine keeps a builder registry keyed by these.
KIND_REPORT = "report_version"
KIND_AI_RESULT = "ai_result"
KIND_KEY_OBJECTS = "key_objects"  # a signed report version's key images (a KOS)
KIND_AI_CORRECTION = "ai_correction"  # a reader's corrected SEG of a queued AI result
KIND_REFERRAL = "referral"  # a second-opinion or audit request (an SR)
KIND_REFERRAL_REVIEW = "referral_review"  # a signed version of an expert's review (an SR)
KIND_REFERRAL_RESPONSE = "referral_response"  # a reader acknowledges or disputes it (an SR)


def lease_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder_dead(holder: str) -> bool:
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    return not psutil.pid_exists(int(pid))


# Studies whose UID was derived on this station: nothing of theirs goes to the archive.
_DERIVED_STUDIES = select(Study.study_instance_uid).where(Study.uid_derived)


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    object_pk: int
    study_instance_uid: str
    attempts: int


class OutboxMixin:
    """Outbox operations; the host class provides ``session()``."""

    def session(self) -> AbstractContextManager[Session]:  # provided by Store
        raise NotImplementedError

    def _enqueue(self, s: Session, kind: str, object_pk: int, study_uid: str,
                 actor: str = "luch") -> None:
        if s.scalar(select(Study.uid_derived).where(Study.study_instance_uid == study_uid)):
            # The archive has no such study: kept here, audited, never queued.
            s.add(AuditEvent(actor=actor, action=KEPT_LOCAL, study_instance_uid=study_uid,
                             detail={"kind": kind, "object": object_pk}))
            return
        exists = s.scalar(select(OutboxJob.id).where(OutboxJob.kind == kind,
                                                     OutboxJob.object_pk == object_pk))
        if exists is None:
            s.add(OutboxJob(kind=kind, object_pk=object_pk, study_instance_uid=study_uid))

    def enqueue(self, kind: str, object_pk: int, study_instance_uid: str = "") -> None:
        """Queue an object for the archive; queuing it twice is a no-op, and an object of a
        study whose UID was derived here is kept local (audited ``kept-local``) instead."""
        with self.session() as s:
            self._enqueue(s, kind, object_pk, study_instance_uid)

    def keep_jobs_local(self, actor: str = "sync") -> int:
        """Close the unsent jobs of studies whose UID was derived here (queued by a version that
        did not know, or before the study was marked): done, never sent, with the reason and
        a ``kept-local`` audit event each. The reports and AI results stay. Returns how many."""
        now = datetime.now(UTC)
        with self.session() as s:
            jobs = list(s.scalars(select(OutboxJob).where(
                OutboxJob.state.in_((JobState.PENDING, JobState.FAILED))
                | ((OutboxJob.state == JobState.IN_PROGRESS) & (OutboxJob.lease_until < now)),
                OutboxJob.study_instance_uid.in_(_DERIVED_STUDIES))))
            for job in jobs:
                job.state, job.done_at, job.lease_until = JobState.DONE, now, None
                job.last_error = KEPT_LOCAL_REASON
                s.add(AuditEvent(actor=actor, action=KEPT_LOCAL, at=now,
                                 study_instance_uid=job.study_instance_uid,
                                 detail={"kind": job.kind, "object": job.object_pk}))
            return len(jobs)

    def claim_jobs(self, limit: int = 50, lease_s: float = 120.0,
                   due_by: datetime | None = None) -> list[JobRecord]:
        """Lease due jobs to this process (never one of a derived-UID study, see
        :meth:`keep_jobs_local`).

        A job leased by a process that died (SIGKILL, power cut) is taken over when its lease
        expires, or at once when its holder was on this machine and is gone.
        """
        now = datetime.now(UTC)
        due_by = due_by or now
        me = lease_holder()
        with self.session() as s:
            stale = [j.id for j in s.scalars(select(OutboxJob).where(
                OutboxJob.state == JobState.IN_PROGRESS, OutboxJob.lease_until >= now))
                if _holder_dead(j.lease_holder)]
            jobs = list(s.scalars(
                select(OutboxJob).where(
                    ((OutboxJob.state == JobState.PENDING) & (OutboxJob.next_attempt_at <= due_by))
                    | ((OutboxJob.state == JobState.IN_PROGRESS)
                       & ((OutboxJob.lease_until < now) | OutboxJob.id.in_(stale))),
                    OutboxJob.study_instance_uid.not_in(_DERIVED_STUDIES))
                .order_by(OutboxJob.next_attempt_at, OutboxJob.id).limit(limit)))
            for job in jobs:
                job.state, job.lease_holder = JobState.IN_PROGRESS, me
                job.lease_until = now + timedelta(seconds=lease_s)
            return [JobRecord(j.id, j.kind, j.object_pk, j.study_instance_uid, j.attempts)
                    for j in jobs]

    def next_due(self) -> datetime | None:
        """When the earliest waiting job becomes due (None when nothing waits)."""
        with self.session() as s:
            return s.scalar(select(func.min(OutboxJob.next_attempt_at)).where(
                OutboxJob.state == JobState.PENDING))

    def complete_job(self, job_id: int, actor: str = "sync") -> None:
        self.complete_jobs([job_id], actor)

    def complete_jobs(self, job_ids: list[int], actor: str = "sync") -> None:
        """Mark jobs done and audit each send, in one transaction."""
        if not job_ids:
            return
        now = datetime.now(UTC)
        with self.session() as s:
            for job in s.scalars(select(OutboxJob).where(OutboxJob.id.in_(job_ids))):
                job.state, job.done_at, job.lease_until, job.last_error = (
                    JobState.DONE, now, None, "")
                s.add(AuditEvent(actor=actor, action=SENT, at=now,
                                 study_instance_uid=job.study_instance_uid,
                                 detail={"kind": job.kind, "object": job.object_pk}))

    def retry_job(self, job_id: int, error: str, delay_s: float) -> None:
        with self.session() as s:
            s.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(
                state=JobState.PENDING, attempts=OutboxJob.attempts + 1, lease_until=None,
                next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay_s),
                last_error=error[:500]))

    def fail_job(self, job_id: int, error: str) -> None:
        with self.session() as s:
            s.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(
                state=JobState.FAILED, attempts=OutboxJob.attempts + 1, lease_until=None,
                last_error=error[:500]))

    def release_jobs(self, job_ids: list[int]) -> None:
        """Hand leased jobs back untouched (cancelled before they were tried)."""
        with self.session() as s:
            s.execute(update(OutboxJob).where(OutboxJob.id.in_(job_ids),
                                              OutboxJob.state == JobState.IN_PROGRESS)
                      .values(state=JobState.PENDING, lease_until=None))

    def conflict_job(self, job_id: int, report_id: int, remote: list[tuple[str, str]]) -> None:
        """Park a report job: the archive holds reports by others this station has not seen."""
        with self.session() as s:
            job = s.get(OutboxJob, job_id)
            job.state, job.lease_until = JobState.CONFLICT, None
            job.last_error = "the archive has a newer report for this study by someone else"
            for sop_uid, author in remote:
                known = s.scalar(select(SyncConflict.id).where(
                    SyncConflict.report_pk == report_id,
                    SyncConflict.remote_sop_instance_uid == sop_uid))
                if known is None:
                    s.add(SyncConflict(job_pk=job_id, report_pk=report_id,
                                       remote_sop_instance_uid=sop_uid, remote_author=author))

    def conflicts(self, unresolved_only: bool = True) -> list[SyncConflict]:
        with self.session() as s:
            q = select(SyncConflict).order_by(SyncConflict.id)
            if unresolved_only:
                q = q.where(SyncConflict.resolution.is_(None))
            return list(s.scalars(q))

    def acknowledged_remote_uids(self, report_id: int) -> set[str]:
        """Archive reports a person has decided on, plus the one this report was based on."""
        with self.session() as s:
            uids = set(s.scalars(select(SyncConflict.remote_sop_instance_uid).where(
                SyncConflict.report_pk == report_id, SyncConflict.resolution.is_not(None))))
            base = s.scalar(select(Report.base_remote_sop_uid).where(Report.id == report_id))
            return uids | ({base} if base else set())

    def resolve_conflict(self, conflict_id: int, *, resolution: str, by: str) -> None:
        """``keep_local``: send ours on top of theirs; ``keep_remote``: drop ours."""
        if resolution not in ("keep_local", "keep_remote"):
            raise RecordsError("resolution must be keep_local or keep_remote")
        with self.session() as s:
            c = s.get(SyncConflict, conflict_id)
            if c is None:
                raise RecordsError("conflict not found")
            c.resolution, c.resolved_by, c.resolved_at = resolution, by, datetime.now(UTC)
            job = s.get(OutboxJob, c.job_pk)
            open_left = s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.job_pk == job.id, SyncConflict.resolution.is_(None),
                SyncConflict.id != c.id))
            if resolution == "keep_remote":
                job.state, job.last_error = JobState.DONE, "superseded by the archive's report"
                job.done_at = datetime.now(UTC)
            elif not open_left:
                job.state, job.next_attempt_at = JobState.PENDING, datetime.now(UTC)
            s.add(AuditEvent(actor=by, action=CHANGED, study_instance_uid=job.study_instance_uid,
                             detail={"conflict": c.id, "resolution": resolution}))

    def outbox_counts(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(OutboxJob.state, func.count()).group_by(OutboxJob.state))
            counts = {state.value: 0 for state in JobState}
            counts.update({state.value: n for state, n in rows})
            return counts

    def unsent_study_uids(self) -> set[str]:
        """Studies with work not yet in the archive (their cached images are kept)."""
        with self.session() as s:
            rows = s.scalars(select(OutboxJob.study_instance_uid).where(
                OutboxJob.state != JobState.DONE).distinct())
            return {uid for uid in rows if uid}

    def jobs(self) -> list[OutboxJob]:
        with self.session() as s:
            return list(s.scalars(select(OutboxJob).order_by(OutboxJob.id)))

