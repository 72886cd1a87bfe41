"""The audit sample's pool read from the archive: every centre's signed report SRs of a week.

The reference centre does not hold the reading stations' reports; the archive does. One
QIDO-RS search at instance level finds the Luch report SRs (modality SR, series 990) whose
Instance Creation Date (the signing date, UTC, records.sr) falls in the ISO week (asked for
by pages, limit/offset), and each is read once (WADO-RS) for its status, reader, grade and
centre (the fields' ``_centre``).
A report counts by its first signed version (status "final", or "amended" citing no
predecessor: a report imported already amended), as in the store's pool
(``Store.audit_candidates``): an amendment neither moves a report to another week nor adds
it twice. Reports of other systems (no Luch fields) and unsigned versions are skipped.

:func:`already_requested` asks the archive which drawn reports already have their audit
request (the request's SOP Instance UID derives from the report, records.referral), in UID
lists (``DicomWebClient.search_uid_list``): a report is requested once, whichever reference
station or run drew it first. Both raise ``ArchiveError`` when the archive cannot be asked;
the callers say so (the sample is not drawn from a partial pool).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from archive.dicomweb import DicomWebClient, read_dataset, tag_value
from core.series_numbers import REPORT
from records.audit_sample import CENTRE_FIELD, Candidate
from records.referral import Kind, referral_uid
from records.report_version import KEY_IMAGES
from records.sr import read_report_sr

log = logging.getLogger(__name__)
STUDY_UID, SERIES_UID, SOP_UID = "0020000D", "0020000E", "00080018"
FIRST_SIGNED, AMENDED = "final", "amended"  # a report's first signed version, later ones
PAGE = 500  # QIDO-RS answers asked for at a time


@dataclass(frozen=True)
class ArchivedCandidate(Candidate):
    """A report SR from the archive that may be audited (``version_id`` 0: not stored
    here); ``details`` holds what an audit request of it needs (Store.request_audits)."""

    report_series_uid: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _dicom_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d")


def _signed_at(ds: Any) -> datetime | None:
    """The signing time the SR carries (Content Date and Time, UTC, records.sr._stamp)."""
    try:
        return datetime.strptime(f"{ds.ContentDate}{str(ds.ContentTime)[:6]}",
                                 "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except (AttributeError, ValueError):
        return None


def _candidate(ds: Any, series_uid: str) -> ArchivedCandidate | None:
    """The candidate one report SR gives, None for an unsigned, amended or foreign one."""
    try:
        found = read_report_sr(ds)
    except (AttributeError, KeyError, IndexError, ValueError):
        return None  # not one of Luch's report SRs
    when, status = _signed_at(ds), found.get("status")
    first = status == FIRST_SIGNED or (  # an amendment cites the version it amends; one
        status == AMENDED and "PredecessorDocumentsSequence" not in ds)  # imported as such
    if not first or when is None:
        return None
    fields = found.get("fields") or {}
    details = {
        "first_report": {"grade": str(fields.get("grade", "") or ""),
                         "conclusion": str(found.get("conclusion", "") or ""),
                         "text": str(found.get("text", "") or "")},
        "patient": {"patient_id": str(ds.get("PatientID", "")),
                    "name": str(ds.get("PatientName", "")),
                    "birth_date": str(ds.get("PatientBirthDate", "")),
                    "sex": str(ds.get("PatientSex", ""))},
        "study": {"study_date": str(ds.get("StudyDate", "")),
                  "study_time": str(ds.get("StudyTime", "")),
                  "accession_number": str(ds.get("AccessionNumber", ""))},
        "images": [{k: i.get(k) for k in ("series_uid", "sop_class_uid", "sop_instance_uid")}
                   for i in fields.get(KEY_IMAGES) or () if isinstance(i, dict)],
    }
    return ArchivedCandidate(
        0, str(ds.SOPInstanceUID), str(fields.get(CENTRE_FIELD, "") or ""),
        str(found.get("author", "") or ""), str(fields.get("grade", "") or ""), when,
        str(ds.StudyInstanceUID), series_uid, details)


def _week_srs(client: DicomWebClient, start: datetime, end: datetime,
              page: int) -> list[dict[str, Any]]:
    """The QIDO-RS answers for the report SRs created in [start, end), ``page`` at a time
    (limit/offset: a PACS that caps its answers does not cut the pool short)."""
    last = end - timedelta(microseconds=1)
    query = {"Modality": "SR", "SeriesNumber": str(REPORT),
             "InstanceCreationDate": f"{_dicom_date(start)}-{_dicom_date(last)}"}
    found: list[dict[str, Any]] = []
    while True:
        answer = client.search("instances", {**query, "limit": str(page),
                                             "offset": str(len(found))})
        found += answer
        if len(answer) < page:
            return found


def archive_candidates(client: DicomWebClient, start: datetime, end: datetime,
                       page: int = PAGE) -> list[ArchivedCandidate]:
    """The reports first signed in [start, end) that the archive holds, from every
    station (module docstring). Raises ArchiveError when the archive cannot be asked."""
    found = _week_srs(client, start, end, page)
    pool: dict[str, ArchivedCandidate] = {}
    for item in found:
        study, series, sop = (str(tag_value(item, t)) for t in (STUDY_UID, SERIES_UID, SOP_UID))
        if sop in pool:
            continue
        candidate = _candidate(read_dataset(client.retrieve_instance(study, series, sop)),
                               series)
        if candidate is not None and start <= candidate.signed_at < end:
            pool[sop] = candidate
    skipped = len(found) - len(pool)
    if skipped:
        log.info("audit pool: %d report SRs of the week skipped (unsigned, amended or not "
                 "Luch's)", skipped)
    return sorted(pool.values(), key=lambda c: c.report_sop_uid)


def audit_request_uid(candidate: Candidate) -> str:
    """The SOP Instance UID an audit request of this report has on every station."""
    return referral_uid(candidate.report_sop_uid, Kind.AUDIT)


def already_requested(client: DicomWebClient, drawn: Iterable[Candidate]) -> set[str]:
    """The report SOP UIDs among ``drawn`` whose audit request is already in the archive."""
    by_request = {audit_request_uid(c): c.report_sop_uid for c in drawn}
    if not by_request:
        return set()
    found = client.search_uid_list("instances", "SOPInstanceUID", sorted(by_request),
                                   {"Modality": "SR"})
    return {by_request[uid] for uid in (str(tag_value(i, SOP_UID)) for i in found)
            if uid in by_request}
