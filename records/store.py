"""The records store: the small API the app and the sync engine call.

Every method is one short transaction, so a crash loses at most the call in flight and
never leaves half a report. Report versions are immutable; saving creates a new version and
(unless it is a draft) queues it for the archive in the same transaction (outbox pattern).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, object_session, selectinload, sessionmaker

from core import vault
from core.paths import app_home
from records import db
from records.errors import InvalidTransition, RecordsError
from records.models import (
    AICorrection,
    AIFeedback,
    AIResult,
    AuditEvent,
    Dictation,
    JobState,
    OutboxJob,
    Patient,
    Report,
    ReportStatus,
    ReportVersion,
    Series,
    Study,
    Verdict,
)
from records.outbox import (  # noqa: F401  (re-exported: the store's API in one place)
    CHANGED,
    EXPORTED,
    KEPT_LOCAL,
    KEPT_LOCAL_REASON,
    KIND_AI_CORRECTION,
    KIND_AI_RESULT,
    KIND_KEY_OBJECTS,
    KIND_REFERRAL,
    KIND_REFERRAL_REVIEW,
    KIND_REPORT,
    OPENED,
    RECEIVED,
    SENT,
    JobRecord,
    OutboxMixin,
)
from records.referral_store import ReferralMixin
from records.report_version import (  # noqa: F401  (re-exported: where callers find them)
    ReportVersionRecord,
    key_image_uids,
    report_series_instance_uid,
    report_sop_instance_uid,
)

AI_FILES_RELEASED = "ai-files-released"  # audit: an unsent pre-read's DICOM copies deleted
AI_CORRECTED = "ai-corrected"  # audit: a reader saved a corrected label map of an AI result

# Which status a report may move to from its current one.
TRANSITIONS: dict[ReportStatus | None, set[ReportStatus]] = {
    None: {ReportStatus.DRAFT, ReportStatus.PRELIMINARY, ReportStatus.FINAL},
    ReportStatus.DRAFT: {ReportStatus.DRAFT, ReportStatus.PRELIMINARY, ReportStatus.FINAL},
    ReportStatus.PRELIMINARY: {ReportStatus.PRELIMINARY, ReportStatus.FINAL},
    ReportStatus.FINAL: {ReportStatus.AMENDED},
    ReportStatus.AMENDED: {ReportStatus.AMENDED},
}
SIGNED = {ReportStatus.FINAL, ReportStatus.AMENDED}
ADDENDUM_REASON = "_addendum_reason"  # in an amended version's fields: why it was changed

log = logging.getLogger(__name__)


def _version_record(v: ReportVersion) -> ReportVersionRecord:
    r = v.report
    predecessor = object_session(v).scalar(
        select(ReportVersion.sop_instance_uid)
        .where(ReportVersion.report_pk == r.id, ReportVersion.version < v.version,
               ReportVersion.status != ReportStatus.DRAFT)
        .order_by(ReportVersion.version.desc()).limit(1))
    return ReportVersionRecord(
        id=v.id, report_id=r.id, report_uid=r.uid, study_instance_uid=r.study.study_instance_uid,
        version=v.version, status=v.status, fields=dict(v.fields), text=v.text, author=v.author,
        signed_at=v.signed_at, created_at=v.created_at, sop_instance_uid=v.sop_instance_uid,
        protocol=r.protocol, predecessor_sop_uid=predecessor)


class Store(ReferralMixin, OutboxMixin):
    """The local records database (one SQLite file); safe to share between processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()

    # -- studies -------------------------------------------------------------------------------
    def upsert_study(self, study_instance_uid: str, *, patient_id: str = "",
                     patient_name: str = "", birth_date: str = "", sex: str = "",
                     uid_derived: bool = False, **attrs: Any) -> int:
        """Cache a study's metadata (and its patient); returns the study's row id.

        ``uid_derived`` marks a Study Instance UID derived on this station (see
        :meth:`study_kept_local`); False leaves the mark as it was (see ``_upsert_study``).
        """
        if not study_instance_uid:
            raise RecordsError("a study needs a Study Instance UID")
        with self.session() as s:
            return self._upsert_study(s, study_instance_uid, patient_id, patient_name,
                                      birth_date, sex, attrs, uid_derived).id

    def _upsert_study(self, s: Session, uid: str, patient_id: str = "", patient_name: str = "",
                      birth_date: str = "", sex: str = "",
                      attrs: dict[str, Any] | None = None, uid_derived: bool = False) -> Study:
        study = s.scalar(select(Study).where(Study.study_instance_uid == uid))
        if study is None:
            study = Study(study_instance_uid=uid)
            s.add(study)
        # The mark is only ever set, by an open that derived this very UID from the images
        # (which no real study's UID equals). It is never cleared: files written from a
        # derived-UID study (an exported SEG or SR) carry the UID and read as "real" later.
        if uid_derived:
            study.uid_derived = True
        if patient_id:
            patient = s.scalar(select(Patient).where(Patient.patient_id == patient_id,
                                                     Patient.issuer == ""))
            if patient is None:
                patient = Patient(patient_id=patient_id)
                s.add(patient)
            for key, value in (("name", patient_name), ("birth_date", birth_date), ("sex", sex)):
                if value:
                    setattr(patient, key, value)
            study.patient = patient
        for key, value in (attrs or {}).items():
            if not hasattr(Study, key):
                raise RecordsError(f"unknown study attribute {key!r}")
            if value is not None:
                setattr(study, key, value)
        s.flush()
        return study

    def upsert_series(self, study_instance_uid: str, series_instance_uid: str,
                      **attrs: Any) -> int:
        with self.session() as s:
            study = self._upsert_study(s, study_instance_uid)
            series = s.scalar(select(Series).where(
                Series.series_instance_uid == series_instance_uid))
            if series is None:
                series = Series(series_instance_uid=series_instance_uid, study=study)
                s.add(series)
            for key, value in attrs.items():
                setattr(series, key, value)
            s.flush()
            return series.id

    def study_header_info(self, study_instance_uid: str) -> tuple[dict[str, str], dict[str, str]]:
        """(patient, study) attributes for DICOM objects made from local records."""
        with self.session() as s:
            study = s.scalar(select(Study).where(Study.study_instance_uid == study_instance_uid))
            if study is None:
                return {}, {}
            p = study.patient
            patient = {} if p is None else {"patient_id": p.patient_id, "name": p.name,
                                            "birth_date": p.birth_date, "sex": p.sex}
            return patient, {"study_date": study.study_date, "study_time": study.study_time,
                             "accession_number": study.accession_number}

    def study_header_infos(self, study_uids: set[str]
                           ) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
        """:meth:`study_header_info` for many studies in one query."""
        found: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        with self.session() as s:
            for study in s.scalars(select(Study).options(selectinload(Study.patient)).where(
                    Study.study_instance_uid.in_(study_uids))):
                p = study.patient
                patient = {} if p is None else {"patient_id": p.patient_id, "name": p.name,
                                                "birth_date": p.birth_date, "sex": p.sex}
                found[study.study_instance_uid] = (patient, {
                    "study_date": study.study_date, "study_time": study.study_time,
                    "accession_number": study.accession_number})
        return found

    def worklist_details(self, study_uids: set[str]) -> dict[str, tuple[str, str, str | None]]:
        """Per study: (patient name or ID, modalities, latest report status or None), for many
        studies in two queries (the worklist refreshes every minute)."""
        found: dict[str, tuple[str, str, str | None]] = {}
        with self.session() as s:
            studies = s.scalars(select(Study).options(selectinload(Study.patient)).where(
                Study.study_instance_uid.in_(study_uids))).all()
            by_pk = {st.id: st for st in studies}
            status: dict[int, str] = {}
            for pk, value in s.execute(select(Report.study_pk, Report.status)
                                       .where(Report.study_pk.in_(by_pk)).order_by(Report.id)):
                status[pk] = value.value
            for pk, st in by_pk.items():
                p = st.patient
                name = (p.name or p.patient_id) if p is not None else ""
                found[st.study_instance_uid] = (name, st.modalities, status.get(pk))
        return found

    def study_uids(self) -> list[str]:
        """Every study the records know (to move their files to keyed names)."""
        with self.session() as s:
            return list(s.scalars(select(Study.study_instance_uid)))

    def study(self, study_instance_uid: str) -> Study | None:
        with self.session() as s:
            return s.scalar(select(Study).where(Study.study_instance_uid == study_instance_uid))

    def whose(self, study_instance_uid: str) -> tuple[str, str, str]:
        """(patient name, patient ID, study date YYYYMMDD) of a study, blanks when unknown."""
        with self.session() as s:
            row = s.execute(select(Patient.name, Patient.patient_id, Study.study_date)
                            .select_from(Study).outerjoin(Patient, Study.patient)
                            .where(Study.study_instance_uid == study_instance_uid)).first()
        if row is None:
            return "", "", ""
        return row[0] or "", row[1] or "", row[2] or ""

    def study_kept_local(self, study_instance_uid: str) -> bool:
        """Whether the study's reports and AI results stay on this station: its UID was derived
        here (NIfTI, files without UIDs), so the archive has no such study and must not get an
        orphan one holding only our SRs."""
        with self.session() as s:
            return bool(s.scalar(select(Study.uid_derived).where(
                Study.study_instance_uid == study_instance_uid)))

    def adopt_study_uid(self, old_uid: str, new_uid: str, actor: str = "luch") -> bool:
        """Move a study's records from ``old_uid`` to ``new_uid`` (a local study's UID derived
        anew): reports, AI results and dictations follow the study row, unsent sync jobs
        follow too, the audit keeps its history and gains a line. Nothing happens (False) when
        ``old_uid`` is unknown or ``new_uid`` already has a study."""
        with self.session() as s:
            if s.scalar(select(Study).where(Study.study_instance_uid == new_uid)) is not None:
                return False
            study = s.scalar(select(Study).where(Study.study_instance_uid == old_uid))
            if study is None:
                return False
            study.study_instance_uid = new_uid
            study.uid_derived = True  # both the path hash and the images' digest are local
            for job in s.scalars(select(OutboxJob).where(
                    OutboxJob.study_instance_uid == old_uid,
                    OutboxJob.state != JobState.DONE)):
                job.study_instance_uid = new_uid
            s.add(AuditEvent(actor=actor, action="uid-adopted", study_instance_uid=new_uid,
                             detail={"previous_uid": old_uid}))
        return True

    # -- audit ---------------------------------------------------------------------------------
    def audit(self, actor: str, action: str, study_instance_uid: str = "", **detail: Any) -> None:
        """Append an audit event (who did what to which study, now)."""
        with self.session() as s:
            s.add(AuditEvent(actor=actor, action=action,
                             study_instance_uid=study_instance_uid, detail=detail))

    def audit_events(self, study_instance_uid: str | None = None) -> list[AuditEvent]:
        with self.session() as s:
            q = select(AuditEvent).order_by(AuditEvent.id)
            if study_instance_uid is not None:
                q = q.where(AuditEvent.study_instance_uid == study_instance_uid)
            return list(s.scalars(q))

    # -- reports -------------------------------------------------------------------------------
    def save_report(self, study_instance_uid: str, *, author: str, fields: dict[str, Any],
                    text: str, status: ReportStatus | str = ReportStatus.DRAFT,
                    protocol: str = "", report_uid: str | None = None,
                    signed_at: datetime | None = None, base_remote_sop_uid: str | None = None,
                    new_report_uid: str | None = None, legacy: bool = False,
                    reason: str = "") -> ReportVersionRecord:
        """Save a new version of a report (a new report when ``report_uid`` is None).

        Drafts stay local; any other status is queued for the archive in the same transaction,
        unless the study's UID was derived here (:meth:`study_kept_local`).
        ``new_report_uid`` names a new report (imports use stable names to stay idempotent);
        ``legacy`` lets an imported report start in any status, e.g. amended.
        A change to a signed report (amended) needs the ``reason``, kept in the version's
        fields as ``_addendum_reason``: signing again never amends silently.
        Key images in the fields (``_key_images``, :mod:`records.key_objects`) queue a Key
        Object Selection document with a signed version, unless the last one had the same.
        """
        status = ReportStatus(status)
        with self.session() as s:
            if report_uid is None:
                study = self._upsert_study(s, study_instance_uid)
                report = Report(study=study, protocol=protocol, status=status, author=author,
                                base_remote_sop_uid=base_remote_sop_uid)
                if new_report_uid:
                    report.uid = new_report_uid
                s.add(report)
                s.flush()
                previous = None
            else:
                report = s.scalar(select(Report).where(Report.uid == report_uid))
                if report is None:
                    raise RecordsError("the report to update does not exist in the local store")
                if report.study.study_instance_uid != study_instance_uid:
                    raise RecordsError("the report belongs to another study")
                previous = report.status if report.current_version else None
            if status not in TRANSITIONS[previous] and not (legacy and previous is None):
                was = previous.value if previous else "new"
                raise InvalidTransition(f"a {was} report cannot become {status.value}")
            if status is ReportStatus.AMENDED and previous in SIGNED:
                if not reason.strip():
                    raise InvalidTransition("a change to a signed report needs a reason")
                fields = {**fields, ADDENDUM_REASON: reason.strip()}
            if status in SIGNED and signed_at is None:
                signed_at = datetime.now(UTC)
            number = report.current_version + 1
            version = ReportVersion(
                report=report, version=number, status=status, fields=fields, text=text,
                author=author, signed_at=signed_at,
                sop_instance_uid=report_sop_instance_uid(report.uid, number))
            s.add(version)
            report.current_version, report.status, report.author = number, status, author
            if protocol:
                report.protocol = protocol
            s.flush()
            s.add(AuditEvent(actor=author, action=CHANGED,
                             study_instance_uid=study_instance_uid,
                             detail={"report": report.uid, "version": number,
                                     "status": status.value}))
            if status is not ReportStatus.DRAFT:
                self._enqueue(s, KIND_REPORT, version.id, study_instance_uid, author)
                if self._new_key_images(s, report, version):
                    self._enqueue(s, KIND_KEY_OBJECTS, version.id, study_instance_uid, author)
            return _version_record(version)

    @staticmethod
    def _new_key_images(s: Session, report: Report, version: ReportVersion) -> bool:
        """Whether ``version`` marks key images that its report's last sent version did not
        (an addendum with the same key images sends no second KOS)."""
        marked = key_image_uids(version.fields)
        if not marked:
            return False
        before = s.scalar(select(ReportVersion).where(
            ReportVersion.report_pk == report.id, ReportVersion.version < version.version,
            ReportVersion.status != ReportStatus.DRAFT)
            .order_by(ReportVersion.version.desc()).limit(1))
        return before is None or key_image_uids(before.fields) != marked

    def has_report(self, report_uid: str) -> bool:
        with self.session() as s:
            return s.scalar(select(Report.id).where(Report.uid == report_uid)) is not None

    def report_versions(self, report_uid: str) -> list[ReportVersionRecord]:
        with self.session() as s:
            report = s.scalar(select(Report).where(Report.uid == report_uid))
            return [] if report is None else [_version_record(v) for v in report.versions]

    def report_versions_by_id(self, version_ids: list[int]) -> dict[int, ReportVersionRecord]:
        """Many report versions in one query (the sync engine's batches)."""
        with self.session() as s:
            rows = s.scalars(select(ReportVersion).options(
                selectinload(ReportVersion.report).selectinload(Report.study))
                .where(ReportVersion.id.in_(version_ids)))
            return {v.id: _version_record(v) for v in rows}

    def report_version(self, version_id: int) -> ReportVersionRecord:
        with self.session() as s:
            v = s.get(ReportVersion, version_id)
            if v is None:
                raise RecordsError("report version not found in the local store")
            return _version_record(v)

    def reports_for_study(self, study_instance_uid: str) -> list[Report]:
        with self.session() as s:
            return list(s.scalars(select(Report).join(Study).where(
                Study.study_instance_uid == study_instance_uid).order_by(Report.id)))

    def local_report_sop_uids(self, study_instance_uid: str) -> set[str]:
        """SOP Instance UIDs of every report version this station wrote for the study."""
        with self.session() as s:
            return set(s.scalars(
                select(ReportVersion.sop_instance_uid).join(Report).join(Study)
                .where(Study.study_instance_uid == study_instance_uid)))

    # -- AI ------------------------------------------------------------------------------------
    def save_ai_result(self, study_instance_uid: str, *, model_name: str, model_version: str,
                       values: dict[str, Any], mask_files: list[str] | tuple[str, ...] = (),
                       series_instance_uid: str = "", sync: bool = True,
                       study_uid_derived: bool = False) -> int:
        """Store an AI result (and queue its SR + SEG for the archive unless ``sync`` is off
        or the study's UID was derived here; ``study_uid_derived`` marks it so)."""
        with self.session() as s:
            study = self._upsert_study(s, study_instance_uid, uid_derived=study_uid_derived)
            result = AIResult(study=study, model_name=model_name, model_version=model_version,
                              values=values, mask_files=[str(Path(m)) for m in mask_files],
                              series_instance_uid=series_instance_uid)
            s.add(result)
            s.flush()
            if sync:
                self._enqueue(s, KIND_AI_RESULT, result.id, study_instance_uid)
            return result.id

    def ai_result(self, ai_result_id: int) -> AIResult:
        with self.session() as s:
            result = s.get(AIResult, ai_result_id)
            if result is None:
                raise RecordsError("AI result not found in the local store")
            _ = result.study.study_instance_uid  # load before detaching
            return result

    def ai_results_of(self, study_instance_uid: str, model_version: str | None = None
                      ) -> list[AIResult]:
        """The study's stored AI results (of ``model_version`` if given), newest first,
        whatever made them (a pre-read here, the background queue, an imported one)."""
        with self.session() as s:
            query = select(AIResult).join(Study).where(
                Study.study_instance_uid == study_instance_uid)
            if model_version is not None:
                query = query.where(AIResult.model_version == model_version)
            return list(s.scalars(query.order_by(AIResult.id.desc())))

    def ai_file_studies(self) -> dict[str, str]:
        """The Study Instance UID of every file an AI result or a correction lists (the
        AI's files are sealed with their study's key)."""
        found: dict[str, str] = {}
        with self.session() as s:
            for files, uid in s.execute(select(AIResult.mask_files, Study.study_instance_uid)
                                        .join(Study, AIResult.study_pk == Study.id)):
                found.update(dict.fromkeys(files, uid))
            for labels, files, uid in s.execute(
                    select(AICorrection.labels_file, AICorrection.files,
                           Study.study_instance_uid)
                    .join(AIResult, AICorrection.ai_result_pk == AIResult.id)
                    .join(Study, AIResult.study_pk == Study.id)):
                found.update(dict.fromkeys([labels, *files], uid))
        return found

    def ai_files_needed(self) -> dict[str, bool]:
        """Every file an AI result lists, and whether this station still needs it: not once
        the result's outbox job is done (the archive holds it), else yes (it may still be
        queued, or is waiting to be sent)."""
        needed: dict[str, bool] = {}
        with self.session() as s:
            rows = s.execute(select(AIResult.mask_files, OutboxJob.state).outerjoin(
                OutboxJob, (OutboxJob.kind == KIND_AI_RESULT)
                & (OutboxJob.object_pk == AIResult.id)))
            for files, state in rows:
                for f in files:
                    needed[f] = needed.get(f, False) or state is not JobState.DONE
        return needed

    def release_unsent_ai_files(self, before: datetime, folder: Path,
                                actor: str = "luch") -> list[str]:
        """For AI results saved before ``before`` and never queued for the archive (no report
        signed on their study here): drop their files that lie in ``folder`` (the app's own
        copies; files a user named elsewhere stay listed) and return them for deletion. The
        result, its values and verdicts stay; queued later, it goes without those copies.
        Audited ``ai-files-released``."""
        folder = Path(folder).resolve()
        released: list[str] = []
        with self.session() as s:
            results = s.scalars(select(AIResult).outerjoin(
                OutboxJob, (OutboxJob.kind == KIND_AI_RESULT)
                & (OutboxJob.object_pk == AIResult.id)).where(
                OutboxJob.id.is_(None), AIResult.created_at < before))
            for result in results:
                ours = [f for f in result.mask_files if Path(f).resolve().parent == folder]
                if not ours:
                    continue
                released += ours
                s.add(AuditEvent(actor=actor, action=AI_FILES_RELEASED,
                                 study_instance_uid=result.study.study_instance_uid,
                                 detail={"ai_result": result.id, "files": len(ours)}))
                result.mask_files = [f for f in result.mask_files if f not in ours]
        return released

    def save_ai_feedback(self, ai_result_id: int, *, reader: str, verdict: Verdict | str,
                         corrected_grade: str | None = None, comment: str = "") -> int:
        with self.session() as s:
            if s.get(AIResult, ai_result_id) is None:
                raise RecordsError("AI result not found in the local store")
            fb = AIFeedback(ai_result_pk=ai_result_id, reader=reader, verdict=Verdict(verdict),
                            corrected_grade=corrected_grade, comment=comment)
            s.add(fb)
            s.flush()
            return fb.id

    def ai_feedback(self, ai_result_id: int) -> list[AIFeedback]:
        """The readers' verdicts on an AI result, oldest first."""
        with self.session() as s:
            return list(s.scalars(select(AIFeedback).where(
                AIFeedback.ai_result_pk == ai_result_id).order_by(AIFeedback.id)))

    def save_ai_correction(self, ai_result_id: int, *, reader: str, labels_file: str | Path,
                           changes: dict[str, Any], values: dict[str, Any],
                           source_path: str | Path = "",
                           files: list[str] | tuple[str, ...] = ()) -> int:
        """Store a reader's corrected label map of an AI result (see
        :mod:`inference.corrections`, which writes ``labels_file`` and computes ``changes``
        and ``values``). The AI result itself stays as it was. Audited ``ai-corrected``.

        ``files``: DICOM made from it (the corrected SEG). They go to the archive with the
        result: queued now if the result already is, else when it is (:meth:`enqueue`)."""
        with self.session() as s:
            result = s.get(AIResult, ai_result_id)
            if result is None:
                raise RecordsError("AI result not found in the local store")
            study_uid = result.study.study_instance_uid
            c = AICorrection(ai_result_pk=ai_result_id, reader=reader,
                             labels_file=str(labels_file), source_path=str(source_path),
                             changes=changes, values=values, files=[str(f) for f in files])
            s.add(c)
            s.flush()
            s.add(AuditEvent(actor=reader, action=AI_CORRECTED, study_instance_uid=study_uid,
                             detail={"ai_result": ai_result_id, "correction": c.id}))
            queued = s.scalar(select(OutboxJob.id).where(OutboxJob.kind == KIND_AI_RESULT,
                                                         OutboxJob.object_pk == ai_result_id))
            if files and queued is not None:
                self._enqueue(s, KIND_AI_CORRECTION, c.id, study_uid)
            return c.id

    def ai_correction(self, correction_id: int) -> AICorrection:
        with self.session() as s:
            c = s.get(AICorrection, correction_id)
            if c is None:
                raise RecordsError("AI correction not found in the local store")
            return c

    def enqueue(self, kind: str, object_pk: int, study_instance_uid: str = "") -> None:
        """Queue an object for the archive (see :meth:`OutboxMixin.enqueue`); an AI result
        takes its newest correction's SEG with it."""
        super().enqueue(kind, object_pk, study_instance_uid)
        if kind == KIND_AI_RESULT:
            newest = self.ai_corrections(object_pk, latest_only=True)
            if newest and newest[0].files:
                super().enqueue(KIND_AI_CORRECTION, newest[0].id, study_instance_uid)

    def ai_corrections(self, ai_result_id: int | None = None, latest_only: bool = False
                       ) -> list[AICorrection]:
        """Corrections oldest first (of one AI result, or all); ``latest_only``: the newest
        per AI result, the one that counts."""
        with self.session() as s:
            q = select(AICorrection).order_by(AICorrection.id)
            if ai_result_id is not None:
                q = q.where(AICorrection.ai_result_pk == ai_result_id)
            rows = list(s.scalars(q))
        if latest_only:
            newest = {c.ai_result_pk: c for c in rows}
            rows = sorted(newest.values(), key=lambda c: c.id)
        return rows

    # -- dictation -----------------------------------------------------------------------------
    def save_dictation(self, study_instance_uid: str, *, audio_path: str | Path,
                       transcript: str, timings: list[dict[str, Any]], engine: str = "",
                       report_uid: str | None = None) -> int:
        with self.session() as s:
            study = self._upsert_study(s, study_instance_uid)
            report_pk = None
            if report_uid is not None:
                report_pk = s.scalar(select(Report.id).where(Report.uid == report_uid))
            d = Dictation(study_pk=study.id, report_pk=report_pk, audio_path=str(audio_path),
                          transcript=transcript, timings=timings, engine=engine)
            s.add(d)
            s.flush()
            return d.id


def database_key(path: Path) -> bytes | None:
    """The SQLCipher key of the database at ``path``: the vault's ``records`` key when
    encryption is on (a plain database is converted first, once) or when the file is
    already encrypted; None for a plain database with encryption off."""
    exists = path.exists() and path.stat().st_size > 0
    on = vault.current()
    if on is None and (not exists or db.is_plain_database(path)):
        return None
    keys = on or vault.reader()
    key = keys.dek(vault.RECORDS_KEY, create=on is not None)
    if key is None:
        raise vault.KeyMissing("the records database is encrypted but its key is missing")
    if exists and db.is_plain_database(path):
        db.encrypt_plain_database(path, key)
        log.info("the local records database was encrypted")
    return key


def open_store(path: Path | None = None) -> Store:
    """Open (creating and migrating as needed) the records database under ``LUCH_HOME``."""
    path = path or app_home() / db.DB_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(path, database_key(path))
    db.upgrade(engine)
    return Store(engine)
