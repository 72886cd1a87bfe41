"""Second opinions through a real Orthanc: two stores (a reading station and a reference
centre) meet only in the archive.

- a request is stored once even when the archive is away and a sync is killed (SIGKILL)
  after its STOW-RS and before its bookkeeping;
- the expert's queue lists the open requests addressed to the centre, most urgent first;
- a review is read blind, signed, synced, read back on the first station, and closes the
  request (the expert's sync of it killed by SIGKILL after its STOW-RS); the reader disputes
  it and the dispute reaches the expert, whose amended review answers it; every object is in
  the archive once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pydicom
import pytest

from archive.dicomweb import read_dataset
from records import JobState, Store, open_store
from records.directory import Directory
from records.errors import BlindReadError, ReferralError
from records.referral import ReviewFields, request_series_uid
from records.referral_queue import (
    import_reviews,
    refresh_disputes,
    refresh_queue,
    reviews_in_archive,
)
from records.referral_sr import read_request_sr
from tests.records.conftest import PROJECT_ROOT, client_for, engine_for

# A child that drains like `luch sync`, but dies by SIGKILL right after the archive stored
# the batch (before any job is marked done): the worst moment for "exactly once".
_KILLED_SYNC = """
import os, signal, sys
from pathlib import Path
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from records import open_store
from records.sync import SyncEngine

class DyingClient(DicomWebClient):
    def store(self, objects):
        result = super().store(objects)
        os.kill(os.getpid(), signal.SIGKILL)

store = open_store(Path(sys.argv[1]))
client = DyingClient(ArchiveConfig(url=sys.argv[2], user=sys.argv[3], password=sys.argv[4]))
SyncEngine(store, client).drain()
"""


def _drain(store: Store, client) -> None:
    engine = engine_for(store, client)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        engine.drain()
        counts = store.outbox_counts()
        if counts["pending"] == counts["in_progress"] == counts["failed"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"outbox did not drain: {store.outbox_counts()}")


def _killed_sync(store: Store, server) -> None:
    """`luch sync` of ``store`` killed (SIGKILL) right after the archive stored its batch."""
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_SYNC, str(store.engine.url.database),
         server.dicomweb_url, server.user, server.password], cwd=PROJECT_ROOT,
        env={**os.environ}, capture_output=True, timeout=120)
    assert child.returncode == -9, child.stderr.decode()[-2000:]


def _signed(store: Store, study: str, grade: str, key_images: list | None = None,
            patient: tuple[str, str] = ("REF-2", "Referral^Archive")):
    store.upsert_study(study, patient_id=patient[0], patient_name=patient[1])
    fields = {"grade": grade, "conclusion": f"grade {grade}"}
    if key_images:
        fields["_key_images"] = key_images
    return store.save_report(study, author="Reader A", fields=fields, text="first read",
                             status="final")


def test_a_request_is_stored_once_through_an_outage_and_a_killed_sync(
        orthanc_factory, tmp_path: Path) -> None:
    server = orthanc_factory()
    client = client_for(server)
    db_path = tmp_path / "station.sqlite3"
    store = open_store(db_path)
    study = pydicom.uid.generate_uid()
    version = _signed(store, study, "CT-2")
    ref_id = store.request_referral(version.id, kind="second_opinion", reason="doubt",
                                    urgency="stat", requester="Reader A", addressed_to="RC")
    ref = store.referral(ref_id)
    server.stop()  # offline: the request waits in the outbox
    offline = engine_for(store, client).drain()
    assert offline.retried == 2 and offline.done == 0
    server.start()
    time.sleep(0.1)  # past the (test) backoff
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_SYNC, str(db_path), server.dicomweb_url, server.user,
         server.password], cwd=PROJECT_ROOT, env={**os.environ}, capture_output=True,
        timeout=120)
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    assert ref.uid in server.sop_instance_uids()  # in the archive, not yet marked sent
    assert store.outbox_counts()["done"] == 0
    _drain(store, client)  # takes over the dead child's leases, asks, resends nothing
    stores = server.store_counts()
    assert sorted(stores) == sorted([version.sop_instance_uid, ref.uid])
    assert max(stores.values()) == 1
    assert all(j.state is JobState.DONE for j in store.jobs())
    store.request_referral(version.id, kind="second_opinion", reason="doubt", urgency="stat",
                           requester="Reader A")  # asked again: nothing new to send
    _drain(store, client)
    assert server.store_counts() == stores
    [found] = client.search_instances(study, series_uid=request_series_uid(ref.uid))
    sr = read_dataset(client.retrieve_instance(study, request_series_uid(ref.uid), ref.uid))
    assert read_request_sr(sr)["urgency"] == "stat" and found
    store.close()


@pytest.fixture
def two_stations(orthanc_factory, tmp_path: Path, shared_data: Path):
    """A reading station with real CT in the archive and a reference-centre station."""
    server = orthanc_factory()
    ct = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:3]
    server.upload(ct)
    heads = [pydicom.dcmread(f, stop_before_pixels=True) for f in ct]
    reader, expert = open_store(tmp_path / "a.sqlite3"), open_store(tmp_path / "b.sqlite3")
    yield server, client_for(server), reader, expert, heads
    reader.close()
    expert.close()


def test_the_queue_lists_open_requests_by_urgency_for_its_centre(two_stations) -> None:
    _server, client, reader, expert, heads = two_stations
    ct_study = str(heads[0].StudyInstanceUID)
    patient = (str(heads[0].PatientID), str(heads[0].PatientName))
    key = [{"series_uid": str(h.SeriesInstanceUID), "sop_class_uid": str(h.SOPClassUID),
            "sop_instance_uid": str(h.SOPInstanceUID), "slice": i + 1, "series_number": 1}
           for i, h in enumerate(heads[:2])]
    now = datetime.now(UTC)
    asked = {}
    for urgency, age_h, to, study in (
            ("routine", 30, "RC", ct_study), ("urgent", 2, "RC", pydicom.uid.generate_uid()),
            ("stat", 1, "RC", pydicom.uid.generate_uid()),
            ("urgent", 5, "RC", pydicom.uid.generate_uid()),
            ("stat", 3, "Other centre", pydicom.uid.generate_uid())):
        version = (_signed(reader, study, "CT-1", key, patient) if study == ct_study
                   else _signed(reader, study, "CT-1"))
        ref_id = reader.request_referral(
            version.id, kind="second_opinion", reason="complex_case", urgency=urgency,
            requester="Reader A", centre="Clinic 1", addressed_to=to,
            requested_at=now - timedelta(hours=age_h))
        asked[(urgency, age_h)] = reader.referral(ref_id).uid
    _drain(reader, client)
    queue = refresh_queue(expert, client, centre="RC")
    assert [e.referral.uid for e in queue] == [
        asked[("stat", 1)], asked[("urgent", 5)], asked[("urgent", 2)],
        asked[("routine", 30)]]
    stat = queue[0].referral
    assert abs(stat.due_at - (now + timedelta(hours=3))) < timedelta(seconds=1)
    routine = queue[-1].referral
    assert routine.images and {i["sop_instance_uid"] for i in routine.images} == {
        str(h.SOPInstanceUID) for h in heads[:2]}
    assert {e.addressee for e in queue} == {"centre"} and not queue[0].unaddressed
    assert expert.study_header_info(ct_study)[0]["patient_id"] == str(heads[0].PatientID)
    assert len(expert.referrals(origin="archive")) == 4  # not the other centre's
    # A station with no centre name sees no centre's requests (only those naming no one).
    assert refresh_queue(expert, client) == []
    again = refresh_queue(expert, client, centre="RC")  # read from the store now
    assert [e.referral.id for e in again] == [e.referral.id for e in queue]
    assert len(expert.referrals(origin="archive")) == 4

    # A request to no one goes to the reference centres the directory names as serving the
    # requesting centre (referral.serves), not to another centre's experts.
    version = _signed(reader, pydicom.uid.generate_uid(), "CT-2")
    to_none = reader.referral(reader.request_referral(
        version.id, kind="second_opinion", reason="doubt", urgency="routine",
        requester="Reader A", centre="Clinic 1", addressed_to="")).uid
    _drain(reader, client)
    serves = Directory([], serves={"RC": ["Clinic 1"], "Other centre": ["Clinic 2"]})
    other = refresh_queue(expert, client, centre="Other centre", directory=serves)
    assert [e.addressee for e in other] == ["centre"]  # its own request, not the one to no one
    assert expert.referral_id(to_none) is None  # read, never stored for the other centre
    entries = refresh_queue(expert, client, centre="RC", directory=serves)
    assert {e.referral.uid: e.addressee for e in entries}[to_none] == "unaddressed"


def test_a_blind_review_round_trips_and_closes_the_request(two_stations) -> None:
    server, client, reader, expert, heads = two_stations
    study = str(heads[0].StudyInstanceUID)
    version = _signed(reader, study, "CT-2",
                      patient=(str(heads[0].PatientID), str(heads[0].PatientName)))
    ref_id = reader.request_referral(version.id, kind="audit", reason="quality_sample",
                                     urgency="routine", requester="Head H",
                                     centre="Clinic 1", addressed_to="RC")
    _drain(reader, client)
    [entry] = refresh_queue(expert, client, centre="RC")
    case = expert.open_case(entry.referral.id, "Expert E")
    with pytest.raises(BlindReadError):
        case.first_grade()
    own = ReviewFields(grade="CT-3", findings="consolidation in the right lower lobe")
    expert.save_review(entry.referral.id, expert="Expert E", fields=own)
    assert expert.open_case(entry.referral.id, "Expert E").first_grade() == "CT-2"
    signed = ReviewFields(grade="CT-3", findings=own.findings, score=3, category="perception",
                          technique={"protocol": "good", "coverage": "acceptable",
                                     "artefacts": "poor"},
                          comment="Консолидация пропущена")
    final = expert.save_review(entry.referral.id, expert="Expert E", fields=signed, sign=True)
    _killed_sync(expert, server)  # the review reached the archive; the sync died before
    assert final.sop_instance_uid in server.sop_instance_uids()  # marking it sent
    assert expert.outbox_counts()["done"] == 0
    _drain(expert, client)  # asks the archive, resends nothing
    [back] = reviews_in_archive(client, reader.referral(ref_id))
    assert back["fields"] == signed
    # version 1 was the draft (never sent)
    assert (back["expert"], back["version"], back["status"]) == ("Expert E", 2, "final")
    assert back["review_uid"] == final.review_uid
    assert refresh_queue(expert, client, centre="RC") == []  # answered
    assert import_reviews(reader, client) == 1  # the first station gets the review
    assert import_reviews(reader, client) == 0
    [mine] = reader.reviews_of(ref_id)
    assert (mine.fields, mine.expert, mine.sop_instance_uid) == (
        signed, "Expert E", final.sop_instance_uid)
    assert reader.outbox_counts()["pending"] == 0  # received, never sent back
    with pytest.raises(ReferralError, match="comment"):
        reader.respond_to_review(mine.id, reader="Reader A", action="dispute")
    reader.respond_to_review(mine.id, reader="Reader A", action="dispute",
                             comment="the lower lobe change is atelectasis")
    _drain(reader, client)
    [dispute] = refresh_disputes(expert, client)  # back on the expert's queue
    assert (dispute.action, dispute.reader, dispute.review_sop_uid) == (
        "dispute", "Reader A", final.sop_instance_uid)
    assert dispute.comment == "the lower lobe change is atelectasis"
    answer = expert.save_review(entry.referral.id, expert="Expert E", sign=True,
                                reason="dispute answered", fields=signed)
    assert answer.predecessor_sop_uid == final.sop_instance_uid
    assert expert.open_disputes() == [] and refresh_disputes(expert, client) == []
    _drain(expert, client)
    [response] = [r for r in reader.jobs() if r.kind == "referral_response"]
    sent = {version.sop_instance_uid, reader.referral(ref_id).uid, final.sop_instance_uid,
            reader.response(response.object_pk).uid, answer.sop_instance_uid}
    assert server.store_counts()[final.sop_instance_uid] == 1
    # The request and review SRs are no reader's report: an addendum sends without a conflict.
    amended = reader.save_report(study, author="Reader A", fields={"grade": "CT-3"},
                                 text="amended after review", status="amended",
                                 report_uid=version.report_uid, reason="second opinion")
    _drain(reader, client)
    assert reader.conflicts() == [] and amended.sop_instance_uid in server.sop_instance_uids()
    counts = server.store_counts()
    assert set(counts) == sent | {amended.sop_instance_uid} | {str(h.SOPInstanceUID)
                                                                for h in heads}
    assert max(counts.values()) == 1  # each object stored once


def test_an_audit_drawn_at_the_reference_centre_comes_back_to_the_first_reader(
        two_stations) -> None:
    """The reader never asked: the reference centre audits a report it holds too (the same
    report imported on both, so the same report SR), and the review reaches the reader's
    station, which disputes it; the dispute reaches the expert."""
    server, client, reader, expert, heads = two_stations
    study = str(heads[0].StudyInstanceUID)
    first = {"grade": "CT-1", "conclusion": "grade CT-1", "_centre": "Clinic 1"}
    versions = [s.save_report(study, author="Reader A", fields=first, text="first read",
                              status="final", new_report_uid="legacy-report-1")
                for s in (reader, expert)]
    assert versions[0].sop_instance_uid == versions[1].sop_instance_uid
    assert reader.has_signed_report()
    assert import_reviews(reader, client) == 0  # nothing audited yet
    ref_id = expert.request_referral(versions[1].id, kind="audit", reason="quality_sample",
                                     urgency="routine", requester="Head H",
                                     centre="Clinic 1", addressed_to="RC")
    _drain(expert, client)
    _drain(reader, client)  # the reader's own copy of the report
    [entry] = refresh_queue(expert, client, centre="RC", expert="Expert E")
    assert entry.referral.id == ref_id
    expert.save_review(ref_id, expert="Expert E", fields=ReviewFields(grade="CT-2"))
    signed = expert.save_review(ref_id, expert="Expert E", sign=True, fields=ReviewFields(
        grade="CT-2", score=2, category="interpretation",
        technique={"protocol": "good", "coverage": "good", "artefacts": "acceptable"}))
    _drain(expert, client)
    assert import_reviews(reader, client) == 1  # the audit adopted, then its review
    [adopted] = reader.referrals(origin="local")
    assert (adopted.kind, adopted.first_reader, adopted.uid) == (
        "audit", "Reader A", expert.referral(ref_id).uid)
    assert reader.reviewed_studies()[study].score == 2
    assert not any(j.kind == "referral" for j in reader.jobs())  # never sent from here
    [mine] = reader.reviews_of(adopted.id)
    reader.respond_to_review(mine.id, reader="Reader A", action="dispute",
                             comment="the density is dependent atelectasis")
    _drain(reader, client)
    [dispute] = refresh_disputes(expert, client)
    assert dispute.review_sop_uid == signed.sop_instance_uid
    assert import_reviews(reader, client) == 0 and len(reader.referrals()) == 1
    assert max(server.store_counts().values()) == 1
