"""Second-opinion/audit requests and expert reviews as DICOM SRs, and read back from them.

Both are Comprehensive 3D SRs (like the AI result, unlike a reader's report, so the sync
engine never takes one for a report by someone else): a request (series "Luch referral
request") references the report SR and its key images; a review version (series "Luch
referral review", one series per request) references the request SR and the report SR.
Each carries its content as readable items plus one JSON item that round-trips it exactly.
UIDs derive from the report version, request and review (records.referral), and dates are
the request or signing time, so building one again gives the same object.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import highdicom as hd
from pydicom.dataset import Dataset
from pydicom.sr.coding import Code

from core import series_numbers
from records.errors import ReferralError
from records.referral import (
    REQUEST_SERIES_DESCRIPTION,
    RESPONSE_SERIES_DESCRIPTION,
    REVIEW_SERIES_DESCRIPTION,
    ReferralRecord,
    ResponseRecord,
    ReviewFields,
    ReviewVersionRecord,
    request_series_uid,
    response_series_uid,
    review_series_uid,
)
from records.sr import MANUFACTURER, _build, _observer, _stamp, _text, cite_predecessor

COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34"
REPORT_SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.33"  # Comprehensive SR (records.sr.report_to_sr)
REQUEST_TITLE = Code("referral-request", "99LUCH", "Second opinion or audit request")
REVIEW_TITLE = Code("referral-review", "99LUCH", "Second opinion or audit review")
REFERRAL_DATA = Code("referral-data", "99LUCH", "Referral data")
REVIEW_DATA = Code("review-data", "99LUCH", "Review data")
RESPONSE_TITLE = Code("referral-answer", "99LUCH", "Answer to a second opinion or audit")
RESPONSE_DATA = Code("answer-data", "99LUCH", "Answer data")
REVIEW_REF = Code("review-ref", "99LUCH", "Review answered")
ACTION = Code("answer", "99LUCH", "Acknowledge or dispute")
FIRST_REPORT = Code("first-report", "99LUCH", "Report under review")
REQUEST_REF = Code("referral-ref", "99LUCH", "Request under review")
KEY_IMAGE = Code("key-image", "99LUCH", "Key image")
REASON = Code("reason", "99LUCH", "Reason")
URGENCY = Code("urgency", "99LUCH", "Urgency")
SCORE = Code("radpeer-score", "99LUCH", "RADPEER score")
CATEGORY = Code("discrepancy-cat", "99LUCH", "Discrepancy category")
GRADE = Code("grade", "99LUCH", "Expert grade")
COMMENT = Code("comment", "99LUCH", "Comment")
REQUEST_SERIES_NUMBER, REVIEW_SERIES_NUMBER, RESPONSE_SERIES_NUMBER = (
    series_numbers.REFERRAL_REQUEST, series_numbers.REFERRAL_REVIEW,
    series_numbers.REFERRAL_RESPONSE)
_CONTAINS = hd.sr.RelationshipTypeValues.CONTAINS


def request_sop_uid(ref_uid: str) -> str:
    """The request SR's SOP Instance UID is the request's own UID."""
    return ref_uid


def _composite(name: Code, sop_class: str, sop_uid: str) -> hd.sr.CompositeContentItem:
    return hd.sr.CompositeContentItem(name=name, referenced_sop_class_uid=sop_class,
                                      referenced_sop_instance_uid=sop_uid,
                                      relationship_type=_CONTAINS)


def _evidence(header: Dataset, series_uid: str, sop_class: str, sop_uid: str) -> Dataset:
    ds = Dataset()
    for keyword in ("PatientID", "PatientName", "PatientBirthDate", "PatientSex", "StudyDate",
                    "StudyTime", "AccessionNumber", "StudyID", "ReferringPhysicianName"):
        setattr(ds, keyword, header.get(keyword, ""))
    ds.StudyInstanceUID = header.StudyInstanceUID
    ds.SeriesInstanceUID, ds.SOPClassUID, ds.SOPInstanceUID = series_uid, sop_class, sop_uid
    return ds


def _document(title: Code, items: list[Any], evidence: list[Dataset], *,
              series_uid: str, series_number: int, sop_uid: str, number: int,
              description: str, observer_complete: bool) -> Dataset:
    content = hd.sr.ContainerContentItem(name=title)
    content.ContentSequence = hd.sr.ContentSequence(items)
    # The evidence (the report SR, key images) carries the patient and study attributes.
    return _build(hd.sr.Comprehensive3DSR, evidence=evidence, content=content,
                  series_instance_uid=series_uid, series_number=series_number,
                  sop_instance_uid=sop_uid, instance_number=number,
                  manufacturer=MANUFACTURER, is_complete=observer_complete,
                  record_evidence=True, specific_character_set="ISO_IR 192",
                  series_description=description)


def _dated(sr: Dataset, when: datetime) -> None:
    """Every date of the document is ``when`` (the same object when built again)."""
    _stamp(sr, when)
    sr.InstanceCreationDate, sr.InstanceCreationTime = sr.ContentDate, sr.ContentTime
    for equipment in sr.get("ContributingEquipmentSequence", []):
        equipment.ContributionDateTime = sr.ContentDate + sr.ContentTime


def request_to_sr(ref: ReferralRecord, header: Dataset) -> Dataset:
    """The request SR: who asks, why, how urgent, the report SR and key images it refers to."""
    items: list[Any] = [
        _observer(ref.requester), _text(REASON, ref.reason), _text(URGENCY, ref.urgency),
        _composite(FIRST_REPORT, REPORT_SR_CLASS, ref.report_sop_uid)]
    evidence = [_evidence(header, ref.report_series_uid, REPORT_SR_CLASS, ref.report_sop_uid)]
    for image in ref.images:
        items.append(_composite(KEY_IMAGE, image["sop_class_uid"], image["sop_instance_uid"]))
        evidence.append(_evidence(header, image["series_uid"], image["sop_class_uid"],
                                  image["sop_instance_uid"]))
    items.append(_text(REFERRAL_DATA, json.dumps(ref.as_dict(), ensure_ascii=False,
                                                 sort_keys=True)))
    sr = _document(REQUEST_TITLE, items, evidence,
                   series_uid=request_series_uid(ref.uid), series_number=REQUEST_SERIES_NUMBER,
                   sop_uid=request_sop_uid(ref.uid), number=1,
                   description=REQUEST_SERIES_DESCRIPTION, observer_complete=True)
    _dated(sr, ref.requested_at)
    return sr


def review_to_sr(version: ReviewVersionRecord, header: Dataset) -> Dataset:
    """One signed review version: the expert's grade, score, category, technique, comment,
    referencing the request SR and the report SR (an amendment cites the version before)."""
    ref, f = version.referral, version.fields
    if version.status not in ("final", "amended") or version.signed_at is None:
        raise ReferralError("only a signed review goes to the archive")
    items: list[Any] = [_observer(version.expert), _text(GRADE, f.grade or "-"),
                        _text(SCORE, str(f.score))]
    if f.category:
        items.append(_text(CATEGORY, f.category))
    if f.comment:
        items.append(_text(COMMENT, f.comment))
    items += [_composite(REQUEST_REF, COMPREHENSIVE_3D_SR, request_sop_uid(ref.uid)),
              _composite(FIRST_REPORT, REPORT_SR_CLASS, ref.report_sop_uid)]
    data = {"referral_uid": ref.uid, "review_uid": version.review_uid,
            "version": version.version, "status": version.status, "expert": version.expert,
            "signed_at": version.signed_at.astimezone(UTC).isoformat(),
            "addendum_reason": version.addendum_reason, "fields": f.as_dict()}
    items.append(_text(REVIEW_DATA, json.dumps(data, ensure_ascii=False, sort_keys=True)))
    evidence = [_evidence(header, request_series_uid(ref.uid), COMPREHENSIVE_3D_SR,
                          request_sop_uid(ref.uid)),
                _evidence(header, ref.report_series_uid, REPORT_SR_CLASS, ref.report_sop_uid)]
    sr = _document(REVIEW_TITLE, items, evidence,
                   series_uid=review_series_uid(ref.uid), series_number=REVIEW_SERIES_NUMBER,
                   sop_uid=version.sop_instance_uid, number=version.version,
                   description=REVIEW_SERIES_DESCRIPTION, observer_complete=True)
    if version.predecessor_sop_uid:
        cite_predecessor(sr, version.predecessor_sop_uid)
    _dated(sr, version.signed_at)
    return sr


def response_to_sr(resp: ResponseRecord, header: Dataset) -> Dataset:
    """The first reader's answer (acknowledge or dispute, with a comment) to one review
    version, referencing that review SR and the request SR."""
    ref = resp.referral
    items: list[Any] = [_observer(resp.reader), _text(ACTION, resp.action)]
    if resp.comment:
        items.append(_text(COMMENT, resp.comment))
    items += [_composite(REVIEW_REF, COMPREHENSIVE_3D_SR, resp.review_sop_uid),
              _composite(REQUEST_REF, COMPREHENSIVE_3D_SR, request_sop_uid(ref.uid)),
              _text(RESPONSE_DATA, json.dumps(resp.as_dict(), ensure_ascii=False,
                                              sort_keys=True))]
    evidence = [_evidence(header, review_series_uid(ref.uid), COMPREHENSIVE_3D_SR,
                          resp.review_sop_uid),
                _evidence(header, request_series_uid(ref.uid), COMPREHENSIVE_3D_SR,
                          request_sop_uid(ref.uid))]
    sr = _document(RESPONSE_TITLE, items, evidence,
                   series_uid=response_series_uid(ref.uid),
                   series_number=RESPONSE_SERIES_NUMBER, sop_uid=resp.uid, number=1,
                   description=RESPONSE_SERIES_DESCRIPTION, observer_complete=True)
    _dated(sr, resp.responded_at)
    return sr


def read_response_sr(ds: Dataset) -> dict[str, Any]:
    """What :func:`response_to_sr` wrote (``ResponseRecord.as_dict``)."""
    return _data_item(ds, RESPONSE_DATA)


def _data_item(ds: Dataset, code: Code) -> dict[str, Any]:
    for item in ds.get("ContentSequence", []):
        if item.ConceptNameCodeSequence[0].CodeValue == code.value:
            return json.loads(item.TextValue)
    raise ReferralError("the SR is not a Luch request, review or answer")


def read_request_sr(ds: Dataset) -> dict[str, Any]:
    """What :func:`request_to_sr` wrote (``ReferralRecord.as_dict``)."""
    return _data_item(ds, REFERRAL_DATA)


def read_review_sr(ds: Dataset) -> dict[str, Any]:
    """What :func:`review_to_sr` wrote: referral and review UIDs, version, status, expert,
    signing time and the fields (``ReviewFields.from_dict`` reads them)."""
    data = _data_item(ds, REVIEW_DATA)
    data["fields"] = ReviewFields.from_dict(data["fields"])
    return data
