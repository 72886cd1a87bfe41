"""The sync engine against a real Orthanc (DICOMweb, basic auth) on loopback."""

from __future__ import annotations

import time

import pydicom
import pytest

from archive.dicomweb import read_dataset
from records import JobState, ReportStatus, Store
from records.sr import read_report_sr
from tests.records.conftest import client_for, engine_for


def _drain_all(engine, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine.drain()
        counts = engine.store.outbox_counts()
        if counts["pending"] == 0 and counts["in_progress"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"outbox did not drain: {engine.store.outbox_counts()}")


def test_report_round_trip_through_archive(store: Store, orthanc) -> None:
    study = pydicom.uid.generate_uid()
    store.upsert_study(study, patient_id="TEST-1", patient_name="Test^Patient",
                       study_date="20240101", accession_number="A1")
    v1 = store.save_report(study, author="Петров П.П.", text="Двусторонние изменения.",
                           fields={"grade": "CT-2", "conclusion": "Вирусная пневмония"},
                           status=ReportStatus.FINAL)
    client = client_for(orthanc)
    report = engine_for(store, client).drain()
    assert (report.sent, report.done, report.failed) == (1, 1, 0)
    [meta] = client.search_instances(study, {"SOPInstanceUID": v1.sop_instance_uid})
    sr = read_dataset(client.retrieve_instance(study, meta["0020000E"]["Value"][0],
                                               v1.sop_instance_uid))
    assert sr.PatientID == "TEST-1" and sr.VerificationFlag == "VERIFIED"
    back = read_report_sr(sr)
    assert back["fields"] == v1.fields and back["text"] == v1.text
    assert back["author"] == "Петров П.П." and back["status"] == "final"
    # An amendment is a second instance in the same series; nothing resent.
    v2 = store.save_report(study, author="Петров П.П.", text="Уточнение.", status="amended",
                           reason="Уточнение", fields={"grade": "CT-3"}, report_uid=v1.report_uid)
    report = engine_for(store, client).drain()
    assert (report.sent, report.done) == (1, 1)
    uids = [i["00080018"]["Value"][0] for i in client.search_instances(study)]
    assert sorted(uids) == sorted([v1.sop_instance_uid, v2.sop_instance_uid])
    assert any(e.action == "sent" for e in store.audit_events(study))


def test_resend_is_detected_not_duplicated(store: Store, orthanc) -> None:
    study = pydicom.uid.generate_uid()
    v = store.save_report(study, author="A B", text="t", fields={}, status="final")
    client = client_for(orthanc)
    engine_for(store, client).drain()
    # Pretend the acknowledgement was lost: the job is due again.
    with store.session() as s:
        from records.models import OutboxJob
        s.get(OutboxJob, store.jobs()[0].id).state = JobState.PENDING
    posts = []
    client.session.hooks["response"].append(
        lambda r, *a, **k: posts.append(r) if r.request.method == "POST" else None)
    report = engine_for(store, client).drain()
    assert (report.sent, report.already_there, report.done) == (0, 1, 1)
    assert posts == []
    assert orthanc.sop_instance_uids().count(v.sop_instance_uid) == 1
    assert orthanc.store_counts()[v.sop_instance_uid] == 1  # arrived once, never resent


def _conflicting_reports(store: Store, orthanc, tmp_path):
    """Another station's final report of a new study in the archive, then ours (CT-3 vs
    CT-2), our outbox drained once: (study, client, other store, theirs, ours, report)."""
    from records import open_store

    study = pydicom.uid.generate_uid()
    client = client_for(orthanc)
    other = open_store(tmp_path / "other-station.sqlite3")
    theirs = other.save_report(study, author="Other Reader", text="CT-3", status="final",
                               fields={"grade": "CT-3"})
    engine_for(other, client).drain()
    ours = store.save_report(study, author="Our Reader", text="CT-2", status="final",
                             fields={"grade": "CT-2"})
    return study, client, other, theirs, ours, engine_for(store, client).drain()


def test_conflict_when_archive_has_someone_elses_report(store: Store, orthanc, tmp_path) -> None:
    _study, client, other, theirs, ours, report = _conflicting_reports(store, orthanc, tmp_path)
    assert report.conflicts == 1 and report.done == 0
    assert store.outbox_counts()["conflict"] == 1
    [conflict] = store.conflicts()
    assert conflict.remote_sop_instance_uid == theirs.sop_instance_uid
    assert conflict.remote_author.startswith("Other")
    assert ours.sop_instance_uid not in orthanc.sop_instance_uids()  # never silently sent
    store.resolve_conflict(conflict.id, resolution="keep_local", by="Our Reader")
    engine_for(store, client).drain()
    assert ours.sop_instance_uid in orthanc.sop_instance_uids()
    assert store.outbox_counts()["done"] == 1
    other.close()


def test_offline_then_drains(store: Store, orthanc_factory) -> None:
    server = orthanc_factory()
    server.stop()
    study = pydicom.uid.generate_uid()
    versions = [store.save_report(study, author="A B", text=str(i), fields={}, status="final")
                for i in range(3)]
    engine = engine_for(store, client_for(server))
    report = engine.drain()
    assert report.retried == 3 and report.done == 0
    assert store.outbox_counts()["pending"] == 3
    server.start()
    _drain_all(engine)
    assert sorted(server.sop_instance_uids()) == sorted(v.sop_instance_uid for v in versions)


@pytest.mark.parametrize("status", ["draft"])
def test_drafts_stay_local(store: Store, status: str) -> None:
    store.save_report("1.2.3", author="A B", text="", fields={}, status=status)
    assert store.outbox_counts()["pending"] == 0


def test_conflict_resolved_by_keeping_the_archive_report(store: Store, orthanc, tmp_path) -> None:
    study, client, other, theirs, ours, _report = _conflicting_reports(store, orthanc, tmp_path)
    [conflict] = store.conflicts()
    store.resolve_conflict(conflict.id, resolution="keep_remote", by="Our Reader")
    engine_for(store, client).drain()
    uids = [i["00080018"]["Value"][0] for i in client.search_instances(study)]
    assert uids == [theirs.sop_instance_uid]  # ours stays local, nothing overwritten
    assert store.report_version(ours.id).text == "CT-2" and store.conflicts() == []
    # A later amendment on top of theirs is no conflict any more: it was decided on.
    amended = store.save_report(study, author="Our Reader", text="CT-3 agreed",
                                status="amended", fields={"grade": "CT-3"},
                                reason="Agreed with the archive's report",
                                report_uid=ours.report_uid)
    engine_for(store, client).drain()
    assert amended.sop_instance_uid in orthanc.sop_instance_uids()
    other.close()


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    from records.sync import Backoff

    b = Backoff(base_s=1.0, cap_s=60.0)
    for attempt, ceiling in [(0, 1.0), (3, 8.0), (10, 60.0), (500, 60.0)]:
        delays = {b.delay(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered: retries of many stations do not line up


def test_wrong_credentials_stop_the_drain_and_keep_jobs(store: Store, orthanc) -> None:
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from archive.errors import ArchiveAuthError

    store.save_report(pydicom.uid.generate_uid(), author="A B", text="t", fields={},
                      status="final")
    client = DicomWebClient(ArchiveConfig(orthanc.dicomweb_url, orthanc.user, "wrong"))
    with pytest.raises(ArchiveAuthError):
        engine_for(store, client).drain()
    [job] = store.jobs()
    assert (job.state, job.attempts) == (JobState.PENDING, 0)  # untouched, sent later
