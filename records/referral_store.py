"""The store's second-opinion and audit API (mixed into :class:`records.store.Store`).

A request is one transaction with its outbox job (kind ``referral``), so it is sent once
and works offline like a report; a review is versioned like a report (draft, then final,
then amended with a reason), and each signed version is queued (kind ``referral_review``).
Opening a case is audited; the first report is behind :class:`records.referral.BlindCase`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.audit_sample import CENTRE_FIELD, Candidate
from records.errors import ReferralError
from records.models import (
    AIFeedback,
    AIResult,
    AuditEvent,
    Referral,
    ReferralResponse,
    ReferralReview,
    ReferralReviewVersion,
    Report,
    ReportStatus,
    ReportVersion,
    Study,
)
from records.outbox import (
    CHANGED,
    KIND_REFERRAL,
    KIND_REFERRAL_RESPONSE,
    KIND_REFERRAL_REVIEW,
    OPENED,
)
from records.referral import (
    Action,
    BlindCase,
    Kind,
    Reason,
    ReferralRecord,
    ResponseRecord,
    ReviewFields,
    ReviewVersionRecord,
    Urgency,
    parse,
    referral_uid,
    response_uid,
    review_sop_uid,
    review_uid,
)
from records.report_version import KEY_IMAGES, report_series_instance_uid

SIGNED = (ReportStatus.FINAL, ReportStatus.AMENDED)
REFERRAL_REQUESTED, REFERRAL_IMPORTED = "referral-requested", "referral-imported"
REVIEW_RECEIVED = "review-received"  # audit: an expert's review of our request arrived
RESPONSE_RECEIVED = "response-received"  # audit: a reader's answer to our review arrived
AUDIT_RECEIVED = "audit-received"  # audit: the reference centre audits a report signed here


def referral_record(r: Referral) -> ReferralRecord:
    return ReferralRecord(
        id=r.id, uid=r.uid, study_instance_uid=r.study.study_instance_uid,
        report_sop_uid=r.report_sop_uid, report_series_uid=r.report_series_uid, kind=r.kind,
        reason=r.reason, urgency=r.urgency, requester=r.requester, first_reader=r.first_reader,
        centre=r.centre, addressed_to=r.addressed_to, note=r.note, requested_at=r.requested_at,
        images=list(r.images or ()), origin=r.origin, addressed_expert=r.addressed_expert)


@dataclass(frozen=True)
class SignedReview:
    """One signed review as the statistics count it (its newest signed version)."""

    referral_uid: str
    kind: str
    first_reader: str
    centre: str
    expert: str
    score: int
    category: str
    first_grade: str
    expert_grade: str
    requested_at: datetime
    signed_at: datetime
    ai_grade: str = ""  # the AI pre-read's grade of the study in this store, if any
    urgency: str = ""  # the request's (records.referral.Urgency)
    answered_at: datetime | None = None  # the review's first signed version (turnaround)
    ai_verdict: str = ""  # the expert's newest verdict on the study's pre-read, if any


@dataclass(frozen=True)
class ReviewedStudy:
    """The newest signed review of one of this station's requests (the reader's feedback):
    the worklist's "reviewed" filter and marker, and the notice."""

    study_instance_uid: str
    referral_id: int
    first_reader: str
    expert: str
    score: int
    version_id: int
    answered: bool  # this station acknowledged or disputed that version


class ReferralMixin:
    """Requests, imported requests, blind cases and reviews; the host class (Store, with
    the outbox mixin) provides ``session()``, ``_enqueue()`` and ``_upsert_study()``."""

    def session(self) -> AbstractContextManager[Session]:  # provided by Store
        raise NotImplementedError

    # -- the reading station asks ------------------------------------------------------------
    def request_referral(self, report_version_id: int, *, kind: Kind | str,
                         reason: Reason | str, urgency: Urgency | str, requester: str,
                         centre: str = "", addressed_to: str = "", addressed_expert: str = "",
                         note: str = "", requested_at: datetime | None = None) -> int:
        """Ask for a second opinion or an audit of a signed report version, addressed to a
        reference centre and, optionally, one expert of it (a login, records.directory);
        queued for the archive in the same transaction. Asking again for the same version
        and kind returns the first request (the same SR)."""
        kind = parse(Kind, kind)
        reason, urgency = parse(Reason, reason), parse(Urgency, urgency)
        with self.session() as s:
            version = s.get(ReportVersion, report_version_id)
            if version is None:
                raise ReferralError("the report version to review does not exist")
            if version.status not in SIGNED:
                raise ReferralError("only a signed report can be sent for review")
            uid = referral_uid(version.sop_instance_uid, kind)
            existing = s.scalar(select(Referral.id).where(Referral.uid == uid))
            if existing is not None:
                return existing
            report = version.report
            images = [{k: i.get(k) for k in ("series_uid", "sop_class_uid", "sop_instance_uid")}
                      for i in version.fields.get(KEY_IMAGES) or ()]
            ref = Referral(
                uid=uid, study=report.study, report_sop_uid=version.sop_instance_uid,
                report_series_uid=report_series_instance_uid(report.uid), kind=kind.value,
                reason=reason.value, urgency=urgency.value, requester=requester,
                first_reader=version.author, centre=centre, addressed_to=addressed_to,
                addressed_expert=addressed_expert.strip(), note=note,
                requested_at=requested_at or datetime.now(UTC), images=images,
                first_report=_first_report(version.fields, version.text), origin="local")
            s.add(ref)
            s.flush()
            study_uid = report.study.study_instance_uid
            s.add(AuditEvent(actor=requester, action=REFERRAL_REQUESTED,
                             study_instance_uid=study_uid,
                             detail={"referral": uid, "kind": kind.value}))
            self._enqueue(s, KIND_REFERRAL, ref.id, study_uid, requester)
            return ref.id

    # -- the reference centre imports and reviews ----------------------------------------------
    def import_referral(self, data: dict[str, Any], first_report: dict[str, Any], *,
                        patient: dict[str, str] | None = None) -> int:
        """Store a request read from the archive (never sent back); idempotent by its UID."""
        with self.session() as s:
            existing = s.scalar(select(Referral.id).where(Referral.uid == data["uid"]))
            if existing is not None:
                return existing
            p = patient or {}
            study = self._upsert_study(s, data["study_instance_uid"], p.get("patient_id", ""),
                                       p.get("name", ""), p.get("birth_date", ""),
                                       p.get("sex", ""), {})
            ref = Referral(
                uid=data["uid"], study=study, report_sop_uid=data["report_sop_uid"],
                report_series_uid=data.get("report_series_uid", ""),
                kind=parse(Kind, data["kind"]).value,
                reason=parse(Reason, data["reason"]).value,
                urgency=parse(Urgency, data["urgency"]).value,
                requester=data.get("requester", ""), first_reader=data.get("first_reader", ""),
                centre=data.get("centre", ""), addressed_to=data.get("addressed_to", ""),
                addressed_expert=str(data.get("addressed_expert", "") or ""),
                note=data.get("note", ""),
                requested_at=datetime.fromisoformat(data["requested_at"]),
                images=list(data.get("images") or ()), first_report=dict(first_report),
                origin="archive")
            s.add(ref)
            s.flush()
            s.add(AuditEvent(actor="luch", action=REFERRAL_IMPORTED,
                             study_instance_uid=study.study_instance_uid,
                             detail={"referral": ref.uid}))
            return ref.id

    def signed_report_studies(self) -> set[str]:
        """The studies with a report version signed (or imported) on this station."""
        with self.session() as s:
            return set(s.scalars(
                select(Study.study_instance_uid).join(Report, Report.study_pk == Study.id)
                .join(ReportVersion, ReportVersion.report_pk == Report.id)
                .where(ReportVersion.status.in_(SIGNED)).distinct()))

    def has_signed_report(self) -> bool:
        """Whether any report version was signed (or imported) here: an audit of it may come."""
        with self.session() as s:
            return s.scalar(select(ReportVersion.id).where(
                ReportVersion.status.in_(SIGNED)).limit(1)) is not None

    def adopt_audit(self, data: dict[str, Any]) -> int | None:
        """Store an audit request read from the archive (drawn at the reference centre) of a
        report version signed on this station as one of this station's own requests (origin
        "local", never sent: it has no outbox job), so that its review comes back to the
        first reader like a second opinion's; None when the report version is not here or
        it is not an audit. Idempotent by the request's UID."""
        if data.get("kind") != Kind.AUDIT.value:
            return None
        with self.session() as s:
            existing = s.scalar(select(Referral.id).where(Referral.uid == data["uid"]))
            if existing is not None:
                return existing
            version = s.scalar(select(ReportVersion).where(
                ReportVersion.sop_instance_uid == data["report_sop_uid"]))
            if version is None or version.status not in SIGNED:
                return None
            report = version.report
            ref = Referral(
                uid=data["uid"], study=report.study, report_sop_uid=version.sop_instance_uid,
                report_series_uid=report_series_instance_uid(report.uid), kind=Kind.AUDIT.value,
                reason=parse(Reason, data["reason"]).value,
                urgency=parse(Urgency, data["urgency"]).value,
                requester=data.get("requester", ""), first_reader=version.author,
                centre=data.get("centre", ""), addressed_to=data.get("addressed_to", ""),
                addressed_expert=str(data.get("addressed_expert", "") or ""),
                note=data.get("note", ""),
                requested_at=datetime.fromisoformat(data["requested_at"]),
                images=list(data.get("images") or ()),
                first_report=_first_report(version.fields, version.text), origin="local")
            s.add(ref)
            s.flush()
            s.add(AuditEvent(actor="luch", action=AUDIT_RECEIVED,
                             study_instance_uid=report.study.study_instance_uid,
                             detail={"referral": ref.uid}))
            return ref.id

    def referral(self, referral_id: int) -> ReferralRecord:
        with self.session() as s:
            return referral_record(_get(s, referral_id))

    def referral_id(self, uid: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(Referral.id).where(Referral.uid == uid))

    def referrals(self, origin: str | None = None) -> list[ReferralRecord]:
        with self.session() as s:
            q = select(Referral).order_by(Referral.id)
            if origin:
                q = q.where(Referral.origin == origin)
            return [referral_record(r) for r in s.scalars(q)]

    def open_case(self, referral_id: int, expert: str, audit: bool = True) -> BlindCase:
        """The request as the expert sees it (audited ``opened`` unless ``audit`` is off, for
        a case already open): the first report only once this expert's own read is saved."""
        with self.session() as s:
            ref = _get(s, referral_id)
            review = _review(s, ref.id, expert)
            own = None
            if review is not None and review.versions:
                own = ReviewFields.from_dict(review.versions[-1].fields)
            if audit:
                s.add(AuditEvent(actor=expert, action=OPENED,
                                 study_instance_uid=ref.study.study_instance_uid,
                                 detail={"referral": ref.uid}))
            return BlindCase(ref.id, ref.uid, ref.kind, ref.reason, ref.urgency,
                             ref.study.study_instance_uid, ref.requested_at, ref.first_reader,
                             expert, own, dict(ref.first_report))

    def save_review(self, referral_id: int, *, expert: str, fields: ReviewFields,
                    sign: bool = False, reason: str = "",
                    signed_at: datetime | None = None) -> ReviewVersionRecord:
        """Save a new version of this expert's review: a draft, or signed (queued for the
        archive). A signed review changes only as an amendment with a reason."""
        with self.session() as s:
            ref = _get(s, referral_id)
            fields = fields.checked(ref.kind, signing=sign)
            review = _review(s, ref.id, expert)
            if review is None:
                review = ReferralReview(uid=review_uid(ref.uid, expert), referral=ref,
                                        expert=expert, status=ReportStatus.DRAFT)
                s.add(review)
                s.flush()
            was_signed = review.status in SIGNED
            if was_signed and not sign:
                raise ReferralError("a signed review cannot go back to a draft")
            data = fields.as_dict()
            if was_signed:
                if not reason.strip():
                    raise ReferralError("a change to a signed review needs a reason")
                data["_addendum_reason"] = reason.strip()
            status = (ReportStatus.AMENDED if was_signed else
                      ReportStatus.FINAL if sign else ReportStatus.DRAFT)
            number = review.current_version + 1
            version = ReferralReviewVersion(
                review=review, version=number, status=status, fields=data, author=expert,
                signed_at=(signed_at or datetime.now(UTC)) if sign else None,
                sop_instance_uid=review_sop_uid(review.uid, number))
            s.add(version)
            review.current_version, review.status = number, status
            s.flush()
            study_uid = ref.study.study_instance_uid
            s.add(AuditEvent(actor=expert, action=CHANGED, study_instance_uid=study_uid,
                             detail={"review": review.uid, "version": number,
                                     "status": status.value}))
            if sign:
                self._enqueue(s, KIND_REFERRAL_REVIEW, version.id, study_uid, expert)
            return _review_record(s, version)

    def import_review(self, data: dict[str, Any]) -> int | None:
        """Store a signed review version read from the archive (``read_review_sr``'s form)
        of a request this station holds; its id, None when the request is not here. Never
        sent back; importing it again is a no-op."""
        with self.session() as s:
            ref = s.scalar(select(Referral).where(Referral.uid == data["referral_uid"]))
            if ref is None:
                return None
            sop_uid = review_sop_uid(data["review_uid"], int(data["version"]))
            known = s.scalar(select(ReferralReviewVersion.id).where(
                ReferralReviewVersion.sop_instance_uid == sop_uid))
            if known is not None:
                return known
            review = s.scalar(select(ReferralReview).where(
                ReferralReview.uid == data["review_uid"]))
            if review is None:
                review = ReferralReview(uid=data["review_uid"], referral=ref,
                                        expert=data["expert"], status=ReportStatus.FINAL)
                s.add(review)
                s.flush()
            fields = data["fields"]
            stored = fields.as_dict() if isinstance(fields, ReviewFields) else dict(fields)
            if data.get("addendum_reason"):
                stored["_addendum_reason"] = data["addendum_reason"]
            status = ReportStatus(data["status"])
            version = ReferralReviewVersion(
                review=review, version=int(data["version"]), status=status, fields=stored,
                author=data["expert"], signed_at=datetime.fromisoformat(data["signed_at"]),
                sop_instance_uid=sop_uid)
            s.add(version)
            if version.version > review.current_version:
                review.current_version, review.status = version.version, status
            s.flush()
            s.add(AuditEvent(actor="luch", action=REVIEW_RECEIVED,
                             study_instance_uid=ref.study.study_instance_uid,
                             detail={"review": review.uid, "version": version.version}))
            return version.id

    def reviews_of(self, referral_id: int) -> list[ReviewVersionRecord]:
        """Every stored version of every review of a request (the reader's feedback)."""
        with self.session() as s:
            return [_review_record(s, v) for v in s.scalars(
                select(ReferralReviewVersion).join(ReferralReview)
                .where(ReferralReview.referral_pk == referral_id)
                .order_by(ReferralReview.expert, ReferralReviewVersion.version))]

    def reviewed_studies(self) -> dict[str, ReviewedStudy]:
        """Per study, the newest signed review version of this station's requests on it
        (a study with several requests: the newest review among them)."""
        found: dict[str, ReviewedStudy] = {}
        with self.session() as s:
            answered = set(s.scalars(select(ReferralResponse.review_sop_uid).where(
                ReferralResponse.origin == "local")))
            rows = s.execute(
                select(ReferralReviewVersion, Referral)
                .join(ReferralReview, ReferralReviewVersion.review_pk == ReferralReview.id)
                .join(Referral, ReferralReview.referral_pk == Referral.id)
                .where(Referral.origin == "local", ReferralReviewVersion.status.in_(SIGNED))
                .order_by(ReferralReviewVersion.signed_at, ReferralReviewVersion.id))
            for version, ref in rows:
                uid = ref.study.study_instance_uid
                found[uid] = ReviewedStudy(
                    uid, ref.id, ref.first_reader, version.author,
                    int(version.fields.get("score") or 0), version.id,
                    version.sop_instance_uid in answered)
        return found

    # -- the first reader answers; a dispute goes back to the expert ----------------------------
    def respond_to_review(self, review_version_id: int, *, reader: str, action: Action | str,
                          comment: str = "", responded_at: datetime | None = None) -> int:
        """Acknowledge or dispute (with a comment) a signed review version; queued for the
        archive in the same transaction. Answering the same version again returns the first
        answer."""
        action = parse(Action, action)
        if action is Action.DISPUTE and not comment.strip():
            raise ReferralError("a dispute needs a comment for the expert")
        with self.session() as s:
            version = s.get(ReferralReviewVersion, review_version_id)
            if version is None or version.status not in SIGNED:
                raise ReferralError("only a signed review can be acknowledged or disputed")
            uid = response_uid(version.sop_instance_uid, reader)
            existing = s.scalar(select(ReferralResponse.id).where(ReferralResponse.uid == uid))
            if existing is not None:
                return existing
            ref = version.review.referral
            response = ReferralResponse(
                uid=uid, referral=ref, review_uid=version.review.uid,
                review_sop_uid=version.sop_instance_uid, reader=reader, action=action.value,
                comment=comment.strip(), responded_at=responded_at or datetime.now(UTC),
                origin="local")
            s.add(response)
            s.flush()
            study_uid = ref.study.study_instance_uid
            s.add(AuditEvent(actor=reader, action=CHANGED, study_instance_uid=study_uid,
                             detail={"review": version.review.uid, "answer": action.value}))
            self._enqueue(s, KIND_REFERRAL_RESPONSE, response.id, study_uid, reader)
            return response.id

    def import_response(self, data: dict[str, Any]) -> int | None:
        """Store a reader's answer read from the archive, for a request held here; None
        otherwise. Importing it again is a no-op."""
        with self.session() as s:
            ref = s.scalar(select(Referral).where(Referral.uid == data["referral_uid"]))
            if ref is None:
                return None
            known = s.scalar(select(ReferralResponse.id).where(
                ReferralResponse.uid == data["uid"]))
            if known is not None:
                return known
            response = ReferralResponse(
                uid=data["uid"], referral=ref, review_uid=data["review_uid"],
                review_sop_uid=data["review_sop_uid"], reader=data["reader"],
                action=parse(Action, data["action"]).value, comment=data.get("comment", ""),
                responded_at=datetime.fromisoformat(data["responded_at"]), origin="archive")
            s.add(response)
            s.flush()
            s.add(AuditEvent(actor="luch", action=RESPONSE_RECEIVED,
                             study_instance_uid=ref.study.study_instance_uid,
                             detail={"review": data["review_uid"], "answer": response.action}))
            return response.id

    def response_known(self, uid: str) -> bool:
        with self.session() as s:
            return s.scalar(select(ReferralResponse.id).where(
                ReferralResponse.uid == uid)) is not None

    def response(self, response_id: int) -> ResponseRecord:
        with self.session() as s:
            r = s.get(ReferralResponse, response_id)
            if r is None:
                raise ReferralError("the answer to the review does not exist in the local store")
            return _response_record(r)

    def responses(self, origin: str | None = None) -> list[ResponseRecord]:
        """Every answer to a review stored here (``origin`` "local": this station's)."""
        with self.session() as s:
            q = select(ReferralResponse).order_by(ReferralResponse.id)
            if origin:
                q = q.where(ReferralResponse.origin == origin)
            return [_response_record(r) for r in s.scalars(q)]

    def open_disputes(self) -> list[ResponseRecord]:
        """Disputes received from the archive of reviews written on this station that no
        later signed version of the review has answered, oldest first (the expert's queue)."""
        found = []
        with self.session() as s:
            for r in s.scalars(select(ReferralResponse).where(
                    ReferralResponse.action == Action.DISPUTE.value,
                    ReferralResponse.origin == "archive")
                    .order_by(ReferralResponse.responded_at)):
                review = s.scalar(select(ReferralReview).where(
                    ReferralReview.uid == r.review_uid))
                if review is None:
                    continue
                later = [v for v in review.versions if v.status in SIGNED
                         and (v.signed_at or v.created_at) > r.responded_at]
                if not later:
                    found.append(_response_record(r))
        return found

    def review_version(self, version_id: int) -> ReviewVersionRecord:
        with self.session() as s:
            version = s.get(ReferralReviewVersion, version_id)
            if version is None:
                raise ReferralError("the review version does not exist in the local store")
            return _review_record(s, version)

    def signed_reviews(self, start: datetime | None = None, end: datetime | None = None
                       ) -> list[SignedReview]:
        """Each review's newest signed version, signed in [start, end) (one query, columns
        only: 5,000 reviews in well under a second, ``benchmarks/audit_stats.py``)."""
        v, w, r = ReferralReviewVersion, ReferralReview, Referral
        newest, first = {}, {}
        with self.session() as s:
            for row in s.execute(
                    select(v.review_pk, v.fields, v.signed_at, v.created_at, w.expert, r.uid,
                           r.kind, r.first_reader, r.centre, r.first_report, r.requested_at,
                           r.study_pk, r.urgency)
                    .join(w, v.review_pk == w.id).join(r, w.referral_pk == r.id)
                    .where(v.status.in_(SIGNED)).order_by(v.review_pk, v.version)):
                newest[row.review_pk] = row  # the newest signed version stays
                first.setdefault(row.review_pk, row.signed_at or row.created_at)
            ai_grades = {pk: str(values.get("grade", "")) for pk, values in s.execute(
                select(AIResult.study_pk, AIResult.values).order_by(AIResult.id))
                if values.get("grade")}  # the newest pre-read's grade per study
            verdicts = {(pk, reader): str(verdict) for pk, reader, verdict in s.execute(
                select(AIResult.study_pk, AIFeedback.reader, AIFeedback.verdict)
                .join(AIFeedback, AIFeedback.ai_result_pk == AIResult.id)
                .order_by(AIFeedback.id))}  # the newest verdict per study and reader
        found = []
        for pk, row in newest.items():
            when = row.signed_at or row.created_at
            if (start and when < start) or (end and when >= end):
                continue
            f = ReviewFields.from_dict(row.fields)
            found.append(SignedReview(
                row.uid, row.kind, row.first_reader, row.centre, row.expert, int(f.score or 0),
                f.category, str((row.first_report or {}).get("grade", "")), f.grade,
                row.requested_at, when, ai_grades.get(row.study_pk, ""), str(row.urgency),
                first[pk], verdicts.get((row.study_pk, row.expert), "")))
        return found

    # -- the audit sample (records.audit_sample) ---------------------------------------------------
    def audit_candidates(self, start: datetime, end: datetime) -> list[Candidate]:
        """Each report's first signed version signed in [start, end): the reports of the
        week an audit sample is drawn from (its centre from the fields, written at signing
        or imported)."""
        found: dict[int, Candidate] = {}
        v, r, st = ReportVersion, Report, Study
        with self.session() as s:
            for row in s.execute(
                    select(v.id, v.report_pk, v.sop_instance_uid, v.fields, v.author,
                           v.signed_at, v.created_at, st.study_instance_uid)
                    .join(r, v.report_pk == r.id).join(st, r.study_pk == st.id)
                    .where(v.status.in_(SIGNED)).order_by(v.report_pk, v.version)):
                if row.report_pk in found:
                    continue  # an amendment: the report counts by its first signing
                when = _utc(row.signed_at or row.created_at)
                found[row.report_pk] = Candidate(
                    row.id, row.sop_instance_uid, str(row.fields.get(CENTRE_FIELD, "") or ""),
                    row.author, str(row.fields.get("grade", "") or ""), when,
                    row.study_instance_uid)
        return [c for c in found.values() if start <= c.signed_at < end]

    def request_audits(self, drawn: list[Candidate], *, requester: str,
                       addressed_to: str = "") -> list[int]:
        """An audit request (quality sample, routine) for each drawn report, queued for the
        archive; a report already requested keeps its request (the same UID on every
        reference station that draws it). A report drawn from the archive
        (records.audit_archive, ``version_id`` 0) is asked for by its report SR."""
        return [self.request_referral(c.version_id, kind=Kind.AUDIT,
                                      reason=Reason.QUALITY_SAMPLE, urgency=Urgency.ROUTINE,
                                      requester=requester, centre=c.centre,
                                      addressed_to=addressed_to) if c.version_id else
                self._request_archived_audit(c, requester, addressed_to) for c in drawn]

    def _request_archived_audit(self, c: Candidate, requester: str, addressed_to: str) -> int:
        """An audit request of a report SR read from the archive (not stored here): the
        study and patient from the SR, the first report from its fields; the same UID as
        the reading station's own request would have (records.referral.referral_uid)."""
        details = getattr(c, "details", None)
        series_uid = getattr(c, "report_series_uid", "")
        if not details or not series_uid or not c.study_instance_uid:
            raise ReferralError("the drawn report is neither stored here nor read from the "
                                "archive")
        uid = referral_uid(c.report_sop_uid, Kind.AUDIT)
        with self.session() as s:
            existing = s.scalar(select(Referral.id).where(Referral.uid == uid))
            if existing is not None:
                return existing
            p, st = details["patient"], details["study"]
            study = self._upsert_study(s, c.study_instance_uid, p.get("patient_id", ""),
                                       p.get("name", ""), p.get("birth_date", ""),
                                       p.get("sex", ""), {k: v for k, v in st.items() if v})
            ref = Referral(
                uid=uid, study=study, report_sop_uid=c.report_sop_uid,
                report_series_uid=series_uid, kind=Kind.AUDIT.value,
                reason=Reason.QUALITY_SAMPLE.value, urgency=Urgency.ROUTINE.value,
                requester=requester, first_reader=c.reader, centre=c.centre,
                addressed_to=addressed_to, addressed_expert="", note="",
                requested_at=datetime.now(UTC), images=list(details.get("images") or ()),
                first_report=dict(details["first_report"]), origin="local")
            s.add(ref)
            s.flush()
            s.add(AuditEvent(actor=requester, action=REFERRAL_REQUESTED,
                             study_instance_uid=c.study_instance_uid,
                             detail={"referral": uid, "kind": Kind.AUDIT.value}))
            self._enqueue(s, KIND_REFERRAL, ref.id, c.study_instance_uid, requester)
            return ref.id


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _first_report(fields: dict[str, Any], text: str) -> dict[str, Any]:
    return {"grade": str(fields.get("grade", "") or ""),
            "conclusion": str(fields.get("conclusion", "") or ""), "text": text}


def _get(s: Session, referral_id: int) -> Referral:
    ref = s.get(Referral, referral_id)
    if ref is None:
        raise ReferralError("the request does not exist in the local store")
    return ref


def _review(s: Session, referral_pk: int, expert: str) -> ReferralReview | None:
    return s.scalar(select(ReferralReview).where(ReferralReview.referral_pk == referral_pk,
                                                 ReferralReview.expert == expert))


def _review_record(s: Session, v: ReferralReviewVersion) -> ReviewVersionRecord:
    predecessor = s.scalar(
        select(ReferralReviewVersion.sop_instance_uid)
        .where(ReferralReviewVersion.review_pk == v.review_pk,
               ReferralReviewVersion.version < v.version,
               ReferralReviewVersion.status != ReportStatus.DRAFT)
        .order_by(ReferralReviewVersion.version.desc()).limit(1))
    return ReviewVersionRecord(
        id=v.id, review_uid=v.review.uid, version=v.version, status=v.status.value,
        fields=ReviewFields.from_dict(v.fields), expert=v.author, signed_at=v.signed_at,
        created_at=v.created_at, sop_instance_uid=v.sop_instance_uid,
        predecessor_sop_uid=predecessor, referral=referral_record(v.review.referral),
        addendum_reason=str(v.fields.get("_addendum_reason", "")))


def _response_record(r: ReferralResponse) -> ResponseRecord:
    return ResponseRecord(
        id=r.id, uid=r.uid, referral=referral_record(r.referral), review_uid=r.review_uid,
        review_sop_uid=r.review_sop_uid, reader=r.reader, action=r.action, comment=r.comment,
        responded_at=r.responded_at, origin=r.origin)
