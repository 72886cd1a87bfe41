"""Studies whose UID was derived on this station (NIfTI, files without UIDs) send nothing to
the archive, against a real Orthanc: their reports and AI results stay local, kept and audited,
and the archive gets no orphan study holding only our SRs."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from records import JobState, Store
from records.outbox import KEPT_LOCAL, KEPT_LOCAL_REASON, KIND_AI_RESULT, KIND_REPORT
from tests.records.conftest import client_for, engine_for


@pytest.fixture(scope="module")
def nifti_uid(shared_data: Path) -> str:
    """The Study Instance UID derived from a real NIfTI chest CT (it has none of its own)."""
    import studies

    volume = studies.open_volume(shared_data / "ct" / "chest-crop-a.nii.gz")
    assert "StudyInstanceUID" in volume.info.derived_uids
    return volume.info.study_instance_uid


def _archive_studies(client, uid: str) -> list[dict]:
    return client.search("studies", {"StudyInstanceUID": uid})


def test_reports_on_a_derived_study_stay_local_while_others_are_sent(
        store: Store, orthanc, nifti_uid: str) -> None:
    normal = pydicom.uid.generate_uid()
    store.upsert_study(normal, patient_id="TEST-D1", study_date="20240101")
    store.upsert_study(nifti_uid, uid_derived=True, local_path="/data/chest-crop-a.nii.gz")
    kept = store.save_report(nifti_uid, author="A B", text="CT-1", fields={"grade": "CT-1"},
                             status="final")
    amended = store.save_report(nifti_uid, author="A B", text="CT-2", fields={"grade": "CT-2"},
                                status="amended", reason="Grade corrected",
                                report_uid=kept.report_uid)
    ai = store.save_ai_result(nifti_uid, model_name="luch-classical", model_version="1",
                              values={"grade": "CT-1"})
    sent = store.save_report(normal, author="A B", text="CT-0", fields={"grade": "CT-0"},
                             status="final")
    assert store.study_kept_local(nifti_uid) and not store.study_kept_local(normal)
    assert [(j.kind, j.study_instance_uid) for j in store.jobs()] == [(KIND_REPORT, normal)]

    client = client_for(orthanc)
    report = engine_for(store, client).drain()
    assert (report.sent, report.done, report.kept_local, report.failed) == (1, 1, 0, 0)
    assert _archive_studies(client, nifti_uid) == []  # no orphan study in the archive
    assert orthanc.sop_instance_uids().count(sent.sop_instance_uid) == 1
    assert len(_archive_studies(client, normal)) == 1
    # Kept: signed, versioned and audited as any other report, marked as kept local.
    assert [(v.version, v.status.value) for v in store.report_versions(kept.report_uid)] == [
        (1, "final"), (2, "amended")]
    events = store.audit_events(nifti_uid)
    assert [e.action for e in events].count("changed") == 2
    assert sorted((e.detail["kind"], e.detail["object"]) for e in events
                  if e.action == KEPT_LOCAL) == sorted(
        [(KIND_REPORT, kept.id), (KIND_REPORT, amended.id), (KIND_AI_RESULT, ai)])
    assert "sent" not in [e.action for e in events]
    assert store.ai_result(ai).values == {"grade": "CT-1"}


def test_a_queued_entry_of_an_older_version_is_closed_unsent_and_the_report_kept(
        store: Store, orthanc, nifti_uid: str) -> None:
    # An older version queued a report and an AI result for the study (not yet marked).
    report = store.save_report(nifti_uid, author="A B", text="CT-3", fields={"grade": "CT-3"},
                               status="final")
    ai = store.save_ai_result(nifti_uid, model_name="luch-classical", model_version="1",
                              values={"grade": "CT-3"})
    with store.session() as s:  # one of them had already failed against the archive
        from records.models import OutboxJob
        s.get(OutboxJob, store.jobs()[1].id).state = JobState.FAILED
    assert {j.state for j in store.jobs()} == {JobState.PENDING, JobState.FAILED}
    # This version opens the study and sees its UID was derived from the images.
    store.upsert_study(nifti_uid, uid_derived=True)

    client = client_for(orthanc)
    drained = engine_for(store, client).drain()
    assert (drained.sent, drained.done, drained.kept_local) == (0, 0, 2)
    assert _archive_studies(client, nifti_uid) == []
    jobs = store.jobs()
    assert [(j.kind, j.state, j.last_error) for j in jobs] == [
        (KIND_REPORT, JobState.DONE, KEPT_LOCAL_REASON),
        (KIND_AI_RESULT, JobState.DONE, KEPT_LOCAL_REASON)]
    assert store.outbox_counts()["pending"] == store.outbox_counts()["failed"] == 0
    assert [v.text for v in store.report_versions(report.report_uid)] == ["CT-3"]
    assert store.ai_result(ai).values == {"grade": "CT-3"}
    actions = [e.action for e in store.audit_events(nifti_uid)]
    assert actions.count(KEPT_LOCAL) == 2 and "sent" not in actions
    # A second drain finds nothing more to do.
    again = engine_for(store, client).drain()
    assert (again.sent, again.kept_local) == (0, 0)


def test_a_job_of_a_derived_study_is_never_claimed(store: Store, nifti_uid: str) -> None:
    """Marked between the drain's first step and its claim: the job waits, it is not sent."""
    normal = pydicom.uid.generate_uid()
    store.save_report(nifti_uid, author="A B", text="t", fields={}, status="final")
    store.save_report(normal, author="A B", text="t", fields={}, status="final")
    store.upsert_study(nifti_uid, uid_derived=True)
    assert [j.study_instance_uid for j in store.claim_jobs()] == [normal]


def test_the_mark_is_only_ever_set(store: Store) -> None:
    """A later open that reports the UID as real (a SEG exported from the derived study
    carries it) leaves the mark; a real study is never marked by other opens."""
    derived, real = "2.25.77", pydicom.uid.generate_uid()
    store.upsert_study(derived, uid_derived=True)
    store.upsert_study(derived, uid_derived=False, study_date="20240101")
    store.upsert_study(real, study_date="20240102")
    store.upsert_study(real, uid_derived=False, local_path="/cache/real")
    store.save_report(real, author="A B", text="t", fields={}, status="final")
    assert store.study_kept_local(derived) and not store.study_kept_local(real)
    assert not store.study_kept_local("1.2.3.404")  # unknown study: not derived
    assert [j.study_instance_uid for j in store.jobs()] == [real]


def test_an_adopted_study_is_marked_derived(store: Store) -> None:
    """Records moved from an old path-hash UID to the images' derived UID stay local."""
    store.save_report("2.25.11", author="A B", text="t", fields={}, status="final")
    assert store.adopt_study_uid("2.25.11", "2.25.12")
    assert store.study_kept_local("2.25.12")
    assert store.claim_jobs() == []
    assert store.keep_jobs_local() == 1
    assert [j.state for j in store.jobs()] == [JobState.DONE]
