"""The reference centre's queue, read from the archive, and reviews read back from it.

The archive is the meeting point of the two stations. A request SR is in a series described
"Luch referral request" and every review of it in the series :func:`review_series_uid`
derives from the request, so two QIDO-RS searches at series level (SR series numbered 994
and 995, then their descriptions) tell the open requests from the answered ones. A new open
request is fetched once (WADO-RS) with the report SR it refers to and stored locally, the
first report held back until the expert's own read (records.referral.BlindCase); later
refreshes read it from the store. The asking station imports the reviews of its own
requests the same way (:func:`import_reviews`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from archive.dicomweb import DicomWebClient, read_dataset, tag_value
from archive.errors import ArchiveError
from records.directory import UNADDRESSED, Directory, addressee
from records.referral import (
    REQUEST_SERIES_DESCRIPTION,
    RESPONSE_SERIES_DESCRIPTION,
    REVIEW_SERIES_DESCRIPTION,
    ReferralRecord,
    ResponseRecord,
    queue_key,
    review_series_uid,
)
from records.referral_sr import (
    REQUEST_SERIES_NUMBER,
    RESPONSE_SERIES_NUMBER,
    REVIEW_SERIES_NUMBER,
    read_request_sr,
    read_response_sr,
    read_review_sr,
)
from records.sr import read_report_sr
from records.store import Store

log = logging.getLogger(__name__)
STUDY_UID, SERIES_UID, SOP_UID = "0020000D", "0020000E", "00080018"
SERIES_DESCRIPTION = "0008103E"


@dataclass(frozen=True)
class QueueEntry:
    """An open request on the expert's queue, and why it is there
    (records.directory.addressee: this expert, this centre, or no one named)."""

    referral: ReferralRecord
    addressee: str = UNADDRESSED

    @property
    def unaddressed(self) -> bool:
        return self.addressee == UNADDRESSED

    @property
    def due_at(self) -> datetime:
        return self.referral.due_at


def _series(client: DicomWebClient, number: int, description: str) -> list[tuple[str, str]]:
    """(study UID, series UID) of every SR series with this number and description.

    Matched by number (Orthanc 1.10 matches no SeriesDescription with a space in it, as the
    query encodes it), then by the description the answer carries.
    """
    found = client.search("series", {"Modality": "SR", "SeriesNumber": str(number),
                                     "includefield": "SeriesDescription"})
    return [(str(tag_value(i, STUDY_UID)), str(tag_value(i, SERIES_UID))) for i in found
            if str(tag_value(i, SERIES_DESCRIPTION)) == description]


def _sop_uids(client: DicomWebClient, study_uid: str, series_uid: str) -> list[str]:
    return [str(tag_value(i, SOP_UID))
            for i in client.search_instances(study_uid, series_uid=series_uid)]


def _import(store: Store, client: DicomWebClient, study_uid: str, series_uid: str,
            sop_uid: str, centre: str, expert: str,
            directory: Directory | None = None) -> int | None:
    """Store one request for ``expert`` at ``centre`` from the archive with the report it
    refers to; None for another centre's or expert's (never stored here) or while that
    report is not in the archive yet (tried again at the next refresh)."""
    request = read_dataset(client.retrieve_instance(study_uid, series_uid, sop_uid))
    data = read_request_sr(request)
    if addressee(data, centre, expert, directory) is None:
        return None
    try:
        report = read_dataset(client.retrieve_instance(
            study_uid, data["report_series_uid"], data["report_sop_uid"]))
    except ArchiveError:
        log.info("a request waits for its report to reach the archive")
        return None
    found = read_report_sr(report)
    first = {"grade": str((found.get("fields") or {}).get("grade", "") or ""),
             "conclusion": found.get("conclusion", ""), "text": found.get("text", "")}
    patient = {"patient_id": str(request.get("PatientID", "")),
               "name": str(request.get("PatientName", "")),
               "birth_date": str(request.get("PatientBirthDate", "")),
               "sex": str(request.get("PatientSex", ""))}
    return store.import_referral(data, first, patient=patient)


def refresh_queue(store: Store, client: DicomWebClient, centre: str = "",
                  expert: str = "", directory: Directory | None = None) -> list[QueueEntry]:
    """The open requests for ``expert`` (a login) at ``centre``, most urgent first, then the
    oldest: those naming this expert, those addressed to the centre with no expert named,
    and those naming no one (marked unaddressed) from a centre ``directory`` says this one
    serves (records.directory.addressee); another centre's or expert's are read but
    never stored here (records.directory.addressee). A request is open until a signed
    review of it is in the archive or signed on this station. Raises ArchiveError when the
    archive cannot be asked."""
    answered = {series for _, series in _series(client, REVIEW_SERIES_NUMBER,
                                                REVIEW_SERIES_DESCRIPTION)}
    answered_here = {r.referral_uid for r in store.signed_reviews()}
    entries = []
    for study_uid, series_uid in _series(client, REQUEST_SERIES_NUMBER,
                                            REQUEST_SERIES_DESCRIPTION):
        for sop_uid in _sop_uids(client, study_uid, series_uid):  # the SOP UID is the request's
            if review_series_uid(sop_uid) in answered or sop_uid in answered_here:
                continue
            referral_id = store.referral_id(sop_uid)
            if referral_id is None:
                referral_id = _import(store, client, study_uid, series_uid, sop_uid, centre,
                                      expert, directory)
                if referral_id is None:
                    continue
            ref = store.referral(referral_id)
            why = addressee(ref.as_dict(), centre, expert, directory)
            if why is None:  # stored for another expert signed in on this station
                continue
            entries.append(QueueEntry(ref, why))
    return sorted(entries, key=lambda e: queue_key(e.referral.urgency,
                                                   e.referral.requested_at))


def reviews_in_archive(client: DicomWebClient, ref: ReferralRecord) -> list[dict]:
    """Every signed review version of a request the archive holds (read_review_sr's form),
    oldest first: what the first reader's station shows."""
    series = review_series_uid(ref.uid)
    found = [read_review_sr(read_dataset(client.retrieve_instance(
        ref.study_instance_uid, series, sop)))
        for sop in _sop_uids(client, ref.study_instance_uid, series)]
    return sorted(found, key=lambda r: (r["expert"], r["version"]))


def import_reviews(store: Store, client: DicomWebClient) -> int:
    """Fetch the signed reviews of this station's own requests from the archive (one
    QIDO-RS per request); returns how many new review versions were stored."""
    return len(import_new_reviews(store, client))


def import_audits(store: Store, client: DicomWebClient) -> int:
    """Store the audit requests in the archive (drawn at the reference centre) of reports
    signed on this station, as its own requests, so their reviews come back to the first
    reader (records.referral_store.adopt_audit). One QIDO-RS for the request series, then
    one per request series on a study with a report signed here; returns how many were
    new."""
    studies = store.signed_report_studies()
    if not studies:
        return 0
    new = 0
    for study_uid, series_uid in _series(client, REQUEST_SERIES_NUMBER,
                                         REQUEST_SERIES_DESCRIPTION):
        if study_uid not in studies:
            continue
        for sop_uid in _sop_uids(client, study_uid, series_uid):
            if store.referral_id(sop_uid) is not None:
                continue
            data = read_request_sr(read_dataset(client.retrieve_instance(
                study_uid, series_uid, sop_uid)))
            new += store.adopt_audit(data) is not None
    return new


def import_new_reviews(store: Store, client: DicomWebClient) -> list[int]:
    """:func:`import_reviews`, returning the ids of the review versions new to the store
    (the reading station's notice names whose reports they review). The audits of this
    station's reports are fetched first (:func:`import_audits`)."""
    import_audits(store, client)
    new = []
    for ref in store.referrals(origin="local"):
        known = {r.sop_instance_uid for r in store.reviews_of(ref.id)}
        series = review_series_uid(ref.uid)
        for sop in _sop_uids(client, ref.study_instance_uid, series):
            if sop in known:
                continue
            data = read_review_sr(read_dataset(client.retrieve_instance(
                ref.study_instance_uid, series, sop)))
            version_id = store.import_review(data)
            if version_id is not None:
                new.append(version_id)
    return new


def refresh_disputes(store: Store, client: DicomWebClient) -> list[ResponseRecord]:
    """Import the readers' answers to reviews of requests this station holds, and return the
    disputes no later signed review version has answered (the expert's queue shows them)."""
    for study_uid, series_uid in _series(client, RESPONSE_SERIES_NUMBER,
                                         RESPONSE_SERIES_DESCRIPTION):
        for sop_uid in _sop_uids(client, study_uid, series_uid):
            if store.response_known(sop_uid):
                continue
            data = read_response_sr(read_dataset(client.retrieve_instance(
                study_uid, series_uid, sop_uid)))
            store.import_response(data)  # None: a request not held here (another centre's)
    return store.open_disputes()
